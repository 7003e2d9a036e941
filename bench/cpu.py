"""CPU per request of the API lists, their same-authentication constant pages and the big case page, in-process.

On a shared machine the requests per second of bench/api_load.py and the page times of bench/pages.py move with
everyone else's load; the CPU a request burns moves much less. This serves each URL with django.test.Client
(no HTTP server, no load generator) and reports, per request, the Python process time and the PostgreSQL
backend's CPU time (read from /proc/<backend pid>/stat, so only where PostgreSQL runs on this machine), with the
number of queries. The ratio compares endpoint and constant page as bench/api_load.py does.

    DJANGO_SETTINGS_MODULE=config.settings.bench .venv/bin/python bench/cpu.py [--repeat 200] [--json PATH]
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

if __name__ == "__main__":
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    import django

    django.setup()

from django.db import connection, reset_queries
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from bench.fixtures import bench_exporter_token, bench_officer, big_case
from bench.measure import backend_cpu_ms, load_average


def _per_request(client: Client, url: str, repeat: int) -> dict[str, Any]:
    for _ in range(3):
        client.get(url)
    reset_queries()  # the request resets the log (request_started): start the capture at 0 so nothing is lost
    with CaptureQueriesContext(connection) as captured:
        status = client.get(url).status_code
    queries = len(captured.captured_queries)  # now: the next request empties the log this reads from
    if status != 200:
        raise AssertionError(f"{url} answered {status}")
    rounds = []
    for _ in range(5):  # five rounds (PostgreSQL counts CPU in 10 ms ticks); the median round is the figure
        backend, python = backend_cpu_ms(), time.process_time()
        for _ in range(repeat // 5):
            client.get(url)
        rounds.append(
            (
                (time.process_time() - python) * 1000 / (repeat // 5),
                (backend_cpu_ms() - backend) / (repeat // 5),
            )
        )
    py = statistics.median(r[0] for r in rounds)
    pg = statistics.median(r[1] for r in rounds)
    return {
        "python_ms": round(py, 2),
        "postgres_ms": round(pg, 2),
        "total_ms": round(py + pg, 2),
        "queries": queries,
    }


def measure(repeat: int) -> dict[str, Any]:
    officer = bench_officer()
    _, token = bench_exporter_token()
    session = Client()
    session.force_login(officer)
    tokened = Client(HTTP_AUTHORIZATION=f"Token {token.key}")
    pairs = [
        ("officer: case list", session, reverse("licensing_api:cases"), "casework.use"),
        ("exporter: applications", tokened, reverse("licensing_api:applications"), "portal.use"),
    ]
    out: dict[str, Any] = {"load_average": load_average(), "repeat": repeat, "figures": {}}
    for name, client, url, capability in pairs:
        endpoint = _per_request(client, url, repeat)
        constant = _per_request(client, f"/bench/trivial-api/{capability}/?rows=25", repeat)
        out["figures"][name] = {
            "endpoint": endpoint,
            "same_auth_constant_page": constant,
            "cpu_ratio": round(constant["total_ms"] / endpoint["total_ms"], 3),
        }
    case_url = reverse("casework:case_detail", args=[big_case(officer).pk])
    out["figures"]["case page: BENCH-CASE-50"] = _per_request(session, case_url, max(20, repeat // 10))
    out["load_average_after"] = load_average()
    return out


def run_cli(measure: Callable[[int], dict[str, Any]], *, doc: str | None, repeat: int) -> None:
    """The command line of the CPU measurements: --repeat, --json; the figures to standard output."""
    parser = argparse.ArgumentParser(description=doc, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--repeat", type=int, default=repeat)
    parser.add_argument("--json", type=Path)
    args = parser.parse_args()
    text = json.dumps(measure(args.repeat), indent=2)
    print(text)
    if args.json:
        args.json.write_text(text + "\n")


def main() -> None:
    run_cli(measure, doc=__doc__, repeat=200)


if __name__ == "__main__":
    main()
