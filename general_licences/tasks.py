"""Thin, idempotent tasks of the general licences app (the beat schedule in config/celery.py runs them)."""

from __future__ import annotations

from celery import shared_task
from django.utils import timezone

from core.reminders import reminders_send

from .reminders import usage_return_deadlines


@shared_task
def remind_usage_returns() -> dict[str, int]:
    """Reminders of usage returns through the one engine in core.reminders; each reminder's row is its claim,
    so running twice (or twice at once) sends each reminder once."""
    today = timezone.localdate()
    result = reminders_send(deadlines=usage_return_deadlines(today), today=today)
    return {"sent": result.sent, "already_sent": result.already_sent}
