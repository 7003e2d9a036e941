from __future__ import annotations

import pytest

pytestmark = pytest.mark.django_db


def test_healthz_reports_database_and_redis_when_both_answer(client):
    response = client.get("/healthz?format=json")
    assert response.status_code == 200
    body = response.json()
    assert any("Database" in key for key in body)
    assert any("Redis" in key for key in body)
    assert all(value == "OK" for value in body.values())
