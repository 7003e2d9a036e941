from __future__ import annotations

import logging

from celery import shared_task
from django.utils import translation

from .services import verify_chain

logger = logging.getLogger(__name__)


@shared_task
def verify_audit_trail_task() -> dict[str, object]:
    result = verify_chain()
    if not result.ok:
        logger.error("Audit trail broken at event %s: %s", result.first_broken_sequence, result.problem)
    return {"ok": result.ok, "checked": result.checked, "head": result.head_hash}


@shared_task
def publish_audit_head_task() -> dict[str, object]:
    """Check the database against the last seal, then publish a new one (audit.head_seal)."""
    from .head_seal import chain_head_check, chain_head_publish, last_seal

    if last_seal() is not None:
        for problem in chain_head_check():
            logger.error("Audit chain head check: %s", problem)
    return chain_head_publish()


@shared_task(autoretry_for=(OSError,), retry_backoff=True, max_retries=5)
def history_pdf_render(user_id: int, label: str, pk: str) -> str:
    """Render a record's history PDF as `user_id` may see it, and keep it (issue 14: PDFs only ever in Celery).
    Idempotent: the file's name is the timeline's digest, so a second run finds it there."""
    from django.conf import settings
    from django.contrib.auth import get_user_model
    from django.core.files.base import ContentFile
    from django.core.files.storage import default_storage

    from .exports import history_pdf_path, timeline_pdf
    from .timeline import timeline_for

    user = get_user_model().objects.get(pk=user_id)
    # A document of the authority is in the authority's language (Awb 2:6), the entries' words (labels, choices,
    # verbs) as well as the template's: build the timeline in that language, not the reader's.
    with translation.override(settings.LANGUAGE_CODE):
        timeline = timeline_for(user=user, label=label, pk=pk)
        path = history_pdf_path(user_id=user_id, label=label, pk=pk, timeline=timeline)
        if default_storage.exists(path):
            return "already rendered"
        default_storage.save(path, ContentFile(timeline_pdf(timeline)))
    return "rendered"
