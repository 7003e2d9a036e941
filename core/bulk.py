"""PostgreSQL COPY for bulk loads (`seed_bulk`): rows and their simple-history rows, without per-row ORM cost.

bulk_create spends most of its time in Python preparing each value and building one huge INSERT; COPY streams
the values straight to the server, which is what PostgreSQL's own docs advise for populating a database
("Populating a Database", section 14.4). Used only by bulk loaders: no signals, no save(), no validation — the
caller builds rows that already satisfy the model, as a fixture would.
"""

from __future__ import annotations

import enum
import operator
from collections.abc import Callable, Iterable, Iterator, Sequence
from datetime import datetime
from typing import Any, TypeVar

from django.db import connection, models
from psycopg import sql
from psycopg.copy import QueuedLibpqWriter
from psycopg.types.json import Jsonb

M = TypeVar("M", bound=models.Model)
HISTORY_FIELDS = ("history_date", "history_type", "history_user_id", "history_change_reason")


def _special_value(field: models.Field[Any, Any], obj: models.Model, value: Any) -> Any:
    # auto_now(_add) only where the loader left the value empty: a bulk load dates rows at their real events.
    if value is None and (getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False)):
        value = field.pre_save(obj, add=True)
    if isinstance(field, models.JSONField):
        return Jsonb(value)
    if isinstance(field, models.FileField):
        return value.name or "" if value is not None else None
    return value


def _is_special(field: models.Field[Any, Any]) -> bool:
    dated = getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False)
    return bool(dated) or isinstance(field, models.JSONField | models.FileField)


def _row_builder(fields: Sequence[models.Field[Any, Any]]) -> Callable[[models.Model], tuple[Any, ...]]:
    """A function giving an object's column values in `fields` order, worked out once per table: the values are
    read by one attrgetter, and only fields with choices (an enum member -> its value), dates set on save and
    JSON and file fields get a second look. Asking every field of every row what kind it is cost a third of a
    bulk load's Python time (issue 19, seed_bulk)."""
    read = operator.attrgetter(*(f.attname for f in fields))
    with_choices = [i for i, f in enumerate(fields) if f.choices is not None]
    special = [(i, f) for i, f in enumerate(fields) if _is_special(f)]
    single = len(fields) == 1

    def build(obj: models.Model) -> tuple[Any, ...]:
        values: list[Any] = [read(obj)] if single else list(read(obj))
        for i in with_choices:
            if isinstance(values[i], enum.Enum):
                values[i] = values[i].value
        for i, field in special:
            values[i] = _special_value(field, obj, values[i])
        return tuple(values)

    return build


def _copy(table: str, columns: Sequence[str], rows: Iterable[tuple[Any, ...]]) -> None:
    """Stream `rows` into `table` while they are being built: the rows come from a generator, and psycopg's queued
    writer sends them from a thread of its own, so PostgreSQL inserts (and updates the indexes) on the other core
    while Python builds the next rows, instead of the two taking turns."""
    statement = sql.SQL("COPY {} ({}) FROM STDIN").format(
        sql.Identifier(table), sql.SQL(", ").join(sql.Identifier(c) for c in columns)
    )
    with connection.cursor() as cursor:
        raw = cursor.cursor
        with raw.copy(statement, writer=QueuedLibpqWriter(raw)) as copy:
            for row in rows:
                copy.write_row(row)


def _reserve_ids(model: type[models.Model], count: int) -> list[int]:
    meta = model._meta
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
            [meta.db_table, meta.pk.column, count],  # type: ignore[union-attr]
        )
        return [row[0] for row in cursor.fetchall()]


def copy_insert(
    model: type[M],
    objs: list[M],
    *,
    history_at: Callable[[M], datetime] | None = None,
    history_user_id: int | None = None,
    history_reason: str | None = None,
) -> list[M]:
    """Insert `objs` with COPY, giving each its primary key; with `history_at`, also one "created" history row
    each, dated at the event it stands for (so as-of reports see the register as it was)."""
    if not objs:
        return objs
    if connection.vendor != "postgresql":
        raise RuntimeError("copy_insert needs PostgreSQL")
    meta = model._meta
    for obj, pk in zip(objs, _reserve_ids(model, len(objs)), strict=True):
        obj.pk = pk
    fields = list(meta.concrete_fields)
    columns = [str(f.column) for f in fields]
    build = _row_builder(fields)
    rows: list[tuple[Any, ...]] = []  # kept as they are sent: the history rows repeat their values

    def each_row() -> Iterator[tuple[Any, ...]]:
        for obj in objs:
            row = build(obj)
            rows.append(row)
            yield row

    _copy(meta.db_table, columns, each_row())
    if history_at is not None:
        history_model = model.history.model  # type: ignore[attr-defined]
        position = {column: i for i, column in enumerate(columns)}
        history_columns = [f.column for f in history_model._meta.concrete_fields if f.column != "history_id"]
        unknown = set(history_columns) - set(position) - set(HISTORY_FIELDS)
        if unknown:
            raise RuntimeError(f"{history_model.__name__}: no value for {sorted(unknown)}")
        kept = [position[c] for c in history_columns if c in position]
        history_rows = (
            (*(row[i] for i in kept), history_at(obj), "+", history_user_id, history_reason)
            for row, obj in zip(rows, objs, strict=True)
        )
        _copy(history_model._meta.db_table, [c for c in history_columns if c in position] + list(HISTORY_FIELDS),
              history_rows)  # fmt: skip
    for obj in objs:
        obj._state.adding = False
        obj._state.db = connection.alias
    return objs
