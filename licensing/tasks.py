"""Thin, idempotent tasks: take ids, call one service, safe to run twice."""

from __future__ import annotations

from celery import shared_task
from django.core.files.base import ContentFile
from django.db import transaction

from .documents import licence_pdf, sha256
from .models import Licence


@shared_task(bind=True, autoretry_for=(OSError,), retry_backoff=True, max_retries=5)
def licence_render_pdf(self, licence_id: int) -> str:  # type: ignore[no-untyped-def]
    """Render and keep the issued licence's PDF once; a second run finds it done."""
    licence = Licence.objects.get(pk=licence_id)
    if licence.document:
        return "already rendered"
    content = licence_pdf(licence)
    with transaction.atomic():
        # Lock: two workers rendering the same licence must not both store a file.
        locked = Licence.objects.select_for_update().get(pk=licence_id)
        if locked.document:
            return "already rendered"
        locked.document.save(f"{locked.number}.pdf", ContentFile(content), save=False)
        locked.document_sha256 = sha256(content)
        locked._change_reason = "licence document rendered"  # type: ignore[attr-defined]
        locked.save(update_fields=["document", "document_sha256"])
    return "rendered"


@shared_task
def licences_expire_task() -> int:
    from .services.casework import licences_expire

    return licences_expire()


@shared_task
def licences_render_missing_pdfs(limit: int = 200) -> int:
    """Re-enqueue licences issued while the broker was down (no stored PDF yet); rendering is idempotent."""
    ids = list(Licence.objects.filter(document="").order_by("pk").values_list("pk", flat=True)[:limit])
    for licence_id in ids:
        licence_render_pdf.delay(licence_id)
    return len(ids)
