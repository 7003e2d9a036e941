"""Thin, idempotent tasks of the consultations app (the beat schedule in config/celery.py runs them)."""

from __future__ import annotations

from celery import shared_task

from .services.sweep import deadlines_sweep


@shared_task
def sweep_deadlines() -> dict[str, int]:
    """Treaty deadlines: reminders before each objection deadline and "no objection raised in time" after it.
    Safe to run twice, or twice at once: every item is claimed with a conditional UPDATE."""
    result = deadlines_sweep()
    return {"reminders_sent": result.reminders_sent, "no_objection_recorded": result.no_objection_recorded}
