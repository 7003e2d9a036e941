"""Role-aware navigation: each entry names the capability that shows it (core.access)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext_lazy as _

from .access import can


@dataclass(frozen=True)
class NavEntry:
    label: Any
    url_name: str
    capability: str


# Later issues add their entries here; an entry whose URL does not exist yet is skipped.
NAV_ENTRIES: list[NavEntry] = [
    NavEntry(_("My applications"), "portal:application_list", "portal.use"),
    NavEntry(_("My licences"), "portal:licence_list", "portal.use"),
    NavEntry(_("Products and parties"), "portal:catalogue", "portal.use"),
    NavEntry(_("General licences"), "gl_portal:licence_list", "portal.use"),
    NavEntry(_("Colleagues"), "portal:colleague_invite", "portal.invite_colleague"),
    NavEntry(_("Webhooks"), "portal:webhooks", "portal.webhooks"),
    NavEntry(_("Case queue"), "casework:queue", "casework.use"),
    NavEntry(_("Advice requests"), "casework:advice_list", "casework.advise"),
    NavEntry(_("Organisations"), "casework:organisation_list", "organisations.review"),
    NavEntry(_("Treaty deadlines"), "consultations:dashboard", "consultations.use"),
    NavEntry(_("Denials"), "casework:denial_list", "casework.use"),
    NavEntry(_("Objections"), "casework:objection_list", "casework.use"),
    NavEntry(_("Licence changes"), "casework:amendment_list", "casework.use"),
    NavEntry(_("General licences and their use"), "gl_casework:licence_list", "casework.use"),
    NavEntry(_("Reports"), "reports:index", "reports.aggregates"),
    NavEntry(_("Administration"), "admin:index", "admin.reference_data"),
]


def nav_for(user: Any, current_path: str = "") -> list[dict[str, Any]]:
    items = []
    for entry in NAV_ENTRIES:
        if not can(user, entry.capability):
            continue
        try:
            url = reverse(entry.url_name)
        except NoReverseMatch:
            continue
        items.append({"label": entry.label, "url": url, "current": False})
    # The current entry is the one whose URL is the longest prefix of the path (/casework/organisations/ is
    # "Organisations", not also "Case queue" at /casework/).
    matching = [item for item in items if current_path.startswith(item["url"])]
    if matching:
        max(matching, key=lambda item: len(item["url"]))["current"] = True
    return items
