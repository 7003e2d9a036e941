"""Issue 18: every report as JSON over the API, with the moment its figures stand for ("as of"), for the roles
that may open it; the same parameters form as the report page gives field errors."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from core.api_tokens import api_token_issue

pytestmark = pytest.mark.django_db

URL = "/api/v1/reports/"


@pytest.fixture
def rosa(analyst):  # type: ignore[no-untyped-def]
    from rest_framework.test import APIClient

    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {api_token_issue(actor=analyst).key}")
    return client


def test_reporting_staff_see_the_aggregate_reports_only_when_listing(rosa):
    response = rosa.get(URL)
    assert response.status_code == 200
    slugs = {r["slug"] for r in response.json()}
    assert "monthly" in slugs
    assert "monthly-confidential" not in slugs
    monthly = next(r for r in response.json() if r["slug"] == "monthly")
    assert monthly["parameters"] == ["as_of", "year", "month"] or set(monthly["parameters"]) == {
        "as_of",
        "year",
        "month",
    }


def test_report_is_live_json_with_as_of_the_moment_computed_when_no_date_is_given(rosa):
    before = timezone.now()
    response = rosa.get(f"{URL}monthly/?year=2026&month=1")
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["live"] is True
    assert before.isoformat() <= body["as_of"] <= timezone.now().isoformat()
    assert body["tables"] and {"key", "caption", "columns", "rows"} <= set(body["tables"][0])


def test_report_stands_at_the_end_of_the_chosen_day_when_as_of_is_given(rosa):
    day = timezone.localdate() - timedelta(days=10)
    body = rosa.get(f"{URL}monthly/?year=2026&month=1&as_of={day.isoformat()}").json()
    assert body["live"] is False
    assert body["as_of"].startswith(f"{day.isoformat()}T23:59:59")


@pytest.mark.parametrize(
    ("query", "field"), [("year=2026&month=13", "month"), ("year=abc&month=1", "year"), ("as_of=2999-01-01", "as_of")]
)
def test_report_is_refused_with_the_field_named_when_a_parameter_is_bad(rosa, query, field):
    response = rosa.get(f"{URL}monthly/?{query}")
    assert response.status_code == 400
    assert field in response.json()["errors"]


def test_confidential_report_is_a_json_404_when_the_role_may_not_open_it(rosa):
    response = rosa.get(f"{URL}monthly-confidential/")
    assert response.status_code == 404
    assert response.json()["code"] == "not_found"
    assert rosa.get(f"{URL}no-such-report/").status_code == 404


def test_reports_are_refused_with_403_when_an_exporter_asks(token_client_for_reports):
    response = token_client_for_reports.get(f"{URL}monthly/")
    assert response.status_code == 403
    assert response.json()["code"] == "permission_denied"


@pytest.fixture
def token_client_for_reports(exporter_a):  # type: ignore[no-untyped-def]
    from rest_framework.test import APIClient

    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {api_token_issue(actor=exporter_a).key}")
    return client
