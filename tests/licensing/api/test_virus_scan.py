"""Every upload is scanned by a real clamd (tests/clamd.py): EICAR is quarantined, a clean file passes."""

from __future__ import annotations

import io
from datetime import timedelta

import pytest
import time_machine
from django.core.files.storage import default_storage
from django.urls import reverse
from django.utils import timezone

from audit.models import AuditEvent, Verb
from core.models import Notification, OutboxMessage
from licensing.models import ApplicationStatus, ScanStatus
from licensing.services import applications
from licensing.tasks import document_scan, documents_rescan_pending
from licensing.virus_scan import ERR_DOCUMENT_NOT_SCANNED, ERR_DOCUMENT_QUARANTINED, ScannerUnavailable, scan_stream
from tests.clamd import EICAR_SIGNATURE, eicar_pdf
from tests.factories import ApplicationFactory, complete_draft, submitted_application
from tests.licensing.services.pdfs import pdf_upload

pytestmark = pytest.mark.django_db

API = "/api/v1"


def _upload(client, draft, upload, django_capture_on_commit_callbacks):  # type: ignore[no-untyped-def]
    # The scan task is enqueued on commit; Celery runs eagerly in the tests, so it scans right here.
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            f"{API}/applications/{draft.pk}/documents/", {"kind": "euc", "file": upload}, format="multipart"
        )
    assert response.status_code == 201, response.content
    return draft.documents.get(pk=response.json()["id"])


def test_eicar_uploaded_through_the_api_is_quarantined_and_never_downloadable_when_clamd_finds_it(
    clamd, token_client, client_for, exporter_a, officer, django_capture_on_commit_callbacks
):
    draft = ApplicationFactory(organisation=exporter_a.organisation, created_by=exporter_a)
    api = token_client(exporter_a)
    document = _upload(api, draft, eicar_pdf(), django_capture_on_commit_callbacks)

    assert document.scan_status == ScanStatus.INFECTED
    assert document.scan_signature == f"{EICAR_SIGNATURE}.UNOFFICIAL"  # clamd marks signatures not its own
    assert document.file.name.startswith("quarantine/")
    assert default_storage.exists(document.file.name)
    assert not default_storage.exists(
        f"documents/{document.uploaded_at:%Y/%m}/{draft.reference}-{document.sha256[:12]}"
    )

    response = api.get(f"{API}/documents/{document.pk}/download/")
    assert response.status_code == 409
    assert response.json()["detail"] == str(ERR_DOCUMENT_QUARANTINED)
    assert client_for(exporter_a).get(reverse("portal:document_download", args=[document.pk])).status_code == 403

    event = AuditEvent.objects.get(verb=Verb.DOCUMENT_QUARANTINED)
    assert event.target_id == str(document.pk)
    assert event.payload["signature"] == f"{EICAR_SIGNATURE}.UNOFFICIAL"
    # The uploader and the officers (no one is assigned to a draft) are told, in the app and by e-mail.
    told = set(Notification.objects.values_list("user__username", flat=True))
    assert told == {"alice", "olivia"}
    assert OutboxMessage.objects.filter(subject__contains="contains a virus").count() == 1


def test_clean_file_passes_and_can_be_downloaded_when_clamd_finds_nothing(
    clamd, token_client, exporter_a, django_capture_on_commit_callbacks
):
    draft = ApplicationFactory(organisation=exporter_a.organisation, created_by=exporter_a)
    api = token_client(exporter_a)
    document = _upload(api, draft, pdf_upload(), django_capture_on_commit_callbacks)

    assert document.scan_status == ScanStatus.CLEAN
    assert document.scan_signature == "" and document.scanned_at is not None
    response = api.get(f"{API}/documents/{document.pk}/download/")
    assert response.status_code == 200
    assert AuditEvent.objects.filter(verb=Verb.DOCUMENT_SCANNED, target_id=str(document.pk)).count() == 1
    assert not Notification.objects.exists()


def test_assigned_officer_alone_is_told_when_a_quarantined_file_belongs_to_their_case(
    clamd, exporter_a, officer, officer2, django_capture_on_commit_callbacks
):
    case = submitted_application(organisation=exporter_a.organisation, created_by=exporter_a, assigned_to=officer2)
    request = case.information_requests.create(
        question="Send the signed certificate.",
        requested_by=officer2,
        requested_on=timezone.localdate(),
        respond_by=timezone.localdate() + timedelta(days=14),
    )
    case.status = "information_requested"
    case.save(update_fields=["status"])
    with django_capture_on_commit_callbacks(execute=True):
        applications.information_provide(
            actor=exporter_a, application_id=case.pk, answer="Attached.", uploads=[("euc", eicar_pdf())]
        )
    document = request.documents.get()
    assert document.scan_status == ScanStatus.INFECTED
    assert set(Notification.objects.values_list("user__username", flat=True)) == {"alice", "omar"}


