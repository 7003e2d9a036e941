"""The list endpoints: a constant number of queries whatever the number of rows, and the filters officers and
exporters use."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from licensing.models import ApplicationStatus
from tests.factories import GoodsLineFactory, OrganisationFactory, complete_draft, submitted_application
from tests.licensing.api.builders import issued_licence

pytestmark = pytest.mark.django_db

API = "/api/v1"


def _queries_for(client, url: str) -> int:  # type: ignore[no-untyped-def]
    client.get(url)  # warm up: first-request work (session, content types) is not what we measure
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured)


def test_application_list_runs_the_same_queries_when_there_are_30_rows_as_when_there_are_2(
    token_client, exporter_a, django_assert_max_num_queries
):
    alice = token_client(exporter_a)
    for _ in range(2):
        complete_draft(organisation=exporter_a.organisation, created_by=exporter_a, goods=2)
    with_two = _queries_for(alice, f"{API}/applications/")
    for _ in range(28):
        complete_draft(organisation=exporter_a.organisation, created_by=exporter_a, goods=2)
    with django_assert_max_num_queries(with_two):
        response = alice.get(f"{API}/applications/?page_size=30")
    assert len(response.data["results"]) == 30
    assert {row["goods_count"] for row in response.data["results"]} == {2}


def test_licence_list_runs_the_same_queries_when_there_are_30_rows_as_when_there_are_2(
    token_client, exporter_a, officer, django_assert_max_num_queries
):
    alice = token_client(exporter_a)
    for _ in range(2):
        issued_licence(organisation=exporter_a.organisation, officer=officer)
    with_two = _queries_for(alice, f"{API}/licences/")
    for _ in range(28):
        issued_licence(organisation=exporter_a.organisation, officer=officer)
    with django_assert_max_num_queries(with_two):
        response = alice.get(f"{API}/licences/?page_size=30")
    assert len(response.data["results"]) == 30


def test_case_list_runs_the_same_queries_when_there_are_30_rows_as_when_there_are_2(
    session_client, exporter_a, officer, django_assert_max_num_queries
):
    olivia = session_client(officer)
    url = f"{API}/casework/cases/?page_size=30&ml_category=ML15&destination=NO&overdue=false&ordering=-target_date"
    for _ in range(2):
        submitted_application(organisation=exporter_a.organisation, assigned_to=officer)
    with_two = _queries_for(olivia, url)
    for _ in range(28):
        submitted_application(organisation=exporter_a.organisation, assigned_to=officer)
    with django_assert_max_num_queries(with_two):
        response = olivia.get(url)
    assert len(response.data["results"]) == 30


def test_case_and_application_details_run_few_queries_when_the_case_has_many_goods_and_parties(
    token_client, session_client, exporter_a, officer, django_assert_max_num_queries
):
    case = submitted_application(organisation=exporter_a.organisation, goods=20)
    alice = token_client(exporter_a)
    with django_assert_max_num_queries(8):  # token with user and roles, the case, its six prefetched relations
        assert alice.get(f"{API}/applications/{case.pk}/").status_code == 200
    olivia = session_client(officer)
    olivia.get(f"{API}/casework/cases/{case.pk}/")
    with django_assert_max_num_queries(10):
        assert olivia.get(f"{API}/casework/cases/{case.pk}/").status_code == 200


def _ids(response) -> list[int]:  # type: ignore[no-untyped-def]
    assert response.status_code == 200, response.content
    return [row["id"] for row in response.data["results"]]


def test_exporter_list_filters_by_status_destination_type_and_submission_date_when_asked(token_client, exporter_a):
    org = exporter_a.organisation
    draft = complete_draft(organisation=org, created_by=exporter_a)
    old = submitted_application(organisation=org, days_ago=10)
    new_se = submitted_application(organisation=org, destination_id="SE", licence_type="global_export")
    alice = token_client(exporter_a)
    ten_days_ago = (timezone.localdate() - timedelta(days=10)).isoformat()
    yesterday = (timezone.localdate() - timedelta(days=1)).isoformat()

    assert _ids(alice.get(f"{API}/applications/")) == [new_se.pk, old.pk, draft.pk]  # newest first
    assert _ids(alice.get(f"{API}/applications/?status=draft")) == [draft.pk]
    assert _ids(alice.get(f"{API}/applications/?destination=SE")) == [new_se.pk]
    assert _ids(alice.get(f"{API}/applications/?licence_type=global_export")) == [new_se.pk]
    assert _ids(alice.get(f"{API}/applications/?submitted_before={yesterday}")) == [old.pk]
    assert _ids(alice.get(f"{API}/applications/?submitted_after={ten_days_ago}")) == [new_se.pk, old.pk]
    assert alice.get(f"{API}/applications/?submitted_after=yesterday").status_code == 400


def test_case_list_shows_open_cases_only_when_no_status_is_asked(session_client, exporter_a, officer):
    org = exporter_a.organisation
    complete_draft(organisation=org, created_by=exporter_a)
    open_case = submitted_application(organisation=org)
    refused = submitted_application(organisation=org, status=ApplicationStatus.REFUSED)
    olivia = session_client(officer)
    assert _ids(olivia.get(f"{API}/casework/cases/")) == [open_case.pk]
    assert _ids(olivia.get(f"{API}/casework/cases/?status=refused")) == [refused.pk]


def test_case_list_filters_by_assignment_when_asked_for_me_or_none(session_client, exporter_a, officer, officer2):
    org = exporter_a.organisation
    mine = submitted_application(organisation=org, assigned_to=officer)
    submitted_application(organisation=org, assigned_to=officer2)
    nobody = submitted_application(organisation=org)
    olivia = session_client(officer)
    assert _ids(olivia.get(f"{API}/casework/cases/?assigned_to=me")) == [mine.pk]
    assert _ids(olivia.get(f"{API}/casework/cases/?assigned_to=none")) == [nobody.pk]


def test_case_list_filters_overdue_cases_when_their_clock_runs_past_the_legal_deadline(
    session_client, exporter_a, officer
):
    org = exporter_a.organisation
    late = submitted_application(organisation=org, days_ago=100)  # Awb term of eight weeks has passed
    waiting = submitted_application(organisation=org, days_ago=100, status=ApplicationStatus.INFORMATION_REQUESTED)
    fresh = submitted_application(organisation=org, days_ago=1)
    olivia = session_client(officer)
    assert _ids(olivia.get(f"{API}/casework/cases/?overdue=true")) == [late.pk]
    assert set(_ids(olivia.get(f"{API}/casework/cases/?overdue=false"))) == {waiting.pk, fresh.pk}


def test_case_list_finds_cases_by_ml_category_organisation_and_search_text_when_asked(
    session_client, exporter_a, officer
):
    other_org = OrganisationFactory(name="Delta Optics B.V.")
    radar = submitted_application(organisation=exporter_a.organisation, search_document="app-1 kongsberg radar")
    GoodsLineFactory(application=radar, ml_category_id="ML5")
    GoodsLineFactory(application=radar, ml_category_id="ML5")  # two matching lines: still one row
    optics = submitted_application(organisation=other_org, search_document="app-2 delta optics thermal camera")
    olivia = session_client(officer)
    assert _ids(olivia.get(f"{API}/casework/cases/?ml_category=ML5")) == [radar.pk]
    assert _ids(olivia.get(f"{API}/casework/cases/?organisation={other_org.pk}")) == [optics.pk]
    assert _ids(olivia.get(f"{API}/casework/cases/?search=KongsBerg")) == [radar.pk]
    assert _ids(olivia.get(f"{API}/casework/cases/?search=thermal%20camera")) == [optics.pk]


def test_case_list_orders_by_the_whitelisted_column_when_asked(session_client, exporter_a, officer):
    org = exporter_a.organisation
    cheap = submitted_application(organisation=org, days_ago=1, goods=1)  # EUR 10,000
    dear = submitted_application(organisation=org, days_ago=5, goods=3)  # EUR 30,000
    assert (cheap.total_value_eur, dear.total_value_eur) == (Decimal("10000"), Decimal("30000"))
    olivia = session_client(officer)
    # Default: most urgent legal deadline first; the older submission's deadline is earlier.
    assert _ids(olivia.get(f"{API}/casework/cases/")) == [dear.pk, cheap.pk]
    assert _ids(olivia.get(f"{API}/casework/cases/?ordering=-submitted_at")) == [cheap.pk, dear.pk]
    assert _ids(olivia.get(f"{API}/casework/cases/?ordering=total_value_eur")) == [cheap.pk, dear.pk]
    assert _ids(olivia.get(f"{API}/casework/cases/?ordering=-total_value_eur")) == [dear.pk, cheap.pk]
