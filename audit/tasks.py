from __future__ import annotations

import logging

from celery import shared_task

from .services import verify_chain

logger = logging.getLogger(__name__)


@shared_task
def verify_audit_trail_task() -> dict[str, object]:
    result = verify_chain()
    if not result.ok:
        logger.error("Audit trail broken at event %s: %s", result.first_broken_sequence, result.problem)
    return {"ok": result.ok, "checked": result.checked, "head": result.head_hash}
