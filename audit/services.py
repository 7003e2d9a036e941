"""The one audit entry point: `record(actor=, verb=, target=, payload=, reason=)`.

Every service calls it inside its own transaction, so the event commits or rolls back with the action.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from django.db import transaction
from django.db.models import Model
from django.utils import timezone

from core.bulk import copy_insert

from .chain import GENESIS_HASH, canonical_content, chain_hash
from .models import AuditChainHead, AuditEvent, Verb

SYSTEM_LABEL = "system"


def _normalise(payload: Any) -> Any:
    """What the database will give back: JSON types only (Decimals and dates as strings)."""
    return json.loads(json.dumps(payload or {}, default=str))


def _label(actor: Any) -> str:
    if actor is None:
        return SYSTEM_LABEL
    return str(actor.get_full_name() or actor.email or actor.username)


def _linked_event(
    *,
    sequence: int,
    prev_hash: str,
    occurred_at: datetime,
    actor: Any,
    verb: Verb,
    target: tuple[str, str],
    payload: dict[str, Any] | None,
    reason: str,
) -> AuditEvent:
    """The unsaved event at `sequence`, linked to `prev_hash`: the one place an event's content is hashed."""
    target_type, target_id = target
    clean_payload = _normalise(payload)
    actor_id = actor.pk if actor is not None else None
    actor_label = _label(actor)
    content = canonical_content(
        sequence=sequence,
        occurred_at=occurred_at,
        actor_id=actor_id,
        actor_label=actor_label,
        verb=str(verb),
        target_type=target_type,
        target_id=str(target_id),
        payload=clean_payload,
        reason=reason,
    )
    return AuditEvent(
        sequence=sequence,
        occurred_at=occurred_at,
        actor_id=actor_id,
        actor_label=actor_label,
        verb=str(verb),
        target_type=target_type,
        target_id=str(target_id),
        payload=clean_payload,
        reason=reason,
        prev_hash=prev_hash,
        hash=chain_hash(prev_hash, content),
    )


def record(
    *,
    actor: Any,
    verb: Verb,
    target: Model | tuple[str, str],
    payload: dict[str, Any] | None = None,
    reason: str = "",
) -> AuditEvent:
    """Append one event to the chain. Must run inside the caller's transaction."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("audit.record must be called inside the service's transaction")
    if isinstance(target, tuple):
        target_type, target_id = target
    else:
        target_type, target_id = target._meta.label_lower, str(target.pk)
    # Lock the head row: two concurrent appends would otherwise both link to the same previous hash
    # and fork the chain.
    head, _ = AuditChainHead.objects.select_for_update().get_or_create(id=1)
    event = _linked_event(
        sequence=head.sequence + 1,
        prev_hash=head.hash or GENESIS_HASH,
        occurred_at=timezone.now().astimezone(UTC),
        actor=actor,
        verb=verb,
        target=(target_type, str(target_id)),
        payload=payload,
        reason=reason,
    )
    event.save(force_insert=True)
    sequence, digest = event.sequence, event.hash
    head.sequence, head.hash = sequence, digest
    head.save(update_fields=["sequence", "hash"])
    return event


@dataclass(frozen=True)
class PendingEvent:
    """One event for `record_many`: what `record` takes, for a bulk write."""

    verb: Verb
    target: tuple[str, str]
    payload: dict[str, Any] | None = None
    reason: str = ""
    actor: Any = None


def record_many(events: list[PendingEvent]) -> int:
    """Append many events to the chain in one COPY (bulk loads such as `seed_bulk`), linked exactly as
    `record` links them, under the same head-row lock. Must run inside the caller's transaction."""
    if not events:
        return 0
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("audit.record_many must be called inside the service's transaction")
    head, _ = AuditChainHead.objects.select_for_update().get_or_create(id=1)
    sequence, prev_hash = head.sequence, head.hash or GENESIS_HASH
    occurred_at = timezone.now().astimezone(UTC)
    rows = []
    for pending in events:
        event = _linked_event(
            sequence=sequence + 1,
            prev_hash=prev_hash,
            occurred_at=occurred_at,
            actor=pending.actor,
            verb=pending.verb,
            target=pending.target,
            payload=pending.payload,
            reason=pending.reason,
        )
        rows.append(event)
        sequence, prev_hash = event.sequence, event.hash
    copy_insert(AuditEvent, rows)
    head.sequence, head.hash = sequence, prev_hash
    head.save(update_fields=["sequence", "hash"])
    return len(rows)


@dataclass(frozen=True)
class VerificationResult:
    ok: bool
    checked: int
    head_hash: str
    first_broken_sequence: int | None = None
    problem: str = ""


def verify_chain(*, batch_size: int = 5000) -> VerificationResult:
    """Recompute every link; report the first event whose content or link does not match."""
    prev_hash = GENESIS_HASH
    expected_sequence = 1
    checked = 0
    last_sequence = 0
    while True:
        batch = list(
            AuditEvent.objects.filter(sequence__gt=last_sequence)
            .order_by("sequence")
            .values_list(
                "sequence",
                "occurred_at",
                "actor_id",
                "actor_label",
                "verb",
                "target_type",
                "target_id",
                "payload",
                "reason",
                "prev_hash",
                "hash",
            )[:batch_size]
        )
        if not batch:
            break
        for (
            seq,
            occurred_at,
            actor_id,
            label,
            verb,
            ttype,
            tid,
            payload,
            reason,
            stored_prev,
            stored_hash,
        ) in batch:
            if seq != expected_sequence:
                return VerificationResult(False, checked, prev_hash, expected_sequence, "event missing")
            if stored_prev != prev_hash:
                return VerificationResult(False, checked, prev_hash, seq, "link to previous event broken")
            content = canonical_content(
                sequence=seq,
                occurred_at=occurred_at.astimezone(UTC),
                actor_id=actor_id,
                actor_label=label,
                verb=verb,
                target_type=ttype,
                target_id=tid,
                payload=payload,
                reason=reason,
            )
            if chain_hash(prev_hash, content) != stored_hash:
                return VerificationResult(False, checked, prev_hash, seq, "content altered")
            prev_hash = stored_hash
            expected_sequence += 1
            checked += 1
            last_sequence = seq
    head = AuditChainHead.objects.filter(id=1).first()
    if head is not None and head.sequence != checked:
        return VerificationResult(False, checked, prev_hash, checked + 1, "events after the last one are missing")
    return VerificationResult(True, checked, prev_hash)
