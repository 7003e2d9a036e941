"""Admin protections: decided applications, issued licences, final decisions, audit events and history rows are
evidence, so the Django admin may show them but never change or delete them.

- `ProtectedRecordAdminMixin` goes first in the bases of any ModelAdmin for a model with an `is_evidence()`
  method, for audit events and for simple-history models. It refuses change and delete per object, refuses bulk
  deletes that include one, and refuses simple-history's "revert to this version" for a protected record
  (simple-history lets anyone who may *view* the history post a revert, and checks the old version, not the
  record as it stands).
- A system check (`audit.E001`) fails `manage.py check` when an admin class for such a model lacks the mixin, so
  a new admin registration cannot quietly open a way around it. AuditConfig.ready registers it:
  `checks.register(check_protected_admins, checks.Tags.admin)`.
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.core import checks
from django.core.exceptions import PermissionDenied
from django.db.models import Model, QuerySet
from django.http import HttpRequest, HttpResponse

from core.i18n import gettext_lazy

ERR_PROTECTED = gettext_lazy("This record is evidence (decided, issued or audited): it cannot be changed or deleted.")


# Models say themselves which of their rows are evidence, with an `is_evidence()` method (licensing's
# application, decision, licence, licensed goods): audit sits below the apps and never imports them.
EVIDENCE_METHOD = "is_evidence"


def is_history_model(model: type[Model]) -> bool:
    return hasattr(model, "instance_type") and hasattr(model, "history_id")


def is_protected_model(model: type[Model]) -> bool:
    return is_history_model(model) or model._meta.label_lower == "audit.auditevent" or hasattr(model, EVIDENCE_METHOD)


def is_protected_record(obj: Model) -> bool:
    model = type(obj)
    if is_history_model(model):
        return True
    if model._meta.label_lower == "audit.auditevent":
        return True
    is_evidence = getattr(obj, EVIDENCE_METHOD, None)
    return bool(is_evidence()) if is_evidence is not None else False


class ProtectedRecordAdminMixin:
    """View-only admin for protected records; everything else behaves as the admin it is mixed into."""

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        if obj is not None and is_protected_record(obj):
            return False
        return bool(super().has_change_permission(request, obj))  # type: ignore[misc]

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        if obj is not None and is_protected_record(obj):
            return False
        if obj is None and is_history_model(self.model):  # type: ignore[attr-defined]
            return False
        return bool(super().has_delete_permission(request, obj))  # type: ignore[misc]

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet[Any]) -> None:
        # The "delete selected" action already lists protected rows as not deletable; this holds even if a
        # custom action calls delete_queryset directly.
        if any(is_protected_record(obj) for obj in queryset):
            raise PermissionDenied(ERR_PROTECTED)
        super().delete_queryset(request, queryset)  # type: ignore[misc]

    def delete_model(self, request: HttpRequest, obj: Any) -> None:
        if is_protected_record(obj):
            raise PermissionDenied(ERR_PROTECTED)
        super().delete_model(request, obj)  # type: ignore[misc]

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        if change and obj.pk is not None:
            current = type(obj)._base_manager.filter(pk=obj.pk).first()
            if current is not None and is_protected_record(current):
                raise PermissionDenied(ERR_PROTECTED)
        super().save_model(request, obj, form, change)  # type: ignore[misc]

    def history_form_view(
        self, request: HttpRequest, object_id: str, version_id: str, extra_context: Any = None
    ) -> HttpResponse:
        """simple-history's revert: refused for a protected record, judged by the record as it stands now."""
        if request.method == "POST":
            current = self.get_object(request, object_id)  # type: ignore[attr-defined]
            if current is not None and (
                is_protected_record(current) or not self.has_change_permission(request, current)
            ):
                raise PermissionDenied(ERR_PROTECTED)
        return super().history_form_view(request, object_id, version_id, extra_context)  # type: ignore[misc]


def check_protected_admins(app_configs: Any = None, **kwargs: Any) -> list[checks.CheckMessage]:
    """audit.E001: every admin registered for a protected model uses ProtectedRecordAdminMixin."""
    errors: list[checks.CheckMessage] = []
    for site in _admin_sites():
        for model, model_admin in site._registry.items():
            if is_protected_model(model) and not isinstance(model_admin, ProtectedRecordAdminMixin):
                errors.append(
                    checks.Error(
                        f"{type(model_admin).__name__} administers {model._meta.label}, whose records are evidence.",
                        hint="Put audit.admin_guard.ProtectedRecordAdminMixin first in its bases.",
                        obj=type(model_admin),
                        id="audit.E001",
                    )
                )
    return errors


def _admin_sites() -> list[admin.AdminSite]:
    from django.contrib.admin.sites import all_sites

    return list(all_sites)
