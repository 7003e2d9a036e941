"""Measurement 4: the annual report, the NATO/non-NATO report, the processing-times report and the UN Register
report for one year, the monthly overview (published and confidential) for the busiest month of that year, and
the treaty transparency report for its default years, computed by the reports' own functions (no Celery, no
page), against the best hand-written SQL for the same numbers (bench/reports_sql.py: licence-level membership
flags joined once, GROUPING SETS, calendar joins; bench/monthly_sql.py, bench/un_register_sql.py), run under the
same session settings as the reports (reports.queries.base.report_session:
REPORT_SETTINGS).

The runner first asserts both give equal numbers, so the ratio compares like with like; then it times each,
and once the report's file export (every CSV, the XLSX and the PDF, as a report run stores them).
"""

from __future__ import annotations

import functools
import time
from collections.abc import Callable, Collection
from datetime import date
from typing import Any

from django.db.models import Count
from django.db.models.functions import Coalesce, ExtractMonth, ExtractYear

from licensing.models import Decision, DecisionStatus
from parties.models import Bloc
from reports.exports import report_pdf, report_xlsx, table_csv
from reports.queries.annual import YEARS_BACK, annual_report
from reports.queries.monthly import monthly_overview
from reports.queries.processing import processing_times
from reports.queries.shares import export_shares
from reports.queries.treaty import treaty_transparency
from reports.queries.un_register import un_register_report
from reports.tables import Report

from . import monthly_sql, reports_sql, un_register_sql
from .measure import Figure, cpu_per_call, timed

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


def busiest_month(year: int) -> int:
    """The month of `year` with the most final decisions: the longest monthly overview of that year."""
    busiest = (
        Decision.objects.filter(status=DecisionStatus.FINAL)
        .annotate(decided=Coalesce("countersigned_at", "proposed_at"))
        .annotate(year=ExtractYear("decided"), month=ExtractMonth("decided"))
        .filter(year=year)
        .values("month")
        .annotate(n=Count("pk"))
        .order_by("-n", "-month")
        .first()
    )
    return int(busiest["month"]) if busiest else 1


def treaty_years() -> tuple[int, int]:
    """The treaty report's default years (its form's: the last four, this one included)."""
    from django.utils import timezone

    from reports.forms import YearRangeForm

    initial = YearRangeForm.initial_values(timezone.localdate())
    return int(initial["year_from"]), int(initial["year_to"])


