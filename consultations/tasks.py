"""Thin, idempotent tasks of the consultations app (the beat schedule in config/celery.py runs them)."""

from __future__ import annotations

from celery import shared_task

from .services.sweep import deadlines_sweep


@shared_task
def sweep_deadlines() -> dict[str, int]:
    """Every deadline of the consultations and licensing apps (Awb term, answer-by dates, de minimis target, letters
    to parliament, Art. 4 replies, partners' brake windows, our treaty objection deadlines): reminders through the
    one engine in core.reminders, then "no objection raised in time" after a treaty deadline. Safe to run twice, or
    twice at once: each reminder's row is its claim, each notification is claimed with a conditional UPDATE."""
    result = deadlines_sweep()
    return {
        "reminders_sent": result.reminders_sent,
        "reminders_escalated": result.reminders_escalated,
        "no_objection_recorded": result.no_objection_recorded,
    }
