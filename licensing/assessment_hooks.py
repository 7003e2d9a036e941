"""Plug the assessment into case work: submission checks, decision blockers, four eyes, refusal and approval
effects, and the panels on the officer's case page. Imported once from LicensingConfig.ready().

Registration is idempotent (a hook already in its list is not added again).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, cast

from django.utils.translation import gettext_lazy as _

from core.access import can

from . import assessment_admin, four_eyes  # noqa: F401  (assessment_admin registers the admin pages)
from .assessment_selectors import (
    advice_requests_for_case,
    criteria_rows,
    denial_matches_for_case,
    latest_run_with_results,
    refusal_letter_of,
)
from .case_panels import CasePanel, register_panel
from .models import OPEN_STATUSES, Application, ApplicationStatus
from .services import applications, casework
from .services.assessment import assessment_four_eyes_reasons, criteria_blocker
from .services.checks import checks_blocker, checks_on_submission
from .services.denials import art4_grant_notify, refusal_record


def _add(hooks: list[Any], hook: Callable[..., Any]) -> None:
    if hook not in hooks:
        hooks.append(hook)


_add(applications.SUBMISSION_HOOKS, checks_on_submission)
# Order matters: the checks blocker re-runs the checks, so four eyes (computed after the blockers) sees them.
_add(casework.DECISION_BLOCKERS, checks_blocker)
_add(casework.DECISION_BLOCKERS, criteria_blocker)
_add(four_eyes.FOUR_EYES_REASONS, assessment_four_eyes_reasons)
_add(casework.REFUSAL_HOOKS, refusal_record)
if hasattr(casework, "APPROVAL_HOOKS"):  # offered by casework once approvals have effects of their own
    _add(casework.APPROVAL_HOOKS, art4_grant_notify)


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
