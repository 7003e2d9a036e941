"""The exporter API for objections (bezwaar): file within the term, read it back; others get 404."""

from __future__ import annotations

from datetime import datetime

import pytest
import time_machine

from licensing.services.objections import ERR_GROUNDS, ERR_TOO_LATE
from tests.licensing.objections.builders import AMSTERDAM, refused_on

pytestmark = pytest.mark.django_db

API = "/api/v1"


@pytest.fixture
def refused(exporter_a, officer, senior):  # type: ignore[no-untyped-def]
    return refused_on(datetime(2026, 3, 3, 10), exporter=exporter_a, officer=officer, senior=senior)


def _on(day: int, month: int = 4):  # type: ignore[no-untyped-def]
    return time_machine.travel(datetime(2026, month, day, 12, tzinfo=AMSTERDAM), tick=False)


def test_exporter_files_and_reads_an_objection_when_within_the_term(token_client, refused, exporter_a):
    client = token_client(exporter_a)
    with _on(14):
        response = client.post(f"{API}/applications/{refused.pk}/objection/", {"grounds": "No."}, format="json")
    assert response.status_code == 201
    body = response.json()
    assert (body["status"], body["objection_term_end"], body["decision_deadline"]) == (
        "filed",
        "2026-04-14",
        "2026-05-26",
    )
    assert client.get(f"{API}/objections/{body['id']}/").json()["application"] == refused.reference


def test_objection_is_a_400_naming_the_field_when_empty_or_late(token_client, refused, exporter_a):
    client = token_client(exporter_a)
    response = client.post(f"{API}/applications/{refused.pk}/objection/", {"grounds": ""}, format="json")
    assert response.status_code == 400 and response.json()["errors"] == {"grounds": [ERR_GROUNDS]}
    with _on(15):
        response = client.post(f"{API}/applications/{refused.pk}/objection/", {"grounds": "No."}, format="json")
    assert response.status_code == 400
    assert response.json()["errors"] == {"grounds": [ERR_TOO_LATE.format(deadline="14 April 2026")]}


def test_exporter_b_gets_404_when_objecting_to_or_reading_another_companys_objection(
    token_client, refused, exporter_a, exporter_b
):
    with _on(1):
        objection_id = (
            token_client(exporter_a)
            .post(f"{API}/applications/{refused.pk}/objection/", {"grounds": "No."}, format="json")
            .json()["id"]
        )
        other = token_client(exporter_b)
        assert (
            other.post(f"{API}/applications/{refused.pk}/objection/", {"grounds": "x"}, format="json").status_code
            == 404
        )
    assert other.get(f"{API}/objections/{objection_id}/").status_code == 404
