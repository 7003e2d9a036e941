"""Keyset ("cursor") pagination: Previous and Next carry the sort values of the page's edge row, so a page is a
bounded index range scan that starts at that row, however deep it lies. Page numbers would cost a COUNT(*) over
the whole list and an OFFSET that reads and throws away every row before the page.

An ordering is a list of columns that ends in a unique one (the primary key). Every column but the first sorts
NULL as the largest value (PostgreSQL's own rule, so a plain b-tree serves the order forwards and backwards); the
first column puts NULL last in both directions. The rows where the first column is NULL are therefore a segment
of their own, read with at most one extra query when a page crosses into it.

The cursor is signed (django.core.signing): a tampered or stale one is ignored and the list starts at its first
page. It also carries the position of the page, for the "Showing 26–50" text; the position is exact as long as
the list does not change between two clicks, which is all such a text promises.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, Generic, TypeVar

from django.core import signing
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q, QuerySet

T = TypeVar("T", bound=models.Model)

CURSOR_SALT = "core.pagination.cursor"
FORWARD = "n"
BACKWARD = "p"


@dataclass(frozen=True)
class SortColumn:
    """A column of a keyset ordering: a concrete model field (its name, or "pk") and its direction."""

    field: str
    descending: bool = False


@dataclass(frozen=True)
class KeysetPage(Generic[T]):
    """One page: its rows, where it starts in the list (0-based), and cursors to its neighbours.

    previous_cursor is None on the first page; an empty string means "the previous page is the first page",
    which a link shows without any cursor at all.
    """

    rows: list[T]
    start: int
    next_cursor: str | None
    previous_cursor: str | None

    @property
    def has_next(self) -> bool:
        return self.next_cursor is not None

    @property
    def has_previous(self) -> bool:
        return self.previous_cursor is not None

    @property
    def has_other_pages(self) -> bool:
        return self.has_next or self.has_previous

    @property
    def first_number(self) -> int:
        """1-based number of the first row shown ("Showing 26–50")."""
        return self.start + 1 if self.rows else 0

    @property
    def last_number(self) -> int:
        return self.start + len(self.rows)


@dataclass(frozen=True)
class _Segment:
    """A stretch of the list read with one query: all rows, or those whose first column is (not) NULL.
    `nullable` says per column whether a NULL can occur within the segment."""

    columns: tuple[SortColumn, ...]
    nullable: tuple[bool, ...]
    where: Q


class KeysetPaginator(Generic[T]):
    """Pages of `queryset` in the order of `columns` (a primary-key column is added when the last is not one).

    `scope` names the list and its order (for example "open:deadline"); a cursor made for another scope is
    ignored, so changing the sort or the tab with an old cursor in the URL starts at the first page.
    """

    def __init__(self, queryset: QuerySet[T], columns: list[SortColumn], *, per_page: int, scope: str) -> None:
        if not columns or columns[-1].field != "pk":
            columns = [*columns, SortColumn("pk", descending=columns[-1].descending if columns else False)]
        self.queryset = queryset
        self.columns = tuple(columns)
        self.per_page = per_page
        self.scope = scope
        self._fields = [self._field(c.field) for c in self.columns]
        nullable = tuple(f.null for f in self._fields)
        first = self.columns[0].field
        if nullable[0]:
            self.segments: tuple[_Segment, ...] = (
                _Segment(self.columns, (False, *nullable[1:]), Q(**{f"{first}__isnull": False})),
                _Segment(self.columns[1:], nullable[1:], Q(**{f"{first}__isnull": True})),
            )
        else:
            self.segments = (_Segment(self.columns, nullable, Q()),)

    # --- the public calls ---------------------------------------------------------------------------------

    def page(self, cursor: str | None) -> KeysetPage[T]:
        """The page a cursor points at, or the first page for no cursor or one that does not check out."""
        decoded = self._decode(cursor) if cursor else None
        if decoded is None:
            return self._forward(None, start=0)
        direction, values, start = decoded
        page = self._forward(values, start=start) if direction == FORWARD else self._backward(values, start=start)
        # A cursor past the end (the cases after it were decided or deleted meanwhile): start over.
        return page if page.rows else self._forward(None, start=0)

    def cursor_at(self, row: T, *, start: int, direction: str = FORWARD) -> str:
        """A cursor to the page that starts just after `row` (FORWARD) or ends just before it (BACKWARD)."""
        values = [self._value(row, c.field) for c in self.columns]
        payload = {"s": self.scope, "d": direction, "p": start, "v": [_to_json(v) for v in values]}
        return signing.dumps(payload, salt=CURSOR_SALT, compress=True)

    def row_at(self, position: int) -> T | None:
        """The row at a 0-based position of the list, read with OFFSET: for a link into the middle of a list
        (and for benchmarks), never for paging."""
        first, *rest = self.columns
        head = models.F(first.field)
        lead = head.desc(nulls_last=True) if first.descending else head.asc(nulls_last=True)
        rows = list(self.queryset.order_by(lead, *(_order(c, backward=False) for c in rest))[position : position + 1])
        return rows[0] if rows else None

    # --- reading ----------------------------------------------------------------------------------------------

    def _forward(self, values: list[Any] | None, *, start: int) -> KeysetPage[T]:
        """The page after `values`, or the first page without them."""
        first_segment = 0 if values is None else self._segment_of(values)
        rows: list[T] = []
        for index in range(first_segment, len(self.segments)):
            after = values if index == first_segment else None
            rows += self._read(self.segments[index], after, backward=False)
        shown = rows[: self.per_page]
        next_cursor = self.cursor_at(shown[-1], start=start + len(shown)) if len(rows) > self.per_page else None
        previous_cursor: str | None = None
        if values is not None and shown:
            # The page before this one starts at start - per_page; when that is the top, link to the bare list.
            previous_start = max(0, start - self.per_page)
            previous_cursor = "" if previous_start == 0 else self.cursor_at(shown[0], start=start, direction=BACKWARD)
        return KeysetPage(shown, start, next_cursor, previous_cursor)

    def _backward(self, values: list[Any], *, start: int) -> KeysetPage[T]:
        """The page that ends just before `values`: read in reverse, then turned round."""
        first_segment = self._segment_of(values)
        rows: list[T] = []
        for index in range(first_segment, -1, -1):
            before = values if index == first_segment else None
            rows += self._read(self.segments[index], before, backward=True)
        if len(rows) <= self.per_page:
            # Reached the top of the list (rows were added or removed meanwhile): show the real first page.
            return self._forward(None, start=0)
        shown = rows[: self.per_page][::-1]
        page_start = max(1, start - self.per_page)  # there is at least the one row read beyond this page
        previous_start = page_start - self.per_page
        previous_cursor = "" if previous_start <= 0 else self.cursor_at(shown[0], start=page_start, direction=BACKWARD)
        next_cursor = self.cursor_at(shown[-1], start=page_start + len(shown))
        return KeysetPage(shown, page_start, next_cursor, previous_cursor)

    def _read(self, segment: _Segment, edge: list[Any] | None, *, backward: bool) -> list[T]:
        """per_page + 1 rows of one segment beyond the edge row (the extra row says there is more). A page that
        may run on into the next segment always reads it too, even when the first query filled the page: one
        query more, but the same number whether the page ends in the middle of the list or at its end."""
        limit = self.per_page + 1
        columns = segment.columns
        qs = self.queryset.filter(segment.where)
        if edge is not None:
            tail = edge[len(self.columns) - len(columns) :]  # the NULL segment drops the first column
            qs = qs.filter(_bound(columns[0], tail[0], nullable=segment.nullable[0], backward=backward))
            qs = qs.filter(_beyond(segment, tail, backward=backward))
        # The NULL segment still orders by the (all NULL) first column: that keeps the ORDER BY a prefix of the
        # index on (first, ...), so PostgreSQL reads the NULL rows as one range of it instead of sorting.
        return list(qs.order_by(*(_order(c, backward=backward) for c in self.columns))[:limit])

    # --- cursors ----------------------------------------------------------------------------------------------

    def _segment_of(self, values: list[Any]) -> int:
        return 1 if len(self.segments) == 2 and values[0] is None else 0

    def _decode(self, cursor: str) -> tuple[str, list[Any], int] | None:
        try:
            payload = signing.loads(cursor, salt=CURSOR_SALT)
            if payload["s"] != self.scope or payload["d"] not in (FORWARD, BACKWARD):
                return None
            raw = payload["v"]
            start = int(payload["p"])
            if not isinstance(raw, list) or len(raw) != len(self.columns) or start < 0:
                return None
            values = [None if v is None else f.to_python(v) for f, v in zip(self._fields, raw, strict=True)]
        except (signing.BadSignature, KeyError, TypeError, ValueError, ValidationError):
            # A cursor that does not check out (tampered, from an older release, garbled) means: start over.
            return None
        return str(payload["d"]), values, start

    def _field(self, name: str) -> models.Field[Any, Any]:
        meta = self.queryset.model._meta
        field = meta.pk if name == "pk" else meta.get_field(name)
        if not isinstance(field, models.Field):
            raise TypeError(f"{name} is not a concrete field to sort by")
        return field

    @staticmethod
    def _value(row: T, name: str) -> Any:
        return row.pk if name == "pk" else getattr(row, name)


# --- the ORM predicate (portable: PostgreSQL and SQLite alike) --------------------------------------------------


def _order(column: SortColumn, *, backward: bool) -> Any:
    """ORDER BY term: NULL sorts as the largest value, so NULLS LAST going up and NULLS FIRST going down."""
    descending = column.descending != backward
    expression = models.F(column.field)
    return expression.desc(nulls_first=True) if descending else expression.asc(nulls_last=True)


def _after(column: SortColumn, value: Any, *, nullable: bool, backward: bool) -> Q | None:
    """Rows strictly beyond `value` in this column's reading direction; None when none can be (NULL is largest)."""
    descending = column.descending != backward
    name = column.field
    if value is None:
        return Q(**{f"{name}__isnull": False}) if descending else None
    if descending:
        return Q(**{f"{name}__lt": value})
    beyond = Q(**{f"{name}__gt": value})
    return beyond | Q(**{f"{name}__isnull": True}) if nullable else beyond


