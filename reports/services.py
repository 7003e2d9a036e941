"""Writes of the reports app: requesting a report run and carrying it out (in a Celery worker).

A run freezes the moment the register is read at (`as_of`): the chosen day's end, or the moment of the
request. Its files are kept with a SHA-256 each and one over all of them, and the audit log records
REPORT_GENERATED with the parameters and checksum, so a figure sent to parliament can be traced to its run.
"""

from __future__ import annotations

import hashlib
import logging
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import get_language, override

from audit.models import Verb
from audit.services import record
from core.access import can
from core.enqueue import enqueue_on_commit
from core.exceptions import DomainValidationError, NotAllowed
from core.i18n import gettext_lazy

from .definitions import BY_KIND, DEFINITIONS
from .exports import report_pdf, report_xlsx, table_csv
from .models import FileFormat, ReportFile, ReportRun, RunStatus
from .queries.snapshot import end_of_day

logger = logging.getLogger(__name__)

ERR_UNKNOWN_REPORT = gettext_lazy("There is no such report.")
ERR_NOT_ALLOWED = gettext_lazy("You may not produce this report.")
ERR_PARAMETERS = gettext_lazy("Check the report's parameters.")
ERR_FAILED = gettext_lazy(
    "The report could not be produced. Try again; if it fails again, tell the register's administrators."
)
# A worker that died mid-run leaves it "running"; after this long another delivery of the task may take it over.
STALE_RUN_AFTER = timedelta(minutes=20)


@transaction.atomic(durable=True)
def report_run_request(*, actor: Any, slug: str, parameters: dict[str, Any]) -> ReportRun:
    """Queue a run of the report `slug` with `parameters` (as its form takes them, including as_of)."""
    definition = DEFINITIONS.get(slug)
    if definition is None:
        raise DomainValidationError(ERR_UNKNOWN_REPORT)
    if not can(actor, definition.capability):
        raise NotAllowed(ERR_NOT_ALLOWED)
    form = definition.form(data=parameters)
    if not form.is_valid():
        raise DomainValidationError(
            ERR_PARAMETERS, field_errors={k: [str(m) for m in v] for k, v in form.errors.items()}
        )
    chosen = form.cleaned_data.get("as_of")
    run = ReportRun.objects.create(
        kind=definition.kind,
        parameters=form.parameters(),
        confidential=definition.confidential,
        as_of=end_of_day(chosen) if chosen else timezone.now(),
        language=get_language() or "",
        requested_by=actor,
    )
    from .tasks import report_run_execute_task

    enqueue_on_commit(report_run_execute_task, run.pk)
    return run


def _claim(run_id: int) -> bool:
    """Conditional UPDATE: of two deliveries of the same task only one moves the run to running."""
    now = timezone.now()
    claimable = Q(status=RunStatus.QUEUED) | Q(status=RunStatus.RUNNING, started_at__lt=now - STALE_RUN_AFTER)
    return bool(
        ReportRun.objects.filter(claimable, pk=run_id).update(status=RunStatus.RUNNING, started_at=now, progress=5)
    )


def _progress(run_id: int, percent: int) -> None:
    # Outside any transaction on purpose: the page polling the run sees each step as it happens.
    ReportRun.objects.filter(pk=run_id).update(progress=percent)


def report_run_execute(*, run_id: int) -> str:
    """Compute the run's report and store its files. Safe to call twice: a claimed or finished run is left."""
    if not _claim(run_id):
        return "already handled"
    run = ReportRun.objects.select_related("requested_by").get(pk=run_id)
    definition = BY_KIND[run.kind]
    try:
        # A worker has no request: the files are written in the language the run was asked in.
        with override(run.language or settings.LANGUAGE_CODE):
            files = _files(definition, run)
        _finish(run=run, files=files)
    except Exception:
        logger.exception("report run %s failed", run_id)
        ReportRun.objects.filter(pk=run_id).update(
            status=RunStatus.FAILED, error=ERR_FAILED, finished_at=timezone.now()
        )
        return "failed"
    return "done"


def _files(definition: Any, run: ReportRun) -> list[tuple[str, str, bytes]]:
    """Compute the report and render its downloads: a CSV per table, the XLSX and the PDF."""
    run_id = run.pk
    form = definition.form(data=run.parameters)
    if not form.is_valid():
        raise ValueError(f"stored parameters no longer valid: {form.errors.as_json()}")
    report = definition.compute(form, as_of=run.as_of)
    _progress(run_id, 40)
    stem = slugify(f"{definition.slug}-{report.subtitle}")[:80] or definition.slug
    files: list[tuple[str, str, bytes]] = [
        (FileFormat.CSV, f"{stem}-{table.key}.csv", table_csv(table)) for table in report.tables
    ]
    _progress(run_id, 55)
    files.append((FileFormat.XLSX, f"{stem}.xlsx", report_xlsx(report)))
    _progress(run_id, 70)
    files.append((FileFormat.PDF, f"{stem}.pdf", report_pdf(report)))
    _progress(run_id, 95)
    return files


@transaction.atomic(durable=True)
def _finish(*, run: ReportRun, files: list[tuple[str, str, bytes]]) -> None:
    # Lock the run: a second worker that took over a stale run must not store a second set of files.
    locked = ReportRun.objects.select_for_update().get(pk=run.pk)
    if locked.status != RunStatus.RUNNING or locked.files.exists():
        return
    digests = []
    for fmt, name, content in files:
        digest = hashlib.sha256(content).hexdigest()
        digests.append(f"{digest}  {name}")
        stored = ReportFile(run=locked, format=fmt, name=name, sha256=digest, size=len(content))
        stored.file.save(name, ContentFile(content), save=False)
        stored.save()
    # The run's checksum covers every file's checksum and name, in order, like a `sha256sum` manifest.
    locked.sha256 = hashlib.sha256("\n".join(digests).encode()).hexdigest()
    locked.status = RunStatus.DONE
    locked.progress = 100
    locked.finished_at = timezone.now()
    locked.save(update_fields=["sha256", "status", "progress", "finished_at"])
    record(
        actor=locked.requested_by,
        verb=Verb.REPORT_GENERATED,
        target=locked,
        payload={
            "kind": locked.kind,
            "parameters": locked.parameters,
            "as_of": locked.as_of.isoformat(),
            "confidential": locked.confidential,
            "sha256": locked.sha256,
            "files": digests,
        },
    )
