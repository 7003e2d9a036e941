"""The benchmark runner (bench/, issue 8) on a tiny seeded register: every page it times shows rows, the large
case shows its 50 goods lines and 200 history rows, the reports give the same numbers as the hand-written SQL,
and the queue's query count does not grow with the page's depth. Nothing here asserts a time.

The API part needs a gunicorn server and is left to the runner itself; its trivial view and its exporter token
are checked in-process.
"""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from bench import pages, report_times, reports_sql
from bench.fixtures import BIG_CASE_EVENTS, BIG_CASE_GOODS, bench_exporter_token, bench_officer, big_case
from bench.run import audit_figures
from licensing.models import Licence
from licensing.selectors_queue import TAB_DECIDED
from licensing.views.officer_case import CASE_HISTORY_SHOWN
from parties.models import User
from seeding.bulk_licensing import bulk_seed_run

pytestmark = pytest.mark.django_db


@pytest.fixture
def officer(db: None, monkeypatch: pytest.MonkeyPatch) -> User:
    # No warm-up runs: the figures are not looked at here, only what was measured.
    monkeypatch.setattr("bench.measure.WARMUP", 0)
    monkeypatch.setattr("bench.report_times.WARMUP", 0)
    bulk_seed_run(applications=30, seed=7)
    return bench_officer()


def test_queue_pages_show_rows_and_a_deep_page_costs_the_queries_of_page_one(
    officer: User, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Small pages, so thirty applications make a queue several pages deep.
    monkeypatch.setattr("licensing.views.officer.QUEUE_PAGE_SIZE", 5)
    results = pages.queue_results(officer, repeat=1)

    assert len(results) == 5
    assert all(r.rows > 0 and r.queries > 0 for r in results)
    deep = results[-1]
    assert deep.name.startswith("deep page") and "cursor=" in deep.url
    page_one = pages.measure_page(
        pages.officer_client(officer),
        "decided, page 1",
        pages.queue_url(tab=TAB_DECIDED),
        repeat=1,
        count_rows=pages.queue_rows,
    )
    assert page_one.rows == 5
    assert deep.queries == page_one.queries


def test_case_page_shows_fifty_goods_lines_and_the_newest_fifty_of_two_hundred_events(officer: User) -> None:
    result = pages.case_page_result(officer, repeat=1)

    # The page lists the newest CASE_HISTORY_SHOWN (50) events and links to the whole history.
    assert BIG_CASE_EVENTS > CASE_HISTORY_SHOWN
    assert result.rows == BIG_CASE_GOODS + CASE_HISTORY_SHOWN
    assert result.queries > 0
    assert big_case(officer).pk == big_case(officer).pk  # created once, found again


def test_reports_agree_with_the_hand_written_sql(officer: User) -> None:
    figures = report_times.report_figures(repeat=1)  # raises when any number differs or a flag is not the rule's

    compared = [f for f in figures if "sql_p50_ms" in f.figures]
    # The treaty report is compared too; thirty applications give it no rows in its years (its numbers against
    # the SQL with rows: tests/reports/test_treaty_boundaries.py).
    assert [f.name.split()[0] for f in compared] == [
        "annual",
        "NATO/non-NATO",
        "processing",
        "treaty",
        "monthly",
        "monthly-confidential",
        "UN",
    ]
    assert all(f.figures["rows_compared"] > 0 for f in compared if not f.name.startswith("treaty"))
    assert all(f.figures["report_cpu_ms"] > 0 for f in compared)
    # Every other report of reports.definitions is timed with its default parameters.
    assert {f.name.split()[0] for f in figures if f not in compared} == {
        "treaty-confidential",
        "accession",
        "general-licence-registrations",
    }


def test_the_runner_measures_only_the_reports_asked_for(officer: User) -> None:
    figures = report_times.report_figures(repeat=1, only=["treaty"])

    assert [f.name.split()[0] for f in figures] == ["treaty"]


def test_the_runner_refuses_to_compare_when_a_destination_flag_is_not_the_membership_rules(officer: User) -> None:
    year = report_times.busiest_year()
    licence = Licence.objects.filter(destination__isnull=False, issued_at__year=year).first()
    assert licence is not None
    Licence.objects.filter(pk=licence.pk).update(destination_eu=not licence.destination_eu)

    with pytest.raises(AssertionError, match="destination flags"):
        report_times.report_figures(repeat=1)


def test_a_changed_number_is_caught(officer: User) -> None:
    year = report_times.busiest_year()
    expected = reports_sql.annual_sql(year)
    table = expected["by_destination"]
    key = next(iter(table))
    licences, *rest = table[key]
    table[key] = (licences + 1, *rest)

    problems = reports_sql.differences(reports_sql.annual_sql(year), expected)

    assert len(problems) == 1 and "by_destination" in problems[0]


def test_audit_trail_verification_reports_events_per_second(officer: User) -> None:
    (figure,) = audit_figures(1)

    assert figure.figures["events"] > 30  # a created event per application, a decision event per decided one


def test_trivial_view_exists_only_under_the_bench_urls(settings: Any) -> None:
    assert Client().get("/bench/trivial/").status_code == 404
    settings.ROOT_URLCONF = "bench.urls"

    response = Client().get("/bench/trivial/")

    assert response.status_code == 200 and response.json() == {"ok": True}


def test_same_authentication_trivial_view_answers_a_constant_page_only_to_the_endpoints_users(
    officer: User, settings: Any
) -> None:
    settings.ROOT_URLCONF = "bench.urls"
    _exporter, token = bench_exporter_token()
    with_token = Client(HTTP_AUTHORIZATION=f"Token {token.key}")

    page = with_token.get("/bench/trivial-api/portal.use/?rows=26")

    assert page.status_code == 200 and len(page.json()["results"]) == 26
    assert with_token.get("/bench/trivial-api/casework.use/?rows=26").status_code == 403  # an exporter, not an officer
    assert Client().get("/bench/trivial-api/portal.use/").status_code in (401, 403)  # no credentials
    assert pages.officer_client(officer).get("/bench/trivial-api/casework.use/?rows=5").json()["results"][0]["id"]


def test_exporter_token_lists_the_busiest_organisations_applications(officer: User) -> None:
    user, token = bench_exporter_token()

    response = Client(HTTP_AUTHORIZATION=f"Token {token.key}").get("/api/v1/applications/")

    assert response.status_code == 200 and user.organisation is not None
    references = {row["reference"] for row in response.json()["results"]}
    assert references and references <= set(user.organisation.applications.values_list("reference", flat=True))
    assert bench_exporter_token()[1].key == token.key  # reused, not re-issued
