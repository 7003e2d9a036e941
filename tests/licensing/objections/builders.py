"""A refused case, decided through the real services on a chosen day (the day the decision is sent)."""

from __future__ import annotations

from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

import time_machine

from licensing.models import Application, ApplicationStatus
from licensing.services import casework
from tests.factories import submitted_application

AMSTERDAM = ZoneInfo("Europe/Amsterdam")


def refused_on(day: datetime, *, exporter: Any, officer: Any, senior: Any) -> Application:
    """Refused on `day` (local time) by `officer`, countersigned by `senior` (four eyes on refusals)."""
    with time_machine.travel(day.replace(tzinfo=AMSTERDAM), tick=False):
        application = submitted_application(
            organisation=exporter.organisation,
            created_by=exporter,
            status=ApplicationStatus.UNDER_REVIEW,
            assigned_to=officer,
        )
        decision = casework.decision_propose(
            actor=officer,
            application_id=application.pk,
            outcome="refuse",
            justification="Clear risk of diversion (criterion 7).",
            criteria=[7],
        )
        casework.decision_countersign(actor=senior, decision_id=decision.pk)
    application.refresh_from_db()
    assert application.status == ApplicationStatus.REFUSED
    return application
