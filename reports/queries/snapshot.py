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
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from typing import Any

from django.apps import apps
from django.db.models import CharField, DecimalField, Exists, F, Field, Model, OuterRef, QuerySet, Subquery
from django.db.models.functions import Coalesce
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


class Snapshot:
    def __init__(self, as_of: datetime | None = None) -> None:
        self.as_of = as_of

    @property
    def is_live(self) -> bool:
        return self.as_of is None

    def rows(self, model: type[Model]) -> QuerySet[Any]:
        """The model's records as they stood: live rows, or the latest history row per record."""
        if self.as_of is None:
            return model._default_manager.all()
        history: Any = model.history.model  # type: ignore[attr-defined]
        latest = (
            history.objects.filter(id=OuterRef("id"), history_date__lte=self.as_of)
            .order_by("-history_date", "-history_id")
            .values("history_id")[:1]
        )
        return history.objects.filter(history_date__lte=self.as_of, history_id=Subquery(latest)).exclude(
            history_type="-"
        )

    def value(self, model: type[Model], field: str, *, ref: str, key: str = "id") -> Subquery:
        """SQL for `field` of the `model` record whose `key` equals the outer row's `ref`, as it stood."""
        return Subquery(self.rows(model).filter(**{key: OuterRef(ref)}).order_by().values(field)[:1])

    def exists(self, model: type[Model], *, ref: str) -> Exists:
        return Exists(self.rows(model).filter(id=OuterRef(ref)))

    def goods(self) -> QuerySet[Any]:
        """Licensed goods with g_description, g_ml and g_value as they stood (see the module docstring)."""
        qs = LicensedGoods.objects.order_by()
        if self.as_of is None:
            return qs.annotate(g_description=F("description"), g_ml=F("ml_category_id"), g_value=F("value_eur"))
        history: Any = LicensedGoods.history.model  # type: ignore[attr-defined]
        versions = history.objects.filter(id=OuterRef("id"), history_date__lte=self.as_of).order_by(
            "-history_date", "-history_id"
        )

        def latest(field: str, output_field: Field[Any, Any]) -> Coalesce:
            return Coalesce(Subquery(versions.values(field)[:1]), F(field), output_field=output_field)

        created_later = Exists(history.objects.filter(id=OuterRef("id"), history_type="+", history_date__gt=self.as_of))
        deleted = Exists(history.objects.filter(id=OuterRef("id"), history_type="-", history_date__lte=self.as_of))
        return qs.annotate(
            g_description=latest("description", CharField()),
            g_ml=latest("ml_category_id", CharField()),
            g_value=latest("value_eur", DecimalField(max_digits=16, decimal_places=2)),
        ).filter(~created_later, ~deleted)

    def decision_criteria(self) -> QuerySet[Any]:
        """(decision_id, criterion_id) pairs as they stood: the M2M rows of each decision's history row."""
        if self.as_of is None:
            return Decision.criteria.through.objects.order_by()
        historical = apps.get_model("licensing", "HistoricalDecision_criteria")
        return historical.objects.filter(history_id__in=self.rows(Decision).values("history_id")).order_by()
