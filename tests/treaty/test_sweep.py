"""The deadline sweep in-process: our objection deadlines reminded by the one engine (core.reminders), once each at
the latest point due, escalated when nobody acted, and "no objection raised in time" recorded once after the
deadline. Worked by hand: aware on 2024-12-31, deadline Friday 2025-02-28 (two calendar months, clipped to the end
of February); reminder points 20, 10, 5 and 1 days before (08, 18, 23 and 27 February); escalation from 5 days."""

from __future__ import annotations

from datetime import date

import pytest
import time_machine
from django.test import override_settings

from audit.models import AuditEvent, Verb
from consultations.models.treaty import NotificationStatus
from consultations.services.objections import objection_approve, objection_propose, objection_send
from consultations.services.sweep import deadlines_sweep
from core.models import DeadlineReminder, Notification, OutboxMessage, ReminderKind
from core.roles import Role
from tests.factories import UserFactory

from .test_emergency_brake import incoming

pytestmark = pytest.mark.django_db

AWARE = date(2024, 12, 31)
DEADLINE = date(2025, 2, 28)


def _points(notification) -> list[int]:  # type: ignore[no-untyped-def]
    rows = DeadlineReminder.objects.filter(
        kind=ReminderKind.TREATY_OBJECTION, subject=f"treaty_notification:{notification.pk}", deadline=DEADLINE
    )
    return sorted(rows.values_list("offset_days", flat=True), reverse=True)


def _bodies(user) -> list[str]:  # type: ignore[no-untyped-def]
    return list(Notification.objects.filter(user=user).order_by("pk").values_list("body", flat=True))


@pytest.mark.parametrize(
    ("day", "point"),
    [
        (date(2025, 2, 7), None),  # 21 days before: no point due yet
        (date(2025, 2, 8), 20),  # exactly 20 days before
        (date(2025, 2, 17), 20),  # the day before the 10-day point: still the 20-day one
        (date(2025, 2, 18), 10),  # exactly 10 days before
        (date(2025, 2, 27), 1),  # the day before the deadline
        (date(2025, 2, 28), 1),  # the deadline day is still in time: the 1-day point, if not sent yet
        (date(2025, 3, 1), None),  # the day after: no reminder; the sweep records that no objection was raised
    ],
)
def test_objection_deadline_is_reminded_once_at_the_latest_point_due_when_swept_twice(officer, day, point):
    notification = incoming(officer, received_on=AWARE)
    first = deadlines_sweep(today=day)
    second = deadlines_sweep(today=day)
    sent = 0 if point is None else 1
    assert (first.reminders_sent, second.reminders_sent) == (sent, 0)
    assert _points(notification) == ([] if point is None else [point])
    assert len(_bodies(officer)) == sent + (day > DEADLINE)  # after it: the no-objection notice instead


def test_sweep_that_was_down_sends_one_reminder_not_the_backlog_when_it_runs_again(officer):
    notification = incoming(officer, received_on=AWARE)
    # Down from before the 20-day point until the 10-day point's day: the 20-day one is not sent late as well.
    result = deadlines_sweep(today=date(2025, 2, 18))
    assert (result.reminders_sent, _points(notification)) == (1, [10])
    [event] = AuditEvent.objects.filter(verb=Verb.REMINDER_SENT, target_id=str(notification.pk))
    assert (event.payload["point"], event.payload["days_left"], event.payload["escalated"]) == (10, 10, False)
    [reminder] = Notification.objects.filter(user=officer)
    assert reminder.title == "Treaty notification from FR: our objection deadline is 28 February 2025"
    assert reminder.body == (
        "Due on 28 February 2025: 10 days left.\nFrigate with Dutch radar to Indonesia. Status: Open: objection "
        "period running."
    )
    assert reminder.link == f"/consultations/notifications/{notification.pk}/"
    assert OutboxMessage.objects.filter(key__startswith="reminder:").count() == 1


def test_reminder_escalates_to_the_seniors_at_once_when_nobody_is_assigned(officer, senior):
    notification = incoming(officer, received_on=AWARE, assignee=None)
    result = deadlines_sweep(today=date(2025, 2, 8))  # 20 days before
    assert (result.reminders_sent, result.reminders_escalated) == (1, 1)
    assert DeadlineReminder.objects.get(subject=f"treaty_notification:{notification.pk}").escalated is True
    assert AuditEvent.objects.filter(verb=Verb.REMINDER_ESCALATED, target_id=str(notification.pk)).count() == 1
    assert _bodies(senior)[0].endswith("Sent to the senior officers as well: nobody has acted on it yet.")
    assert _bodies(officer) == []


