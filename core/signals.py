"""Decoupled concerns only (house style): keep history rows valid whatever a service passes as its reason."""

from __future__ import annotations

from typing import Any

from django.dispatch import receiver
from simple_history.signals import pre_create_historical_record

# simple-history stores the change reason in a 100-character column. The full reason is always kept in the
# audit event written by the same service (audit.services.record), so the history row carries a shortened copy.
HISTORY_REASON_MAX = 100


@receiver(pre_create_historical_record)
def shorten_history_reason(sender: Any, history_instance: Any, **kwargs: Any) -> None:
    reason = getattr(history_instance, "history_change_reason", None)
    if reason and len(reason) > HISTORY_REASON_MAX:
        history_instance.history_change_reason = reason[: HISTORY_REASON_MAX - 1] + "…"
