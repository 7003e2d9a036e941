"""A real Celery worker on the real Redis delivers an outbox e-mail, once."""

from __future__ import annotations

import pytest
from celery.contrib.testing.worker import start_worker
from django.core import mail
from django.db import transaction

from config.celery import app
from core.models import OutboxMessage, OutboxStatus
from core.notifications import notify
from core.tasks import deliver_outbox_message, relay_outbox


@pytest.fixture
def celery_worker_on_redis(settings):  # type: ignore[no-untyped-def]
    app.conf.task_always_eager = False
    with start_worker(app, pool="solo", perform_ping_check=False, loglevel="WARNING") as worker:
        yield worker
    app.conf.task_always_eager = True


@pytest.mark.celery_worker
@pytest.mark.django_db(transaction=True)
def test_worker_sends_the_email_once_when_the_task_is_delivered_twice(celery_worker_on_redis, officer):
    with transaction.atomic():
        notify(users=[officer], title="Case NL-1 assigned to you", body="Please pick it up.", key="assign:1")
    message = OutboxMessage.objects.get(key=f"assign:1:{officer.pk}")
    # The on_commit hook already enqueued it; enqueue it again as a redelivery would.
    second = deliver_outbox_message.delay(message.pk)
    assert second.get(timeout=30) in {"sent", "already handled"}
    relay_outbox.delay().get(timeout=30)
    message.refresh_from_db()
    assert message.status == OutboxStatus.SENT
    assert [m.subject for m in mail.outbox] == ["Case NL-1 assigned to you"]
    assert officer.notifications.count() == 1
