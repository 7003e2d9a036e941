"""The whole path through the API: an exporter's system (token) drafts and submits; an officer (session) works
the case; the licence appears for the exporter, who records a shipment against it."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from licensing.services.applications import ERR_NO_END_USER, ERR_NO_EUC
from tests.licensing.services.pdfs import MINIMAL_PDF, pdf_upload

pytestmark = pytest.mark.django_db

API = "/api/v1"


def _draft_through_api(client) -> int:  # type: ignore[no-untyped-def]
    created = client.post(
        f"{API}/applications/",
        {"licence_type": "individual_export", "title": "Radar spares for Norway", "end_use": "Naval air defence"},
        format="json",
    )
    assert created.status_code == 201, created.data
    assert created.data["status"] == "draft"
    pk = created.data["id"]
    goods = client.post(
        f"{API}/applications/{pk}/goods/",
        {
            "description": "Radar transmitter module",
            "ml_category": "ML5",
            "quantity": "4",
            "unit": "pcs",
            "unit_value": "25000",
            "currency": "EUR",
        },
        format="json",
    )
    assert goods.status_code == 201, goods.data
    assert goods.data["value_eur"] == "100000.00"  # 4 x EUR 25,000
    consignee = client.post(
        f"{API}/applications/{pk}/parties/",
        {
            "role": "consignee",
            "name": "Kongsberg AS",
            "address": "Kirkegårdsveien 45, Kongsberg",
            "country": "NO",
            "party_type": "commercial",
        },
        format="json",
    )
    assert consignee.status_code == 201, consignee.data
    return pk


def test_exporter_submits_and_officer_approves_through_the_api_when_following_the_happy_path(
    token_client, session_client, exporter_a, officer
):
    alice = token_client(exporter_a)
    pk = _draft_through_api(alice)

    problems = alice.get(f"{API}/applications/{pk}/submission-problems/")
    assert problems.status_code == 200
    assert problems.data == {"can_submit": False, "problems": {"parties": [ERR_NO_END_USER], "documents": [ERR_NO_EUC]}}

    end_user = alice.post(
        f"{API}/applications/{pk}/parties/",
        {
            "role": "end_user",
            "name": "Royal Norwegian Navy",
            "address": "Haakonsvern, Bergen",
            "country": "NO",
            "party_type": "armed_forces",
        },
        format="json",
    )
    assert end_user.status_code == 201
    euc = alice.post(f"{API}/applications/{pk}/documents/", {"kind": "euc", "file": pdf_upload()}, format="multipart")
    assert euc.status_code == 201, euc.data
    assert euc.data["content_type"] == "application/pdf"
    assert alice.get(f"{API}/applications/{pk}/submission-problems/").data == {"can_submit": True, "problems": {}}

    submitted = alice.post(f"{API}/applications/{pk}/submit/", {}, format="json")
    assert submitted.status_code == 200, submitted.data
    assert submitted.data["status"] == "submitted"
    assert submitted.data["destination"] == "NO"
    assert submitted.data["legal_deadline"] is not None

    olivia = session_client(officer)
    queue = olivia.get(f"{API}/casework/cases/")
    assert [row["id"] for row in queue.data["results"]] == [pk]
    assert queue.data["results"][0]["organisation_name"] == "Alpha Defence B.V."

    assigned = olivia.post(f"{API}/casework/cases/{pk}/assign/", {"assignee": officer.pk}, format="json")
    assert assigned.status_code == 200, assigned.data
    assert assigned.data["status"] == "under_review"
    assert assigned.data["assigned_to"] == officer.pk

    # Before approving, the gate says what is missing; the officer assesses the eight criteria over the API.
    gate = olivia.get(f"{API}/casework/cases/{pk}/gate/")
    assert gate.status_code == 200
    assert [b["code"] for b in gate.data["approve"]["blockers"]] == ["criteria_incomplete"]
    assessed = olivia.post(
        f"{API}/casework/cases/{pk}/criteria/",
        {"verdicts": [{"criterion": n, "outcome": "no_concerns"} for n in range(1, 9)]},
        format="json",
    )
    assert assessed.status_code == 200, assessed.data
    assert [row["criterion"] for row in assessed.data] == list(range(1, 9))

    asked = olivia.post(
        f"{API}/casework/cases/{pk}/request-information/", {"question": "Who maintains the radar?"}, format="json"
    )
    assert asked.status_code == 201, asked.data
    seen_by_exporter = alice.get(f"{API}/applications/{pk}/")
    assert seen_by_exporter.data["status"] == "information_requested"
    assert [r["question"] for r in seen_by_exporter.data["information_requests"]] == ["Who maintains the radar?"]

    answered = alice.post(f"{API}/applications/{pk}/answer/", {"answer": "The navy's own depot."}, format="json")
    assert answered.status_code == 200, answered.data
    assert answered.data["answer"] == "The navy's own depot."

    note = olivia.post(f"{API}/casework/cases/{pk}/notes/", {"text": "Depot visited in 2025."}, format="json")
    assert note.status_code == 201
    today = timezone.localdate()
    decision = olivia.post(
        f"{API}/casework/cases/{pk}/decisions/",
        {
            "outcome": "approve",
            "justification": "Allied navy, no concerns under the eight criteria.",
            "valid_from": today.isoformat(),
            "valid_until": (today + timedelta(days=730)).isoformat(),
        },
        format="json",
    )
    assert decision.status_code == 201, decision.data
    assert decision.data["status"] == "final"
    assert olivia.get(f"{API}/casework/cases/{pk}/").data["status"] == "approved"

    licences = alice.get(f"{API}/licences/")
    assert licences.status_code == 200
    assert [row["application"] for row in licences.data["results"]] == [submitted.data["reference"]]
    licence_id = licences.data["results"][0]["id"]
    licence = alice.get(f"{API}/licences/{licence_id}/").data
    assert licence["valid_until"] == (today + timedelta(days=730)).isoformat()
    [goods] = licence["goods"]
    assert (goods["remaining_quantity"], goods["remaining_value_eur"]) == ("4.000", "100000.00")

    shipped = alice.post(
        f"{API}/licences/{licence_id}/shipments/",
        {"licensed_goods": goods["id"], "shipped_on": today.isoformat(), "quantity": "1", "value_eur": "25000"},
        format="json",
    )
    assert shipped.status_code == 201, shipped.data
    [goods_after] = alice.get(f"{API}/licences/{licence_id}/").data["goods"]
    assert (goods_after["remaining_quantity"], goods_after["remaining_value_eur"]) == ("3.000", "75000.00")

    download = alice.get(f"{API}/documents/{euc.data['id']}/download/")
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == MINIMAL_PDF
    assert "attachment" in download["Content-Disposition"]
    officer_download = olivia.get(f"{API}/casework/documents/{euc.data['id']}/download/")
    assert officer_download.status_code == 200


def test_refusal_waits_for_a_senior_countersignature_when_proposed_through_the_api(
    session_client, exporter_a, officer, senior
):
    from licensing.models import ApplicationStatus
    from tests.factories import submitted_application

    application = submitted_application(
        organisation=exporter_a.organisation, status=ApplicationStatus.UNDER_REVIEW, assigned_to=officer
    )
    proposed = session_client(officer).post(
        f"{API}/casework/cases/{application.pk}/decisions/",
        {"outcome": "refuse", "justification": "Clear risk of diversion.", "criteria": [7]},
        format="json",
    )
    assert proposed.status_code == 201, proposed.data
    assert (proposed.data["status"], proposed.data["needs_countersignature"]) == ("proposed", True)
    assert proposed.data["criteria"] == [7]

    own = session_client(officer).post(
        f"{API}/casework/decisions/{proposed.data['id']}/countersign/", {}, format="json"
    )
    assert own.status_code == 403  # an ordinary officer may not countersign at all

    signed = session_client(senior).post(
        f"{API}/casework/decisions/{proposed.data['id']}/countersign/", {"reason": "Agreed."}, format="json"
    )
    assert signed.status_code == 200, signed.data
    assert signed.data["status"] == "final"
    application.refresh_from_db()
    assert application.status == ApplicationStatus.REFUSED


def test_senior_sends_a_proposal_back_when_returning_it_with_a_reason(session_client, exporter_a, officer, senior):
    from licensing.models import ApplicationStatus
    from tests.factories import submitted_application

    application = submitted_application(
        organisation=exporter_a.organisation, status=ApplicationStatus.UNDER_REVIEW, assigned_to=officer
    )
    proposed = session_client(officer).post(
        f"{API}/casework/cases/{application.pk}/decisions/",
        {"outcome": "refuse", "justification": "Clear risk of diversion.", "criteria": [7]},
        format="json",
    )
    returned = session_client(senior).post(
        f"{API}/casework/decisions/{proposed.data['id']}/return/", {"reason": "Cite criterion 2 too."}, format="json"
    )
    assert returned.status_code == 200, returned.data
    assert (returned.data["status"], returned.data["return_reason"]) == ("returned", "Cite criterion 2 too.")


def test_officer_suspends_and_reinstates_a_licence_when_giving_reasons(session_client, exporter_a, officer):
    from tests.licensing.api.builders import issued_licence

    licence = issued_licence(organisation=exporter_a.organisation, officer=officer)
    olivia = session_client(officer)
    url = f"{API}/casework/licences/{licence.pk}/status/"
    suspended = olivia.post(url, {"action": "suspend", "reason": "End user under investigation."}, format="json")
    assert suspended.status_code == 200, suspended.data
    assert suspended.data["status"] == "suspended"
    again = olivia.post(url, {"action": "suspend", "reason": "Twice."}, format="json")
    assert again.status_code == 409
    assert again.data["detail"] == "This licence is suspended; “suspend” is not possible now."
    reinstated = olivia.post(url, {"action": "reinstate", "reason": "Investigation closed."}, format="json")
    assert reinstated.data["status"] == "issued"
