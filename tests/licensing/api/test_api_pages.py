"""Cursor pages of the API lists (core.api.KeysetPagination): a client that follows `next` sees every row once, in
order, whatever ties and empty values the sort column holds; `previous` walks back the same way; a cursor never
leads a client round in circles; and a page costs the same number of queries wherever it lies and however long
it is."""

from __future__ import annotations

import json
from base64 import urlsafe_b64decode, urlsafe_b64encode
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from rest_framework import serializers as drf
from rest_framework.renderers import JSONRenderer

from core.api import ERR_INVALID_CURSOR
from licensing.api_casework import CASE_ROW_FIELDS
from licensing.models import Application
from licensing.selectors import application_list_for
from licensing.serializers import ApplicationListOutput, CaseListOutput, LicenceListOutput
from tests.factories import ApplicationFactory, LicenceFactory, submitted_application
from tests.licensing.api.builders import issued_licence

pytestmark = pytest.mark.django_db

API = "/api/v1"
MOMENT = datetime(2026, 3, 2, 9, 30, tzinfo=timezone.get_fixed_timezone(0))


def _walk(client: Any, url: str) -> tuple[list[int], list[dict[str, Any]]]:
    """Follow `next` from `url` to the end: the ids in the order served, and each page's body."""
    ids: list[int] = []
    pages: list[dict[str, Any]] = []
    while url:
        response = client.get(url)
        assert response.status_code == 200, response.content
        pages.append(response.json())
        ids += [row["id"] for row in pages[-1]["results"]]
        url = pages[-1]["next"]
    return ids, pages


def _walk_back(client: Any, url: str | None) -> list[int]:
    ids: list[int] = []
    while url:
        body = client.get(url).json()
        ids = [row["id"] for row in body["results"]] + ids
        url = body["previous"]
    return ids


def _drafts(organisation: Any, created: list[datetime]) -> list[Any]:
    rows = []
    for moment in created:
        application: Any = ApplicationFactory(organisation=organisation, created_by=organisation.members.first())
        Application.objects.filter(pk=application.pk).update(created_at=moment)
        rows.append(application)
    return rows


def test_exporter_sees_each_application_once_newest_first_when_following_next_through_tied_timestamps(
    token_client, exporter_a
):
    org = exporter_a.organisation
    # Seven applications, five created in the same second: the id decides among those.
    moments = [MOMENT + timedelta(days=1), *[MOMENT] * 5, MOMENT - timedelta(days=1)]
    rows = _drafts(org, moments)
    expected = [rows[0].pk, *sorted((r.pk for r in rows[1:6]), reverse=True), rows[6].pk]
    alice = token_client(exporter_a)

    ids, pages = _walk(alice, f"{API}/applications/?page_size=2")

    assert ids == expected
    assert [len(p["results"]) for p in pages] == [2, 2, 2, 1]
    assert pages[0]["previous"] is None and pages[-1]["next"] is None
    assert set(pages[0]) == {"next", "previous", "results"}  # no count: counting 150,000 rows is what made it slow


