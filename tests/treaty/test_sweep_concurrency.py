"""The sweep with real concurrency: a real Celery worker on Redis running it twice, and two sweeps at once in
threads. Committed data (transactional tests), so the worker's and the threads' connections see it."""

from __future__ import annotations

import threading
from datetime import timedelta

import pytest
import time_machine
from celery.contrib.testing.worker import start_worker
from dateutil.relativedelta import relativedelta
from django.db import connection
from django.utils import timezone

from audit.models import AuditEvent, Verb
from config.celery import app
from consultations.models.treaty import NotificationStatus, TreatyNotification
from consultations.services.notifications import notification_record_incoming
from consultations.services.sweep import deadlines_sweep
from consultations.tasks import sweep_deadlines
from core.models import DeadlineReminder, Notification

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("reference_data_restored")]


@pytest.fixture
def celery_worker_on_redis():  # type: ignore[no-untyped-def]
    app.conf.task_always_eager = False
    with start_worker(app, pool="solo", perform_ping_check=False, loglevel="WARNING") as worker:
        yield worker
    app.conf.task_always_eager = True


def _notification(officer, *, aware_days_ago: int) -> TreatyNotification:  # type: ignore[no-untyped-def]
    aware_on = timezone.localdate() - timedelta(days=aware_days_ago)
    with time_machine.travel(aware_on, tick=False):  # recorded on the day of awareness, so reminders are scheduled
        return notification_record_incoming(
            actor=officer,
            counterpart_id="DE",
            subject_kind="home_state_content",  # a programme product names its programme
            subject="Armoured vehicle turret components to Qatar",
            third_country_id="QA",
            received_on=aware_on,
            assignee=officer,
        )


def _passed(officer) -> TreatyNotification:  # type: ignore[no-untyped-def]
    # Aware three months ago: the two-month deadline has passed.
    days = (timezone.localdate() - (timezone.localdate() - relativedelta(months=3))).days
    return _notification(officer, aware_days_ago=days)


def _events(verb: str, notification: TreatyNotification) -> int:
    return AuditEvent.objects.filter(verb=verb, target_id=str(notification.pk)).count()


def _claims(notification: TreatyNotification) -> int:
    return DeadlineReminder.objects.filter(subject=f"treaty_notification:{notification.pk}").count()


@pytest.mark.celery_worker
def test_worker_records_no_objection_once_and_each_reminder_once_when_the_sweep_is_delivered_twice(
    celery_worker_on_redis, officer
):
    passed = _passed(officer)
    # Deadline in about ten days: a reminder point (20, 10, 5 or 1 days before) is due, the latest one is sent.
    running = _notification(officer, aware_days_ago=50)

    first = sweep_deadlines.delay().get(timeout=60)
    second = sweep_deadlines.delay().get(timeout=60)

    assert first == {
        "reminders_sent": 1,
        "reminders_escalated": first["reminders_escalated"],
        "no_objection_recorded": 1,
    }
    assert second == {"reminders_sent": 0, "reminders_escalated": 0, "no_objection_recorded": 0}
    assert _events(Verb.NO_OBJECTION_RECORDED, passed) == 1
    assert _events(Verb.REMINDER_SENT, running) + _events(Verb.REMINDER_ESCALATED, running) == 1
    assert _claims(running) == 1
    passed.refresh_from_db()
    assert passed.status == NotificationStatus.NO_OBJECTION_IN_TIME


def test_two_sweeps_at_once_send_each_reminder_once_and_record_no_objection_once_when_they_race(officer):
    passed = _passed(officer)
    running = [_notification(officer, aware_days_ago=days) for days in (45, 50, 55)]  # several reminders due
    start = threading.Barrier(2)
    results = []

    def sweep() -> None:
        try:
            start.wait(timeout=10)
            results.append(deadlines_sweep())
        finally:
            connection.close()

    threads = [threading.Thread(target=sweep) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    assert len(results) == 2
    assert sum(r.no_objection_recorded for r in results) == 1
    assert sum(r.reminders_sent for r in results) == 3
    assert _events(Verb.NO_OBJECTION_RECORDED, passed) == 1
    for notification in running:
        assert _events(Verb.REMINDER_SENT, notification) + _events(Verb.REMINDER_ESCALATED, notification) == 1
        assert _claims(notification) == 1
    assert Notification.objects.filter(user=officer, title__startswith="Treaty notification from DE").count() == 3
