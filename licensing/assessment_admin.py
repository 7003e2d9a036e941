"""Administration of the assessment's reference lists (configurable, with history): national policy rules, the
screening watch list, and a read-only view of the denial register. Imported by licensing/panels.py."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from licensing.models.denials import DenialNotification

from .models.assessment import NationalPolicyRule, WatchListEntry


class NationalPolicyRuleAdmin(SimpleHistoryAdmin):
    list_display = ["name", "country", "kind", "valid_from", "valid_until", "dates_confirmed"]
    list_filter = ["kind", "dates_confirmed", "country"]
    search_fields = ["name", "description", "source"]


class WatchListEntryAdmin(SimpleHistoryAdmin):
    list_display = ["name", "country", "source", "listed_on", "active"]
    list_filter = ["source", "active"]
    search_fields = ["name", "aliases"]


class DenialNotificationAdmin(SimpleHistoryAdmin):
    """Read-only: denials are recorded through the officer's pages and the refusal workflow, which audit them."""

    list_display = ["reference", "direction", "issuing_state", "notified_on", "destination", "ml_category", "status"]
    list_filter = ["direction", "status", "issuing_state"]
    search_fields = ["reference", "end_user", "goods_description"]

    def has_add_permission(self, request: Any) -> bool:
        return False

    def has_change_permission(self, request: Any, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: Any, obj: Any = None) -> bool:
        return False


for model, model_admin in (
    (NationalPolicyRule, NationalPolicyRuleAdmin),
    (WatchListEntry, WatchListEntryAdmin),
    (DenialNotification, DenialNotificationAdmin),
):
    if not admin.site.is_registered(model):
        admin.site.register(model, model_admin)
