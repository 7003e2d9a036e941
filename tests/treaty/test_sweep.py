"""The deadline sweep in-process: reminders once each, escalation, and "no objection raised in time" once."""

from __future__ import annotations

from datetime import date

import pytest
import time_machine

from audit.models import AuditEvent, Verb
from consultations.models.treaty import NotificationStatus, Reminder
from consultations.services.objections import objection_approve, objection_propose, objection_send
from consultations.services.sweep import deadlines_sweep
from core.models import Notification, OutboxMessage

from .test_emergency_brake import incoming

pytestmark = pytest.mark.django_db


def test_due_reminders_are_sent_once_each_when_the_sweep_runs_twice(officer):
    notification = incoming(officer, received_on=date(2024, 12, 31))  # deadline 2025-02-28
    # On 2025-02-18 the 20-day (due 02-08) and 10-day (due 02-18) reminders are due; 5 and 1 are not.
    first = deadlines_sweep(today=date(2025, 2, 18))
    second = deadlines_sweep(today=date(2025, 2, 18))
    assert (first.reminders_sent, second.reminders_sent) == (2, 0)
    sent = Reminder.objects.filter(notification=notification, sent_at__isnull=False)
    assert sorted(sent.values_list("offset_days", flat=True)) == [10, 20]
    assert AuditEvent.objects.filter(verb=Verb.REMINDER_SENT, target_id=str(notification.pk)).count() == 2
    titles = list(Notification.objects.filter(user=officer).values_list("title", flat=True))
    assert titles.count("Treaty deadline 2025-02-28: 10 day(s) left (notification from FR)") == 2
    assert OutboxMessage.objects.filter(key__startswith="treaty-reminder:").count() == 2


def test_reminder_escalates_to_the_seniors_when_nobody_is_assigned(officer, senior):
    notification = incoming(officer, received_on=date(2024, 12, 31), assignee=None)
    deadlines_sweep(today=date(2025, 2, 8))
    reminder = Reminder.objects.get(notification=notification, offset_days=20)
    assert reminder.escalated is True
    assert Notification.objects.filter(user=senior, title__startswith="Treaty deadline 2025-02-28").count() == 1
    assert not Notification.objects.filter(user=officer, title__startswith="Treaty deadline").exists()


def test_reminder_goes_to_the_assignee_only_when_the_deadline_is_still_far(officer, senior):
    incoming(officer, received_on=date(2024, 12, 31))
    deadlines_sweep(today=date(2025, 2, 8))
    assert Notification.objects.filter(user=officer, title__startswith="Treaty deadline").count() == 1
    assert not Notification.objects.filter(user=senior, title__startswith="Treaty deadline").exists()


def test_reminder_five_days_before_also_goes_to_the_seniors_when_the_objection_is_undecided(officer, senior):
    notification = incoming(officer, received_on=date(2024, 12, 31))
    Reminder.objects.filter(notification=notification, offset_days__in=[20, 10]).update(sent_at="2025-02-18T08:00Z")
    deadlines_sweep(today=date(2025, 2, 23))
    assert Notification.objects.filter(user=officer, title__contains="5 day(s) left").count() == 1
    assert Notification.objects.filter(user=senior, title__contains="5 day(s) left").count() == 1


def test_no_objection_is_recorded_once_by_the_system_when_the_deadline_passed(officer):
    notification = incoming(officer, received_on=date(2024, 12, 31))  # deadline 2025-02-28
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


def test_no_objection_is_not_recorded_when_an_objection_was_sent_in_time(officer, senior):
    notification = incoming(officer, received_on=date(2024, 12, 31))
    with time_machine.travel(date(2025, 2, 20), tick=False):
        objection = objection_propose(
            actor=officer, notification_id=notification.pk, ground="direct_interests", reasons="x"
        )
        objection_approve(actor=senior, objection_id=objection.pk)
        objection_send(actor=officer, objection_id=objection.pk)
    result = deadlines_sweep(today=date(2025, 3, 1))
    assert (result.reminders_sent, result.no_objection_recorded) == (0, 0)
    notification.refresh_from_db()
    assert notification.status == NotificationStatus.OBJECTED


def test_proposed_but_unsent_objection_ends_as_no_objection_in_time_when_the_deadline_passes(officer):
    notification = incoming(officer, received_on=date(2024, 12, 31))
    with time_machine.travel(date(2025, 2, 27), tick=False):
        objection_propose(actor=officer, notification_id=notification.pk, ground="direct_interests", reasons="x")
    assert deadlines_sweep(today=date(2025, 3, 1)).no_objection_recorded == 1
    notification.refresh_from_db()
    assert notification.status == NotificationStatus.NO_OBJECTION_IN_TIME
