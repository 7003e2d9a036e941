"""The deadline sweep claims its work in batches: every reminder once whatever the batch size, a failing batch rolled
back whole and done by the next run, notifications another transaction holds left for the next run instead of
waited for, and a number of queries that does not grow with the number of items. Dates worked out by hand:
notifications received on 2024-12-31 have their deadline on 2025-02-28, and reminder points 20, 10, 5 and 1 days
before it; on 2025-02-18 the latest point due is the 10-day one (the 20-day one is not sent late as well)."""

from __future__ import annotations

import threading
from datetime import date
from typing import Any

import pytest
import time_machine
from django.db import connection, transaction

import core.reminders as engine
from audit.models import AuditEvent, Verb
from consultations.models.treaty import NotificationStatus, TreatyNotification
from consultations.services.notifications import notification_record_incoming
from consultations.services.sweep import deadlines_sweep
from core.models import DeadlineReminder, Notification, OutboxMessage
from tests.factories import nl_treaty_accession

AWARE = date(2024, 12, 31)  # deadline 2025-02-28
TWO_DUE = date(2025, 2, 18)  # the 20-day (02-08) and 10-day (02-18) points are due; the latest, 10, is sent


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


def _reminder_events() -> list[str]:
    return sorted(e.target_id for e in AuditEvent.objects.filter(verb=Verb.REMINDER_SENT))


def _ids(notifications: list[TreatyNotification]) -> list[str]:
    return sorted(str(n.pk) for n in notifications)


@pytest.mark.django_db
def test_every_due_reminder_goes_out_once_when_the_sweep_works_in_small_batches(officer):
    notifications = _incoming(officer, n=5)

    first = deadlines_sweep(today=TWO_DUE, batch_size=2)  # 5 reminders: batches of 2, 2 and 1
    again = deadlines_sweep(today=TWO_DUE, batch_size=2)

    assert (first.reminders_sent, again.reminders_sent) == (5, 0)
    assert _reminder_events() == _ids(notifications)
    assert sorted(DeadlineReminder.objects.values_list("subject", "offset_days")) == sorted(
        (f"treaty_notification:{n.pk}", 10) for n in notifications
    )
    keys = sorted(OutboxMessage.objects.values_list("key", flat=True))
    assert keys == sorted(
        f"reminder:treaty_objection:treaty_notification:{n.pk}:2025-02-28:10:{officer.pk}" for n in notifications
    )
    assert Notification.objects.filter(user=officer, body__startswith="Due on 28 February 2025: 10 days").count() == 5


@pytest.mark.django_db
def test_a_failing_batch_leaves_its_reminders_for_the_next_sweep_when_earlier_batches_went_out(officer, monkeypatch):
    _incoming(officer, n=5)
    record_many = engine.record_many
    calls = []

    def fail_second_batch(events):  # type: ignore[no-untyped-def]
        calls.append(len(events))
        if len(calls) == 2:
            raise ConnectionError("worker lost mid-batch")
        return record_many(events)

    monkeypatch.setattr(engine, "record_many", fail_second_batch)
    with pytest.raises(ConnectionError):
        deadlines_sweep(today=TWO_DUE, batch_size=2)

    # The first batch committed with its effects; the second rolled back claim and effects together.
    assert DeadlineReminder.objects.count() == 2
    assert len(_reminder_events()) == 2
    assert OutboxMessage.objects.count() == Notification.objects.count() == 2

    monkeypatch.setattr(engine, "record_many", record_many)
    assert deadlines_sweep(today=TWO_DUE, batch_size=2).reminders_sent == 3
    assert len(_reminder_events()) == DeadlineReminder.objects.count() == 5
    assert OutboxMessage.objects.count() == Notification.objects.count() == 5


@pytest.mark.django_db
def test_reminder_sent_again_by_hand_keeps_its_one_email_when_the_sweep_meets_its_key(officer):
    _incoming(officer)
    deadlines_sweep(today=TWO_DUE)
    DeadlineReminder.objects.all().delete()  # e.g. an administrator re-running a day

    assert deadlines_sweep(today=TWO_DUE).reminders_sent == 1
    assert OutboxMessage.objects.count() == 1  # one e-mail per reminder and user, as notify's idempotency key says
    assert Notification.objects.filter(user=officer).count() == 2


@pytest.mark.django_db
def test_sweep_uses_the_same_queries_for_six_notifications_as_for_two(officer):
    _incoming(officer, n=2)
    few_queries = _count_queries(lambda: deadlines_sweep(today=TWO_DUE))
    _incoming(officer, n=6)  # same day of becoming aware: same deadline, reminders due on the same days
    many_queries = _count_queries(lambda: deadlines_sweep(today=TWO_DUE))
    assert AuditEvent.objects.filter(verb=Verb.REMINDER_SENT).count() == 2 + 6
    assert many_queries == few_queries


def _count_queries(run: Any) -> int:
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        run()
    return len(captured.captured_queries)


@pytest.mark.django_db(transaction=True)
def test_a_notification_an_officer_holds_is_left_for_the_next_sweep_when_the_sweep_runs_meanwhile(officer):
    [passed] = _incoming(officer, received_on=date(2024, 11, 29))  # deadline 2025-01-29, passed on 2025-02-18
    [running] = _incoming(officer)
    locked, release = threading.Event(), threading.Event()

    def officer_at_work() -> None:  # e.g. sending an objection: the notification locked
        try:
            with transaction.atomic():
                TreatyNotification.objects.select_for_update().get(pk=passed.pk)
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

    # During: the running notification's reminder (the engine's claim rows are its own, no notification is
    # locked for it); the held notification was skipped, not waited for, and recorded by the next run.
    assert (during.reminders_sent, during.no_objection_recorded) == (1, 0)
    assert (after.reminders_sent, after.no_objection_recorded) == (0, 1)
    passed.refresh_from_db()
    assert passed.status == NotificationStatus.NO_OBJECTION_IN_TIME
    assert AuditEvent.objects.filter(verb=Verb.NO_OBJECTION_RECORDED, target_id=str(passed.pk)).count() == 1
    assert _reminder_events() == [str(running.pk)]
