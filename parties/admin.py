from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin
from django.contrib.auth.models import Group
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from core.exceptions import DomainError
from core.roles import Role

from .models import (
    Country,
    Embargo,
    ExternalIdentity,
    Membership,
    Organisation,
    RoleGrant,
    SignInPolicy,
    StaffRoleMapping,
    User,
)
from .services import role_grant, role_grant_approve, role_grant_refusal, role_grant_refuse
from .sign_in import sign_in_policy_update, staff_role_mapping_save

# The role groups are made by core.roles_setup and named in code; renaming one in the web would move a role.
admin.site.unregister(Group)


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0


@admin.register(Country)
class CountryAdmin(SimpleHistoryAdmin):
    list_display = ["iso2", "name_en", "name_nl"]
    search_fields = ["iso2", "name_en", "name_nl"]
    inlines = [MembershipInline]


@admin.register(Membership)
class MembershipAdmin(SimpleHistoryAdmin):
    list_display = ["country", "bloc", "since", "until", "basis", "confidence"]
    list_filter = ["bloc", "basis"]
    search_fields = ["country__name_en"]


@admin.register(Embargo)
class EmbargoAdmin(SimpleHistoryAdmin):
    list_display = ["target", "legal_act", "since", "until", "partial", "needs_verification"]
    list_filter = ["needs_verification", "partial"]
    search_fields = ["target", "legal_act"]


@admin.register(Organisation)
class OrganisationAdmin(SimpleHistoryAdmin):
    list_display = ["name", "kvk_number", "status"]
    list_filter = ["status"]
    search_fields = ["name", "kvk_number"]


@admin.register(User)
class RegisterUserAdmin(UserAdmin, SimpleHistoryAdmin):
    """Roles are not edited here: they change only through the role services (audited, four eyes), from the
    role grant admin below. `is_superuser` and Django permissions are never set from the web."""

    list_display = ["username", "email", "organisation", "is_active"]
    fieldsets = (*UserAdmin.fieldsets, ("Organisation", {"fields": ("organisation", "is_org_admin")}))  # type: ignore[misc]
    readonly_fields = ["is_staff", "is_superuser", "groups", "user_permissions", "last_login", "date_joined"]


class SavedThroughServiceAdmin(SimpleHistoryAdmin):
    """The admin wraps its change form in a transaction; our services are durable transactions of their own (with
    their audit event), so the form runs outside one and the service's transaction is the only one."""

    def changeform_view(
        self, request: HttpRequest, object_id: str | None = None, form_url: str = "", extra_context: Any = None
    ) -> Any:
        return self._changeform_view(request, object_id, form_url, extra_context)


class RoleGrantForm(forms.ModelForm):
    actor: Any = None

    class Meta:
        model = RoleGrant
        fields = ["user", "role", "reason"]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        user, role = cleaned.get("user"), cleaned.get("role")
        if user is not None and role:
            refusal = role_grant_refusal(actor=self.actor, user=user, role=Role(role))
            if refusal:
                self.add_error("role", refusal)
        return cleaned


@admin.register(RoleGrant)
class RoleGrantAdmin(SavedThroughServiceAdmin):
    """Give a role (officer, senior officer and administrator wait for a second administrator) and decide
    requests. Every step is a service call with its audit event; nothing here writes a role itself."""

    form = RoleGrantForm
    list_display = ["user", "role", "status", "requested_by", "decided_by", "created_at"]
    list_filter = ["status", "role"]
    actions = ["approve_selected", "refuse_selected"]

    def get_form(self, request: HttpRequest, obj: Any = None, change: bool = False, **kwargs: Any) -> Any:
        form = super().get_form(request, obj, change=change, **kwargs)
        form.actor = request.user
        return form

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> list[str]:
        if obj is None:
            return []
        return [f.name for f in RoleGrant._meta.fields]

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def save_model(self, request: HttpRequest, obj: RoleGrant, form: Any, change: bool) -> None:
        if change:
            return  # decided through the actions, never edited
        grant = role_grant(actor=request.user, user_id=obj.user_id, role=Role(obj.role), reason=obj.reason)
        obj.pk, obj.status, obj.requested_by = grant.pk, grant.status, grant.requested_by  # for the admin's message

    def _decide(self, request: HttpRequest, queryset: Any, decide: Any, reason: str) -> None:
        for grant in queryset:
            try:
                decide(actor=request.user, grant_id=grant.pk, reason=reason)
            except DomainError as exc:
                self.message_user(request, f"{grant}: {exc.message}", level=messages.ERROR)

    @admin.action(description=_("Approve the selected requests (you must not be the requester)"))
    def approve_selected(self, request: HttpRequest, queryset: Any) -> None:
        self._decide(request, queryset, role_grant_approve, "")

    @admin.action(description=_("Refuse the selected requests"))
    def refuse_selected(self, request: HttpRequest, queryset: Any) -> None:
        self._decide(request, queryset, role_grant_refuse, str(_("Refused by a second administrator.")))


@admin.register(StaffRoleMapping)
class StaffRoleMappingAdmin(SavedThroughServiceAdmin):
    """Which value of the staff SSO's role claim gives which register role. Saved through the service, so each
    change is in the audit log as well as in the history; switch a mapping off (active) rather than delete it."""

    list_display = ["claim_value", "role", "is_active"]
    list_filter = ["role", "is_active"]
    search_fields = ["claim_value"]

    def save_model(self, request: HttpRequest, obj: StaffRoleMapping, form: Any, change: bool) -> None:
        saved = staff_role_mapping_save(
            actor=request.user,
            claim_value=obj.claim_value,
            role=obj.role,
            is_active=obj.is_active,
            mapping_id=obj.pk if change else None,
        )
        obj.pk = saved.pk

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(SignInPolicy)
class SignInPolicyAdmin(SavedThroughServiceAdmin):
    list_display = ["__str__", "exporter_passwords_enabled"]

    def save_model(self, request: HttpRequest, obj: SignInPolicy, form: Any, change: bool) -> None:
        sign_in_policy_update(actor=request.user, exporter_passwords_enabled=obj.exporter_passwords_enabled)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return not SignInPolicy.objects.exists()

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(ExternalIdentity)
class ExternalIdentityAdmin(SimpleHistoryAdmin):
    list_display = ["user", "provider", "created_at", "last_sign_in_at"]
    list_filter = ["provider"]
    search_fields = ["user__username", "user__email"]
    readonly_fields = ["provider", "subject", "user", "created_at", "last_sign_in_at"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False
