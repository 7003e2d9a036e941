"""Requesting and executing report runs: who may, what a failure leaves behind, and running twice."""

from __future__ import annotations

from datetime import date

import pytest

from audit.models import AuditEvent, Verb
from core.exceptions import DomainValidationError, NotAllowed
from reports import definitions
from reports.models import ReportRun, RunStatus
from reports.queries.snapshot import end_of_day
from reports.services import ERR_FAILED, ERR_NOT_ALLOWED, ERR_PARAMETERS, report_run_execute, report_run_request

pytestmark = pytest.mark.django_db


def test_run_freezes_the_chosen_day_as_its_moment_when_as_of_is_given(analyst):
    run = report_run_request(actor=analyst, slug="shares", parameters={
        "date_from": "2024-01-01", "date_to": "2024-12-31", "bloc": "EU", "as_of": "2025-01-15"})  # fmt: skip

    assert run.as_of == end_of_day(date(2025, 1, 15))
    assert run.parameters == {"date_from": "2024-01-01", "date_to": "2024-12-31", "bloc": "EU"}
    assert (run.status, run.confidential) == (RunStatus.QUEUED, False)


def test_exporters_may_not_request_a_run_when_they_try_through_the_service(exporter_a):
    with pytest.raises(NotAllowed, match=str(ERR_NOT_ALLOWED)):
        report_run_request(actor=exporter_a, slug="annual", parameters={"year": "2024"})


def test_reporting_staff_may_not_request_the_confidential_overview(analyst):
    with pytest.raises(NotAllowed):
        report_run_request(actor=analyst, slug="monthly-confidential", parameters={"year": "2024", "month": "3"})


def test_run_request_is_refused_with_field_errors_when_the_period_is_reversed(analyst):
    with pytest.raises(DomainValidationError, match=str(ERR_PARAMETERS)) as refused:
        report_run_request(actor=analyst, slug="processing", parameters={
            "date_from": "2024-12-31", "date_to": "2024-01-01"})  # fmt: skip

    assert "date_to" in refused.value.field_errors


def test_run_is_marked_failed_without_files_or_audit_when_the_report_breaks(analyst, monkeypatch):
    run = report_run_request(actor=analyst, slug="annual", parameters={"year": "2024"})

    def broken(**kwargs):  # type: ignore[no-untyped-def]
        raise RuntimeError("database went away")

    annual = definitions.DEFINITIONS["annual"]
    monkeypatch.setitem(definitions.BY_KIND, "annual", annual.__class__(**{**annual.__dict__, "build": broken}))

    assert report_run_execute(run_id=run.pk) == "failed"
    run.refresh_from_db()
    assert (run.status, run.error, run.sha256) == (RunStatus.FAILED, ERR_FAILED, "")
    assert not run.files.exists()
    assert not AuditEvent.objects.filter(verb=Verb.REPORT_GENERATED).exists()


def test_executing_a_run_twice_stores_its_files_once(analyst, register):
    run = report_run_request(actor=analyst, slug="monthly", parameters={"year": "2024", "month": "3"})

    assert report_run_execute(run_id=run.pk) == "done"
    assert report_run_execute(run_id=run.pk) == "already handled"
    assert ReportRun.objects.get(pk=run.pk).files.count() == 5  # 3 CSV tables (decisions, summary, changes), XLSX, PDF
    assert AuditEvent.objects.filter(verb=Verb.REPORT_GENERATED).count() == 1


def test_a_second_run_with_the_same_moment_gives_the_same_csv_and_xlsx_checksums(analyst, register):
    parameters = {"year": "2024", "as_of": "2024-12-31"}
    first = report_run_request(actor=analyst, slug="annual", parameters=parameters)
    second = report_run_request(actor=analyst, slug="annual", parameters=parameters)
    report_run_execute(run_id=first.pk)
    report_run_execute(run_id=second.pk)

    def digests(run: ReportRun) -> dict[str, str]:
        return {f.name: f.sha256 for f in run.files.exclude(format="pdf")}

    assert digests(first) == digests(second)
