"""Reads of the reports app, scoped to the user: which reports they may open, which runs they may see.

Confidential runs (they name exporters and end users) are visible only with "reports.confidential"; for
anyone else they do not exist (404), like a case of another organisation.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from django.db.models import QuerySet
from django.http import Http404
from django.utils import timezone

from core.access import can
from licensing.models.parliament import ParliamentInformation

from .definitions import CONFIDENTIAL, DEFINITIONS, ReportDefinition
from .forms import ReportForm
from .models import ReportFile, ReportRun, RunStatus
from .queries.snapshot import end_of_day
from .tables import Report


def report_definitions_for(*, user: Any) -> list[ReportDefinition]:
    return [d for d in DEFINITIONS.values() if can(user, d.capability)]


def report_compute_for(*, user: Any, definition: ReportDefinition, form: ReportForm) -> Report:
    """The report for a valid parameters form, live or as of the chosen day's end."""
    if not can(user, definition.capability):
        raise Http404
    chosen = form.cleaned_data.get("as_of")
    as_of: datetime | None = end_of_day(chosen) if chosen else None
    return definition.compute(form, as_of=as_of)


def report_run_list_for(*, user: Any) -> QuerySet[ReportRun]:
    runs = ReportRun.objects.select_related("requested_by").prefetch_related("files")
    if not can(user, "reports.aggregates"):
        return runs.none()
    if not can(user, CONFIDENTIAL):
        runs = runs.filter(confidential=False)
    return runs


def report_run_get_for(*, user: Any, pk: int) -> ReportRun:
    try:
        return report_run_list_for(user=user).get(pk=pk)
    except ReportRun.DoesNotExist as exc:
        raise Http404 from exc


def report_file_get_for(*, user: Any, run_id: int, file_id: int) -> ReportFile:
    run = report_run_get_for(user=user, pk=run_id)
    try:
        return run.files.get(pk=file_id)
    except ReportFile.DoesNotExist as exc:
        raise Http404 from exc


def report_runs_waiting_for_broker(*, limit: int) -> list[int]:
    """Runs still queued a minute after their request: their task never reached the broker (core.enqueue)."""
    cutoff = timezone.now() - timedelta(minutes=1)
    queued = ReportRun.objects.filter(status=RunStatus.QUEUED, created_at__lt=cutoff).order_by("created_at")
    return list(queued.values_list("pk", flat=True)[:limit])


def parliament_information_list_for(*, user: Any) -> QuerySet[ParliamentInformation]:
    """Decisions flagged for accelerated information to parliament (licensing.parliament_rules), letters due first
    and by due date. Only reporting staff and officers see them."""
    flags = ParliamentInformation.objects.select_related("application__destination", "licence", "rule", "sent_by")
    if not can(user, "reports.parliament"):
        return flags.none()
    return flags.order_by("status", "due_on", "pk")


def parliament_information_get_for(*, user: Any, pk: int) -> ParliamentInformation:
    try:
        return parliament_information_list_for(user=user).get(pk=pk)
    except ParliamentInformation.DoesNotExist as exc:
        raise Http404 from exc
