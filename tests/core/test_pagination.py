"""Keyset pagination (core.pagination): walking a list with Next to its end and back with Previous shows every
row exactly once, in the list's own order, for every sort of the officer queue in both directions, with ties and
NULLs; a page costs the same queries however deep it lies; a cursor that does not check out starts over."""

from __future__ import annotations

import datetime as dt
import functools
import random
from decimal import Decimal
from typing import Any, cast

import pytest
from django.utils import timezone

from core.pagination import (
    InvalidCursor,
    Keyset,
    KeysetColumn,
    KeysetCursor,
    KeysetPage,
    KeysetPaginator,
    KeysetRead,
    keyset_cursor_from_payload,
    keyset_cursor_payload,
    keyset_read,
)
from licensing.models import Application, ApplicationStatus
from licensing.selectors_queue import SORTS, queue_ordering
from tests.factories import ApplicationFactory

pytestmark = pytest.mark.django_db

PER_PAGE = 4
STATUSES = [ApplicationStatus.SUBMITTED, ApplicationStatus.UNDER_REVIEW, ApplicationStatus.APPROVED]


@pytest.fixture
def applications() -> list[Application]:
    """23 rows with few distinct values, so every column has ties, and some NULLs in every nullable column."""
    rng = random.Random(8)
    first = Application.objects.get(pk=cast(Application, ApplicationFactory()).pk)
    now = timezone.now().replace(microsecond=0)
    today = timezone.localdate()

    def maybe(value: Any) -> Any:
        return None if rng.random() < 0.2 else value

    rows = [
        _sibling(
            first,
            n,
            status=rng.choice(STATUSES),
            submitted_at=maybe(now - dt.timedelta(days=rng.randint(0, 3))),
            legal_deadline=maybe(today + dt.timedelta(days=rng.randint(0, 3))),
            target_date=maybe(today + dt.timedelta(days=rng.randint(0, 3))),
            decided_at=maybe(now - dt.timedelta(hours=rng.randint(0, 3))),
            total_value_eur=Decimal(rng.choice(["0", "10.50", "99"])),
        )
        for n in range(22)
    ]
    Application.objects.bulk_create(rows)
    return list(Application.objects.all())


def _sibling(first: Application, n: int, **values: Any) -> Application:
    """An unsaved application of `first`'s exporter, for bulk_create."""
    return Application(
        reference=f"KEY-{n:03d}",
        organisation=first.organisation,
        created_by=first.created_by,
        licence_type=first.licence_type,
        title=f"Row {n}",
        **values,
    )


def _expected(rows: list[Application], columns: list[KeysetColumn]) -> list[int]:
    """The documented order, computed in Python: the first column puts NULL last in both directions, every
    later column sorts NULL as its largest value."""

    def compare(a: Application, b: Application) -> int:
        for position, column in enumerate(columns):
            x, y = (r.pk if column.field == "pk" else getattr(r, column.field) for r in (a, b))
            if x == y:
                continue
            if x is None or y is None:
                null_last = position == 0 or not column.descending
                return (1 if x is None else -1) * (1 if null_last else -1)
            result = -1 if x < y else 1
            return -result if column.descending else result
        return 0

    return [r.pk for r in sorted(rows, key=functools.cmp_to_key(compare))]


Pages = list[KeysetPage[Application]]


def _walk(paginator: KeysetPaginator[Application]) -> tuple[Pages, Pages]:
    forward = [paginator.page(None)]
    while forward[-1].next_cursor:
        forward.append(paginator.page(forward[-1].next_cursor))
    backward = [forward[-1]]
    while backward[0].previous_cursor is not None:
        backward.insert(0, paginator.page(backward[0].previous_cursor or None))
    return forward, backward


ALL_SORTS = [key for name in SORTS for key in (name, f"-{name}")]


@pytest.mark.parametrize("key", ALL_SORTS)
def test_next_then_previous_shows_every_row_once_in_order_whatever_the_sort(applications, key):
    columns = queue_ordering(key)
    paginator = KeysetPaginator(Application.objects.all(), columns, per_page=PER_PAGE, scope=key)

    forward, backward = _walk(paginator)

    assert [r.pk for page in forward for r in page.rows] == _expected(applications, columns)
    assert [[r.pk for r in page.rows] for page in backward] == [[r.pk for r in page.rows] for page in forward]
    assert [(p.first_number, p.last_number) for p in forward] == [
        (1, 4), (5, 8), (9, 12), (13, 16), (17, 20), (21, 23)
    ]  # fmt: skip
    assert [p.start for p in backward] == [p.start for p in forward]


