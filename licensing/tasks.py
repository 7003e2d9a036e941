"""Thin, idempotent tasks: take ids, call one service, safe to run twice."""

from __future__ import annotations

import logging
from datetime import timedelta

from celery import shared_task
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

from core.documents import sha256

from .documents import licence_pdf, licence_version_pdf
from .models import Document, Licence, LicenceVersion, ScanStatus
from .virus_scan import ScannerUnavailable, scan_stream, scanning_enabled

logger = logging.getLogger(__name__)

# A document still unscanned this long after upload is handed to the scanner again (clamd or the broker was
# down when it was uploaded).
RESCAN_AFTER = timedelta(minutes=5)
RESCAN_BATCH = 500


@shared_task(bind=True, autoretry_for=(OSError,), retry_backoff=True, max_retries=5)
def licence_render_pdf(self, licence_id: int) -> str:  # type: ignore[no-untyped-def]
    """Render and keep the issued licence's PDF once; a second run finds it done."""
    licence = Licence.objects.get(pk=licence_id)
    if licence.document:
        return "already rendered"
    return _keep_pdf_once(
        Licence, licence_id, licence_pdf(licence), name=f"{licence.number}.pdf", reason="licence document rendered"
    )


@shared_task(bind=True, autoretry_for=(OSError,), retry_backoff=True, max_retries=5)
def licence_version_render_pdf(self, version_id: int) -> str:  # type: ignore[no-untyped-def]
    """Render and keep an earlier version's PDF once, from its frozen terms, goods and parties (a version replaced
    before its PDF was rendered); a second run finds it done."""
    version = LicenceVersion.objects.select_related("licence", "licence__application", "licence__organisation").get(
        pk=version_id
    )
    if version.document:
        return "already rendered"
    return _keep_pdf_once(
        LicenceVersion,
        version_id,
        licence_version_pdf(version),
        name=f"{version.licence.number}-v{version.number}.pdf",
        reason="licence version document rendered",
    )


def _keep_pdf_once(
    model: type[Licence] | type[LicenceVersion], pk: int, content: bytes, *, name: str, reason: str
) -> str:
    """Store a rendered PDF on the row unless another worker already did: the row lock makes two workers rendering
    the same document store one file."""
    with transaction.atomic():
        locked = model.objects.select_for_update().get(pk=pk)
        if locked.document:
            return "already rendered"
        locked.document.save(name, ContentFile(content), save=False)
        locked.document_sha256 = sha256(content)
        locked._change_reason = reason  # type: ignore[union-attr]
        locked.save(update_fields=["document", "document_sha256"])
    return "rendered"


@shared_task
def information_terms_lapse_task() -> dict[str, int]:
    """Awb 4:15(1)(a): requests for information whose answer-by term passed unused end their suspension; the case's
    legal term is computed again (services/awb.py). Safe to run twice: each request is counted once."""
    from .services.awb import information_terms_lapse

    result = information_terms_lapse()
    return {"lapsed": result.lapsed, "days_added": result.days_added}


@shared_task(bind=True, autoretry_for=(OSError,), retry_backoff=True, max_retries=5)
def refusal_letter_render(self, letter_id: int) -> str:  # type: ignore[no-untyped-def]
    """Render and keep a refusal letter's PDF once (never in a request); a second run finds it done."""
    from .models.assessment import RefusalLetter
    from .services.denials import refusal_letter_pdf

    letter = RefusalLetter.objects.select_related("decision", "application__organisation").get(pk=letter_id)
    if letter.document:
        return "already rendered"
    content = refusal_letter_pdf(letter)
    with transaction.atomic():
        locked = RefusalLetter.objects.select_for_update().get(pk=letter_id)
        if locked.document:
            return "already rendered"
        locked.document.save(f"{letter.application.reference}-refusal.pdf", ContentFile(content), save=False)
        locked.sha256 = sha256(content)
        locked._change_reason = "refusal letter rendered"  # type: ignore[attr-defined]
        locked.save(update_fields=["document", "sha256"])
    return "rendered"


@shared_task
def licences_expire_task() -> int:
    from .services.casework import licences_expire

    return licences_expire()


@shared_task
def document_scan(document_id: int) -> str:
    """Stream one document to clamd and record the verdict. Safe to run twice: a judged document is skipped.
    No Celery retry: when clamd is down the document stays pending and the rescan sweep tries again."""
    from .services.documents import document_scan_record

    if not scanning_enabled():
        return "no scanner configured"
    document = Document.objects.get(pk=document_id)
    if document.scan_status != ScanStatus.PENDING:
        return "already scanned"
    try:
        with document.file.storage.open(document.file.name or "", "rb") as handle:
            verdict = scan_stream(handle)
    except ScannerUnavailable as exc:
        logger.warning("Virus scanner unavailable for document %s: %s", document_id, exc)
        return "scanner unavailable"
    document = document_scan_record(document_id=document_id, verdict=verdict)
    return document.scan_status


@shared_task
def documents_rescan_pending() -> int:
    """Beat sweep: hand documents left unscanned (scanner or broker down at upload) to the scanner again."""
    if not scanning_enabled():
        return 0
    cutoff = timezone.now() - RESCAN_AFTER
    pending = Document.objects.filter(scan_status=ScanStatus.PENDING, uploaded_at__lt=cutoff).order_by("uploaded_at")
    ids = list(pending.values_list("pk", flat=True)[:RESCAN_BATCH])
    for document_id in ids:
        document_scan.delay(document_id)
    return len(ids)


@shared_task
def licences_render_missing_pdfs(limit: int = 200) -> int:
    """Re-enqueue licences issued while the broker was down (no stored PDF yet); rendering is idempotent."""
    from .models.assessment import RefusalLetter

    ids = list(Licence.objects.filter(document="").order_by("pk").values_list("pk", flat=True)[:limit])
    for licence_id in ids:
        licence_render_pdf.delay(licence_id)
    # Refusal letters too: recorded with the decision, rendered only here (never in the request).
    letters = list(RefusalLetter.objects.filter(document="").order_by("pk").values_list("pk", flat=True)[:limit])
    for letter_id in letters:
        refusal_letter_render.delay(letter_id)
    return len(ids) + len(letters)


@shared_task(bind=True, autoretry_for=(OSError,), retry_backoff=True, max_retries=5)
def parliament_letter_render(self, flag_id: int) -> str:  # type: ignore[no-untyped-def]
    """Render and keep the draft letter to parliament of a flagged decision once; a second run finds it done."""
    from .documents import parliament_letter_pdf
    from .models.parliament import ParliamentInformation

    flag = ParliamentInformation.objects.get(pk=flag_id)
    if flag.letter:
        return "already rendered"
    content = parliament_letter_pdf(flag)
    with transaction.atomic():
        # Lock: two workers rendering the same letter must not both store a file.
        locked = ParliamentInformation.objects.select_for_update().get(pk=flag_id)
        if locked.letter:
            return "already rendered"
        locked.letter.save(f"parliament-letter-{locked.application_id}.pdf", ContentFile(content), save=False)
        locked.letter_sha256 = sha256(content)
        locked._change_reason = "draft letter rendered"  # type: ignore[attr-defined]
        locked.save(update_fields=["letter", "letter_sha256"])
    return "rendered"
