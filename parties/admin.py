from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin
from django.http import HttpRequest
from simple_history.admin import SimpleHistoryAdmin

from .models import Country, Embargo, ExternalIdentity, Membership, Organisation, SignInPolicy, StaffRoleMapping, User
from .sign_in import sign_in_policy_update, staff_role_mapping_save


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
    list_display = ["username", "email", "organisation", "is_active"]
    fieldsets = (*UserAdmin.fieldsets, ("Organisation", {"fields": ("organisation", "is_org_admin")}))  # type: ignore[misc]


class SavedThroughServiceAdmin(SimpleHistoryAdmin):
    """The admin wraps its change form in a transaction; our services are durable transactions of their own (with
    their audit event), so the form runs outside one and the service's transaction is the only one."""

    def changeform_view(
        self, request: HttpRequest, object_id: str | None = None, form_url: str = "", extra_context: Any = None
    ) -> Any:
        return self._changeform_view(request, object_id, form_url, extra_context)


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
