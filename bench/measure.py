"""What every measurement shares: the figure rows the runner prints, timing with percentiles, query counts, and
a description of the machine and data the figures were taken on."""

from __future__ import annotations

import math
import os
import platform
import subprocess
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.db import connection
from django.test.utils import CaptureQueriesContext

ROOT = Path(__file__).resolve().parent.parent
WARMUP = 3


@dataclass
class Figure:
    """One line of the results table: a measurement, its figures, and the issue's target where it sets one."""

    section: str
    name: str
    figures: dict[str, Any]
    target: str = ""
    met: bool | None = None  # None: no target, or nothing to judge
    note: str = ""


@dataclass
class Timing:
    seconds: list[float] = field(default_factory=list)

    def percentile(self, p: float) -> float:
        """Nearest-rank percentile in milliseconds (p95 of 30 runs is the 29th fastest)."""
        ordered = sorted(self.seconds)
        rank = max(1, math.ceil(p / 100 * len(ordered)))
        return round(ordered[rank - 1] * 1000, 1)

    @property
    def p50_ms(self) -> float:
        return self.percentile(50)

    @property
    def p95_ms(self) -> float:
        return self.percentile(95)


def timed(call: Callable[[], Any], *, repeat: int, warmup: int | None = None) -> Timing:
    """Run `call` warmup times (default WARMUP) untimed, for caches, connections and query plans, then `repeat`
    times timed."""
    for _ in range(WARMUP if warmup is None else warmup):
        call()
    timing = Timing()
    for _ in range(repeat):
        started = time.perf_counter()
        call()
        timing.seconds.append(time.perf_counter() - started)
    return timing


def backend_cpu_ms() -> float:
    """CPU time (user + system) the PostgreSQL backend of this connection has used, in ms, read from
    /proc/<backend pid>/stat: only where PostgreSQL runs on this machine. Counted in 10 ms ticks; parallel
    workers' CPU is not included."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        pid = cursor.fetchone()[0]
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) * 1000 / os.sysconf("SC_CLK_TCK")  # utime + stime


def cpu_per_call(call: Callable[[], Any], *, repeat: int) -> tuple[float, float]:
    """(Python process ms, PostgreSQL backend ms) of one call, averaged over `repeat` calls (after the caller's
    warm-up): what a call burns, which moves much less with the machine's load than its wall-clock time."""
    backend, python = backend_cpu_ms(), time.process_time()
    for _ in range(repeat):
        call()
    return (time.process_time() - python) * 1000 / repeat, (backend_cpu_ms() - backend) / repeat


def load_average() -> list[float]:
    """The machine's load average (1, 5, 15 minutes) now: recorded beside every figure, since the machine the
    benchmark runs on may be shared, and a figure taken at load 8 on 2 cores means something else than at 1."""
    try:
        return [round(x, 2) for x in os.getloadavg()]
    except OSError:
        return []


def query_count(call: Callable[[], Any]) -> int:
    """Queries of one call, counted in a run of its own: recording queries slows them, so timed runs do not."""
    with CaptureQueriesContext(connection) as captured:
        call()
    return len(captured.captured_queries)


def _cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown"


def _git_commit() -> str:
    try:
        head = subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"],  # noqa: S607
            cwd=ROOT,
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
        dirty = subprocess.run(
            ["git", "status", "--porcelain", "--untracked-files=no"],  # noqa: S607
            cwd=ROOT,
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return "unknown"
    return f"{head} (with uncommitted changes)" if dirty else head


def environment() -> dict[str, Any]:
    """Machine, PostgreSQL, data size and code version: a figure means nothing without them."""
    from licensing.models import Application

    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        pg_version = cursor.fetchone()[0]
    return {
        "applications": Application.objects.count(),
        "database": connection.settings_dict["NAME"],
        "nproc": len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count(),
        "cpu": _cpu_model(),
        "postgresql": pg_version,
        "python": platform.python_version(),
        "commit": _git_commit(),
        "taken_at": time.strftime("%Y-%m-%d %H:%M:%S %Z"),
        "load_average": load_average(),
    }
