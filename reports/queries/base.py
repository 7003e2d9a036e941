"""The row sets the aggregate reports group: licensed goods, refused goods, shipments and refusal criteria,
each annotated with its destination and decision date as they stood in the snapshot.

Every queryset here is meant to be grouped (`.values(...).annotate(Count/Sum)`) by the caller; nothing is
loaded row by row. Annotation names: `dest` (ISO code or NULL for several destinations), `day` (the decision
date in the register's time zone, for memberships), `ml` (ML category code), `amount` (EUR).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.db.models import DateField, F, OuterRef, QuerySet, Subquery
from django.db.models.functions import Coalesce, TruncDate

from licensing.models import Application, Decision, DecisionOutcome, DecisionStatus, GoodsLine, Licence, Shipment

from .snapshot import Snapshot


def issued_goods(snap: Snapshot, *, start: datetime, end: datetime) -> QuerySet[Any]:
    """Goods lines of licences issued in [start, end), one row per goods line."""
    return (
        snap.goods()
        # Licence.issued_at is written once, at issue (licensing.services.casework._licence_issue), so the
        # live column narrows the rows before the as-of columns below are computed for them.
        .filter(licence__issued_at__gte=start, licence__issued_at__lt=end)
        .annotate(
            issued=snap.value(Licence, "issued_at", ref="licence_id"),
            dest=snap.value(Licence, "destination_id", ref="licence_id"),
            licence_kind=snap.value(Licence, "licence_type", ref="licence_id"),
            ml=F("g_ml"),
            amount=F("g_value"),
        )
        .filter(issued__isnull=False)  # the licence did not exist yet at the snapshot's moment
        .annotate(day=TruncDate("issued", output_field=DateField()))
    )


def refusals(snap: Snapshot, *, start: datetime, end: datetime) -> QuerySet[Any]:
    """Final refusals decided in [start, end)."""
    return (
        snap.rows(Decision)
        .filter(status=DecisionStatus.FINAL, outcome=DecisionOutcome.REFUSE)
        .annotate(decided=Coalesce("countersigned_at", "proposed_at"))
        .filter(decided__gte=start, decided__lt=end)
    )


def refused_goods(snap: Snapshot, *, start: datetime, end: datetime) -> QuerySet[Any]:
    """Goods lines of applications refused in [start, end), one row per goods line."""
    decided = refusals(snap, start=start, end=end)
    return (
        snap.rows(GoodsLine)
        .order_by()
        .annotate(decided=Subquery(decided.filter(application_id=OuterRef("application_id")).values("decided")[:1]))
        .filter(decided__isnull=False)
        .annotate(
            dest=snap.value(Application, "destination_id", ref="application_id"),
            ml=F("ml_category_id"),
            amount=F("value_eur"),
            day=TruncDate("decided", output_field=DateField()),
        )
    )


def refusal_criteria(snap: Snapshot, *, start: datetime, end: datetime) -> QuerySet[Any]:
    """(refusal, criterion) pairs of refusals decided in [start, end), with the destination and date."""
    decided = refusals(snap, start=start, end=end)
    return (
        snap.decision_criteria()
        .annotate(decided=Subquery(decided.filter(id=OuterRef("decision_id")).values("decided")[:1]))
        .filter(decided__isnull=False)
        .annotate(application=snap.value(Decision, "application_id", ref="decision_id"))
        .annotate(
            dest=snap.value(Application, "destination_id", ref="application"),
            day=TruncDate("decided", output_field=DateField()),
        )
    )


def shipments(snap: Snapshot, *, first: Any, last: Any) -> QuerySet[Any]:
    """Actual exports recorded with a shipment date in [first, last]; memberships on the licence's issue date."""
    goods = snap.goods().filter(id=OuterRef("licensed_goods_id"))
    return (
        snap.rows(Shipment)
        .order_by()
        .filter(shipped_on__gte=first, shipped_on__lte=last)
        .annotate(
            issued=snap.value(Licence, "issued_at", ref="licence_id"),
            dest=snap.value(Licence, "destination_id", ref="licence_id"),
            ml=Subquery(goods.values("g_ml")[:1]),
            amount=F("value_eur"),
        )
        .filter(issued__isnull=False)
        .annotate(day=TruncDate("issued", output_field=DateField()))
    )
