"""Machine-independent evidence for the report measurements: per statement a report (or its yardstick) runs,
PostgreSQL's own account from EXPLAIN (ANALYZE, BUFFERS) - shared buffers hit and read, the rows, the time -
re-run under the reports' session settings. Buffer counts do not depend on the load of a shared machine.

    DJANGO_SETTINGS_MODULE=config.settings.bench .venv/bin/python bench/buffers.py [--year 2024] \
        [--only "treaty report,treaty SQL"] [--json FILE]
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent


def statements(call: Callable[[], Any]) -> list[str]:
    """The SELECT statements `call` runs (parameters bound), in order."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        call()
    return [
        q["sql"] for q in captured.captured_queries if q["sql"].lstrip().upper().startswith(("SELECT", "WITH", "("))
    ]


def explained(sql: str) -> dict[str, Any]:
    """EXPLAIN (ANALYZE, BUFFERS) of one statement under the reports' session settings."""
    from django.db import connection, transaction

    from reports.queries.base import apply_report_settings

    with transaction.atomic():
        apply_report_settings()
        with connection.cursor() as cursor:
            cursor.execute("EXPLAIN (ANALYZE, BUFFERS, FORMAT JSON) " + sql)
            plan = cursor.fetchone()[0][0]
    top = plan["Plan"]
    return {
        "ms": round(plan["Execution Time"] + plan.get("Planning Time", 0), 1),
        "shared_hit": top.get("Shared Hit Blocks", 0),
        "shared_read": top.get("Shared Read Blocks", 0),
        "temp_written": top.get("Temp Written Blocks", 0),
        "rows": top.get("Actual Rows", 0),
        "sql": sql[:120],
    }


def account(call: Callable[[], Any], *, over_ms: float = 5.0) -> dict[str, Any]:
    """Sums over the statements of `call` (statements under `over_ms` are counted, not listed)."""
    rows = [explained(sql) for sql in statements(call)]
    return {
        "statements": len(rows),
        "ms": round(sum(r["ms"] for r in rows), 1),
        "shared_buffers": sum(r["shared_hit"] + r["shared_read"] for r in rows),
        "temp_written": sum(r["temp_written"] for r in rows),
        "largest": [r for r in sorted(rows, key=lambda r: -r["ms"]) if r["ms"] >= over_ms][:5],
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--year", type=int, help="default: the year with the most final decisions")
    parser.add_argument("--only", help="comma-separated names of the calls to account for (default: all)")
    parser.add_argument("--json", type=Path)
    args = parser.parse_args(argv)
    sys.path[0:1] = [str(ROOT)]
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.bench")
    import django

    django.setup()
    from datetime import date

    from bench import reports_sql
    from bench.measure import load_average
    from bench.report_times import busiest_year, treaty_years
    from parties.models import Bloc
    from reports.queries.annual import annual_report
    from reports.queries.processing import processing_times
    from reports.queries.shares import export_shares
    from reports.queries.treaty import treaty_transparency

    year = args.year or busiest_year()
    first, last = date(year, 1, 1), date(year, 12, 31)
    years = treaty_years()
    calls: dict[str, Callable[[], Any]] = {
        "annual report": lambda: annual_report(year=year),
        "annual SQL": lambda: reports_sql.annual_sql(year),
        "shares report": lambda: export_shares(date_from=first, date_to=last, bloc=Bloc.NATO),
        "shares SQL": lambda: reports_sql.shares_sql(first, last, Bloc.NATO),
        "processing report": lambda: processing_times(date_from=first, date_to=last),
        "processing SQL": lambda: reports_sql.processing_sql(first, last),
        "treaty report": lambda: treaty_transparency(year_from=years[0], year_to=years[1]),
        "treaty SQL": lambda: reports_sql.treaty_sql(*years),
    }
    if args.only:
        wanted = [name.strip() for name in args.only.split(",") if name.strip()]
        unknown = set(wanted) - set(calls)
        if unknown:
            parser.error(f"unknown names: {', '.join(sorted(unknown))}; choose from: {', '.join(calls)}")
        calls = {name: calls[name] for name in wanted}
    result: dict[str, Any] = {"year": year, "load_average": load_average()}
    for name, call in calls.items():
        call()  # warm the caches, build the working calendar
        result[name] = account(call)
        print(
            f"{name:20} {result[name]['statements']:3} statements {result[name]['ms']:9.1f} ms "
            f"{result[name]['shared_buffers']:10} buffers",
            file=sys.stderr,
        )
    result["load_average_after"] = load_average()
    text = json.dumps(result, indent=2, default=str)
    if args.json:
        args.json.write_text(text + "\n")
    print(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
