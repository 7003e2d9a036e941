"""Treaty component transfers over the API: an exporter's system enters the treaty details of its draft
(PUT /api/v1/applications/<id>/treaty-transfer/) and gets the de minimis computation back, worked by hand below;
then submits with POST .../submit/. Same service and scope as the portal page."""

from __future__ import annotations

from typing import Any

import pytest
from rest_framework.test import APIClient

from core.api_tokens import api_token_issue
from licensing.models import LicenceType
from licensing.services import applications as apps

from .conftest import treaty_draft

pytestmark = pytest.mark.django_db

DETAILS: dict[str, Any] = {
    "version": 0,
    "final_system_name": "Naval air-defence radar",
    "final_system_identifier": "NADR-2026",
    "final_system_ml_category": "ML11",
    "integrator_name": "Integrateur Radar SA",
    "integrator_country": "FR",
    "end_destinations": ["IN"],
    "gross_total_value": "1000000.00",
}


def _client(user: Any) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {api_token_issue(actor=user).key}")
    return client


def _url(pk: int) -> str:
    return f"/api/v1/applications/{pk}/treaty-transfer/"


@pytest.mark.parametrize(
    ("goods_value", "share", "applies"),
    [
        ("200000.00", "20.00", True),  # 200,000 / 1,000,000 = 20.00 %: does not exceed the 20 % threshold
        ("200100.00", "20.01", False),  # 200,100 / 1,000,000 = 20.01 %: exceeds it
    ],
)
def test_exporter_system_gets_the_de_minimis_computation_when_it_puts_the_details(
    exporter_a, goods_value, share, applies
):
    draft = treaty_draft(exporter_a, goods_value=goods_value)

    answer = _client(exporter_a).put(_url(draft.pk), DETAILS, format="json")

    assert answer.status_code == 200, answer.json()
    body = answer.json()
    assert body["version"] == 1 and body["end_destinations"] == ["IN"]
    assert body["final_system_identifier"] == "NADR-2026"
    computed = body["de_minimis"]
    assert (computed["share_percent"], computed["threshold_percent"], computed["applies"]) == (share, "20.00", applies)
    assert computed["component_value_eur"] == goods_value
    assert computed["system_total_eur"] == "1000000.00"
    assert computed["reasons"]
    assert _client(exporter_a).get(_url(draft.pk)).json() == body


def test_services_are_left_out_of_the_system_value_when_the_exporter_states_them(exporter_a):
    # 140,000 / (1,000,000 - 300,000 maintenance) = 20.00 %: still de minimis; 350,000 of it would not be.
    draft = treaty_draft(exporter_a, goods_value="140000.00")
    body = _client(exporter_a).put(_url(draft.pk), {**DETAILS, "maintenance_value": "300000.00"}, format="json").json()
    assert (body["de_minimis"]["system_total_eur"], body["de_minimis"]["share_percent"]) == ("700000.00", "20.00")
    assert body["de_minimis"]["applies"] is True


def test_submission_recomputes_and_the_case_is_submitted_when_the_system_submits(exporter_a):
    draft = treaty_draft(exporter_a, goods_value="150000.00")
    client = _client(exporter_a)
    assert client.put(_url(draft.pk), DETAILS, format="json").status_code == 200

    submitted = client.post(f"/api/v1/applications/{draft.pk}/submit/", {}, format="json")

    assert submitted.status_code == 200, submitted.json()
    assert submitted.json()["status"] == "submitted"
    after = client.get(_url(draft.pk)).json()["de_minimis"]
    assert after["applies"] is True and after["target_date"] is not None
    changed = client.put(_url(draft.pk), {**DETAILS, "version": 1}, format="json")
    assert changed.status_code == 409  # submitted: the details no longer change


def test_stale_version_answers_409_when_a_colleague_saved_first(exporter_a):
    draft = treaty_draft(exporter_a)
    client = _client(exporter_a)
    assert client.put(_url(draft.pk), DETAILS, format="json").status_code == 200
    stale = client.put(_url(draft.pk), DETAILS, format="json")  # still says version 0
    assert stale.status_code == 409
    assert stale.json()["code"] == "stale_version"


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"gross_total_value": 1000000}, None),  # a number is fine for a decimal
        ({"gross_total_value": "0"}, "gross_total_value"),
        ({"integrator_country": "XX"}, "integrator_country"),
        ({"integrator_country": "NL"}, "integrator_country"),
        ({"end_destinations": "IN"}, "end_destinations"),
        ({"end_destinations": ["IN", "ZZ"]}, "end_destinations"),
        ({"final_system_ml_category": "ML99"}, "final_system_ml_category"),
        ({"version": "0"}, "version"),
        ({"follow_on_of": 999999}, "follow_on_of"),
    ],
)
def test_wrong_details_answer_400_naming_the_field_when_put(exporter_a, change, field):
    draft = treaty_draft(exporter_a)
    answer = _client(exporter_a).put(_url(draft.pk), {**DETAILS, **change}, format="json")
    if field is None:
        assert answer.status_code == 200, answer.json()
        return
    assert answer.status_code == 400, answer.json()
    assert field in answer.json()["errors"]


def test_exporter_b_gets_404_when_reading_or_putting_another_company_s_transfer(exporter_a, exporter_b):
    draft = treaty_draft(exporter_a)
    client = _client(exporter_b)
    assert client.get(_url(draft.pk)).status_code == 404
    assert client.put(_url(draft.pk), DETAILS, format="json").status_code == 404


def test_ordinary_application_has_no_treaty_details_when_asked(exporter_a):
    ordinary = apps.application_create(actor=exporter_a, licence_type=LicenceType.INDIVIDUAL_EXPORT, title="Spares")
    answer = _client(exporter_a).put(_url(ordinary.pk), DETAILS, format="json")
    assert answer.status_code == 404
    assert answer.json()["code"] == "not_found"


def test_reading_before_the_details_are_entered_answers_404_with_the_json_body(exporter_a):
    draft = treaty_draft(exporter_a)
    answer = _client(exporter_a).get(_url(draft.pk))
    assert answer.status_code == 404
    assert set(answer.json()) == {"code", "detail", "errors"}
