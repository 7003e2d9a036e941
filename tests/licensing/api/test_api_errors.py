"""Bad input is a 400 naming the field, a conflict is a 409 saying why, and nothing a client sends is a 500."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from licensing.models import ApplicationStatus
from licensing.services.applications import (
    ERR_FILE_TYPE,
    ERR_NO_END_USER,
    ERR_NOT_DRAFT,
    ERR_QUANTITY,
    ERR_QUANTITY_HUGE,
)
from licensing.services.casework import ERR_SHIP_QUANTITY
from licensing.services.workflow import ERR_STALE
from tests.factories import ApplicationFactory, GoodsLineFactory, PartyFactory, complete_draft, submitted_application
from tests.licensing.api.builders import issued_licence, uploaded_euc

pytestmark = pytest.mark.django_db

API = "/api/v1"

GOODS = {
    "description": "Night vision goggles",
    "ml_category": "ML15",
    "quantity": "2",
    "unit": "pcs",
    "unit_value": "3000",
    "currency": "EUR",
}


@pytest.mark.parametrize(
    ("change", "field", "message"),
    [
        ({"quantity": "-5"}, "quantity", ERR_QUANTITY),
        ({"quantity": "0"}, "quantity", ERR_QUANTITY),
        ({"quantity": "1e30"}, "quantity", None),
        ({"quantity": 1e30}, "quantity", None),
        ({"quantity": "1000000001"}, "quantity", ERR_QUANTITY_HUGE),
        ({"quantity": "NaN"}, "quantity", None),
        ({"quantity": "1.0001"}, "quantity", None),
        ({"unit_value": "abc"}, "unit_value", None),
        ({"unit_value": "12,50"}, "unit_value", None),
        ({"currency": "XYZ"}, "currency", None),
        ({"unit": "tonnes"}, "unit", None),
        ({"ml_category": "ML99"}, "ml_category", None),
        ({"description": ""}, "description", None),
        ({"description": None}, "description", None),
        ({"description": "x" * 501}, "description", None),
        ({"description": "null\x00byte"}, "description", None),
    ],
)
def test_goods_line_is_refused_with_the_field_named_when_the_input_is_bad(
    token_client, exporter_a, change, field, message
):
    draft = ApplicationFactory(organisation=exporter_a.organisation, created_by=exporter_a)
    response = token_client(exporter_a).post(
        f"{API}/applications/{draft.pk}/goods/", {**GOODS, **change}, format="json"
    )
    assert response.status_code == 400, response.content
    body = response.json()
    assert body["code"] == "invalid"
    assert list(body["errors"]) == [field]
    if message:
        assert body["errors"][field] == [message]
    assert draft.goods.count() == 0


@pytest.mark.parametrize("missing", ["description", "ml_category", "quantity", "unit", "unit_value", "currency"])
def test_goods_line_is_refused_when_a_required_field_is_missing(token_client, exporter_a, missing):
    draft = ApplicationFactory(organisation=exporter_a.organisation, created_by=exporter_a)
    body = {k: v for k, v in GOODS.items() if k != missing}
    response = token_client(exporter_a).post(f"{API}/applications/{draft.pk}/goods/", body, format="json")
    assert response.status_code == 400
    assert list(response.json()["errors"]) == [missing]


@pytest.mark.parametrize(
    ("body", "field"),
    [
        (
            {"licence_type": "individual_export", "title": "x", "intended_shipment_date": "2026-13-45"},
            "intended_shipment_date",
        ),
        (
            {"licence_type": "individual_export", "title": "x", "intended_shipment_date": "next week"},
            "intended_shipment_date",
        ),
        ({"licence_type": "barter", "title": "x"}, "licence_type"),
        ({"licence_type": "individual_export"}, "title"),
        ({"licence_type": "individual_export", "title": "   "}, "title"),
        ({"licence_type": "individual_export", "title": ["a", "list"]}, "title"),
    ],
)
def test_application_is_not_created_when_the_input_is_bad(token_client, exporter_a, body, field):
    response = token_client(exporter_a).post(f"{API}/applications/", body, format="json")
    assert response.status_code == 400
    assert field in response.json()["errors"]


def test_malformed_json_is_a_400_when_the_body_cannot_be_parsed(token_client, exporter_a):
    response = token_client(exporter_a).post(
        f"{API}/applications/", '{"licence_type": ', content_type="application/json"
    )
    assert response.status_code == 400
    assert response.json()["code"] == "parse_error"


def test_party_is_refused_with_the_country_named_when_the_country_is_unknown(token_client, exporter_a):
    draft = ApplicationFactory(organisation=exporter_a.organisation, created_by=exporter_a)
    party = {"role": "end_user", "name": "Navy", "address": "Base", "country": "QQ", "party_type": "armed_forces"}
    response = token_client(exporter_a).post(f"{API}/applications/{draft.pk}/parties/", party, format="json")
    assert response.status_code == 400
    assert list(response.json()["errors"]) == ["country"]


def test_submit_is_refused_with_the_missing_end_user_named_when_there_is_none(token_client, exporter_a):
    draft = ApplicationFactory(organisation=exporter_a.organisation, created_by=exporter_a)
    GoodsLineFactory(application=draft)
    PartyFactory(application=draft, role="consignee")
    uploaded_euc(exporter=exporter_a, application_id=draft.pk)
    response = token_client(exporter_a).post(f"{API}/applications/{draft.pk}/submit/", {}, format="json")
    assert response.status_code == 400
    assert response.json()["errors"] == {"parties": [ERR_NO_END_USER]}
    draft.refresh_from_db()
    assert draft.status == ApplicationStatus.DRAFT


def test_upload_is_refused_with_the_file_named_when_the_content_is_not_a_pdf_or_image(token_client, exporter_a):
    draft = ApplicationFactory(organisation=exporter_a.organisation, created_by=exporter_a)
    disguised = SimpleUploadedFile("euc.pdf", b"#!/bin/sh\necho not a pdf\n", content_type="application/pdf")
    response = token_client(exporter_a).post(
        f"{API}/applications/{draft.pk}/documents/", {"kind": "euc", "file": disguised}, format="multipart"
    )
    assert response.status_code == 400
    assert response.json()["errors"] == {"file": [ERR_FILE_TYPE]}
    assert draft.documents.count() == 0


def test_upload_is_refused_with_the_file_named_when_no_file_is_sent(token_client, exporter_a):
    draft = ApplicationFactory(organisation=exporter_a.organisation, created_by=exporter_a)
    response = token_client(exporter_a).post(
        f"{API}/applications/{draft.pk}/documents/", {"kind": "euc", "file": "not-a-file"}, format="multipart"
    )
    assert response.status_code == 400
    assert list(response.json()["errors"]) == ["file"]


def test_upload_as_json_is_a_415_when_the_endpoint_takes_multipart(token_client, exporter_a):
    draft = ApplicationFactory(organisation=exporter_a.organisation, created_by=exporter_a)
    response = token_client(exporter_a).post(
        f"{API}/applications/{draft.pk}/documents/", {"kind": "euc"}, format="json"
    )
    assert response.status_code == 415


def _ship_eleven_of_ten(token_client, exporter_a, officer):  # type: ignore[no-untyped-def]
    licence = issued_licence(organisation=exporter_a.organisation, officer=officer)
    goods = licence.goods.get()  # 10 pieces licensed (the factory's goods line)
    return token_client(exporter_a).post(
        f"{API}/licences/{licence.pk}/shipments/",
        {
            "licensed_goods": goods.pk,
            "shipped_on": timezone.localdate().isoformat(),
            "quantity": "11",
            "value_eur": "1",
        },
        format="json",
    )


def test_shipment_is_refused_with_the_quantity_named_when_it_exceeds_the_balance(token_client, exporter_a, officer):
    response = _ship_eleven_of_ten(token_client, exporter_a, officer)
    assert response.status_code == 400
    assert list(response.json()["errors"]) == ["quantity"]


def test_shipment_refusal_states_the_balance_in_plain_digits_when_it_exceeds_it(token_client, exporter_a, officer):
    response = _ship_eleven_of_ten(token_client, exporter_a, officer)
    assert response.json()["errors"] == {"quantity": [ERR_SHIP_QUANTITY.format(remaining=10, unit="pcs")]}


def test_shipment_is_refused_with_the_goods_named_when_the_item_is_on_another_licence(
    token_client, exporter_a, officer
):
    licence = issued_licence(organisation=exporter_a.organisation, officer=officer)
    other = issued_licence(organisation=exporter_a.organisation, officer=officer)
    response = token_client(exporter_a).post(
        f"{API}/licences/{licence.pk}/shipments/",
        {
            "licensed_goods": other.goods.get().pk,
            "shipped_on": timezone.localdate().isoformat(),
            "quantity": "1",
            "value_eur": "1",
        },
        format="json",
    )
    assert response.status_code == 400
    assert list(response.json()["errors"]) == ["licensed_goods"]


def test_case_list_filter_is_a_400_when_the_value_is_not_one_of_the_choices(session_client, officer):
    olivia = session_client(officer)
    for query in ("status=draft", "ml_category=ML99", "assigned_to=someone", "ordering=reference", "destination=QQ"):
        response = olivia.get(f"{API}/casework/cases/?{query}")
        assert response.status_code == 400, query
        assert list(response.json()["errors"]) == [query.split("=")[0]]


# --- Conflicts -----------------------------------------------------------------------------------------------


def test_update_is_a_409_when_the_version_sent_is_stale(token_client, exporter_a):
    draft = complete_draft(organisation=exporter_a.organisation, created_by=exporter_a)
    alice = token_client(exporter_a)
    first = alice.patch(f"{API}/applications/{draft.pk}/", {"version": draft.version, "title": "First"}, format="json")
    assert first.status_code == 200
    assert first.data["version"] > draft.version
    stale = alice.patch(f"{API}/applications/{draft.pk}/", {"version": draft.version, "title": "Second"}, format="json")
    assert stale.status_code == 409
    assert stale.json() == {"code": "stale_version", "detail": ERR_STALE, "errors": {}}
    draft.refresh_from_db()
    assert draft.title == "First"


def test_update_is_a_400_when_no_field_to_change_is_sent(token_client, exporter_a):
    draft = ApplicationFactory(organisation=exporter_a.organisation, created_by=exporter_a)
    response = token_client(exporter_a).patch(f"{API}/applications/{draft.pk}/", {"version": 1}, format="json")
    assert response.status_code == 400


def test_submit_is_a_409_when_the_application_was_already_submitted(token_client, exporter_a):
    draft = complete_draft(organisation=exporter_a.organisation, created_by=exporter_a)
    uploaded_euc(exporter=exporter_a, application_id=draft.pk)
    alice = token_client(exporter_a)
    assert alice.post(f"{API}/applications/{draft.pk}/submit/", {}, format="json").status_code == 200
    again = alice.post(f"{API}/applications/{draft.pk}/submit/", {}, format="json")
    assert again.status_code == 409
    assert again.json() == {"code": "transition_not_allowed", "detail": ERR_NOT_DRAFT, "errors": {}}


def test_goods_change_is_a_409_when_the_application_is_submitted(token_client, exporter_a):
    case = submitted_application(organisation=exporter_a.organisation)
    line = case.goods.get()
    response = token_client(exporter_a).delete(f"{API}/applications/{case.pk}/goods/{line.pk}/")
    assert response.status_code == 409
    assert response.json()["detail"] == ERR_NOT_DRAFT
    assert case.goods.count() == 1


def test_withdraw_is_a_409_when_the_case_was_already_refused(token_client, exporter_a):
    case = submitted_application(organisation=exporter_a.organisation, status=ApplicationStatus.REFUSED)
    response = token_client(exporter_a).post(
        f"{API}/applications/{case.pk}/withdraw/", {"reason": "Contract cancelled"}, format="json"
    )
    assert response.status_code == 409
    assert response.json()["detail"] == "This case is refused; “withdraw” is not possible now."


def test_withdraw_is_accepted_when_the_case_is_open(token_client, exporter_a):
    case = submitted_application(organisation=exporter_a.organisation)
    response = token_client(exporter_a).post(
        f"{API}/applications/{case.pk}/withdraw/", {"reason": "Contract cancelled"}, format="json"
    )
    assert response.status_code == 200
    assert response.data["status"] == "withdrawn"


def test_answer_is_a_409_when_no_question_is_open(token_client, exporter_a):
    case = submitted_application(organisation=exporter_a.organisation, status=ApplicationStatus.UNDER_REVIEW)
    response = token_client(exporter_a).post(f"{API}/applications/{case.pk}/answer/", {"answer": "Hi"}, format="json")
    assert response.status_code == 409
    assert response.json()["detail"] == "There is no open request for information on this case."


def test_decision_is_a_409_when_the_case_is_not_under_review(session_client, exporter_a, officer):
    case = submitted_application(organisation=exporter_a.organisation)
    today = timezone.localdate()
    response = session_client(officer).post(
        f"{API}/casework/cases/{case.pk}/decisions/",
        {
            "outcome": "approve",
            "justification": "Fine.",
            "valid_from": today.isoformat(),
            "valid_until": (today + timedelta(days=30)).isoformat(),
        },
        format="json",
    )
    assert response.status_code == 409
    body = response.json()
    assert body["code"] == "decision_blocked"
    assert body["blockers"][0] == {"code": "status", "message": "This case is submitted: it cannot be approved now."}


def test_assign_is_a_400_when_the_assignee_is_not_an_officer(session_client, exporter_a, officer):
    case = submitted_application(organisation=exporter_a.organisation)
    response = session_client(officer).post(
        f"{API}/casework/cases/{case.pk}/assign/", {"assignee": exporter_a.pk}, format="json"
    )
    assert response.status_code == 400
    assert list(response.json()["errors"]) == ["assignee"]


def test_officer_gets_404_when_the_case_or_decision_does_not_exist(session_client, officer, senior):
    olivia = session_client(officer)
    assert olivia.get(f"{API}/casework/cases/999999999/").status_code == 404
    assert olivia.post(f"{API}/casework/cases/999999999/notes/", {"text": "x"}, format="json").status_code == 404
    revoke = {"action": "revoke", "reason": "x"}
    assert olivia.post(f"{API}/casework/licences/999999999/status/", revoke, format="json").status_code == 404
    sanne = session_client(senior)
    assert sanne.post(f"{API}/casework/decisions/999999999/countersign/", {}, format="json").status_code == 404
