"""Measurements 1 and 2: the officer's queue and a large case page, served in-process by django.test.Client.

The time is taken around `client.get`, so it is the server's time for the whole request (middleware, view,
queries, template) without a network or a load generator. Queries are counted in one extra request.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

from django.db import connection
from django.db.models import Count
from django.test import Client
from django.urls import reverse

from licensing.models import DECIDED_STATUSES, OPEN_STATUSES, Application, GoodsLine
from licensing.selectors_queue import TAB_DECIDED
from licensing.views import officer as officer_views
from licensing.views.officer_case import CASE_HISTORY_SHOWN
from parties.models import User

from .fixtures import BIG_CASE_EVENTS, BIG_CASE_GOODS, big_case, busiest_organisation
from .measure import Figure, query_count, timed

PAGE_TARGET_MS = 150
QUEUE_ROW_MARK = 'class="app-queue__case"'  # one per case row (templates/licensing/casework/queue.html)
DEEP_PAGE = 2000  # pages into the decided tab (a keyset cursor there, licensing.views.officer.queue_url_at)
SEARCH_WORD = "thermal camera"  # a goods description word of seeding.bulk_licensing.GOODS_WORDS


@dataclass(frozen=True)
class PageResult:
    name: str
    url: str
    rows: int
    queries: int
    p50_ms: float
    p95_ms: float


def officer_client(officer: User) -> Client:
    client = Client()
    client.force_login(officer)
    return client


def _get(client: Client, url: str) -> str:
    response = client.get(url)
    if response.status_code != 200:
        raise AssertionError(f"GET {url} answered {response.status_code}")
    return response.content.decode()


def measure_page(client: Client, name: str, url: str, *, repeat: int, count_rows: Any) -> PageResult:
    rows = count_rows(_get(client, url))
    if not rows:
        raise AssertionError(f"{name}: {url} shows no rows; the benchmark would time an empty page")
    queries = query_count(lambda: _get(client, url))
    timing = timed(lambda: _get(client, url), repeat=repeat)
    return PageResult(name, url, rows, queries, timing.p50_ms, timing.p95_ms)


def queue_url(**params: Any) -> str:
    base = reverse("casework:queue")
    return f"{base}?{urlencode(params)}" if params else base


def queue_rows(html: str) -> int:
    return html.count(QUEUE_ROW_MARK)


def queue_urls(officer: User) -> list[tuple[str, str]]:
    """The queue pages an officer opens most, with filter values that exist in this register."""
    common = (
        GoodsLine.objects.filter(application__status__in=OPEN_STATUSES)
        .values("application__destination_id", "ml_category_id", "application__status")
        .annotate(n=Count("application_id", distinct=True))
        .order_by("-n")
        .first()
    )
    if common is None:
        raise AssertionError("The register has no open cases with goods: load it first (bench/README.md)")
    filtered = {
        "destination": common["application__destination_id"],
        "ml_category": common["ml_category_id"],
        "status": common["application__status"],
    }
    size = officer_views.QUEUE_PAGE_SIZE
    decided = Application.objects.filter(status__in=DECIDED_STATUSES).count()
    # Page 2,001, or the middle page of a smaller register (the last page may read one more, empty, segment).
    deep = min(DEEP_PAGE * size, decided // size // 2 * size)
    deep_url = reverse("casework:queue") + officer_views.queue_url_at(user=officer, tab=TAB_DECIDED, position=deep)
    return [
        ("first page (open cases)", queue_url()),
        ("filtered: destination + ML category + status", queue_url(**filtered)),
        ("search: goods words, decided tab", queue_url(tab=TAB_DECIDED, q=SEARCH_WORD)),
        ("search: exporter name, open cases", queue_url(q=busiest_organisation().name)),
        (f"deep page: decided tab, rows {deep + 1:,}–{deep + size:,} of {decided:,}", deep_url),
    ]


def queue_results(officer: User, *, repeat: int) -> list[PageResult]:
    client = officer_client(officer)
    return [measure_page(client, name, url, repeat=repeat, count_rows=queue_rows) for name, url in queue_urls(officer)]


def _section_rows(html: str, section_id: str) -> int:
    """Body rows of the first table in the page section `section_id` (templates/licensing/casework/case/)."""
    section = html.split(f'id="{section_id}"', 1)[-1].split("</section>", 1)[0]
    body = section.split("<tbody>", 1)[-1].split("</tbody>", 1)[0]
    return body.count("<tr>")


def case_page_result(officer: User, *, repeat: int) -> PageResult:
    case = big_case(officer)
    url = reverse("casework:case_detail", args=[case.pk])

    def count_rows(html: str) -> int:
        # The page lists the newest CASE_HISTORY_SHOWN events and links to the whole history (round 3, issue 19).
        goods, history = _section_rows(html, "goods"), _section_rows(html, "history")
        whole = reverse("audit:history", args=["licensing.application", case.pk])
        if goods < BIG_CASE_GOODS or history < min(BIG_CASE_EVENTS, CASE_HISTORY_SHOWN) or whole not in html:
            raise AssertionError(f"{url} shows {goods} goods lines and {history} history rows")
        return goods + history

    client = officer_client(officer)
    return measure_page(client, f"case page: {case.reference}", url, repeat=repeat, count_rows=count_rows)


EARLIER_DECISION_ROW_MARK = '<th scope="row"><a class="utrecht-link" href="/'  # one per earlier decision


def case_panel_result(officer: User, *, repeat: int) -> PageResult:
    """The case page's earlier-decisions panel, which the page reads after itself (htmx, round 5 of issue 19): the
    request htmx makes once the page has loaded."""
    case = big_case(officer)
    url = reverse("casework:case_earlier_decisions", args=[case.pk])
    client = officer_client(officer)
    client.defaults["HTTP_HX_REQUEST"] = "true"
    return measure_page(
        client,
        f"case page: {case.reference}, earlier decisions (read after the page)",
        url,
        repeat=repeat,
        count_rows=lambda html: html.count(EARLIER_DECISION_ROW_MARK),
    )


def figures(section: str, results: list[PageResult], *, target_ms: int | None) -> list[Figure]:
    return [
        Figure(
            section=section,
            name=r.name,
            figures={"p50_ms": r.p50_ms, "p95_ms": r.p95_ms, "queries": r.queries, "rows": r.rows, "url": r.url},
            target=f"p95 < {target_ms} ms" if target_ms else "",
            met=r.p95_ms < target_ms if target_ms else None,
        )
        for r in results
    ]


DASHBOARD_ROW_MARK = '<th scope="row"><a class="utrecht-link" href="/'  # one per notification row
DASHBOARD_DEEP_PAGES = 1000  # Next clicks are not timed: the cursor of the page that far in is made directly


def dashboard_results(officer: User, *, repeat: int, open_notifications: int = 100_000) -> list[PageResult]:
    """The treaty dashboard (consultations:dashboard) over `open_notifications` running notifications (seeded
    as the sweep benchmark does, bench/sweep.py): the first page, a filtered page and a deep keyset page."""
    from consultations.models.treaty import DEADLINE_RUNNING, TreatyNotification
    from consultations.views.officer import DASHBOARD_ORDERING, PAGE_SIZE
    from core.pagination import KeysetPaginator
    from licensing.views.officer import CURSOR_PARAM
    from seeding.bulk_consultations import bulk_seed_consultations

    from .sweep import BENCH_SEED

    running = TreatyNotification.objects.filter(status__in=DEADLINE_RUNNING)
    if running.count() < open_notifications:
        bulk_seed_consultations(seed=BENCH_SEED, open_notifications=open_notifications)
        with connection.cursor() as cursor:  # fresh statistics, or the planner reads every running row
            cursor.execute("ANALYZE consultations_treatynotification")
    base = reverse("consultations:dashboard")
    paginator = KeysetPaginator(
        running.order_by(), DASHBOARD_ORDERING, per_page=PAGE_SIZE, scope="consultations:dashboard"
    )
    position = min(DASHBOARD_DEEP_PAGES * PAGE_SIZE, running.count() // 2)
    edge = paginator.row_at(position - 1)
    if edge is None:
        raise AssertionError("The dashboard has too few running notifications for a deep page")
    deep = f"{base}?{urlencode({CURSOR_PARAM: paginator.cursor_at(edge, start=position)})}"
    busiest = running.values_list("counterpart_id").annotate(n=Count("pk")).order_by("-n").first()
    filtered = urlencode({"counterpart": busiest[0] if busiest else "", "due": "soon"})
    client = officer_client(officer)
    return [
        measure_page(client, name, url, repeat=repeat, count_rows=lambda html: html.count(DASHBOARD_ROW_MARK))
        for name, url in (
            ("dashboard: first page (running)", base),
            ("dashboard: filtered (counterpart, due soon)", f"{base}?{filtered}"),
            (f"dashboard: deep page, rows {position + 1:,}–{position + PAGE_SIZE:,}", deep),
        )
    ]