def _equal(column: SortColumn, value: Any) -> Q:
    return Q(**{f"{column.field}__isnull": True}) if value is None else Q(**{column.field: value})


def _beyond(segment: _Segment, values: list[Any], *, backward: bool) -> Q:
    """(c1, c2, …, pk) beyond (v1, v2, …, vpk) lexicographically, as nested OR/AND the ORM writes portably."""
    predicate: Q | None = None
    for column, nullable, value in reversed(list(zip(segment.columns, segment.nullable, values, strict=True))):
        strictly = _after(column, value, nullable=nullable, backward=backward)
        if predicate is None:
            predicate = strictly if strictly is not None else Q(pk__in=[])
        else:
            tie = _equal(column, value) & predicate
            predicate = tie if strictly is None else strictly | tie
    return predicate if predicate is not None else Q()


def _bound(column: SortColumn, value: Any, *, nullable: bool, backward: bool) -> Q:
    """A redundant range condition on the leading column (c >= v going up, c <= v going down): the same rows as
    the predicate, but in a form PostgreSQL uses as the start of the index scan instead of a filter."""
    if value is None:
        return Q()
    descending = column.descending != backward
    if descending:
        return Q(**{f"{column.field}__lte": value})
    bound = Q(**{f"{column.field}__gte": value})
    return bound | Q(**{f"{column.field}__isnull": True}) if nullable else bound


def _to_json(value: Any) -> Any:
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    return value
