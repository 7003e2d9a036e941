"""Administration of the treaty's configurable data (parameters, exclusion list, programmes), with history.

Notifications, objections and consultations are worked in the officers' screens, through the services that audit
them; the admin shows them read-only.
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest
from simple_history.admin import SimpleHistoryAdmin

# Registers the treaty's submission hook, decision blockers, four-eyes reason and case panel. The admin is
# autodiscovered in every process at start-up; an AppConfig.ready() import is the cleaner home (see report).
from licensing.models.treaty import ExclusionListEntry, TreatyParameter, TreatyTransfer

from .models.treaty import Objection, Programme, TreatyNotification


@admin.register(TreatyParameter)
class TreatyParameterAdmin(SimpleHistoryAdmin):
    list_display = ["name", "value", "valid_from", "valid_until"]
    list_filter = ["name"]


@admin.register(ExclusionListEntry)
class ExclusionListEntryAdmin(SimpleHistoryAdmin):
    list_display = ["description", "ml_category", "valid_from", "valid_until"]
    list_filter = ["ml_category"]


@admin.register(Programme)
class ProgrammeAdmin(SimpleHistoryAdmin):
    list_display = ["name", "kind", "recognised_on"]
    list_filter = ["kind"]
    filter_horizontal = ["participants"]
    raw_id_fields = ["applications"]


class ReadOnlyAdmin(SimpleHistoryAdmin):
    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(TreatyTransfer)
class TreatyTransferAdmin(ReadOnlyAdmin):
    list_display = ["application", "final_system", "share_percent", "de_minimis"]
    list_filter = ["de_minimis"]


@admin.register(TreatyNotification)
class TreatyNotificationAdmin(ReadOnlyAdmin):
    list_display = ["pk", "direction", "counterpart", "third_country", "received_on", "objection_deadline", "status"]
    list_filter = ["direction", "status"]


@admin.register(Objection)
class ObjectionAdmin(ReadOnlyAdmin):
    list_display = ["pk", "notification", "ground", "status", "sent_on"]
