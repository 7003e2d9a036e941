"""The register as it stood at a moment ("as of"), read from django-simple-history's tables.

A figure sent to parliament must be reproducible later, after licences were revoked or values corrected.
Every report therefore reads through a Snapshot:

- live (as_of=None): the current tables;
- as of a moment: per record, the latest history row recorded at or before that moment, unless that row is
  a deletion. The history rows are never changed, so the same moment always gives the same rows.

Both return querysets with the same field names (`id`, `status`, `destination_id`, ...), so each report is
written once. Memberships need no snapshot: they are dated, and every report asks about the decision date.

One exception, `goods()`: licensing creates LicensedGoods with bulk_create, which writes no history row. A
goods line without any history row is read from the live table (it is a copy made at issue and only its
shipped totals change); one with history rows uses its latest row at or before the moment.

Records untouched since the moment (issue 8). Every change to the tables the reports read goes through
Model.save() or delete(), and django-simple-history writes the history row in the same transaction, dated
the moment of the change. (Checked with grep: the only queryset.update() on them is Application.version in
licensing.services.casework, a column no report reads; LicensedGoods are bulk_created without history rows,
but only by licensing.services.casework._licence_issue together with their licence, whose history row dates
them.) So a record with no history row dated after the moment has not changed since: its live row IS the
row as it stood, and a record created later has its "+" row after the moment. `unchanged()` and `changed()`
let the aggregate reports read such records from the live tables with plain joins and look up history only
for the few records touched since (queries.base) - for a report run, which is computed as of the moment it
was requested, that is almost none.

The history lookups rely on the index (id, history_date, history_id) of each history table (licensing
migration 00NN_history_indexes): "the latest row of record X at or before T" is one index probe.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from typing import Any

from django.apps import apps
from django.db.models import (
    Case,
    CharField,
    DecimalField,
    Exists,
    Expression,
    F,
    Field,
    IntegerField,
    Model,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Coalesce
from django.db.models.lookups import LessThan
from django.utils import timezone

from licensing.models import Decision, LicensedGoods


def end_of_day(day: date) -> datetime:
    """The last moment of `day` in the register's time zone: "as of 5 May" includes everything on 5 May."""
    return timezone.make_aware(datetime.combine(day, time.max))


