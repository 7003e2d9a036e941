"""The benchmark runner of issue 8 (bench/README.md):

    DJANGO_SETTINGS_MODULE=config.settings.bench .venv/bin/python bench/run.py \
        [--only queue,case,api,reports,dashboard,sweep,audit]
        [--reports annual,shares,processing,treaty,monthly,monthly-confidential,un-register,others]
        [--repeat 30] [--json bench/results/NAME.json]

Measures against the database DATABASE_URL names (default register_bench), prints a markdown table with the
machine, PostgreSQL, data size and commit, and writes the same as JSON. A measurement that fails (an error
page, reports disagreeing with the SQL) is listed as failed and the others still run; the exit code is then 1.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
import traceback
from collections.abc import Callable
from dataclasses import asdict
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from bench.measure import Figure

ROOT = Path(__file__).resolve().parent.parent
SECTIONS = ("queue", "case", "api", "reports", "dashboard", "sweep", "audit")
SWEEP_TARGET_S = 5.0


def queue_figures(repeat: int) -> list[Figure]:
    from bench import pages
    from bench.fixtures import bench_officer

    results = pages.queue_results(bench_officer(), repeat=repeat)
    return pages.figures("1. Officer queue", results, target_ms=pages.PAGE_TARGET_MS)


def case_figures(repeat: int) -> list[Figure]:
    from bench import pages
    from bench.fixtures import bench_officer

    officer = bench_officer()
    # Issue 19 set the case page the queue's target; the panel it reads after itself has none of its own.
    page = pages.figures(
        "2. Case page", [pages.case_page_result(officer, repeat=repeat)], target_ms=pages.PAGE_TARGET_MS
    )
    panel = pages.figures("2. Case page", [pages.case_panel_result(officer, repeat=repeat)], target_ms=None)
    return page + panel


def dashboard_figures(repeat: int) -> list[Figure]:
    from bench import pages
    from bench.fixtures import bench_officer

    results = pages.dashboard_results(bench_officer(), repeat=repeat)
    return pages.figures("5b. Treaty dashboard", results, target_ms=pages.PAGE_TARGET_MS)


def api_figures(repeat: int) -> list[Figure]:
    from bench.api_load import api_figures as measure

    return measure()


REPORTS: list[str] = []  # --reports: which reports `reports` measures (default: all)


def report_figures(repeat: int) -> list[Figure]:
    from bench.report_times import REPORT_NAMES
    from bench.report_times import report_figures as measure

    # A report takes seconds at national scale: a tenth of the page repeats (at least 3) gives a stable median.
    return measure(repeat=max(3, repeat // 10), only=REPORTS or REPORT_NAMES)


def sweep_figures(repeat: int) -> list[Figure]:
    from bench.measure import Figure

    try:
        from bench import sweep  # written separately (issue 8, the deadline sweep)
    except ImportError:
        return [Figure("5. Deadline sweep", "deadline sweep", {}, note="skipped: bench/sweep.py is not there yet")]
    figures: dict[str, Any] = sweep.measure()
    seconds = figures.get("seconds")
    met = seconds < SWEEP_TARGET_S if isinstance(seconds, int | float) else None
    return [Figure("5. Deadline sweep", "deadline sweep", figures, target=f"< {SWEEP_TARGET_S:g} s", met=met)]


def audit_figures(repeat: int) -> list[Figure]:
    from audit.services import verify_chain
    from bench.measure import Figure

    started = time.perf_counter()
    result = verify_chain()
    seconds = time.perf_counter() - started
    if not result.ok:
        raise AssertionError(f"the audit chain does not verify: {result.problem} at #{result.first_broken_sequence}")
    figures = {
        "events": result.checked,
        "seconds": round(seconds, 2),
        "events_per_s": round(result.checked / seconds) if seconds else 0,
    }
    return [Figure("6. verify_audit_trail", "audit chain verification", figures)]


MEASUREMENTS: dict[str, Callable[[int], list[Figure]]] = {
    "queue": queue_figures,
    "case": case_figures,
    "api": api_figures,
    "reports": report_figures,
    "dashboard": dashboard_figures,
    "sweep": sweep_figures,
    "audit": audit_figures,
}


def collect(sections: list[str], *, repeat: int) -> tuple[list[Figure], bool]:
    """Every figure of the chosen sections, and whether all of them could be measured."""
    from bench.measure import Figure, load_average

    figures: list[Figure] = []
    ok = True
    for section in sections:
        print(f"measuring {section} …", file=sys.stderr, flush=True)
        try:
            before = load_average()
            measured = MEASUREMENTS[section](repeat)
            for figure in measured:  # the load of the machine beside each figure (bench/measure.py)
                figure.figures.setdefault("load_average", before)
                figure.figures["load_average_after"] = load_average()
            figures += measured
        except Exception as exc:  # one broken measurement must not cost the figures of the others
            traceback.print_exc()
            figures.append(Figure(section, "FAILED", {}, met=False, note=f"{type(exc).__name__}: {exc}"))
            ok = False
    return figures, ok


def describe(f: dict[str, Any]) -> str:
    text = _describe(f)
    if f.get("load_average"):
        text += f" · load {f['load_average'][0]}→{f.get('load_average_after', ['?'])[0]}"
    return text


def _describe(f: dict[str, Any]) -> str:
    if "p50_ms" in f:
        return f"p50 {f['p50_ms']} ms · p95 {f['p95_ms']} ms · {f['queries']} queries · {f['rows']} rows"
    if "requests_per_s" in f:
        pairs = f.get("pair_ratios")
        taken = (
            f"median of {len(pairs)} alternating pairs of {f['pair_seconds']} s: {', '.join(map(str, pairs))}"
            if pairs
            else f"{f['seconds']} s"
        )
        return (
            f"{f['requests_per_s']:.0f} req/s vs same-authentication constant page "
            f"{f['same_auth_requests_per_s']:.0f} req/s → **{f['ratio']:.2f}** ({taken}); vs plain trivial view "
            f"{f['trivial_requests_per_s']:.0f} req/s → {f['ratio_plain']:.2f} ({f['tool']}, {f['workers']} workers, "
            f"{f['connections']} connections)"
        )
    if "report_p50_ms" in f and "sql_p50_ms" not in f:  # a report without a yardstick (bench/report_times.py)
        return f"report {f['report_p50_ms']} ms · {f['rows']} rows · {f['parameters']}"
    if "report_p50_ms" in f:
        export = "export not timed" if f["export_ms"] is None else f"export {f['export_ms']} ms"
        return (
            f"report {f['report_p50_ms']} ms · SQL {f['sql_p50_ms']} ms → **{f['ratio']}×** · "
            f"CPU (Python + PostgreSQL backend) {f.get('report_cpu_ms')} · {f.get('sql_cpu_ms')} ms → "
            f"{f.get('cpu_ratio')}× · {export} · {f['rows_compared']} rows equal"
        )
    if "max_transaction_ms" in f:  # bench/sweep.py
        return (
            f"worst day {f.get('seconds')} s, {f.get('items')} items over {f.get('open_notifications'):,} open "
            f"notifications · longest transaction {f['max_transaction_ms']} ms, p95 {f.get('p95_transaction_ms')} ms"
        )
    return " · ".join(f"{key} {value}" for key, value in f.items() if not isinstance(value, list | dict))


def markdown(env: dict[str, Any], figures: list[Figure], command: str) -> str:
    verdict = {True: "met", False: "**missed**", None: ""}
    lines = [
        f"Benchmark of {env['taken_at']} on `{env['database']}`: **{env['applications']:,} applications**",
        "",
        f"- Machine: {env['nproc']} CPUs, {env['cpu']}; PostgreSQL {env['postgresql']}; Python {env['python']}",
        f"- Commit: {env['commit']}; load average at the start {env.get('load_average')}",
        f"- Command: `{command}`",
        "",
        "| Section | Measurement | Figures | Target | |",
        "|---|---|---|---|---|",
    ]
    for f in figures:
        text = describe(f.figures) + (f" ({f.note})" if f.note else "")
        lines.append(f"| {f.section} | {f.name} | {text} | {f.target} | {verdict[f.met]} |")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--only", default=",".join(SECTIONS), help="comma-separated: " + ",".join(SECTIONS))
    parser.add_argument("--repeat", type=int, default=30, help="timed requests per page, after 3 warm-ups")
    parser.add_argument("--json", type=Path, help="where to write the figures (default bench/results/DB-TIME.json)")
    parser.add_argument(
        "--reports",
        default="",
        help="with reports: comma-separated among annual,shares,processing,treaty,monthly,monthly-confidential,"
        "un-register,others (default: all)",
    )
    parser.add_argument("--no-export", action="store_true", help="with reports: skip the timed file export")
    args = parser.parse_args(argv)
    sections = [s.strip() for s in args.only.split(",") if s.strip()]
    unknown = set(sections) - set(SECTIONS)
    if unknown:
        parser.error(f"unknown sections: {', '.join(sorted(unknown))}")
    REPORTS[:] = [r.strip() for r in args.reports.split(",") if r.strip()]

    # As a script, Python puts bench/ first on the path; the project root must come first instead.
    sys.path[0:1] = [str(ROOT)]
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.bench")
    import django

    django.setup()
    from bench import report_times
    from bench.measure import environment
    from bench.report_times import REPORT_NAMES

    report_times.EXPORT_FILES = not args.no_export

    if set(REPORTS) - set(REPORT_NAMES):
        parser.error(f"unknown reports: {', '.join(sorted(set(REPORTS) - set(REPORT_NAMES)))}")
    env = environment()
    figures, ok = collect(sections, repeat=args.repeat)
    command = " ".join(["bench/run.py", *(argv if argv is not None else sys.argv[1:])])
    print(markdown(env, figures, command))
    path = args.json or ROOT / "bench" / "results" / f"{env['database']}-{time.strftime('%Y%m%d-%H%M%S')}.json"
    path.parent.mkdir(parents=True, exist_ok=True)
    data = {"environment": env, "command": command, "figures": [asdict(f) for f in figures]}
    path.write_text(json.dumps(data, indent=2, default=str) + "\n")
    print(f"\nFigures written to {path}", file=sys.stderr)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
