from __future__ import annotations

import pytest
from django.test import override_settings

pytestmark = pytest.mark.django_db


def test_healthz_says_only_up_to_the_public_when_database_and_redis_answer(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "up"}  # no host, port or database number for strangers
    assert "no-cache" in response["Cache-Control"]


def test_healthz_shows_each_check_when_staff_ask(client_for, officer):
    response = client_for(officer).get("/healthz")
    assert response.json() == {"status": "up", "checks": {"database": "ok", "redis": "ok"}}


def test_healthz_hides_checks_when_an_exporter_asks(client_for, exporter_a):
    assert client_for(exporter_a).get("/healthz").json() == {"status": "up"}


@override_settings(HEALTHZ_TOKEN="monitor-7f3a")
def test_healthz_shows_each_check_when_the_monitor_sends_its_token(client):
    with_token = client.get("/healthz", headers={"Authorization": "Bearer monitor-7f3a"})
    wrong_token = client.get("/healthz", headers={"Authorization": "Bearer monitor-7f3b"})
    assert with_token.json()["checks"] == {"database": "ok", "redis": "ok"}
    assert wrong_token.json() == {"status": "up"}
