"""The one reminder engine (core.reminders) fed with the licensing and consultation deadlines, by hand:
a case received on Mon 12 Jan 2026 has its Awb term on Mon 9 Mar 2026; reminder points 7, 1, 0 days before and
1 day after; the senior officers get them from 2 days before when nobody acted, and at every point when nobody is
assigned (a reminder to nobody would be lost)."""

from __future__ import annotations

from datetime import date

import pytest
import time_machine

from consultations.services.reminders import art4_reply_deadlines
from core.models import DeadlineReminder, Notification, ReminderKind
from core.reminders import reminders_send
from licensing.models import ApplicationStatus
from licensing.services import casework
from licensing.services.reminders import licensing_deadlines
from tests.factories import ConsultationFactory, submitted_application

pytestmark = pytest.mark.django_db

RECEIVED = date(2026, 1, 12)
TERM = date(2026, 3, 9)


def _sweep(day: date):  # type: ignore[no-untyped-def]
    with time_machine.travel(day, tick=False):
        return reminders_send(deadlines=[*licensing_deadlines(day), *art4_reply_deadlines(day)], today=day)


def _case(org, officer=None):  # type: ignore[no-untyped-def]
    with time_machine.travel(RECEIVED, tick=False):
        status = ApplicationStatus.UNDER_REVIEW if officer else ApplicationStatus.SUBMITTED
        return submitted_application(organisation=org, status=status, assigned_to=officer)


def _titles(user) -> list[str]:  # type: ignore[no-untyped-def]
    return list(Notification.objects.filter(user=user).order_by("pk").values_list("body", flat=True))


@pytest.mark.parametrize(
    ("day", "sent", "point"),
    [
        (date(2026, 3, 1), 0, None),  # 8 days before: no point due yet
        (date(2026, 3, 2), 1, 7),  # 7 days before
        (date(2026, 3, 8), 1, 1),  # the day before (the 7-day point is not sent late as well)
        (date(2026, 3, 9), 1, 0),  # the day itself
        (date(2026, 3, 10), 1, -1),  # the day after
    ],
)
def test_awb_term_is_reminded_once_at_the_latest_due_point_when_the_sweep_runs(org_a, officer, day, sent, point):
    application = _case(org_a, officer)
    assert application.legal_deadline == TERM
    first = _sweep(day)
    again = _sweep(day)
    assert (first.sent, again.sent, again.already_sent) == (sent, 0, sent)
    rows = DeadlineReminder.objects.filter(kind=ReminderKind.AWB_TERM, subject=f"application:{application.pk}")
    assert [r.offset_days for r in rows] == ([point] if point is not None else [])
    assert len(_titles(officer)) == sent


def test_unassigned_case_is_escalated_to_the_seniors_at_every_point_when_nobody_else_would_be_told(org_a, senior):
    application = _case(org_a)
    # 7 days before: nobody is assigned, so a reminder to the officer would reach nobody; the seniors get it.
    assert _sweep(date(2026, 3, 2)).escalated == 1
    assert _titles(senior) == [
        "Due on 9 March 2026: 7 days left.\nSent to the senior officers as well: nobody has acted on it yet."
    ]
    result = _sweep(date(2026, 3, 7))  # Saturday, 2 days before: the 7-day point was sent; none due between
    assert (result.sent, result.escalated) == (0, 0)
    result = _sweep(date(2026, 3, 8))  # 1 day before
    assert (result.sent, result.escalated) == (1, 1)
    last = Notification.objects.filter(user=senior).order_by("-pk").first()
    assert last is not None
    assert last.title == (
        f"{application.reference}: Awb decision term (send a notice of delay under Awb 4:14(3) if it will be missed)"
    )
    assert last.body.startswith("Due on 9 March 2026: 1 day left.")
    # Once someone takes the case, the day-of reminder goes to them only.
    with time_machine.travel(date(2026, 3, 9), tick=False):
        casework.application_assign(actor=senior, application_id=application.pk, assignee=senior)
    result = _sweep(date(2026, 3, 9))
    assert (result.sent, result.escalated) == (1, 0)


def test_exporter_is_reminded_before_the_answer_by_date_and_the_officer_after_it(org_a, exporter_a, officer):
    application = _case(org_a, officer)
    with time_machine.travel(date(2026, 1, 20), tick=False):
        casework.information_request(
            actor=officer, application_id=application.pk, question="Which unit?", respond_by=date(2026, 1, 30)
        )
    officer_before = len(_titles(officer))
    assert _sweep(date(2026, 1, 26)).sent == 0  # 4 days before
    assert _sweep(date(2026, 1, 27)).sent == 1  # 3 days before: the exporter
    assert _titles(exporter_a)[-1] == "Due on 30 January 2026: 3 days left."
    assert _sweep(date(2026, 1, 30)).sent == 1  # the day itself: the exporter again
    assert len(_titles(officer)) == officer_before
    assert _sweep(date(2026, 1, 31)).sent == 1  # the day after: the officer, the term runs again
    [last] = Notification.objects.filter(user=officer).order_by("-pk")[:1]
    assert (last.title, last.body) == (
        f"{application.reference}: the question went unanswered; the Awb term runs again",
        "Overdue: the deadline of 30 January 2026 passed 1 day ago.",
    )


def test_art4_reply_date_is_reminded_to_the_cases_officer(org_a, officer):
    application = _case(org_a, officer)
    ConsultationFactory(application=application, opened_on=date(2026, 2, 2), respond_by=date(2026, 2, 23))
    result = _sweep(date(2026, 2, 20))  # 3 days before
    assert result.sent == 1
    assert DeadlineReminder.objects.get(kind=ReminderKind.ART4_REPLY).offset_days == 3
    assert "reply to the Art. 4 consultation is due" in Notification.objects.filter(user=officer).last().title
