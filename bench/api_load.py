"""Measurement 3: API list throughput under gunicorn with 2 workers, as a ratio to two trivial views
(bench/urls.py) served by the same server in the same run:

- the yardstick of the target: a DRF view that authenticates the same way as the endpoint (session cookie or
  `Authorization: Token`), checks the same capability and answers a constant page of the same number of rows;
  the ratio to it is what the endpoint's own work costs (its queries, its serialiser, its paging);
- the plain trivial view (no authentication, `{"ok": true}`): the framework's ceiling on this machine, kept
  for comparison with the first benchmark rounds.

Each endpoint is paired with runs of both views sending the same credentials. The endpoint and its
same-authentication page take turns (PAIRS pairs of PAIR_SECONDS each, the order alternating), and the ratio is
the median of the pairs' ratios: the speed of a shared virtual machine drifts over a minute (the constant page
alone measured 406 to 600 requests/s in four back-to-back runs of the same code), and one 10-second run of each,
taken one after the other, measured the drift as much as the endpoint. The load generator is
wrk when installed (Debian package `wrk`), else a thread pool of keep-alive http.client connections. Either
way it runs on the same cores as gunicorn and PostgreSQL, so absolute requests/s are lower than on a server
with the load coming from elsewhere; the ratio is the figure to compare.
"""

from __future__ import annotations

import http.client
import json
import os
import re
import shutil
import socket
import statistics
import subprocess
import time
import urllib.request
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass
from urllib.parse import urlsplit

from django.conf import settings
from django.urls import reverse

from .fixtures import bench_exporter_token, bench_officer
from .measure import ROOT, Figure, load_average
from .pages import officer_client

WORKERS = 2
CONNECTIONS = 4
SECONDS = 10
WARMUP_SECONDS = 2
PAIRS = 10
PAIR_SECONDS = 4
RATIO_TARGET = 0.5
TRIVIAL_PATH = "/bench/trivial/"
TRIVIAL_API_PATH = "/bench/trivial-api/{capability}/?rows={rows}"


@dataclass(frozen=True)
class Load:
    requests_per_s: float
    failed: int  # non-2xx answers and socket errors
    tool: str


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@contextmanager
def gunicorn_server() -> Iterator[str]:
    """gunicorn with the runner's settings and database, on a free local port, stopped afterwards."""
    port = _free_port()
    command = [
        str(ROOT / ".venv" / "bin" / "gunicorn") if (ROOT / ".venv" / "bin" / "gunicorn").exists() else "gunicorn",
        "config.wsgi:application",
        f"--workers={WORKERS}",
        f"--bind=127.0.0.1:{port}",
        "--log-level=warning",
    ]
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": os.environ.get("DJANGO_SETTINGS_MODULE", "config.settings.bench")}
    process = subprocess.Popen(command, cwd=ROOT, env=env)  # noqa: S603
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                with urllib.request.urlopen(base + TRIVIAL_PATH, timeout=2) as response:  # noqa: S310
                    if response.status == 200:
                        break
            except OSError:
                pass
            if process.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"gunicorn did not start on port {port}")
            time.sleep(0.2)
        yield base
    finally:
        process.terminate()
        process.wait(timeout=30)


def _check_list(url: str, headers: dict[str, str]) -> int:
    """The endpoint answers 200 with rows, so the load test does not measure an error page."""
    request = urllib.request.Request(url, headers=headers)  # noqa: S310
    with urllib.request.urlopen(request, timeout=30) as response:  # noqa: S310
        body = json.load(response)
    rows = len(body.get("results", []))
    if not rows:
        raise AssertionError(f"{url} returned no rows")
    return rows


def _wrk(url: str, headers: dict[str, str], seconds: int) -> Load:
    command = ["wrk", f"-t{min(2, CONNECTIONS)}", f"-c{CONNECTIONS}", f"-d{seconds}s"]
    for name, value in headers.items():
        command += ["-H", f"{name}: {value}"]
    out = subprocess.run([*command, url], capture_output=True, text=True, check=True).stdout  # noqa: S603
    rate = re.search(r"Requests/sec:\s+([\d.]+)", out)
    if rate is None:
        raise RuntimeError(f"could not read wrk's output:\n{out}")
    non_2xx = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", out)
    errors = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", out)
    # Read errors are gunicorn's sync workers closing the connection after each answer, not failures.
    failed = int(non_2xx.group(1)) if non_2xx else 0
    if errors:
        failed += int(errors.group(1)) + int(errors.group(3)) + int(errors.group(4))
    return Load(float(rate.group(1)), failed, "wrk")


