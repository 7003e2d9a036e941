"""Two helpers for the hot read paths (the API lists, issue 19), each giving the same rows for less Python per
request: a subquery compiled once, and psycopg's own (C) loader for `timestamptz` where Django's adds nothing.

Neither changes a query or a value: `CompiledOnce` hands back the SQL Django compiled the first time, and
`native_timestamps` is only switched on when psycopg's loader gives the very datetimes Django's would.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

import psycopg
from django.db import connections
from django.db.models import Subquery
from psycopg.types.datetime import TimestamptzLoader


class CompiledOnce(Subquery):
    """A Subquery that compiles its SQL once and reuses it: for the correlated subqueries of a queryset that is
    built once and cloned by every request (licensing.selectors._rows_of), where compiling five small subqueries
    on every request cost more than the rest of the page's SQL.

    The SQL of a resolved subquery depends only on its own query and on the outer query's alias it refers to.
    Django never renames an alias in place: a query used inside another (`pk__in=...`) is relabelled through
    `relabeled_clone`, which copies the expression, and a copy compiles afresh. Only for subqueries whose
    parameters are fixed when they are built (no value from the request)."""

    def __init__(self, queryset: Any, output_field: Any = None, **extra: Any) -> None:
        super().__init__(queryset, output_field, **extra)
        self._compiled: dict[str, tuple[str, tuple[Any, ...]]] = {}

    def copy(self) -> CompiledOnce:
        clone: CompiledOnce = super().copy()
        clone._compiled = {}
        return clone

    def as_sql(self, compiler: Any, connection: Any, template: Any = None, **extra_context: Any) -> Any:
        if template is not None or extra_context:
            return super().as_sql(compiler, connection, template, **extra_context)
        compiled = self._compiled.get(connection.alias)
        if compiled is None:
            sql, params = super().as_sql(compiler, connection)
            compiled = self._compiled[connection.alias] = (sql, tuple(params))
        return compiled


@contextmanager
def native_timestamps(using: str) -> Iterator[None]:
    """Within the block, queries on connection `using` load `timestamptz` values with psycopg's own loader (its C
    version with psycopg[binary]) instead of Django's pure-Python one: ~5 µs less per value, 52 values a page.

    Only where the two agree: on PostgreSQL with psycopg 3, when the session's time zone is UTC (Django sets it
    so with USE_TZ) and Django would attach UTC too. psycopg's loader then attaches `datetime.timezone.utc`, the
    object Django's attaches, so every value is the same. Elsewhere it changes nothing."""
    connection = connections[using]
    if connection.vendor != "postgresql" or connection.timezone is not datetime.UTC:
        yield
        return
    with connection.execute_wrapper(_load_timestamps_natively):
        yield


def _load_timestamps_natively(
    execute: Callable[..., Any], sql: str, params: Any, many: bool, context: dict[str, Any]
) -> Any:
    cursor = getattr(context["cursor"], "cursor", None)  # the driver's cursor under Django's wrapper
    adapters = getattr(cursor, "adapters", None)
    info = getattr(context["connection"].connection, "info", None)  # psycopg 3 only
    if adapters is not None and info is not None and info.parameter_status("TimeZone") == "UTC":
        # On this cursor only (Django makes one per query); psycopg swaps in its C class where it has one.
        adapters.register_loader("timestamptz", TimestamptzLoader)
    return execute(sql, params, many, context)


@contextmanager
def repeated_reads_prepared(using: str) -> Iterator[None]:
    """Within the block, a query on connection `using` that the connection has run often enough is executed as a
    prepared statement, so PostgreSQL parses and plans it once per connection instead of on every request.

    Django binds parameters on the client (psycopg's ClientCursor), which never prepares. Here the statement keeps
    that binding: the text is the very text the client cursor would send, values included, and it goes through a
    server-binding cursor with no parameters, which psycopg prepares once the text has been seen
    `prepare_threshold` times on the connection (the database OPTIONS; None never prepares). A plan is made for
    the values in the text, as before, never a generic plan for parameters: the same plan, without parsing and
    planning again (about 0.35 ms of PostgreSQL's 0.8 ms for the case list's page at 1M, issue 19). Texts seen
    once (a deep page's cursor values) are only counted. Elsewhere it changes nothing."""
    connection = connections[using]
    if connection.vendor != "postgresql" or not connection.settings_dict["OPTIONS"].get("prepare_threshold"):
        yield
        return
    with connection.execute_wrapper(_prepared_when_repeated):
        yield


def _prepared_when_repeated(
    execute: Callable[..., Any], sql: str, params: Any, many: bool, context: dict[str, Any]
) -> Any:
    wrapper = context["cursor"]  # Django's CursorWrapper; .cursor is the driver's
    client = getattr(wrapper, "cursor", None)
    if many or not isinstance(client, psycopg.ClientCursor):
        return execute(sql, params, many, context)
    text = client.mogrify(sql, params)
    wrapper.cursor = psycopg.Cursor(client.connection)
    client.close()
    return execute(text, None, many, context)
