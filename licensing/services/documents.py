"""What the virus scanner said about an uploaded document: clean, or quarantined and never downloadable."""

from __future__ import annotations

import os

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext

from audit.models import Verb
from audit.services import record
from core.notifications import notify
from core.roles import Role
from parties.models import User

from .. import events
from ..models import Document, ScanStatus
from ..virus_scan import ScanVerdict

QUARANTINE_PREFIX = "quarantine/"


def _quarantine_file(document: Document) -> None:
    """Move the bytes out of the documents area into the quarantine area (kept for investigation, never
    served); the original is deleted only once the transaction has committed."""
    storage = document.file.storage
    original = document.file.name or ""
    with storage.open(original, "rb") as handle:
        content = handle.read()
    document.file.name = storage.save(QUARANTINE_PREFIX + os.path.basename(original), ContentFile(content))
    transaction.on_commit(lambda: storage.delete(original))


def _officers_to_tell(document: Document) -> list[User]:
    assigned = document.application.assigned_to
    if assigned is not None:
        return [assigned]
    return list(User.objects.filter(groups__name=Role.OFFICER.value, is_active=True).order_by("pk"))


@transaction.atomic(durable=True)
def document_scan_record(*, document_id: int, verdict: ScanVerdict) -> Document:
    """Store clamd's verdict. Idempotent: a document already judged is left as it is."""
    # Lock: a redelivered scan task and the rescan sweep may judge the same document at once.
    document = (
        Document.objects.select_for_update(of=("self",))
        .select_related("application", "application__assigned_to", "uploaded_by")
        .get(pk=document_id)
    )
    if document.scan_status != ScanStatus.PENDING:
        return document
    document.scanned_at = timezone.now()
    fields = ["scan_status", "scan_signature", "scanned_at"]
    if not verdict.infected:
        document.scan_status = ScanStatus.CLEAN
        document._change_reason = "virus scan: clean"  # type: ignore[attr-defined]
        document.save(update_fields=fields)
        record(actor=None, verb=Verb.DOCUMENT_SCANNED, target=document, payload={"sha256": document.sha256})
        events.document_scanned(document)
        return document
    _quarantine_file(document)
    document.scan_status = ScanStatus.INFECTED
    document.scan_signature = verdict.signature[:200]
    document._change_reason = "virus scan: infected, quarantined"  # type: ignore[attr-defined]
    document.save(update_fields=[*fields, "file"])
    application = document.application
    record(
        actor=None,
        verb=Verb.DOCUMENT_QUARANTINED,
        target=document,
        payload={"application": application.reference, "sha256": document.sha256, "signature": verdict.signature},
    )
    events.document_scanned(document)
    title = gettext("%(reference)s: a file you uploaded contains a virus") % {"reference": application.reference}
    body = gettext(
        "The virus scanner found %(signature)s in %(name)s. The file is quarantined and cannot be downloaded; "
        "upload a clean copy."
    ) % {"signature": verdict.signature, "name": document.original_name}
    notify(
        users=[document.uploaded_by],
        title=title,
        body=body,
        link=f"/portal/applications/{application.pk}/",
        key=f"quarantined:{document.pk}",
    )
    notify(
        users=_officers_to_tell(document),
        title=gettext("%(reference)s: an uploaded file was quarantined") % {"reference": application.reference},
        body=gettext("The virus scanner found %(signature)s in %(name)s, uploaded by %(uploader)s.")
        % {"signature": verdict.signature, "name": document.original_name, "uploader": document.uploaded_by},
        link=f"/casework/cases/{application.pk}/",
        key=f"quarantined-officer:{document.pk}",
    )
    return document
