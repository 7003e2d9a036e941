"""A real Celery worker on the real Redis produces a report run's files, once."""

from __future__ import annotations

import hashlib

import pytest
from celery.contrib.testing.worker import start_worker

from config.celery import app
from reports.models import ReportRun, RunStatus
from reports.services import report_run_request
from reports.tasks import report_run_execute_task

from . import builders as b


@pytest.fixture
def celery_worker_on_redis(settings):  # type: ignore[no-untyped-def]
    app.conf.task_always_eager = False
    with start_worker(app, pool="solo", perform_ping_check=False, loglevel="WARNING") as worker:
        yield worker
    app.conf.task_always_eager = True


@pytest.mark.celery_worker
@pytest.mark.django_db(transaction=True)
def test_worker_stores_the_files_with_checksums_once_when_the_task_is_delivered_twice(
    celery_worker_on_redis, analyst, org_a, officer
):
    b.licence(organisation=org_a, officer=officer, destination="SE", issued="2024-02-01",
              goods=[("ML5", "100000")], received="2024-01-10")  # fmt: skip

    run = report_run_request(actor=analyst, slug="annual", parameters={"year": "2024"})  # enqueued on commit
    # Deliver it again, as Redis does after a lost acknowledgement; the solo worker runs the two in turn.
    assert report_run_execute_task.delay(run.pk).get(timeout=120) in {"done", "already handled"}

    run = ReportRun.objects.get(pk=run.pk)
    assert run.status == RunStatus.DONE and run.progress == 100
    files = list(run.files.order_by("id"))
    assert [f.format for f in files] == ["csv"] * 7 + ["xlsx", "pdf"]
    for stored in files:
        with stored.file.open("rb") as handle:
            assert hashlib.sha256(handle.read()).hexdigest() == stored.sha256
    manifest = "\n".join(f"{f.sha256}  {f.name}" for f in files)
    assert run.sha256 == hashlib.sha256(manifest.encode()).hexdigest()
