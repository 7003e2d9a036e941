"""Tamper evidence for the chain's tail: a signed copy of the newest event, kept outside the database.

The hash chain shows any change to an event, but not the deletion of the newest events together with the head
row (a database superuser can do both). So a beat task publishes the newest (sequence, hash), signed with an HMAC
whose key is not in the database, to an append-only file on another volume and by e-mail. `chain_head_check`
then compares the database with the last published seal: a missing or different event at that sequence, or a
chain shorter than the seal, means events were removed.
"""

from __future__ import annotations

import hashlib
import hmac
import json
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.mail import send_mail
from django.utils import timezone

from .models import AuditEvent


def _key() -> bytes:
    configured = settings.AUDIT_HEAD_KEY
    if configured:
        return str(configured).encode()
    return hashlib.sha256(b"audit-head-seal:" + settings.SECRET_KEY.encode()).digest()


def _mac(sequence: int, head_hash: str, published_at: str) -> str:
    message = f"{sequence}:{head_hash}:{published_at}".encode()
    return hmac.new(_key(), message, hashlib.sha256).hexdigest()


def chain_head_publish() -> dict[str, Any]:
    """Append a signed seal of the newest event to AUDIT_HEAD_FILE and mail it to AUDIT_HEAD_RECIPIENTS."""
    newest = AuditEvent.objects.order_by("-sequence").values("sequence", "hash").first()
    sequence, head_hash = (newest["sequence"], newest["hash"]) if newest else (0, "")
    published_at = timezone.now().isoformat()
    seal = {
        "sequence": sequence,
        "hash": head_hash,
        "published_at": published_at,
        "mac": _mac(sequence, head_hash, published_at),
    }
    path = Path(settings.AUDIT_HEAD_FILE)
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("a", encoding="utf-8") as sealed:
        sealed.write(json.dumps(seal, sort_keys=True) + "\n")
    if settings.AUDIT_HEAD_RECIPIENTS:
        # Straight to the mail server, not through the outbox: a row in the database could be suppressed.
        send_mail("Audit chain head", json.dumps(seal, indent=2), None, settings.AUDIT_HEAD_RECIPIENTS)
    return seal


def last_seal(path: Path | None = None) -> dict[str, Any] | None:
    path = path or Path(settings.AUDIT_HEAD_FILE)
    if not path.exists():
        return None
    lines = [line for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    return json.loads(lines[-1]) if lines else None


def chain_head_check(path: Path | None = None) -> list[str]:
    """What does not match the last published seal (empty when the database still holds it)."""
    seal = last_seal(path)
    if seal is None:
        return ["No published chain head to compare with."]
    if not hmac.compare_digest(seal["mac"], _mac(seal["sequence"], seal["hash"], seal["published_at"])):
        return ["The published chain head's signature does not match: the seal file was altered."]
    problems = []
    sealed = AuditEvent.objects.filter(sequence=seal["sequence"]).values_list("hash", flat=True).first()
    if seal["sequence"] and sealed is None:
        problems.append(f"Event #{seal['sequence']}, published as the head on {seal['published_at']}, is missing.")
    elif seal["sequence"] and sealed != seal["hash"]:
        problems.append(f"Event #{seal['sequence']} differs from the head published on {seal['published_at']}.")
    newest = AuditEvent.objects.order_by("-sequence").values_list("sequence", flat=True).first() or 0
    if newest < seal["sequence"]:
        problems.append(f"The chain ends at #{newest}, before the published head #{seal['sequence']}.")
    return problems