def test_exporter_gets_the_earlier_pages_back_when_following_previous_from_the_last_page(token_client, exporter_a):
    rows = _drafts(exporter_a.organisation, [MOMENT - timedelta(hours=h // 2) for h in range(7)])
    alice = token_client(exporter_a)
    ids, pages = _walk(alice, f"{API}/applications/?page_size=3")

    assert _walk_back(alice, pages[-1]["previous"]) == ids[:6]
    assert sorted(ids) == sorted(r.pk for r in rows)


def test_filters_stay_applied_on_every_page_when_following_next(token_client, exporter_a):
    org = exporter_a.organisation
    drafts = _drafts(org, [MOMENT - timedelta(minutes=m) for m in range(5)])
    submitted_application(organisation=org)
    alice = token_client(exporter_a)

    ids, _ = _walk(alice, f"{API}/applications/?status=draft&page_size=2")

    assert ids == [d.pk for d in drafts]


def _case(*, deadline: date | None, submitted: datetime, value: str = "1000") -> Application:
    case = submitted_application()
    Application.objects.filter(pk=case.pk).update(
        legal_deadline=deadline, submitted_at=submitted, total_value_eur=Decimal(value)
    )
    return case


@pytest.mark.parametrize("ordering", ["", "legal_deadline", "-legal_deadline"])
def test_officer_sees_cases_with_no_deadline_last_and_ties_longest_waiting_first_in_either_direction(
    session_client, officer, ordering
):
    monday = date(2026, 3, 16)
    first = _case(deadline=monday - timedelta(days=7), submitted=MOMENT)
    tied_later = _case(deadline=monday, submitted=MOMENT + timedelta(hours=2))
    tied_earlier = _case(deadline=monday, submitted=MOMENT)
    none_b = _case(deadline=None, submitted=MOMENT + timedelta(hours=1))
    none_a = _case(deadline=None, submitted=MOMENT)
    olivia = session_client(officer)

    ids, _ = _walk(olivia, f"{API}/casework/cases/?page_size=2&ordering={ordering}")

    with_deadline = [first.pk, tied_earlier.pk, tied_later.pk]
    if ordering.startswith("-"):  # the whole order reversed, ties included; no deadline still last
        assert ids == [*reversed(with_deadline), none_b.pk, none_a.pk]
    else:
        assert ids == [*with_deadline, none_a.pk, none_b.pk]


def test_officer_walks_back_across_the_cases_without_a_deadline_when_following_previous(session_client, officer):
    for day in range(3):
        _case(deadline=date(2026, 3, 16) + timedelta(days=day), submitted=MOMENT)
    for hour in range(3):
        _case(deadline=None, submitted=MOMENT + timedelta(hours=hour))
    olivia = session_client(officer)
    ids, pages = _walk(olivia, f"{API}/casework/cases/?page_size=2")

    assert len(ids) == 6
    assert _walk_back(olivia, pages[-1]["previous"]) == ids[:4]


def test_a_cursor_of_another_ordering_or_a_garbled_one_answers_400_naming_the_cursor(session_client, officer):
    for day in range(3):
        _case(deadline=date(2026, 3, 16) + timedelta(days=day), submitted=MOMENT)
    olivia = session_client(officer)
    next_url = olivia.get(f"{API}/casework/cases/?page_size=1").json()["next"]
    cursor = next_url.split("cursor=")[1].split("&")[0]

    other_order = olivia.get(f"{API}/casework/cases/?page_size=1&ordering=total_value_eur&cursor={cursor}")
    garbled = olivia.get(f"{API}/casework/cases/?cursor=not-a-cursor")

    for response in (other_order, garbled):
        assert response.status_code == 400
        assert response.json()["code"] == "invalid" and "cursor" in response.json()["errors"]


def test_a_cursor_whose_sort_values_were_edited_answers_400_naming_the_cursor(session_client, officer):
    for day in range(3):
        _case(deadline=date(2026, 3, 16) + timedelta(days=day), submitted=MOMENT)
    olivia = session_client(officer)
    cursor = olivia.get(f"{API}/casework/cases/?page_size=1").json()["next"].split("cursor=")[1].split("&")[0]
    payload = json.loads(urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)))
    assert payload["v"][0] == "2026-03-16"  # the cursor names the deadline of the row before the next page

    def edited(**change: Any) -> str:
        return urlsafe_b64encode(json.dumps({**payload, **change}).encode()).decode().rstrip("=")

    for bad in (edited(v=["next Monday", *payload["v"][1:]]), edited(v=payload["v"][:1]), edited(s="id")):
        response = olivia.get(f"{API}/casework/cases/?page_size=1&cursor={bad}")
        assert response.status_code == 400
        assert response.json()["errors"] == {"cursor": [str(ERR_INVALID_CURSOR)]}


def test_a_cursor_past_the_end_gives_an_empty_last_page_not_the_first_again(token_client, exporter_a):
    rows = _drafts(exporter_a.organisation, [MOMENT - timedelta(days=d) for d in range(3)])
    alice = token_client(exporter_a)
    next_url = alice.get(f"{API}/applications/?page_size=2").json()["next"]
    Application.objects.filter(pk=rows[2].pk).delete()  # the only row after the cursor goes meanwhile

    body = alice.get(next_url).json()

    assert body["results"] == [] and body["next"] is None and body["previous"]


def test_ordering_by_two_columns_answers_400(session_client, officer):
    response = session_client(officer).get(f"{API}/casework/cases/?ordering=legal_deadline,total_value_eur")
    assert response.status_code == 400 and "ordering" in response.json()["errors"]


def _queries(client: Any, url: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured.captured_queries)


@pytest.mark.parametrize(
    ("persona", "path"),
    [
        ("exporter", "/applications/"),
        ("exporter", "/licences/"),
        ("officer", "/casework/cases/"),
        ("officer", "/casework/cases/?ordering=-total_value_eur&destination=NO&ml_category=ML15"),
    ],
)
def test_a_page_of_100_deep_in_the_list_runs_the_queries_of_the_first_page_of_25(
    token_client, exporter_a, officer, persona, path
):
    for n in range(230):  # the first page of 100, a full page of 100 after it, and more after that
        _row(path, exporter_a, officer, n)
    client = token_client(exporter_a if persona == "exporter" else officer)
    separator = "&" if "?" in path else "?"
    url = f"{API}{path}"
    client.get(url)  # warm-up: first-request work (content types, the session) is not what is counted
    first_25 = _queries(client, url)
    deep = client.get(f"{url}{separator}page_size=100").json()["next"]

    assert _queries(client, deep) == first_25
    assert len(client.get(deep).json()["results"]) == 100


def _row(path: str, exporter: Any, officer: Any, n: int) -> None:
    """A row of the list at `path`, cheaply; sort keys tie in groups, as deadlines and bulk-made rows do."""
    moment = MOMENT - timedelta(days=n % 40)
    if path == "/applications/":
        _drafts(exporter.organisation, [moment])
    elif path == "/licences/":
        app = {"application__organisation": exporter.organisation, "application__created_by": exporter}
        LicenceFactory(**app, issued_by=officer, issued_at=moment)
    else:
        _case(deadline=moment.date(), submitted=MOMENT, value=str(1000 + n % 7))


def test_list_rows_are_written_exactly_as_drf_would_write_them(officer, exporter_a):
    submitted_application(organisation=exporter_a.organisation, assigned_to=officer, destination_id=None)
    submitted_application(organisation=exporter_a.organisation, days_ago=40)
    issued_licence(organisation=exporter_a.organisation, officer=officer)
    cases = list(application_list_for(user=officer).order_by("pk"))
    case_values = list(application_list_for(user=officer).order_by("pk").values(*CASE_ROW_FIELDS))
    licences = list(exporter_a.organisation.licences.select_related("destination", "application"))

    for serializer, rows in ((CaseListOutput, cases), (LicenceListOutput, licences)):
        drf_own = [drf.Serializer.to_representation(serializer(), row) for row in rows]
        assert serializer(rows, many=True).data == drf_own
    # The list endpoints serialise `.values()` rows: the same output as DRF's from the model instances.
    drf_own_cases = [drf.Serializer.to_representation(CaseListOutput(), row) for row in cases]
    assert CaseListOutput(case_values, many=True).data == drf_own_cases
    assert {row["assigned_to_name"] for row in drf_own_cases} == {None, officer.get_full_name()}
    assert any(row["destination_name"] is None for row in CaseListOutput(cases, many=True).data)


@pytest.mark.parametrize(
    ("persona", "path"),
    [
        ("officer", "/casework/cases/?page_size=4"),
        ("officer", "/casework/cases/?page_size=2&assigned_to=none&ordering=-total_value_eur"),
        ("exporter", "/applications/?page_size=4"),
        ("exporter", "/applications/?page_size=2&status=submitted"),
    ],
)
def test_every_page_is_byte_for_byte_the_json_drf_writes_from_the_model_instances(
    token_client, exporter_a, officer, persona, path
):
    """The lists read `.values()` rows through compiled-once subqueries, load their times with psycopg's own
    loader and write them with RowOutput (issue 19): the first page, the pages deep behind a cursor and the
    filtered ones must still be exactly what DRF renders from the model instances Django reads the usual way."""
    org = exporter_a.organisation
    for n in range(11):  # no destination, an officer or none, odd cents with ties, times with microseconds
        case = submitted_application(
            organisation=org,
            assigned_to=officer if n % 3 == 0 else None,
            destination_id=None if n % 4 == 0 else "NO",
            goods=n % 3 + 1,
        )
        moment = MOMENT + timedelta(hours=n % 5, microseconds=1011 * n)
        value = Decimal(f"{1000 + n % 4}.{n:02d}")
        Application.objects.filter(pk=case.pk).update(submitted_at=moment, created_at=moment, total_value_eur=value)
    ApplicationFactory(organisation=org, created_by=exporter_a)  # a draft: the exporter's list only
    user = exporter_a if persona == "exporter" else officer
    serializer = ApplicationListOutput if persona == "exporter" else CaseListOutput
    instances = {row.pk: row for row in application_list_for(user=user)}
    client = token_client(user)

    url: str | None = f"{API}{path}"
    pages = 0
    while url:
        response = client.get(url)
        assert response.status_code == 200, response.content
        body = response.json()
        rows = [instances[row["id"]] for row in body["results"]]
        drf_own = [drf.Serializer.to_representation(serializer(), row) for row in rows]
        expected = {"next": body["next"], "previous": body["previous"], "results": drf_own}
        assert response.content == JSONRenderer().render(expected)
        pages += 1
        url = body["next"]
    assert pages >= 3  # the first page and at least two behind a cursor
