from django.contrib import admin
from django.http import HttpRequest

from .admin_guard import ProtectedRecordAdminMixin
from .models import AuditEvent


@admin.register(AuditEvent)
class AuditEventAdmin(ProtectedRecordAdminMixin, admin.ModelAdmin):
    """Read-only: audit events can be looked at, never changed or deleted."""

    list_display = ["sequence", "occurred_at", "actor_label", "verb", "target_type", "target_id"]
    list_filter = ["verb"]
    search_fields = ["target_id", "actor_label"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False
