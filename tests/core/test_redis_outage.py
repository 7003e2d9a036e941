"""Redis dies while people are logged in: pages, the API and login keep working from the database, /healthz says
"degraded", and work that needs the broker waits in the database for its sweep. The test runs a Redis of its own
on a spare port and really stops it (the shared Redis at 6379 is never touched)."""

from __future__ import annotations

import time
from collections.abc import Iterator
from datetime import timedelta

import pytest
import time_machine
from django.conf import settings
from django.core.cache import cache
from django.test import override_settings
from django.utils import timezone

from licensing.models import ApplicationStatus
from reports.models import ReportRun, RunStatus
from reports.selectors import report_runs_waiting_for_broker
from tests.factories import submitted_application
from tests.factories.parties import PASSWORD
from tests.spare_redis import SpareRedis, celery_app_on, free_port

pytestmark = pytest.mark.django_db


@pytest.fixture
def spare_redis() -> Iterator[SpareRedis]:
    """The project's own cache settings, pointed at a Redis this test may kill; the broker too (not eager)."""
    redis = SpareRedis(free_port())
    redis.start()
    caches = {"default": {**settings.CACHES["default"], "LOCATION": redis.url}}
    try:
        with celery_app_on(redis.url, "redis-outage-test"), override_settings(CACHES=caches):
            yield redis
    finally:
        redis.stop()


def test_officer_keeps_working_when_redis_dies_while_logged_in(spare_redis, client_for, officer, exporter_a):
    case = submitted_application(
        organisation=exporter_a.organisation,
        created_by=exporter_a,
        status=ApplicationStatus.UNDER_REVIEW,
        assigned_to=officer,
    )
    client = client_for(officer)
    assert client.get("/casework/").status_code == 200
    assert cache.get(f"django.contrib.sessions.cached_db{client.session.session_key}") is not None  # cached

    spare_redis.stop()
    started = time.monotonic()

    assert client.get("/casework/").status_code == 200
    assert client.get(f"/casework/cases/{case.pk}/").status_code == 200
    api = client.get("/api/v1/casework/cases/")
    assert api.status_code == 200
    assert [row["reference"] for row in api.json()["results"]] == [case.reference]
    health = client.get("/healthz")
    assert (health.status_code, health.json()["status"]) == (200, "degraded")
    assert health.json()["checks"]["redis"] != "ok"  # staff see which dependency failed
    assert time.monotonic() - started < 10  # no request hangs on the dead Redis


def test_exporter_logs_in_and_uses_the_api_when_redis_is_down(spare_redis, client, exporter_a):
    spare_redis.stop()

    response = client.post("/accounts/login/", {"login": exporter_a.email, "password": PASSWORD})

    assert response.status_code == 302
    assert client.get("/portal/applications/").status_code == 200
    assert client.get("/api/v1/applications/").status_code == 200


def test_report_request_answers_and_waits_for_its_sweep_when_the_broker_is_down(spare_redis, client_for, analyst):
    client = client_for(analyst)
    spare_redis.stop()

    response = client.post("/reports/annual/runs/", {"year": 2024})

    assert response.status_code == 302  # the run is recorded; the page says it is being prepared
    run = ReportRun.objects.get()
    assert run.status == RunStatus.QUEUED
    assert report_runs_waiting_for_broker(limit=10) == []  # a run just requested may still be on its way
    with time_machine.travel(timezone.now() + timedelta(minutes=2)):
        assert report_runs_waiting_for_broker(limit=10) == [run.pk]


def test_healthz_says_only_degraded_to_the_public_when_redis_is_down(spare_redis, client):
    spare_redis.stop()

    response = client.get("/healthz")

    assert response.status_code == 200
    assert response.json() == {"status": "degraded"}
