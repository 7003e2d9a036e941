"""The case-page panel of objections (bezwaar) against the decision on the case: one query."""

from __future__ import annotations

from typing import Any, cast

from django.utils.translation import gettext_lazy as _

from .case_panels import CasePanel, register_panel
from .models import Application, ApplicationStatus
from .objection_selectors import objections_of


def _objections_panel(application: Application, user: Any) -> dict[str, Any]:
    decided = application.status in (ApplicationStatus.APPROVED, ApplicationStatus.REFUSED)
    return {"objections": objections_of(application) if decided else []}


register_panel(
    CasePanel(
        "objections",
        cast(str, _("Objections against the decision")),
        "licensing/casework/case/_objections_panel.html",
        _objections_panel,
        order=90,
    )
)
