"""The deadline sweep claims its work in batches: every item once whatever the batch size, a failing batch rolled
back whole and done by the next run, rows another transaction holds left for the next run instead of waited for,
and a number of queries that does not grow with the number of items. Dates worked out by hand: notifications
received on 2024-12-31 have their deadline on 2025-02-28, and reminders 20, 10, 5 and 1 days before it."""

from __future__ import annotations

import threading
from datetime import date
from typing import Any

import pytest
import time_machine
from django.db import connection, transaction

import consultations.services.sweep as sweep_module
from audit.models import AuditEvent, Verb
from consultations.models.treaty import NotificationStatus, Reminder, TreatyNotification
from consultations.services.notifications import notification_record_incoming
from consultations.services.sweep import deadlines_sweep
from core.models import Notification, OutboxMessage
from tests.factories import nl_treaty_accession

AWARE = date(2024, 12, 31)  # deadline 2025-02-28
TWO_DUE = date(2025, 2, 18)  # the 20-day (02-08) and 10-day (02-18) reminders are due; 5 and 1 are not


def _incoming(officer: Any, *, received_on: date = AWARE, n: int = 1) -> list[TreatyNotification]:
    nl_treaty_accession()  # the brake binds the Netherlands only while it is a party
    with time_machine.travel(received_on, tick=False):
        return [
            notification_record_incoming(
                actor=officer,
                counterpart_id="FR",
                subject_kind="home_state_content",
                subject=f"Frigate {i} with Dutch radar to Indonesia",
                third_country_id="ID",
                received_on=received_on,
                assignee=officer,
            )
            for i in range(n)
        ]


def _reminder_events() -> list[int]:
    return sorted(e.payload["reminder"] for e in AuditEvent.objects.filter(verb=Verb.REMINDER_SENT))


@pytest.mark.django_db
def test_every_due_reminder_goes_out_once_when_the_sweep_works_in_small_batches(officer):
    _incoming(officer, n=5)
    due = sorted(Reminder.objects.filter(due_on__lte=TWO_DUE).values_list("pk", flat=True))

    first = deadlines_sweep(today=TWO_DUE, batch_size=3)  # 10 reminders: batches of 3, 3, 3 and 1
    again = deadlines_sweep(today=TWO_DUE, batch_size=3)

    assert (first.reminders_sent, again.reminders_sent) == (10, 0)
    assert _reminder_events() == due
    assert sorted(Reminder.objects.filter(sent_at__isnull=False).values_list("pk", flat=True)) == due
    keys = sorted(OutboxMessage.objects.values_list("key", flat=True))
    assert keys == sorted(f"treaty-reminder:{pk}:{officer.pk}" for pk in due)
    assert Notification.objects.filter(user=officer, title__startswith="Treaty deadline 2025-02-28").count() == 10


@pytest.mark.django_db
def test_a_failing_batch_leaves_its_reminders_for_the_next_sweep_when_earlier_batches_went_out(officer, monkeypatch):
    _incoming(officer, n=5)
    record_many = sweep_module.record_many
    calls = []

    def fail_second_batch(events):  # type: ignore[no-untyped-def]
        calls.append(len(events))
        if len(calls) == 2:
            raise ConnectionError("worker lost mid-batch")
        return record_many(events)

    monkeypatch.setattr(sweep_module, "record_many", fail_second_batch)
    with pytest.raises(ConnectionError):
        deadlines_sweep(today=TWO_DUE, batch_size=4)

    # The first batch committed with its effects; the second rolled back claim and effects together.
    assert Reminder.objects.filter(sent_at__isnull=False).count() == 4
    assert len(_reminder_events()) == 4
    assert OutboxMessage.objects.count() == Notification.objects.count() == 4

    monkeypatch.setattr(sweep_module, "record_many", record_many)
    assert deadlines_sweep(today=TWO_DUE, batch_size=4).reminders_sent == 6
    assert _reminder_events() == sorted(Reminder.objects.filter(due_on__lte=TWO_DUE).values_list("pk", flat=True))
    assert OutboxMessage.objects.count() == Notification.objects.count() == 10


@pytest.mark.django_db
def test_reminder_sent_again_by_hand_keeps_its_one_email_when_the_sweep_meets_its_key(officer):
    _incoming(officer)
    deadlines_sweep(today=TWO_DUE)
    Reminder.objects.update(sent_at=None)  # e.g. an administrator re-running a day

    assert deadlines_sweep(today=TWO_DUE).reminders_sent == 2
    assert OutboxMessage.objects.count() == 2  # one e-mail per reminder and user, as notify's idempotency key says
    assert Notification.objects.filter(user=officer).count() == 4


@pytest.mark.django_db
def test_sweep_uses_the_same_queries_for_six_notifications_as_for_two(officer):
    _incoming(officer, n=2)
    few_queries = _count_queries(lambda: deadlines_sweep(today=TWO_DUE))
    _incoming(officer, n=6)  # same day of becoming aware: same deadline, reminders due on the same days
    many_queries = _count_queries(lambda: deadlines_sweep(today=TWO_DUE))
    assert AuditEvent.objects.filter(verb=Verb.REMINDER_SENT).count() == 4 + 12
    assert many_queries == few_queries


def _count_queries(run: Any) -> int:
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        run()
    return len(captured.captured_queries)


@pytest.mark.django_db(transaction=True)
def test_rows_an_officer_holds_are_left_for_the_next_sweep_when_the_sweep_runs_meanwhile(officer):
    [passed] = _incoming(officer, received_on=date(2024, 11, 29))  # deadline 2025-01-29, passed on 2025-02-18
    [running] = _incoming(officer)
    held_reminder = Reminder.objects.filter(notification=running, offset_days=20).get()
    locked, release = threading.Event(), threading.Event()

    def officer_at_work() -> None:  # e.g. sending an objection: the notification and a reminder row locked
        try:
            with transaction.atomic():
                TreatyNotification.objects.select_for_update().get(pk=passed.pk)
                Reminder.objects.select_for_update().get(pk=held_reminder.pk)
                locked.set()
                release.wait(timeout=30)
        finally:
            connection.close()

    worker = threading.Thread(target=officer_at_work)
    worker.start()
    try:
        assert locked.wait(timeout=30)
        during = deadlines_sweep(today=TWO_DUE)
    finally:
        release.set()
        worker.join(timeout=30)
    after = deadlines_sweep(today=TWO_DUE)

    # During: only the 10-day reminder; the held reminder and the held notification were skipped, not waited for.
    assert (during.reminders_sent, during.no_objection_recorded) == (1, 0)
    assert (after.reminders_sent, after.no_objection_recorded) == (1, 1)
    passed.refresh_from_db()
    assert passed.status == NotificationStatus.NO_OBJECTION_IN_TIME
    assert AuditEvent.objects.filter(verb=Verb.NO_OBJECTION_RECORDED, target_id=str(passed.pk)).count() == 1
    assert _reminder_events() == sorted(Reminder.objects.filter(notification=running, due_on__lte=TWO_DUE).values_list(
        "pk", flat=True))  # fmt: skip