# Off with `bench/run.py --no-export`: at 1M the monthly overview's PDF alone takes minutes (WeasyPrint, one row per
# licence), which is a report run's business in Celery, not the figures' target.
EXPORT_FILES = True


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
    # Tables the yardstick SQL does not compute (the annual report's general licence use) have their own tests in
    # tests/reports; here every table both sides compute is compared.
    expected = {key: rows for key, rows in numbers(report).items() if key in actual}
    problems = reports_sql.differences(expected, actual)
    if problems:
        raise AssertionError(f"{name}: the report and the SQL disagree:\n" + "\n".join(problems[:20]))
    report_time = timed(compute, repeat=repeat, warmup=WARMUP)
    sql_time = timed(sql, repeat=repeat, warmup=WARMUP)
    # What each burns (Python + its PostgreSQL backend), which the machine's load moves much less than the time.
    report_cpu, sql_cpu = (sum(cpu_per_call(call, repeat=repeat)) for call in (compute, sql))
    export_ms: float | None = None
    if EXPORT_FILES:
        started = time.perf_counter()
        _export(report)
        export_ms = round((time.perf_counter() - started) * 1000, 1)
    ratio = round(report_time.p50_ms / sql_time.p50_ms, 2) if sql_time.p50_ms else float("inf")
    figures: dict[str, Any] = {
        "report_p50_ms": report_time.p50_ms,
        "sql_p50_ms": sql_time.p50_ms,
        "ratio": ratio,
        "export_ms": export_ms,
        "report_cpu_ms": round(report_cpu, 1),
        "sql_cpu_ms": round(sql_cpu, 1),
        "cpu_ratio": round(report_cpu / sql_cpu, 2) if sql_cpu else float("inf"),
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


def other_report_figures(*, repeat: int, covered: set[str]) -> list[Figure]:
    """Every other report of reports.definitions (accession, general-licence registrations, the confidential treaty
    report) with the parameters its form offers by default, timed against the 2 s target; they have no hand-written
    yardstick (their figures are few rows, tested by hand in tests/reports)."""
    from django.utils import timezone

    from reports.definitions import DEFINITIONS

    figures = []
    for slug, definition in DEFINITIONS.items():
        if slug in covered:
            continue
        form = definition.bind(None, today=timezone.localdate())
        if not form.is_valid():
            raise AssertionError(f"{slug}: the default parameters do not validate: {form.errors}")
        report = definition.compute(form, as_of=None)
        timing = timed(functools.partial(definition.compute, form, as_of=None), repeat=repeat, warmup=WARMUP)
        figures.append(
            Figure(
                section="4. Reports vs raw SQL",
                name=f"{slug} report (default parameters)",
                figures={
                    "report_p50_ms": timing.p50_ms,
                    "parameters": {k: str(v) for k, v in form.report_kwargs().items()},
                    "rows": sum(len(t.rows) for t in report.tables),
                },
                target=f"< {SECONDS_TARGET:g} s",
                met=timing.p50_ms < SECONDS_TARGET * 1000,
                note="no hand-written yardstick",
            )
        )
    return figures


# The reports with a yardstick, by the name `--reports` chooses them with (bench/run.py; the names of their
# definitions in reports.definitions); OTHERS: the rest.
YARDSTICKED = ("annual", "shares", "processing", "treaty", "monthly", "monthly-confidential", "un-register")
OTHERS = "others"
REPORT_NAMES = (*YARDSTICKED, OTHERS)


def report_figures(*, repeat: int, only: Collection[str] = REPORT_NAMES) -> list[Figure]:
    """The figures of the reports named in `only` (REPORT_NAMES)."""
    year = busiest_year()
    first, last = treaty_years()
    # The yardsticks read the destination flags kept on licences and refusals; they are the membership rule's
    # numbers only if every flag of the five years the annual report reads equals the rule (written by hand).
    disagreeing = reports_sql.flags_check(date(year - YEARS_BACK, 1, 1), date(year, 12, 31))
    if disagreeing != (0, 0):
        raise AssertionError(
            f"destination flags missing or not the membership rule's (licences, refusals): {disagreeing}"
        )
    # The per-year statements count and sum licences by their kept totals; the goods' numbers only if each total
    # is the sum of its licence's goods lines (written by hand).
    wrong_totals = reports_sql.totals_check(date(year - YEARS_BACK, 1, 1), date(year, 12, 31))
    if wrong_totals:
        raise AssertionError(f"licence totals not the sum of their goods lines: {wrong_totals} licences")
    measurements: dict[str, Callable[[], Figure]] = {
        "annual": lambda: compare(
            f"annual report {year}",
            lambda: annual_report(year=year),
            lambda: reports_sql.annual_sql(year),
            repeat=repeat,
            year=year,
        ),
        "shares": lambda: compare(
            f"NATO/non-NATO shares {year}",
            lambda: export_shares(date_from=date(year, 1, 1), date_to=date(year, 12, 31), bloc=Bloc.NATO),
            lambda: reports_sql.shares_sql(date(year, 1, 1), date(year, 12, 31), Bloc.NATO),
            repeat=repeat,
            year=year,
        ),
        "processing": lambda: compare(
            f"processing times {year}",
            lambda: processing_times(date_from=date(year, 1, 1), date_to=date(year, 12, 31)),
            lambda: reports_sql.processing_sql(date(year, 1, 1), date(year, 12, 31)),
            repeat=repeat,
            year=year,
            numbers=reports_sql.processing_numbers,
        ),
        "treaty": lambda: compare(
            f"treaty transparency {first}-{last}",
            lambda: treaty_transparency(year_from=first, year_to=last),
            lambda: reports_sql.treaty_sql(first, last),
            repeat=repeat,
            year=last,
            numbers=reports_sql.treaty_numbers,
        ),
    }
    month = busiest_month(year)
    for confidential, name in ((False, "monthly"), (True, "monthly-confidential")):
        measurements[name] = functools.partial(
            compare,
            f"{name} overview {year}-{month:02d}",
            functools.partial(monthly_overview, year=year, month=month, confidential=confidential),
            functools.partial(monthly_sql.monthly_sql, year, month, confidential=confidential),
            repeat=repeat,
            year=year,
            numbers=monthly_sql.monthly_numbers,
        )
    measurements["un-register"] = lambda: compare(
        f"UN Register {year}",
        lambda: un_register_report(year=year),
        lambda: un_register_sql.un_register_sql(year),
        repeat=repeat,
        year=year,
        numbers=un_register_sql.un_register_numbers,
    )
    figures = [measure() for name, measure in measurements.items() if name in only]
    if OTHERS in only:
        figures += other_report_figures(repeat=repeat, covered=set(YARDSTICKED))
    return figures
