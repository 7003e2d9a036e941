"""core.orm: a subquery compiled once writes the SQL a fresh Subquery writes, on every clone and after Django
relabels it inside another query; psycopg's own timestamp loader gives the datetimes Django's loader gives; a read
repeated often enough on a connection is prepared, with its values in its text, and gives the rows it gave before."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.db import connection
from django.db.models import Func, IntegerField, OuterRef, Subquery
from psycopg.pq import Format

from core.orm import CompiledOnce, native_timestamps, repeated_reads_prepared
from licensing.models import Application, GoodsLine
from tests.factories import ApplicationFactory, GoodsLineFactory

pytestmark = pytest.mark.django_db

COUNT = Func(template="COUNT(*)", output_field=IntegerField())


def _with_goods_count(subquery: type[Subquery]) -> Any:
    goods = GoodsLine.objects.filter(application=OuterRef("pk")).order_by().values(n=COUNT)
    return Application.objects.annotate(n=subquery(goods, output_field=IntegerField())).values("pk", "n")


def test_a_subquery_compiled_once_writes_the_sql_of_a_fresh_one_on_every_clone():
    fresh, once = _with_goods_count(Subquery), _with_goods_count(CompiledOnce)
    assert str(once.query) == str(fresh.query)
    assert str(once.filter(pk=7).order_by("-pk")[:3].query) == str(fresh.filter(pk=7).order_by("-pk")[:3].query)
    assert str(once.filter(n=2).query) == str(fresh.filter(n=2).query)


def test_a_subquery_compiled_once_compiles_anew_when_its_query_is_relabelled_inside_another():
    application = ApplicationFactory()
    for _ in range(2):
        GoodsLineFactory(application=application)
    fresh, once = _with_goods_count(Subquery), _with_goods_count(CompiledOnce)
    assert list(once) == [{"pk": application.pk, "n": 2}]  # compiled, for the outer table by its own name

    # Inside another query Django renames the inner table (U0); the compiled SQL must follow it.
    inside_once = Application.objects.filter(pk__in=once.filter(n=2).values("pk"))
    inside_fresh = Application.objects.filter(pk__in=fresh.filter(n=2).values("pk"))
    assert str(inside_once.query) == str(inside_fresh.query)
    assert list(inside_once) == [application]
    assert str(once.query) == str(fresh.query)  # and the original still writes its own


def test_timestamps_loaded_natively_are_the_datetimes_django_loads_when_the_session_is_in_utc():
    application = ApplicationFactory()
    moment = dt.datetime(2026, 3, 29, 1, 59, 59, 999999, tzinfo=dt.timezone(dt.timedelta(hours=1)))
    Application.objects.filter(pk=application.pk).update(submitted_at=moment)
    read = Application.objects.filter(pk=application.pk).values_list("submitted_at", "created_at")
    loaders: list[type] = []

    def loader_used(execute: Any, sql: str, params: Any, many: bool, context: dict[str, Any]) -> Any:
        oid = context["cursor"].cursor.adapters.types["timestamptz"].oid
        loaders.append(context["cursor"].cursor.adapters.get_loader(oid, Format.TEXT))
        return execute(sql, params, many, context)

    django_own = read.get()
    with native_timestamps("default"), connection.execute_wrapper(loader_used):
        native = read.get()

    assert native == django_own and native[0] == moment
    assert all(value.tzinfo is dt.UTC for value in native)  # the object Django attaches, not an equal one
    assert loaders and not loaders[0].__module__.startswith("django")  # psycopg's loader did the reading


def _prepared_statements() -> list[str]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT statement FROM pg_prepared_statements WHERE NOT from_sql")
        return [row[0] for row in cursor.fetchall()]


def _read_titled_like(text: str) -> list[Any]:
    with repeated_reads_prepared("default"):
        return list(Application.objects.filter(title__contains=text).order_by("pk").values_list("pk", "title"))


def test_a_read_is_prepared_once_its_text_has_run_the_threshold_times_and_gives_the_same_rows():
    # A quote and a percent sign in the value: the value is in the statement's text, bound as Django binds it.
    wanted = ApplicationFactory(title="Radar O'Neill 50% spares")
    ApplicationFactory(title="Radar O'Neill 40% spares")
    threshold = connection.settings_dict["OPTIONS"]["prepare_threshold"]
    assert threshold == 5  # config.settings.base.with_prepared_reads

    expected = [(wanted.pk, "Radar O'Neill 50% spares")]
    before = [_read_titled_like("O'Neill 50%") for _ in range(threshold - 1)]
    assert not any("O''Neill 50" in statement for statement in _prepared_statements())

    after = [_read_titled_like("O'Neill 50%") for _ in range(3)]

    assert before + after == [expected] * (threshold + 2)
    prepared = [statement for statement in _prepared_statements() if "O''Neill 50" in statement]
    assert len(prepared) == 1 and "$1" not in prepared[0]  # one plan, for the values themselves
    assert _read_titled_like("O'Neill 40%") != expected  # another value is another statement, read afresh


def test_no_read_is_prepared_when_the_threshold_is_off(monkeypatch):
    ApplicationFactory(title="Sonar buoys")
    monkeypatch.setitem(connection.settings_dict, "OPTIONS", {"prepare_threshold": None})  # THRESHOLD=0

    reads = [_read_titled_like("Sonar") for _ in range(8)]

    assert reads[0] and all(read == reads[0] for read in reads)
    assert not any("Sonar" in statement for statement in _prepared_statements())
