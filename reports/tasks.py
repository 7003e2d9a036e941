"""Thin, idempotent tasks: take ids, call one service, safe to run twice."""

from __future__ import annotations

from celery import shared_task


@shared_task(acks_late=True)
def report_run_execute_task(run_id: int) -> str:
    """Produce a queued report run's files. A second delivery finds the run claimed or done and does nothing."""
    from .services import report_run_execute

    return report_run_execute(run_id=run_id)


@shared_task
def report_runs_relay(limit: int = 100) -> int:
    """Re-enqueue runs still queued a minute after their request (the broker was down then)."""
    from .selectors import report_runs_waiting_for_broker

    ids = report_runs_waiting_for_broker(limit=limit)
    for run_id in ids:
        report_run_execute_task.delay(run_id)
    return len(ids)
