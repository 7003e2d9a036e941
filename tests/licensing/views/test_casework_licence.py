"""Licence actions, the licence PDF and document downloads from the case page."""

from __future__ import annotations

import pytest
from django.core.files.base import ContentFile

from licensing.models import Document, Licence, LicenceStatus, ScanStatus
from licensing.services import casework
from licensing.transitions import ERR_REASON
from tests.licensing.services.pdfs import MINIMAL_PDF
from tests.licensing.views.test_casework_helpers import case_url, case_via_services, under_review

pytestmark = pytest.mark.django_db


@pytest.fixture
def licence(officer) -> Licence:
    """An issued licence: a case with its criteria assessed without concerns, approved by one officer."""
    case = under_review(officer=officer)
    start, end = casework.default_validity()
    casework.decision_propose(
        actor=officer,
        application_id=case.pk,
        outcome="approve",
        justification="No concerns.",
        valid_from=start,
        valid_until=end,
    )
    return Licence.objects.get(application=case)


def test_officer_suspends_and_reinstates_a_licence_with_reasons(client_for, officer, licence):
    client = client_for(officer)
    url = f"/casework/licences/{licence.pk}/status/"

    suspended = client.post(url, {"version": licence.version, "action": "suspend", "reason": "End-use check"})
    assert suspended.status_code == 302
    licence.refresh_from_db()
    assert licence.status == LicenceStatus.SUSPENDED

    page = client.get(case_url(licence.application)).content.decode()
    assert "End-use check" in page
    assert 'value="reinstate"' in page and 'value="suspend"' not in page

    reinstated = client.post(url, {"version": licence.version, "action": "reinstate", "reason": "Check passed"})
    assert reinstated.status_code == 302
    licence.refresh_from_db()
    assert licence.status == LicenceStatus.ISSUED


def test_licence_action_without_a_reason_shows_the_field_error_with_400(client_for, officer, licence):
    response = client_for(officer).post(
        f"/casework/licences/{licence.pk}/status/", {"version": licence.version, "action": "revoke", "reason": ""}
    )
    assert response.status_code == 400
    assert str(ERR_REASON) in response.content.decode()
    licence.refresh_from_db()
    assert licence.status == LicenceStatus.ISSUED


def test_licence_action_on_an_old_version_is_refused_with_409(client_for, officer, officer2, licence):
    stale = licence.version
    casework.licence_change_status(actor=officer2, licence_id=licence.pk, action="suspend", reason="Audit")

    response = client_for(officer).post(
        f"/casework/licences/{licence.pk}/status/", {"version": stale, "action": "suspend", "reason": "Audit too"}
    )

    assert response.status_code == 409
    assert "Someone else changed" in response.content.decode()


@pytest.mark.parametrize("persona", ["exporter_a", "exporter_b"])
def test_licence_urls_are_forbidden_for_exporters(client_for, request, persona, licence):
    client = client_for(request.getfixturevalue(persona))
    assert client.get(f"/casework/licences/{licence.pk}/pdf/").status_code == 403
    assert (
        client.post(
            f"/casework/licences/{licence.pk}/status/",
            {"version": licence.version, "action": "revoke", "reason": "x"},
        ).status_code
        == 403
    )


def test_licence_pdf_sends_anonymous_visitors_to_login(client, licence):
    response = client.get(f"/casework/licences/{licence.pk}/pdf/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_licence_pdf_serves_the_stored_document(client_for, officer, licence):
    licence.document.save(f"{licence.number}.pdf", ContentFile(MINIMAL_PDF), save=True)

    response = client_for(officer).get(f"/casework/licences/{licence.pk}/pdf/")

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert b"".join(response.streaming_content) == MINIMAL_PDF


def test_licence_pdf_is_being_prepared_then_served_when_none_is_stored_yet(client_for, officer, licence):
    client = client_for(officer)
    first = client.get(f"/casework/licences/{licence.pk}/pdf/")

    assert first.status_code == 202  # never rendered in the request (issue 14)
    assert "being prepared" in first.content.decode()
    response = client.get(f"/casework/licences/{licence.pk}/pdf/")  # the task has run (eager in tests)
    assert response.status_code == 200
    assert b"".join(response.streaming_content).startswith(b"%PDF")
    assert licence.number in response["Content-Disposition"]


def test_licence_pdf_answers_404_for_a_missing_licence(client_for, officer):
    assert client_for(officer).get("/casework/licences/999999/pdf/").status_code == 404


# --- documents ---------------------------------------------------------------------------------------------


@pytest.fixture
def document(exporter_a) -> Document:
    case = case_via_services(exporter_a, title="Radar", end_user="Royal Norwegian Navy", goods="Radar module")
    return Document.objects.get(application=case)


def test_officer_downloads_a_document_as_an_attachment(client_for, officer, document):
    response = client_for(officer).get(f"/casework/documents/{document.pk}/")

    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment")
    assert "euc.pdf" in response["Content-Disposition"]
    assert response["Cache-Control"] == "private, no-store"
    assert b"".join(response.streaming_content) == MINIMAL_PDF


def test_case_page_links_to_the_document_download(client_for, officer, document):
    content = client_for(officer).get(case_url(document.application)).content.decode()
    assert f'href="/casework/documents/{document.pk}/"' in content


@pytest.mark.parametrize("persona", ["exporter_a", "exporter_b", "analyst"])
def test_document_download_is_forbidden_outside_case_work(client_for, request, persona, document):
    assert client_for(request.getfixturevalue(persona)).get(f"/casework/documents/{document.pk}/").status_code == 403


def test_document_download_sends_anonymous_visitors_to_login(client, document):
    response = client.get(f"/casework/documents/{document.pk}/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_infected_document_is_blocked(client_for, officer, document):
    Document.objects.filter(pk=document.pk).update(scan_status=ScanStatus.INFECTED)
    assert client_for(officer).get(f"/casework/documents/{document.pk}/").status_code == 403


def test_document_download_answers_404_for_a_missing_document(client_for, officer):
    assert client_for(officer).get("/casework/documents/999999/").status_code == 404
