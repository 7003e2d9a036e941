"""CPU per request of the big case page and of its earlier-decisions panel (read after the page, as htmx asks for
it), in-process: bench/cpu.py's measure (Python process time plus the PostgreSQL backend's CPU) for just these two
URLs, so a before/after pair on a shared machine takes a minute, not the queue's and dashboard's pages too.

    DJANGO_SETTINGS_MODULE=config.settings.bench .venv/bin/python bench/cpu_case.py [--repeat 60] [--json PATH]
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

if __name__ == "__main__":
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    import django

    django.setup()

from django.urls import NoReverseMatch, reverse

from bench.cpu import _per_request, run_cli
from bench.fixtures import bench_officer, big_case
from bench.measure import load_average
from bench.pages import officer_client


def measure(repeat: int) -> dict[str, Any]:
    officer = bench_officer()
    case = big_case(officer)
    client = officer_client(officer)
    out: dict[str, Any] = {"load_average": load_average(), "repeat": repeat, "figures": {}}
    urls = [("case page: BENCH-CASE-50", reverse("casework:case_detail", args=[case.pk]), False)]
    try:  # the panel has its own URL since round 5 of issue 19; earlier code reads it with the page
        panel = reverse("casework:case_earlier_decisions", args=[case.pk])
        urls.append(("earlier decisions (htmx fragment)", panel, True))
    except NoReverseMatch:
        pass
    for name, url, htmx in urls:
        if htmx:
            client.defaults["HTTP_HX_REQUEST"] = "true"
        before = load_average()
        out["figures"][name] = {**_per_request(client, url, repeat), "load": [before, load_average()]}
    out["load_average_after"] = load_average()
    return out


def main() -> None:
    run_cli(measure, doc=__doc__, repeat=60)


if __name__ == "__main__":
    main()
