"""Per-statement times of the annual and the share report: one run of each after a warm-up, with every statement
over 50 ms listed with its time (Django's CaptureQueriesContext), so a change to one statement can be judged
without the noise of the whole report. The figures of docs/benchmarks.md, round 7 ("Per statement").

    DJANGO_SETTINGS_MODULE=config.settings.bench .venv/bin/python bench/statements.py [YEAR] [--explain]

With --explain, each such statement is run again under EXPLAIN (ANALYZE, BUFFERS) with the reports' session
settings, and its plan printed.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

if __name__ == "__main__":
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    import django

    django.setup()

from datetime import date

from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from bench.report_times import busiest_year
from reports.queries.annual import annual_report
from reports.queries.base import apply_report_settings
from reports.queries.shares import export_shares


def explain(sql: str, *, settings: dict[str, str]) -> None:
    with transaction.atomic(), connection.cursor() as cursor:
        apply_report_settings(settings)
        cursor.execute(f"EXPLAIN (ANALYZE, BUFFERS) {sql}")
        for (line,) in cursor.fetchall():
            print(f"      {line}")


def main() -> None:
    args = [a for a in sys.argv[1:] if not a.startswith("--")]
    year = int(args[0]) if args else busiest_year()
    # The session settings each report runs its statements with (reports.queries.base.report_session).
    sessions = {"annual": annual_report.report_settings, "shares": export_shares.report_settings}  # type: ignore[attr-defined]
    reports = {
        "annual": lambda: annual_report(year=year),
        "shares": lambda: export_shares(date_from=date(year, 1, 1), date_to=date(year, 12, 31)),
    }
    for name, report in reports.items():
        report()  # warm-up
        started = time.perf_counter()
        with CaptureQueriesContext(connection) as captured:
            report()
        print(f"{name} {year}: {(time.perf_counter() - started) * 1000:.0f} ms")
        for query in captured.captured_queries:
            if float(query["time"]) > 0.05:
                print(f"  {float(query['time']) * 1000:6.0f} ms  {query['sql'][:110]}")
                if "--explain" in sys.argv:
                    explain(query["sql"], settings=sessions[name])


if __name__ == "__main__":
    main()
