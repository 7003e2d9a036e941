"""Redis down while an officer acts: the action commits, the e-mail waits in the outbox, and it is sent once when
the broker is back. The test runs its own Redis on a spare port and really stops and restarts it."""

from __future__ import annotations

import time
from collections.abc import Iterator

import pytest
from celery.contrib.testing.worker import start_worker
from django.core import mail

from core.models import OutboxMessage, OutboxStatus
from core.tasks import relay_outbox
from licensing.models import ApplicationStatus
from licensing.services import casework
from tests.factories import submitted_application
from tests.spare_redis import SpareRedis, celery_app_on, free_port

pytestmark = [pytest.mark.celery_worker, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def spare_broker() -> Iterator[SpareRedis]:
    redis = SpareRedis(free_port())
    redis.start()
    # A Celery app of its own, made current for the test, so the project's app and its pools stay untouched.
    try:
        with celery_app_on(redis.url, "outage-test") as outage_app:
            redis.app = outage_app  # type: ignore[attr-defined]
            yield redis
    finally:
        redis.stop()


def test_officer_action_commits_and_its_email_is_sent_once_when_the_broker_comes_back(
    spare_broker, exporter_a, officer
):
    case = submitted_application(
        organisation=exporter_a.organisation,
        created_by=exporter_a,
        status=ApplicationStatus.UNDER_REVIEW,
        assigned_to=officer,
    )
    spare_broker.stop()  # Redis goes down

    casework.information_request(actor=officer, application_id=case.pk, question="Who maintains the radar?")

    case.refresh_from_db()
    assert case.status == ApplicationStatus.INFORMATION_REQUESTED  # the officer's action stands
    pending = OutboxMessage.objects.filter(key__startswith="rfi:")
    assert [m.status for m in pending] == [OutboxStatus.PENDING] * pending.count()
    assert pending.count() == 1  # exporter A's company has one member: alice
    assert mail.outbox == []

    spare_broker.start()  # Redis is back
    with start_worker(spare_broker.app, pool="solo", perform_ping_check=False, loglevel="WARNING"):
        assert relay_outbox.delay().get(timeout=30) == 1
        deadline = time.monotonic() + 30
        while OutboxMessage.objects.filter(status=OutboxStatus.SENT).count() < 1 and time.monotonic() < deadline:
            time.sleep(0.2)
        relay_outbox.delay().get(timeout=30)  # a second sweep finds nothing left to send
    assert set(OutboxMessage.objects.values_list("status", flat=True)) == {OutboxStatus.SENT}
    assert len(mail.outbox) == 1
    assert all("asks for information" in m.subject for m in mail.outbox)