def test_a_filtered_list_pages_by_the_same_rules(applications):
    columns = queue_ordering("-decided")
    open_only = Application.objects.filter(status__in=[ApplicationStatus.SUBMITTED, ApplicationStatus.UNDER_REVIEW])
    forward, _backward = _walk(KeysetPaginator(open_only, columns, per_page=PER_PAGE, scope="open"))
    assert [r.pk for page in forward for r in page.rows] == _expected(list(open_only), columns)


@pytest.mark.parametrize(("key", "queries"), [("value", 1), ("deadline", 2)])
def test_a_deep_page_costs_as_many_queries_as_the_first(applications, django_assert_num_queries, key, queries):
    """One query per page; a sort on a column that may be NULL reads the NULL rows with one query more."""
    paginator = KeysetPaginator(Application.objects.all(), queue_ordering(key), per_page=PER_PAGE, scope=key)
    cursor = paginator.page(None).next_cursor
    for _ in range(3):
        cursor = paginator.page(cursor).next_cursor
    with django_assert_num_queries(queries):
        paginator.page(None)
    with django_assert_num_queries(queries):
        deep = paginator.page(cursor)
    assert deep.first_number == 4 * PER_PAGE + 1


def test_a_cursor_that_does_not_check_out_gives_the_first_page(applications):
    paginator = KeysetPaginator(Application.objects.all(), queue_ordering("deadline"), per_page=PER_PAGE, scope="a")
    first = paginator.page(None)
    cursor = first.next_cursor
    assert cursor is not None
    other_scope = KeysetPaginator(Application.objects.all(), queue_ordering("deadline"), per_page=PER_PAGE, scope="b")

    for bad in (cursor[:-4] + "AAAA", "", "x" * 500, "a:b:c", cursor.replace(":", "", 1)):
        assert [r.pk for r in paginator.page(bad).rows] == [r.pk for r in first.rows]
    assert other_scope.page(cursor).start == 0
    assert paginator.page(cursor).start == PER_PAGE


def test_a_cursor_past_the_end_of_a_shrunken_list_gives_the_first_page(applications):
    paginator = KeysetPaginator(Application.objects.all(), queue_ordering("value"), per_page=PER_PAGE, scope="v")
    last = paginator.page(None)
    while last.next_cursor:
        previous, last = last, paginator.page(last.next_cursor)
    Application.objects.filter(pk__in=[r.pk for r in last.rows]).delete()

    assert paginator.page(previous.next_cursor).start == 0


def test_row_at_finds_the_row_a_page_would_start_after(applications):
    paginator = KeysetPaginator(Application.objects.all(), queue_ordering("-decided"), per_page=PER_PAGE, scope="d")
    row = paginator.row_at(9)
    assert row is not None
    page = paginator.page(paginator.cursor_at(row, start=10))
    assert [r.pk for r in page.rows] == _expected(applications, queue_ordering("-decided"))[10:14]
    assert page.first_number == 11


# --- the reader both interfaces share (keyset_read), by hand-worked lists ---------------------------------------


def _five(deadlines: list[dt.date | None]) -> list[Application]:
    """Rows A, B, C, ... in creation order (ids ascending), with these legal deadlines."""
    first = Application.objects.get(pk=cast(Application, ApplicationFactory()).pk)
    Application.objects.filter(pk=first.pk).update(legal_deadline=deadlines[0])
    rest = [
        _sibling(first, n, status=ApplicationStatus.SUBMITTED, legal_deadline=deadline)
        for n, deadline in enumerate(deadlines[1:], start=1)
    ]
    return [first, *Application.objects.bulk_create(rest)]


MONDAY = dt.date(2026, 3, 16)


def _ids(read: KeysetRead[Any]) -> list[int]:
    return [r.pk for r in read.rows]


def test_keyset_read_pages_ties_by_id_and_puts_no_deadline_last_on_first_middle_and_last_page(
    django_assert_max_num_queries,
):
    a, b, c, d, e = _five([MONDAY, MONDAY + dt.timedelta(days=7), MONDAY + dt.timedelta(days=7), None, None])
    keyset = Keyset(Application, [KeysetColumn("legal_deadline")])  # the id is added as the tie-break
    qs = Application.objects.all()

    with django_assert_max_num_queries(2):
        first = keyset_read(qs, keyset, size=2)
    with django_assert_max_num_queries(2):
        middle = keyset_read(qs, keyset, size=2, after=keyset.values_of(first.rows[-1]))  # B and C tie: by id
    with django_assert_max_num_queries(2):
        last = keyset_read(qs, keyset, size=2, after=keyset.values_of(middle.rows[-1]))

    assert (_ids(first), first.more) == ([a.pk, b.pk], True)
    assert (_ids(middle), middle.more) == ([c.pk, d.pk], True)  # crosses into the rows without a deadline
    assert (_ids(last), last.more) == ([e.pk], False)


