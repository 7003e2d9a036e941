"""Filters and search of the work queue: each one narrows the list to exactly the cases it names."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.db import connection
from django.utils import timezone

from licensing.models import Application, ApplicationStatus, LicenceType
from licensing.selectors_queue import cases_search
from tests.factories import GoodsLineFactory, submitted_application
from tests.licensing.views.test_casework_helpers import QUEUE_URL, case_via_services

pytestmark = pytest.mark.django_db


def _shown(client, params: dict[str, str], *cases: Application) -> set[str]:
    response = client.get(QUEUE_URL, params)
    assert response.status_code == 200
    content = response.content.decode()
    return {c.reference for c in cases if c.reference in content}


@pytest.fixture
def three_cases(exporter_a, exporter_b):
    """Three cases built through the exporter's services, each with its own end user and goods."""
    return (
        case_via_services(
            exporter_a, title="Radar spares", end_user="Royal Norwegian Navy", goods="Radar transmitter module"
        ),
        case_via_services(
            exporter_a,
            title="Night sights",
            end_user="Australian Defence Force",
            goods="Thermal weapon sight",
            ml="ML15",
            country="AU",
        ),
        case_via_services(
            exporter_b, title="Hull sonar", end_user="Kongsberg Naval Base", goods="Hull-mounted sonar array"
        ),
    )


def test_search_for_a_party_name_finds_exactly_that_case(client_for, officer, three_cases):
    _norway, australia, kongsberg = three_cases
    client = client_for(officer)
    assert _shown(client, {"q": "australian defence"}, *three_cases) == {australia.reference}
    assert _shown(client, {"q": "kongsberg"}, *three_cases) == {kongsberg.reference}


def test_search_ignores_case_and_extra_spaces_when_matching(client_for, officer, three_cases):
    norway, _australia, _kongsberg = three_cases
    assert _shown(client_for(officer), {"q": "  ROYAL   Norwegian  "}, *three_cases) == {norway.reference}


@pytest.mark.parametrize(
    ("query", "expected"),
    [("thermal weapon", 1), ("bravo systems", 2), ("hull-mounted", 2)],
)
def test_search_matches_goods_and_exporter_names_when_they_are_typed(client_for, officer, three_cases, query, expected):
    assert _shown(client_for(officer), {"q": query}, *three_cases) == {three_cases[expected].reference}


def test_search_by_reference_finds_that_case(client_for, officer, three_cases):
    target = three_cases[2]
    assert _shown(client_for(officer), {"q": target.reference}, *three_cases) == {target.reference}


def test_search_condition_can_use_the_trigram_index_when_postgresql_plans_it(three_cases):
    """`contains` on the lower-cased search text keeps the index usable (icontains would wrap it in UPPER())."""
    search = cases_search(Application.objects.order_by(), text="Kongsberg").values("pk")
    sql, params = search.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute(f"EXPLAIN {sql}", params)
        plan = "\n".join(row[0] for row in cursor.fetchall())
    assert "application_search_trgm" in plan


def test_filter_by_destination_shows_only_cases_to_that_country(client_for, officer, three_cases):
    assert _shown(client_for(officer), {"destination": "AU"}, *three_cases) == {three_cases[1].reference}


def test_filter_by_exporter_shows_only_that_companys_cases(client_for, officer, three_cases, org_b):
    assert _shown(client_for(officer), {"organisation": org_b.pk}, *three_cases) == {three_cases[2].reference}


def test_filter_by_ml_category_matches_any_goods_line_once(client_for, officer):
    only_ml15 = submitted_application()
    mixed = submitted_application()
    GoodsLineFactory(application=mixed, ml_category_id="ML5", description="Fire control radar")

    response = client_for(officer).get(QUEUE_URL, {"ml_category": "ML5"})

    content = response.content.decode()
    assert mixed.reference in content and only_ml15.reference not in content
    assert content.count(f">{mixed.reference}</a>") == 1
    assert "1 case" in content


