"""The licensing worklists on the home page (core.home): officer, senior officer, policy adviser, exporter.
Registered from LicensingConfig.ready()."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django.urls import reverse
from django.utils import timezone

from core.home import HomeSection, register_home_section

from .selectors_home import advice_worklist, countersign_worklist, exporter_worklist, officer_worklist

HOME_DIR = "licensing/home"


def _queue(**params: str) -> str:
    return f"{reverse('casework:queue')}?{urlencode(params)}"


def _officer(user: Any) -> dict[str, Any]:
    worklist = officer_worklist(user=user, today=timezone.localdate())
    worklist["links"] = {
        "mine": _queue(tab="mine"),
        "due_soon": _queue(tab="mine", due_soon="true"),
        "overdue": _queue(tab="mine", overdue="true"),
        "answered": _queue(tab="mine", answered="true"),
        "unassigned": _queue(tab="unassigned"),
    }
    return worklist


def _countersign(user: Any) -> dict[str, Any]:
    return {**countersign_worklist(user=user), "link": _queue(tab="open", countersign="true")}


def _advice(user: Any) -> dict[str, Any]:
    return {**advice_worklist(user=user), "link": reverse("casework:advice_list")}


def _exporter(user: Any) -> dict[str, Any]:
    worklist = exporter_worklist(user=user, today=timezone.localdate())
    applications = reverse("portal:application_list")
    worklist["links"] = {
        "new": reverse("portal:application_create"),
        "questions": f"{applications}?status=information_requested",
        "drafts": f"{applications}?status=draft",
        "licences": reverse("portal:licence_list"),
    }
    return worklist


register_home_section(HomeSection("exporter", "portal.use", f"{HOME_DIR}/exporter.html", _exporter, order=10))
register_home_section(HomeSection("officer", "casework.use", f"{HOME_DIR}/officer.html", _officer, order=20))
register_home_section(
    HomeSection("countersign", "casework.countersign", f"{HOME_DIR}/countersign.html", _countersign, order=30)
)
register_home_section(HomeSection("advice", "casework.advise", f"{HOME_DIR}/advice.html", _advice, order=40))