def test_download_waits_for_the_scan_when_a_scanner_is_configured_and_has_not_answered_yet(
    clamd, token_client, exporter_a
):
    draft = ApplicationFactory(organisation=exporter_a.organisation, created_by=exporter_a)
    api = token_client(exporter_a)
    # Without capturing on-commit callbacks the scan task is never enqueued: the document stays pending.
    document = applications.document_upload(actor=exporter_a, application_id=draft.pk, kind="euc", upload=pdf_upload())
    response = api.get(f"{API}/documents/{document.pk}/download/")
    assert response.status_code == 409
    assert response.json()["detail"] == str(ERR_DOCUMENT_NOT_SCANNED)


def test_document_stays_pending_and_is_rescanned_by_the_sweep_when_clamd_was_down(clamd, settings, exporter_a):
    draft = ApplicationFactory(organisation=exporter_a.organisation, created_by=exporter_a)
    document = applications.document_upload(actor=exporter_a, application_id=draft.pk, kind="euc", upload=eicar_pdf())
    settings.CLAMD_ADDRESS = f"{clamd}.gone"
    assert document_scan(document.pk) == "scanner unavailable"
    document.refresh_from_db()
    assert document.scan_status == ScanStatus.PENDING

    settings.CLAMD_ADDRESS = clamd
    # Four minutes 59 after the upload the sweep leaves it (the upload's own task may still be on its way) ...
    with time_machine.travel(document.uploaded_at + timedelta(minutes=4, seconds=59)):
        assert documents_rescan_pending() == 0
    # ... at five minutes it hands it to the scanner again.
    with time_machine.travel(document.uploaded_at + timedelta(minutes=5, seconds=1)):
        assert documents_rescan_pending() == 1
    document.refresh_from_db()
    assert document.scan_status == ScanStatus.INFECTED


def test_scanning_twice_records_one_verdict_when_the_task_is_redelivered(clamd, exporter_a):
    draft = ApplicationFactory(organisation=exporter_a.organisation, created_by=exporter_a)
    document = applications.document_upload(actor=exporter_a, application_id=draft.pk, kind="euc", upload=eicar_pdf())
    assert document_scan(document.pk) == ScanStatus.INFECTED
    assert document_scan(document.pk) == "already scanned"
    assert AuditEvent.objects.filter(verb=Verb.DOCUMENT_QUARANTINED).count() == 1
    assert Notification.objects.filter(user=exporter_a).count() == 1


def test_document_is_not_scanned_but_downloadable_when_no_scanner_is_configured(settings, token_client, exporter_a):
    settings.CLAMD_ADDRESS = ""
    draft = ApplicationFactory(organisation=exporter_a.organisation, created_by=exporter_a)
    document = applications.document_upload(actor=exporter_a, application_id=draft.pk, kind="euc", upload=pdf_upload())
    assert document_scan(document.pk) == "no scanner configured"
    document.refresh_from_db()
    assert document.scan_status == ScanStatus.PENDING
    assert token_client(exporter_a).get(f"{API}/documents/{document.pk}/download/").status_code == 200


def test_scan_state_is_shown_in_the_documents_tables_when_a_file_is_quarantined(clamd, client_for, exporter_a, officer):
    case = complete_draft(organisation=exporter_a.organisation, created_by=exporter_a)
    clean = applications.document_upload(actor=exporter_a, application_id=case.pk, kind="euc", upload=pdf_upload())
    infected = applications.document_upload(
        actor=exporter_a, application_id=case.pk, kind="other", upload=eicar_pdf("annex.pdf")
    )
    document_scan(clean.pk)
    document_scan(infected.pk)

    portal = client_for(exporter_a).get(reverse("portal:application_detail", args=[case.pk])).content.decode()
    assert "Infected: blocked" in portal and f"{EICAR_SIGNATURE}.UNOFFICIAL" in portal
    assert reverse("portal:document_download", args=[infected.pk]) not in portal
    assert reverse("portal:document_download", args=[clean.pk]) in portal

    # The same case once submitted, as the officer sees it.
    case.status, case.assigned_to = ApplicationStatus.UNDER_REVIEW, officer
    case.save(update_fields=["status", "assigned_to"])
    casework = client_for(officer).get(reverse("casework:case_detail", args=[case.pk])).content.decode()
    assert "Infected: blocked" in casework and "(quarantined)" in casework
    assert reverse("casework:document_download", args=[infected.pk]) not in casework
    assert reverse("casework:document_download", args=[clean.pk]) in casework


def test_scanner_is_unavailable_not_an_error_when_nothing_listens_on_the_tcp_address(settings):
    # host:port is a TCP clamd (as in docker-compose); a closed port is "no verdict", never "clean".
    settings.CLAMD_ADDRESS = "127.0.0.1:1"
    with pytest.raises(ScannerUnavailable):
        scan_stream(io.BytesIO(b"%PDF-1.4\n"))