def test_filter_by_status_and_licence_type_combine(client_for, officer):
    waiting = submitted_application(status=ApplicationStatus.INFORMATION_REQUESTED)
    reviewing = submitted_application(status=ApplicationStatus.UNDER_REVIEW)
    global_waiting = submitted_application(
        status=ApplicationStatus.INFORMATION_REQUESTED, licence_type=LicenceType.GLOBAL_EXPORT
    )
    client = client_for(officer)
    cases = (waiting, reviewing, global_waiting)

    assert _shown(client, {"status": "information_requested"}, *cases) == {
        waiting.reference,
        global_waiting.reference,
    }
    assert _shown(client, {"status": "information_requested", "licence_type": "global_export"}, *cases) == {
        global_waiting.reference
    }


def test_filter_by_submission_dates_keeps_the_days_at_both_ends(client_for, officer):
    today = timezone.localdate()
    old = submitted_application(days_ago=30)
    edge = submitted_application(days_ago=10)
    recent = submitted_application(days_ago=2)
    params = {
        "submitted_from": str(today - dt.timedelta(days=10)),
        "submitted_until": str(today - dt.timedelta(days=2)),
    }

    assert _shown(client_for(officer), params, old, edge, recent) == {edge.reference, recent.reference}


def test_overdue_filter_keeps_cases_past_their_legal_deadline_or_target_date(client_for, officer):
    past_legal = submitted_application(days_ago=70)  # legal deadline (8 weeks) passed
    past_target = submitted_application(days_ago=35)  # 20-working-day target passed, legal term still runs
    on_time = submitted_application(days_ago=3)
    paused = submitted_application(days_ago=70, status=ApplicationStatus.INFORMATION_REQUESTED)  # Awb 4:15

    shown = _shown(client_for(officer), {"overdue": "on"}, past_legal, past_target, on_time, paused)

    assert shown == {past_legal.reference, past_target.reference}


def test_clear_filters_link_appears_only_when_a_filter_is_set(client_for, officer):
    submitted_application()
    client = client_for(officer)
    assert "Clear filters" not in client.get(QUEUE_URL).content.decode()
    assert "Clear filters" in client.get(QUEUE_URL, {"q": "radar"}).content.decode()


def test_queue_shows_no_case_message_when_nothing_matches(client_for, officer):
    submitted_application()
    content = client_for(officer).get(QUEUE_URL, {"q": "no such thing anywhere"}).content.decode()
    assert "No case matches" in content


def _options(content: str, name: str) -> set[str]:
    select = re.search(rf'<select name="{name}"[^>]*>(.*?)</select>', content, re.S)
    assert select, f"no {name} dropdown"
    return set(re.findall(r"<option value=\"[^\"]*\"[^>]*>([^<]*)</option>", select.group(1)))


def test_exporter_and_destination_lists_offer_only_what_submitted_cases_have(client_for, officer, org_a, org_b):
    submitted_application(organisation=org_a, destination_id="NO")
    submitted_application(organisation=org_b, destination_id="AU", status=ApplicationStatus.DRAFT)
    client = client_for(officer)

    content = client.get(QUEUE_URL).content.decode()

    assert _options(content, "organisation") == {"Any exporter", org_a.name}
    assert _options(content, "destination") == {"Any country", "Norway (NO)"}


def test_an_exporters_first_submission_appears_in_the_exporter_list_at_once(client_for, officer, org_a, org_b):
    submitted_application(organisation=org_a, days_ago=3)
    client = client_for(officer)
    assert org_b.name not in _options(client.get(QUEUE_URL).content.decode(), "organisation")

    submitted_application(organisation=org_b, destination_id="AU")

    content = client.get(QUEUE_URL).content.decode()
    assert org_b.name in _options(content, "organisation")
    assert "Australia (AU)" in _options(content, "destination")