def local_midnight(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


def day_range(first: date, last: date) -> tuple[datetime, datetime]:
    """[first 00:00, the day after last 00:00) in local time, for filtering datetimes by whole days."""
    return local_midnight(first), local_midnight(last + timedelta(days=1))


def local_year(moment: str | Expression, *, first: int, last: int) -> Case:
    """SQL for the year of `moment` (a datetime) in the register's time zone, for rows whose `moment` lies in
    [1 January `first`, 1 January `last` + 1) local time (the caller's filter): the year whose local New Year
    midnight the moment last passed, by comparing it with each such midnight in turn. The same answer as the
    year of the local date (TruncDate + ExtractYear) without a time zone conversion per row, which cost more
    than the grouping itself over a million goods lines (docs/benchmarks.md, round 6)."""
    expression = F(moment) if isinstance(moment, str) else moment
    whens = [When(LessThan(expression, local_midnight(date(y + 1, 1, 1))), then=Value(y)) for y in range(first, last)]
    return Case(*whens, default=Value(last), output_field=IntegerField())


def _history(model: type[Model]) -> Any:
    return model.history.model  # type: ignore[attr-defined]


class Snapshot:
    def __init__(self, as_of: datetime | None = None) -> None:
        self.as_of = as_of

    @property
    def is_live(self) -> bool:
        return self.as_of is None

    def _versions(self, model: type[Model], ref: Any) -> QuerySet[Any]:
        """History rows of the record `ref` recorded at or before the moment, the latest first."""
        return (
            _history(model)
            .objects.filter(id=ref, history_date__lte=self.as_of)
            .order_by("-history_date", "-history_id")
        )

    def rows(self, model: type[Model]) -> QuerySet[Any]:
        """The model's records as they stood: live rows, or the latest history row per record."""
        if self.as_of is None:
            return model._default_manager.all()
        history = _history(model)
        # "No later row at or before the moment": an anti-join, which PostgreSQL can run as one hash join over
        # many rows or as one index probe per row over few.
        later = history.objects.filter(id=OuterRef("id"), history_date__lte=self.as_of).filter(
            Q(history_date__gt=OuterRef("history_date"))
            | Q(history_date=OuterRef("history_date"), history_id__gt=OuterRef("history_id"))
        )
        return history.objects.filter(history_date__lte=self.as_of).exclude(history_type="-").filter(~Exists(later))

    def value(
        self, model: type[Model], field: str, *, ref: str, key: str = "id", path: str | None = None
    ) -> Subquery | F:
        """SQL for `field` of the `model` record whose `key` equals the outer row's `ref`, as it stood. `path`: the
        same value through foreign keys from the outer row ("notification__counterpart_id"), which live is a join
        (one per relation, shared by the values read through it) rather than a subquery per value and row."""
        if self.as_of is None and path is not None:
            return F(path)
        if self.as_of is None or key != "id":
            return Subquery(self.rows(model).filter(**{key: OuterRef(ref)}).order_by().values(field)[:1])
        # One index probe: the record's latest row at or before the moment; NULL when that row is a deletion.
        as_stood = Case(When(history_type="-", then=Value(None)), default=F(field))
        return Subquery(self._versions(model, OuterRef(ref)).annotate(as_stood=as_stood).values("as_stood")[:1])

    def exists(self, model: type[Model], *, ref: str) -> Exists:
        return Exists(self.rows(model).filter(id=OuterRef(ref)))

    def changed(self, model: type[Model], *, key: str = "id") -> QuerySet[Any]:
        """The `key` (a record's id, or a parent's id) of every history row dated after the moment."""
        return _history(model).objects.filter(history_date__gt=self.as_of).order_by().values(key)

    def unchanged(self, model: type[Model], *, ref: str, key: str = "id") -> Any:
        """For a filter: no `model` record whose `key` equals the row's `ref` has changed since the moment."""
        return ~Exists(_history(model).objects.filter(**{key: OuterRef(ref)}, history_date__gt=self.as_of))

    def goods(self) -> QuerySet[Any]:
        """Licensed goods with g_description, g_ml and g_value as they stood (see the module docstring)."""
        qs = LicensedGoods.objects.order_by()
        if self.as_of is None:
            return qs.annotate(g_description=F("description"), g_ml=F("ml_category_id"), g_value=F("value_eur"))
        history = _history(LicensedGoods)
        versions = self._versions(LicensedGoods, OuterRef("id"))

        def latest(field: str, output_field: Field[Any, Any]) -> Coalesce:
            return Coalesce(Subquery(versions.values(field)[:1]), F(field), output_field=output_field)

        created_later = Exists(history.objects.filter(id=OuterRef("id"), history_type="+", history_date__gt=self.as_of))
        deleted = Exists(versions.filter(history_type="-"))
        return qs.annotate(
            g_description=latest("description", CharField()),
            g_ml=latest("ml_category_id", CharField()),
            g_value=latest("value_eur", DecimalField(max_digits=16, decimal_places=2)),
        ).filter(~created_later, ~deleted)

    def m2m(self, model: type[Model], field: str) -> QuerySet[Any]:
        """The rows of `model`'s many-to-many `field` as they stood: live, or those of each record's history row
        (django-simple-history's m2m_fields keep one set of rows per history row)."""
        through = model._meta.get_field(field).remote_field.through  # type: ignore[union-attr]
        if self.as_of is None:
            return through.objects.order_by()
        historical = apps.get_model(model._meta.app_label, f"Historical{model.__name__}_{field}")
        return historical.objects.filter(history_id__in=self.rows(model).values("history_id")).order_by()

    def decision_criteria(self) -> QuerySet[Any]:
        """(decision_id, criterion_id) pairs as they stood: the M2M rows of each decision's history row."""
        return self.m2m(Decision, "criteria")
