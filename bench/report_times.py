"""Measurement 4: the annual report, the NATO/non-NATO report and the processing-times report for one year,
computed by the reports' own functions (no Celery, no page), against the best hand-written SQL for the same
numbers (bench/reports_sql.py: licence-level membership flags joined once, GROUPING SETS, calendar joins),
run under the same session settings as the reports (reports.queries.base.report_session: JIT off, work_mem).

The runner first asserts both give equal numbers, so the ratio compares like with like; then it times each,
and once the report's file export (every CSV, the XLSX and the PDF, as a report run stores them).
"""

from __future__ import annotations

import time
from collections.abc import Callable
from datetime import date
from typing import Any

from django.db.models import Count
from django.db.models.functions import Coalesce, ExtractYear

from licensing.models import Decision, DecisionStatus
from parties.models import Bloc
from reports.exports import report_pdf, report_xlsx, table_csv
from reports.queries.annual import annual_report
from reports.queries.processing import processing_times
from reports.queries.shares import export_shares
from reports.tables import Report

from . import reports_sql
from .measure import Figure, timed

RATIO_TARGET = 1.5
WARMUP = 1  # a report takes seconds at national scale; one untimed run fills the caches
SECONDS_TARGET = 2.0


def busiest_year() -> int:
    """The year with the most final decisions: the largest report an analyst can ask for."""
    busiest = (
        Decision.objects.filter(status=DecisionStatus.FINAL)
        .annotate(year=ExtractYear(Coalesce("countersigned_at", "proposed_at")))
        .values("year")
        .annotate(n=Count("pk"))
        .order_by("-n", "-year")
        .first()
    )
    if busiest is None:
        raise AssertionError("The register has no decisions: load it first (bench/README.md)")
    return int(busiest["year"])


def _export(report: Report) -> None:
    for table in report.tables:
        table_csv(table)
    report_xlsx(report)
    report_pdf(report)


def compare(
    name: str,
    compute: Callable[[], Report],
    sql: Callable[[], reports_sql.Numbers],
    *,
    repeat: int,
    year: int,
    numbers: Callable[[Report], reports_sql.Numbers] = reports_sql.report_numbers,
) -> Figure:
    report = compute()
    actual = sql()
    # Tables the yardstick SQL does not compute (issue 16's end destinations, production share) have their own
    # hand-SQL tests in tests/reports; here only the tables both sides compute are compared.
    expected = {key: rows for key, rows in numbers(report).items() if key in actual}
    problems = reports_sql.differences(expected, actual)
    if problems:
        raise AssertionError(f"{name}: the report and the SQL disagree:\n" + "\n".join(problems[:20]))
    report_time = timed(compute, repeat=repeat, warmup=WARMUP)
    sql_time = timed(sql, repeat=repeat, warmup=WARMUP)
    started = time.perf_counter()
    _export(report)
    export_ms = round((time.perf_counter() - started) * 1000, 1)
    ratio = round(report_time.p50_ms / sql_time.p50_ms, 2) if sql_time.p50_ms else float("inf")
    figures: dict[str, Any] = {
        "report_p50_ms": report_time.p50_ms,
        "sql_p50_ms": sql_time.p50_ms,
        "ratio": ratio,
        "export_ms": export_ms,
        "year": year,
        "rows_compared": sum(len(rows) for rows in expected.values()),
    }
    return Figure(
        section="4. Reports vs raw SQL",
        name=name,
        figures=figures,
        target=f"≤ {RATIO_TARGET}× SQL and < {SECONDS_TARGET:g} s",
        met=ratio <= RATIO_TARGET and report_time.p50_ms < SECONDS_TARGET * 1000,
        note="export (CSV, XLSX, PDF) timed once, not in the target",
    )


def report_figures(*, repeat: int) -> list[Figure]:
    year = busiest_year()
    return [
        compare(
            f"annual report {year}",
            lambda: annual_report(year=year),
            lambda: reports_sql.annual_sql(year),
            repeat=repeat,
            year=year,
        ),
        compare(
            f"NATO/non-NATO shares {year}",
            lambda: export_shares(date_from=date(year, 1, 1), date_to=date(year, 12, 31), bloc=Bloc.NATO),
            lambda: reports_sql.shares_sql(date(year, 1, 1), date(year, 12, 31), Bloc.NATO),
            repeat=repeat,
            year=year,
        ),
        compare(
            f"processing times {year}",
            lambda: processing_times(date_from=date(year, 1, 1), date_to=date(year, 12, 31)),
            lambda: reports_sql.processing_sql(date(year, 1, 1), date(year, 12, 31)),
            repeat=repeat,
            year=year,
            numbers=reports_sql.processing_numbers,
        ),
    ]
