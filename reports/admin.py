"""Report runs in the admin: read-only, for administrators who need to find a run by its checksum."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from .models import ReportFile, ReportRun


class ReportFileInline(admin.TabularInline):
    model = ReportFile
    extra = 0
    can_delete = False
    readonly_fields = ["format", "name", "file", "sha256", "size"]

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(ReportRun)
class ReportRunAdmin(admin.ModelAdmin):
    list_display = ["id", "kind", "status", "as_of", "requested_by", "created_at", "sha256"]
    list_filter = ["kind", "status", "confidential"]
    search_fields = ["sha256", "files__sha256"]
    inlines = [ReportFileInline]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
