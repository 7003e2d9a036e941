"""CPU per request of the officer queue's pages, the treaty dashboard (first and deep page) and the big case page,
in-process: bench/cpu.py's measure (Python process time plus the PostgreSQL backend's CPU) for the HTML pages, whose
wall-clock times in bench/run.py move with the machine's load.

    DJANGO_SETTINGS_MODULE=config.settings.bench .venv/bin/python bench/cpu_pages.py [--repeat 60] [--json PATH]
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

if __name__ == "__main__":
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    import django

    django.setup()

from urllib.parse import urlencode

from django.urls import reverse

from bench.cpu import _per_request, run_cli
from bench.fixtures import bench_officer, big_case
from bench.measure import load_average
from bench.pages import DASHBOARD_DEEP_PAGES, officer_client, queue_urls
from consultations.models.treaty import DEADLINE_RUNNING, TreatyNotification
from consultations.views.officer import DASHBOARD_ORDERING, PAGE_SIZE
from core.pagination import KeysetPaginator
from licensing.views.officer import CURSOR_PARAM


def page_urls(officer: Any) -> list[tuple[str, str]]:
    urls = list(queue_urls(officer))
    running = TreatyNotification.objects.filter(status__in=DEADLINE_RUNNING)
    paginator = KeysetPaginator(
        running.order_by(), DASHBOARD_ORDERING, per_page=PAGE_SIZE, scope="consultations:dashboard"
    )
    position = min(DASHBOARD_DEEP_PAGES * PAGE_SIZE, running.count() // 2)
    edge = paginator.row_at(position - 1)
    base = reverse("consultations:dashboard")
    urls.append(("dashboard: first page", base))
    if edge is not None:
        cursor = paginator.cursor_at(edge, start=position)
        urls.append(("dashboard: deep page", f"{base}?{urlencode({CURSOR_PARAM: cursor})}"))
    case = big_case(officer)
    urls.append(("case page: BENCH-CASE-50", reverse("casework:case_detail", args=[case.pk])))
    # Read after the page by htmx (round 5): measured without the HX-Request header, so as the page a browser
    # without JavaScript opens (the panel in the site's frame), which costs a little more than htmx's fragment.
    urls.append(("case page: earlier decisions", reverse("casework:case_earlier_decisions", args=[case.pk])))
    return urls


def measure(repeat: int) -> dict[str, Any]:
    officer = bench_officer()
    client = officer_client(officer)
    out: dict[str, Any] = {"load_average": load_average(), "repeat": repeat, "figures": {}}
    for name, url in page_urls(officer):
        before = load_average()
        out["figures"][name] = {**_per_request(client, url, repeat), "load": [before, load_average()]}
    return out


def main() -> None:
    run_cli(measure, doc=__doc__, repeat=60)


if __name__ == "__main__":
    main()
