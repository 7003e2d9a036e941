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


def recompute_deadlines(application: Application) -> None:
    """Set target_date and legal_deadline from received_on and the days suspended (Awb 4:15)."""
    if application.received_on is None:
        return
    extra = equated_holidays()
    application.legal_deadline = awb_decision_deadline(
        application.received_on, suspended_days=application.suspended_days, extra=extra
    )
    application.target_date = add_working_days(
        application.received_on + timedelta(days=application.suspended_days),
        target_working_days(application.licence_type),
        extra=extra,
    )
