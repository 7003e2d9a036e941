"""Thin, idempotent tasks of the consultations app (the beat schedule in config/celery.py runs them)."""

from __future__ import annotations

from celery import shared_task
from django.utils import timezone

from core.reminders import reminders_send
from licensing.services.reminders import licensing_deadlines

from .services.reminders import art4_reply_deadlines, brake_window_deadlines
from .services.sweep import deadlines_sweep


@shared_task
def sweep_deadlines() -> dict[str, int]:
    """Treaty deadlines: reminders before each objection deadline and "no objection raised in time" after it.
    Safe to run twice, or twice at once: every item is claimed with a conditional UPDATE."""
    result = deadlines_sweep()
    return {"reminders_sent": result.reminders_sent, "no_objection_recorded": result.no_objection_recorded}


@shared_task
def remind_deadlines() -> dict[str, int]:
    """Every other deadline (Awb term, answer-by dates, de minimis target, Art. 4 replies, partners' brake windows):
    reminders through the one engine in core.reminders. Safe to run twice, or twice at once: each reminder's row
    is its claim."""
    today = timezone.localdate()
    deadlines = [*licensing_deadlines(today), *art4_reply_deadlines(today), *brake_window_deadlines(today)]
    result = reminders_send(deadlines=deadlines, today=today)
    return {"sent": result.sent, "escalated": result.escalated, "already_sent": result.already_sent}
