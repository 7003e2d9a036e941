"""Deadlines of a case: the internal target (working days) and the legal decision term (Awb, Atw)."""

from __future__ import annotations

from datetime import date, timedelta

from core.models import EquatedHoliday
from core.workdays import add_working_days, awb_decision_deadline

from ..models import Application
from ..models.reference import ProcessingTarget

DEFAULT_TARGET_WORKING_DAYS = 20


def equated_holidays() -> list[date]:
    """Days equated with holidays by royal decree (Atw art. 3(3)), as configured by administrators."""
    return list(EquatedHoliday.objects.values_list("day", flat=True))


def target_working_days(licence_type: str) -> int:
    target = ProcessingTarget.objects.filter(licence_type=licence_type).first()
    return target.working_days if target else DEFAULT_TARGET_WORKING_DAYS


def awb_term_start(application: Application) -> date | None:
    """The day the Awb decision term counts from: the day the complete application was received (Awb 4:13), or,
    once a decision on an objection revoked the refusal and sent the case back for a new decision, the day of that
    decision on the objection.

    Awb 7:11(2): where the reconsideration gives cause, the contested decision is revoked and, as far as needed, a
    new decision takes its place. When the decision on the objection revokes the refusal without itself deciding
    the application, the application is pending again and the term of Awb 4:13 runs anew, counted from the day the
    decision on the objection was taken (the sources are silent on the exact day; this is the reading the register
    takes, and the case page states it). Suspensions of the first term (Awb 4:15) do not carry over: the days
    suspended are counted again from the restart (licensing.services.objections._reconsider resets them)."""
    return application.term_restarted_on or application.received_on


def recompute_deadlines(application: Application) -> None:
    """Set target_date and legal_deadline from the start of the term and the days suspended (Awb 4:15)."""
    start = awb_term_start(application)
    if start is None:
        return
    extra = equated_holidays()
    application.legal_deadline = awb_decision_deadline(start, suspended_days=application.suspended_days, extra=extra)
    application.target_date = add_working_days(
        start + timedelta(days=application.suspended_days),
        target_working_days(application.licence_type),
        extra=extra,
    )
