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


@shared_task
def publish_audit_head_task() -> dict[str, object]:
    """Check the database against the last seal, then publish a new one (audit.head_seal)."""
    from .head_seal import chain_head_check, chain_head_publish, last_seal

    if last_seal() is not None:
        for problem in chain_head_check():
            logger.error("Audit chain head check: %s", problem)
    return chain_head_publish()
