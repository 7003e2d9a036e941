"""Canonical content and hashing for the audit chain (one definition, used to write and to verify)."""

from __future__ import annotations

import hashlib
import json
from datetime import datetime
from typing import Any

GENESIS_HASH = "0" * 64


def canonical_content(
    *,
    sequence: int,
    occurred_at: datetime,
    actor_id: int | None,
    actor_label: str,
    verb: str,
    target_type: str,
    target_id: str,
    payload: Any,
    reason: str,
) -> str:
    return json.dumps(
        {
            "sequence": sequence,
            "occurred_at": occurred_at.isoformat(timespec="microseconds"),
            "actor_id": actor_id,
            "actor_label": actor_label,
            "verb": verb,
            "target": f"{target_type}:{target_id}",
            "payload": payload,
            "reason": reason,
        },
        sort_keys=True,
        separators=(",", ":"),
        ensure_ascii=False,
        default=str,
    )


def chain_hash(prev_hash: str, content: str) -> str:
    return hashlib.sha256(f"{prev_hash}\n{content}".encode()).hexdigest()