def test_keyset_read_takes_the_top_of_an_ascending_order_in_one_query_when_the_page_crosses_into_no_deadline(
    django_assert_num_queries,
):
    a, b, c, d, e = _five([MONDAY, None, MONDAY + dt.timedelta(days=7), None, None])
    keyset = Keyset(Application, [KeysetColumn("legal_deadline")])
    qs = Application.objects.all()

    with django_assert_num_queries(1):  # ORDER BY ... NULLS LAST reads both segments in their order
        first = keyset_read(qs, keyset, size=3)
    with django_assert_num_queries(1):
        everything = keyset_read(qs, keyset, size=10)
    with django_assert_num_queries(1):
        rest = keyset_read(qs, keyset, size=3, after=keyset.values_of(first.rows[-1]))  # in the NULL segment

    assert (_ids(first), first.more) == ([a.pk, c.pk, b.pk], True)
    assert (_ids(everything), everything.more) == ([a.pk, c.pk, b.pk, d.pk, e.pk], False)
    assert (_ids(rest), rest.more) == ([d.pk, e.pk], False)


def test_keyset_read_backwards_from_the_null_rows_of_a_descending_order(django_assert_max_num_queries):
    a, b, c, d, e = _five([MONDAY, MONDAY + dt.timedelta(days=7), MONDAY + dt.timedelta(days=7), None, None])
    keyset = Keyset(Application, [KeysetColumn("legal_deadline", descending=True)])
    qs = Application.objects.all()
    # The whole order: latest deadline first, ties newest id first, and no deadline still last: C B A E D.
    everything = keyset_read(qs, keyset, size=10)
    assert (_ids(everything), everything.more) == ([c.pk, b.pk, a.pk, e.pk, d.pk], False)

    with django_assert_max_num_queries(2):
        before_e = keyset_read(qs, keyset, size=2, after=keyset.values_of(e), backward=True)
    with django_assert_max_num_queries(2):
        before_b = keyset_read(qs, keyset, size=2, after=keyset.values_of(b), backward=True)

    assert (_ids(before_e), before_e.more) == ([b.pk, a.pk], True)
    assert (_ids(before_b), before_b.more) == ([c.pk], False)


@pytest.mark.parametrize("every_segment", [False, True])
def test_keyset_read_costs_the_same_queries_on_a_deep_page_as_on_the_first(
    applications, django_assert_num_queries, every_segment
):
    """Reading stops at a full page unless every_segment asks for the NULL segment too (the HTML pages do: then a
    page crossing into the NULL rows costs no more than one in the middle)."""
    keyset = Keyset(Application, queue_ordering("deadline"))
    qs = Application.objects.all()
    queries = 2 if every_segment else 1
    with django_assert_num_queries(queries):
        first = keyset_read(qs, keyset, size=PER_PAGE, every_segment=every_segment)
    with django_assert_num_queries(queries):
        deep = keyset_read(
            qs, keyset, size=PER_PAGE, after=keyset.values_of(first.rows[-1]), every_segment=every_segment
        )
    expected = _expected(applications, queue_ordering("deadline"))
    assert _ids(first) + _ids(deep) == expected[: 2 * PER_PAGE]


def test_keyset_adds_the_id_once_and_stops_at_it():
    assert Keyset(Application, [KeysetColumn("total_value_eur", descending=True)]).signature == "-total_value_eur,-id"
    assert Keyset(Application, [KeysetColumn("pk"), KeysetColumn("title")]).signature == "id"
    doubled = [KeysetColumn("submitted_at"), KeysetColumn("submitted_at"), KeysetColumn("pk")]
    assert Keyset(Application, doubled).signature == "submitted_at,id"


def test_a_cursor_payload_of_another_order_or_with_a_value_that_is_no_date_is_refused():
    keyset = Keyset(Application, [KeysetColumn("legal_deadline")])
    payload = keyset_cursor_payload(keyset, scope="s", values=[MONDAY, 7], start=25)
    assert payload == {"s": "s", "v": ["2026-03-16", 7], "p": 25}
    assert keyset_cursor_from_payload(keyset, scope="s", payload=payload) == KeysetCursor([MONDAY, 7], start=25)

    for bad in ({**payload, "s": "t"}, {**payload, "v": ["Monday", 7]}, {**payload, "v": [None]}, {**payload, "p": -1}):
        with pytest.raises(InvalidCursor):
            keyset_cursor_from_payload(keyset, scope="s", payload=bad)
