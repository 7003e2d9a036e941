"""The treaty worklist on a senior officer's home page (core.home): objections to approve. Registered from
ConsultationsConfig.ready()."""

from __future__ import annotations

from typing import Any

from django.urls import reverse

from core.home import HomeSection, register_home_section

from .selectors import objections_to_approve_for


def _objections(user: Any) -> dict[str, Any]:
    return {**objections_to_approve_for(user=user), "link": f"{reverse('consultations:dashboard')}?status=running"}


register_home_section(
    HomeSection(
        "objections",
        "consultations.approve_objection",
        "consultations/home/objections.html",
        _objections,
        order=35,
    )
)
