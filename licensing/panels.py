"""The case-page panels of licensing's own case work: automatic checks, denial matches, criteria, advice.

Panels are the one registry left in the flow (style: call, don't register): each is optional for the page and
contributed by the app that owns it (consultations adds the treaty panel). Imported from LicensingConfig.ready.
"""

from __future__ import annotations

from typing import Any, cast

from django.utils.translation import gettext_lazy as _

from core.access import can

from . import assessment_admin  # noqa: F401  (registers the admin pages)
from .assessment_selectors import (
    advice_requests_for_case,
    criteria_rows,
    denial_matches_for_case,
    latest_run_with_results,
    refusal_letter_of,
)
from .case_panels import CasePanel, register_panel
from .models import OPEN_STATUSES, Application, ApplicationStatus


def _can_act(user: Any, application: Application) -> bool:
    """Action forms show only to officers, and only while the case is open (a decided case keeps its record)."""
    return can(user, "casework.use") and application.status in OPEN_STATUSES


def _checks_panel(application: Application, user: Any) -> dict[str, Any]:
    run, results = latest_run_with_results(application)
    return {"run": run, "results": results, "application": application, "can_act": _can_act(user, application)}


def _criteria_panel(application: Application, user: Any) -> dict[str, Any]:
    rows = criteria_rows(application)
    return {
        "rows": rows,
        "assessed": sum(1 for row in rows if row["assessment"]),
        "application": application,
        # Only a refused case has a letter: skip the query for the others.
        "refusal_letter": refusal_letter_of(application) if application.status == ApplicationStatus.REFUSED else None,
        "can_open": can(user, "casework.use"),
    }


def _advice_panel(application: Application, user: Any) -> dict[str, Any]:
    return {
        "requests": advice_requests_for_case(application),
        "application": application,
        "can_act": _can_act(user, application),
    }


def _matches_panel(application: Application, user: Any) -> dict[str, Any]:
    return {
        "matches": denial_matches_for_case(application),
        "application": application,
        "can_act": _can_act(user, application),
    }


PANEL_DIR = "licensing/casework/assessment/panels"
register_panel(
    CasePanel("checks", cast(str, _("Automatic checks")), f"{PANEL_DIR}/checks.html", _checks_panel, order=10)
)
register_panel(
    CasePanel(
        "denial_matches",
        cast(str, _("Denials by other Member States")),
        f"{PANEL_DIR}/matches.html",
        _matches_panel,
        order=11,
    )
)
register_panel(
    CasePanel("criteria", cast(str, _("Criteria assessment")), f"{PANEL_DIR}/criteria.html", _criteria_panel, order=20)
)
register_panel(CasePanel("advice", cast(str, _("Policy advice")), f"{PANEL_DIR}/advice.html", _advice_panel, order=21))