def _python_load(url: str, headers: dict[str, str], seconds: int) -> Load:
    parts = urlsplit(url)
    path = parts.path + (f"?{parts.query}" if parts.query else "")
    deadline = time.perf_counter() + seconds

    def connection_loop(_: int) -> tuple[int, int]:
        ok = failed = 0
        conn = http.client.HTTPConnection(parts.hostname or "127.0.0.1", parts.port, timeout=30)
        while time.perf_counter() < deadline:
            conn.request("GET", path, headers=headers)
            response = conn.getresponse()
            response.read()
            if response.status == 200:
                ok += 1
            else:
                failed += 1
        conn.close()
        return ok, failed

    started = time.perf_counter()
    with ThreadPoolExecutor(CONNECTIONS) as pool:
        counts = list(pool.map(connection_loop, range(CONNECTIONS)))
    elapsed = time.perf_counter() - started
    return Load(round(sum(ok for ok, _ in counts) / elapsed, 1), sum(f for _, f in counts), "python http.client")


def load(url: str, headers: dict[str, str], seconds: int = SECONDS, *, warm_up: bool = True) -> Load:
    run = _wrk if shutil.which("wrk") else _python_load
    if warm_up:
        run(url, headers, WARMUP_SECONDS)
    result = run(url, headers, seconds)
    if result.failed:
        raise AssertionError(f"{url}: {result.failed} requests failed under load")
    return result


@dataclass(frozen=True)
class Pairs:
    """The endpoint against its yardstick in alternating runs: each pair's ratio, and their median."""

    endpoint: list[float]  # requests/s of each run
    yardstick: list[float]

    @property
    def ratios(self) -> list[float]:
        return [round(e / y, 3) for e, y in zip(self.endpoint, self.yardstick, strict=True)]

    @property
    def ratio(self) -> float:
        return round(statistics.median(self.ratios), 3)


def paired_load(endpoint_url: str, yardstick_url: str, headers: dict[str, str], *, pairs: int, seconds: int) -> Pairs:
    """`pairs` runs of each URL, taking turns (ABBA...), after one warm-up of each."""
    for url in (endpoint_url, yardstick_url):
        load(url, headers, WARMUP_SECONDS, warm_up=False)
    endpoint: list[float] = []
    yardstick: list[float] = []
    for pair in range(pairs):
        order = [(endpoint_url, endpoint), (yardstick_url, yardstick)]
        for url, runs in order if pair % 2 == 0 else reversed(order):
            runs.append(load(url, headers, seconds, warm_up=False).requests_per_s)
    return Pairs(endpoint, yardstick)


def api_figures(*, seconds: int = SECONDS) -> list[Figure]:
    officer_cookie = officer_client_cookie()
    exporter, token = bench_exporter_token()
    endpoints = [
        ("officer: case list", reverse("licensing_api:cases"), {"Cookie": officer_cookie}, "casework.use"),
        (
            f"exporter: applications of {exporter.organisation}",
            reverse("licensing_api:applications"),
            {"Authorization": f"Token {token.key}"},
            "portal.use",
        ),
    ]
    results = []
    with gunicorn_server() as base:
        for name, path, headers, capability in endpoints:
            rows = _check_list(base + path, headers)
            same_auth_url = base + TRIVIAL_API_PATH.format(capability=capability, rows=rows)
            if _check_list(same_auth_url, headers) != rows:
                raise AssertionError(f"{same_auth_url} does not answer {rows} rows")
            load_before = load_average()
            trivial = load(base + TRIVIAL_PATH, headers, seconds)
            paired = paired_load(base + path, same_auth_url, headers, pairs=PAIRS, seconds=PAIR_SECONDS)
            endpoint_rate = round(statistics.mean(paired.endpoint), 1)
            ratio = paired.ratio
            results.append(
                Figure(
                    section="3. API under gunicorn",
                    name=f"{name} ({path})",
                    figures={
                        "requests_per_s": endpoint_rate,
                        "same_auth_requests_per_s": round(statistics.mean(paired.yardstick), 1),
                        "ratio": ratio,
                        "pair_ratios": paired.ratios,
                        "pairs": {"endpoint": paired.endpoint, "same_auth": paired.yardstick},
                        "trivial_requests_per_s": trivial.requests_per_s,
                        "ratio_plain": round(endpoint_rate / trivial.requests_per_s, 3),
                        "load_average_before": load_before,
                        "load_average": load_average(),
                        "rows": rows,
                        "workers": WORKERS,
                        "connections": CONNECTIONS,
                        "seconds": seconds,
                        "pair_seconds": PAIR_SECONDS,
                        "tool": "wrk" if shutil.which("wrk") else "python http.client",
                    },
                    target=f"ratio ≥ {RATIO_TARGET} (same authentication, constant page)",
                    met=ratio >= RATIO_TARGET,
                    note="load generator shares the machine's cores with gunicorn and PostgreSQL",
                )
            )
    return results


def officer_client_cookie() -> str:
    """A logged-in officer's session cookie: officers use the API from their browser session."""
    client = officer_client(bench_officer())
    return f"{settings.SESSION_COOKIE_NAME}={client.cookies[settings.SESSION_COOKIE_NAME].value}"
