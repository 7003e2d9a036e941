"""An exporter's system lists an application's documents (with their virus-scan status) and the authority's
requests for information over the API, and downloads only what the scanner passed."""

from __future__ import annotations

import pytest

from licensing.models import ApplicationStatus, ScanStatus
from licensing.services import casework
from licensing.services.documents import document_scan_record
from licensing.virus_scan import ScanVerdict
from tests.factories import complete_draft, submitted_application

from .builders import uploaded_euc

pytestmark = pytest.mark.django_db

API = "/api/v1"


def test_exporter_lists_documents_with_their_scan_status_when_one_was_scanned(token_client, exporter_a):
    draft = complete_draft(organisation=exporter_a.organisation, created_by=exporter_a)
    first = uploaded_euc(exporter=exporter_a, application_id=draft.pk)
    second = uploaded_euc(exporter=exporter_a, application_id=draft.pk)
    document_scan_record(document_id=first.pk, verdict=ScanVerdict(infected=False))

    answer = token_client(exporter_a).get(f"{API}/applications/{draft.pk}/documents/")

    assert answer.status_code == 200
    assert [(row["id"], row["scan_status"]) for row in answer.data] == [
        (first.pk, ScanStatus.CLEAN),
        (second.pk, ScanStatus.PENDING),
    ]
    assert answer.data[0]["kind"] == "euc" and answer.data[0]["content_type"] == "application/pdf"


def test_quarantined_document_is_listed_but_never_downloaded_when_the_scanner_found_a_virus(token_client, exporter_a):
    draft = complete_draft(organisation=exporter_a.organisation, created_by=exporter_a)
    document = uploaded_euc(exporter=exporter_a, application_id=draft.pk)
    document_scan_record(document_id=document.pk, verdict=ScanVerdict(infected=True, signature="Eicar-Test-Signature"))
    client = token_client(exporter_a)

    listed = client.get(f"{API}/applications/{draft.pk}/documents/").data
    download = client.get(f"{API}/documents/{document.pk}/download/")

    assert listed[0]["scan_status"] == ScanStatus.INFECTED
    assert download.status_code == 409
    assert download.json()["code"] == "transition_not_allowed"


def test_exporter_lists_questions_and_answers_when_the_officer_asked(token_client, exporter_a, officer):
    case = submitted_application(organisation=exporter_a.organisation, status=ApplicationStatus.UNDER_REVIEW,
                                 assigned_to=officer)  # fmt: skip
    casework.information_request(actor=officer, application_id=case.pk, question="Who maintains the radar?")
    client = token_client(exporter_a)

    open_ = client.get(f"{API}/applications/{case.pk}/information-requests/").data
    assert [(r["question"], r["answered_on"]) for r in open_] == [("Who maintains the radar?", None)]
    assert (
        client.post(f"{API}/applications/{case.pk}/answer/", {"answer": "The depot."}, format="json").status_code == 200
    )
    answered = client.get(f"{API}/applications/{case.pk}/information-requests/").data
    assert answered[0]["answer"] == "The depot." and answered[0]["answered_on"] is not None


def test_exporter_b_gets_404_when_listing_another_company_s_documents_or_questions(
    token_client, exporter_a, exporter_b
):
    draft = complete_draft(organisation=exporter_a.organisation, created_by=exporter_a)
    client = token_client(exporter_b)
    assert client.get(f"{API}/applications/{draft.pk}/documents/").status_code == 404
    assert client.get(f"{API}/applications/{draft.pk}/information-requests/").status_code == 404