def test_reminder_goes_to_the_assignee_only_until_the_escalation_point_and_to_the_seniors_from_it(officer, senior):
    incoming(officer, received_on=AWARE)
    ten_days = deadlines_sweep(today=date(2025, 2, 18))  # 10 days left: more than 5
    assert (ten_days.reminders_sent, ten_days.reminders_escalated) == (1, 0)
    assert (len(_bodies(officer)), _bodies(senior)) == (1, [])
    six_days = deadlines_sweep(today=date(2025, 2, 22))  # the 10-day point was sent; the 5-day one is not due
    assert six_days.reminders_sent == 0
    five_days = deadlines_sweep(today=date(2025, 2, 23))  # exactly 5 days left: the objection is still undecided
    assert (five_days.reminders_sent, five_days.reminders_escalated) == (1, 1)
    assert _bodies(officer)[-1].startswith("Due on 28 February 2025: 5 days left.")
    assert len(_bodies(senior)) == 1


def test_an_inactive_assignee_is_not_told_and_the_reminder_goes_to_the_seniors(officer, senior):
    colleague = UserFactory(roles=[Role.OFFICER])
    incoming(officer, received_on=AWARE, assignee=colleague)
    colleague.is_active = False
    colleague.save(update_fields=["is_active"])
    assert deadlines_sweep(today=date(2025, 2, 8)).reminders_escalated == 1
    reminders = Notification.objects.filter(title__startswith="Treaty notification from FR: our objection deadline")
    assert (reminders.filter(user=colleague).count(), reminders.filter(user=senior).count()) == (0, 1)


@override_settings(LANGUAGE_CODE="nl")
def test_reminder_reads_in_dutch_with_a_dutch_date_when_the_authoritys_language_is_dutch(officer):
    incoming(officer, received_on=AWARE)
    deadlines_sweep(today=date(2025, 2, 27))
    [reminder] = Notification.objects.filter(user=officer)
    assert reminder.title == "Verdragsmelding van FR: onze bezwaartermijn eindigt op 28 februari 2025"
    assert reminder.body.startswith("Uiterlijk 28 februari 2025: nog 1 dag.\n")
    assert "Status: Open: bezwaartermijn loopt." in reminder.body


def test_no_objection_is_recorded_once_by_the_system_when_the_deadline_passed(officer):
    notification = incoming(officer, received_on=AWARE)
    on_deadline = deadlines_sweep(today=date(2025, 2, 28))  # the deadline day is still in time
    first = deadlines_sweep(today=date(2025, 3, 1))
    second = deadlines_sweep(today=date(2025, 3, 1))
    assert (on_deadline.no_objection_recorded, first.no_objection_recorded, second.no_objection_recorded) == (0, 1, 0)
    notification.refresh_from_db()
    assert notification.status == NotificationStatus.NO_OBJECTION_IN_TIME
    [event] = AuditEvent.objects.filter(verb=Verb.NO_OBJECTION_RECORDED, target_id=str(notification.pk))
    assert (event.actor_id, event.actor_label) == (None, "system")
    assert event.reason == "No objection was raised by the deadline of 2025-02-28."
    assert (
        Notification.objects.filter(user=officer, title="No objection was raised in time: notification from FR").count()
        == 1
    )


def test_no_reminder_and_no_objection_recorded_when_an_objection_was_sent_in_time(officer, senior):
    notification = incoming(officer, received_on=AWARE)
    with time_machine.travel(date(2025, 2, 20), tick=False):
        objection = objection_propose(
            actor=officer, notification_id=notification.pk, ground="direct_interests", reasons="x"
        )
        objection_approve(actor=senior, objection_id=objection.pk)
        objection_send(actor=officer, objection_id=objection.pk)
    assert deadlines_sweep(today=date(2025, 2, 27)).reminders_sent == 0  # acted on: the deadline is not fed
    result = deadlines_sweep(today=date(2025, 3, 1))
    assert (result.reminders_sent, result.no_objection_recorded) == (0, 0)
    notification.refresh_from_db()
    assert notification.status == NotificationStatus.OBJECTED


def test_proposed_but_unsent_objection_ends_as_no_objection_in_time_when_the_deadline_passes(officer):
    notification = incoming(officer, received_on=AWARE)
    with time_machine.travel(date(2025, 2, 27), tick=False):
        objection_propose(actor=officer, notification_id=notification.pk, ground="direct_interests", reasons="x")
    assert deadlines_sweep(today=date(2025, 3, 1)).no_objection_recorded == 1
    notification.refresh_from_db()
    assert notification.status == NotificationStatus.NO_OBJECTION_IN_TIME
