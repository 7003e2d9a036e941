"""The row sets the aggregate reports group: licensed goods, refused goods, shipments and refusal criteria,
each annotated with its destination and decision date as they stood in the snapshot.

Every queryset here is meant to be grouped (`.values(...).annotate(Count/Sum)`) by the caller; nothing is
loaded row by row. Annotation names: `dest` (ISO code or NULL for several destinations), `at` (the moment of
the decision, for its year: snapshot.local_year), `day` (the decision date in the register's time zone, for
memberships), `ml` (ML category code), `amount` (EUR).

Two forms:

- `issued_goods`, `refused_goods`, `refusal_criteria`, `shipments`: one queryset read through the snapshot
  (history lookups per row when it is "as of"), for reports over few rows;
- `issued`, `exports`, `refused`, `refusal_decisions`, `criteria`: the same rows as `Rows`, for the annual
  and share reports over years of the register. Live, one queryset with plain joins. As of a moment, two parts in one
  statement: the rows of licences (refused applications) untouched since the moment, read live with plain
  joins - their live rows are the rows as they stood (queries.snapshot, "Records untouched since the
  moment") - and the rows of those touched since, read through the snapshot as above. A licence (refused
  application) lies in exactly one part, so the parts' counts of distinct licences and their sums add up;
  one statement reads both parts at one instant, so a change committed meanwhile cannot fall in both or
  neither. Reading a record's history costs one index probe per value; the live part costs the same as
  the live report, so a report as of the moment it was requested costs about what the live report does.

`report_session` runs a report's statements with the PostgreSQL settings they need (REPORT_SETTINGS).
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any, ParamSpec, TypeVar

from django.db import connection, transaction
from django.db.models import DateField, Exists, F, OuterRef, QuerySet, Subquery, Sum
from django.db.models.functions import Coalesce, TruncDate

from licensing.models import (
    Application,
    Decision,
    DecisionOutcome,
    DecisionStatus,
    GoodsLine,
    Licence,
    LicensedGoods,
    Shipment,
)

from .snapshot import Snapshot

P = ParamSpec("P")
R = TypeVar("R")


@dataclass(frozen=True)
class Part:
    rows: QuerySet[Any]
    # The foreign key path from a row to its destination Country when the row's `dest` is that live column;
    # None when `dest` is computed from history.
    country: str | None = None
    # The path prefix to the live licence or decision whose destination flags (licensing.destination_flags)
    # answer membership of `dest` on `day` ("licence__", or "" for a decision's own row); None: ask the rule.
    flags: str | None = None

    @property
    def live(self) -> bool:
        """The part reads live rows with plain joins (its `dest` is the live destination column)."""
        return self.country is not None


@dataclass(frozen=True)
class Rows:
    """A row set in parts that never share a licence (or refused application); see the module docstring."""

    parts: tuple[Part, ...]

    def each(self, change: Callable[[Part], QuerySet[Any]]) -> Rows:
        return Rows(tuple(replace(part, rows=change(part)) for part in self.parts))

    def annotate(self, **expressions: Any) -> Rows:
        return self.each(lambda part: part.rows.annotate(**expressions))

    def grouped(self, keys: Sequence[str], **aggregates: Any) -> list[dict[str, Any]]:
        """One GROUP BY per part, all in one statement (UNION ALL); groups of equal keys summed."""
        queries = [part.rows.values(*keys).annotate(**aggregates).order_by() for part in self.parts]
        statement = queries[0].union(*queries[1:], all=True) if len(queries) > 1 else queries[0]
        groups: dict[tuple[Any, ...], dict[str, Any]] = {}
        for row in statement:
            key = tuple(row[k] for k in keys)
            group = groups.setdefault(key, {k: row[k] for k in keys} | dict.fromkeys(aggregates))
            for name in aggregates:
                if row[name] is not None:
                    group[name] = row[name] if group[name] is None else group[name] + row[name]
        return list(groups.values())


# PostgreSQL settings for the statements of one report, local to its transaction (see report_session).
# JIT: the per-row subqueries of the history lookups and the joins over a year of the register make the
# planner's cost estimates large, so PostgreSQL's default JIT compiles each statement - measured at seconds
# per statement on the benchmark machine - to save milliseconds. work_mem: grouping a year's goods lines
# (COUNT DISTINCT sorts them) spilled to disk with the default 4MB.
REPORT_SETTINGS = {"jit": "off", "work_mem": "64MB"}
# The share and annual reports' statements over a period's goods lines (parallel_report_session), in addition:
# PostgreSQL's default parallel_tuple_cost (0.1) priced passing the joined rows from the workers above a serial plan
# once the year was estimated right (a constant), so the share report's per-ML statement ran on one core: 1.7-2.5 s
# serial, 1.0-1.2 s with its two workers at 1M; the annual report 1.26-1.33 -> 1.11-1.26 s (round 8). Not for every
# report: the treaty report's plans got slower with it (docs/benchmarks.md, round 6).
PARALLEL_SETTINGS = {"parallel_tuple_cost": "0.01"}


def apply_report_settings(settings: dict[str, str] = REPORT_SETTINGS) -> None:
    """SET LOCAL the `settings` (the REPORT_SETTINGS): call inside a transaction, on PostgreSQL."""
    if connection.vendor != "postgresql":
        return
    names = ", ".join("set_config(%s, %s, true)" for _name in settings)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {names}", [v for item in settings.items() for v in item])


def _session(report: Callable[P, R], settings: dict[str, str]) -> Callable[P, R]:
    @functools.wraps(report)
    def run(*args: P.args, **kwargs: P.kwargs) -> R:
        if connection.vendor != "postgresql":
            return report(*args, **kwargs)
        with transaction.atomic():
            apply_report_settings(settings)
            return report(*args, **kwargs)

    run.report_settings = settings  # type: ignore[attr-defined]  # what the statements ran with (bench/statements.py)
    return run


def report_session(report: Callable[P, R]) -> Callable[P, R]:
    """Run a report's statements in one transaction with the REPORT_SETTINGS (PostgreSQL)."""
    return _session(report, REPORT_SETTINGS)


def parallel_report_session(report: Callable[P, R]) -> Callable[P, R]:
    """report_session with the PARALLEL_SETTINGS too: the reports over a year of licensed goods lines."""
    return _session(report, REPORT_SETTINGS | PARALLEL_SETTINGS)


def _rows(
    snap: Snapshot,
    live: QuerySet[Any],
    *,
    country: str,
    flags: str,
    untouched: Callable[[], list[Any]],
    touched: Callable[[], QuerySet[Any]],
) -> Rows:
    if snap.is_live:
        return Rows((Part(live, country=country, flags=flags),))
    return Rows((Part(live.filter(*untouched()), country=country, flags=flags), Part(touched())))


def _touched_licences(snap: Snapshot, *, shipments: bool) -> QuerySet[Any]:
    """Ids of the licences whose record, goods (or shipments) changed after the snapshot's moment."""
    ids = snap.changed(Licence).union(snap.changed(LicensedGoods, key="licence_id"))
    return ids.union(snap.changed(Shipment, key="licence_id")) if shipments else ids


def _touched_refusals(snap: Snapshot, *, start: datetime, end: datetime) -> QuerySet[Any]:
    """Live refusals decided in [start, end) of applications whose record, goods lines or decisions changed
    after the moment.

    A decision is final once countersigned, or at once, and never changes after (licensing.services.casework
    changes only proposed decisions), so a refusal final at the moment is final in the live table with the
    same date: the live decisions narrow the applications before their history is read."""
    touched = snap.changed(Application).union(
        snap.changed(GoodsLine, key="application_id"), snap.changed(Decision, key="application_id")
    )
    return _live_refusals(start=start, end=end).filter(application_id__in=touched)


def _untouched_licence(snap: Snapshot, *, shipments: bool) -> list[Any]:
    conditions = [
        snap.unchanged(Licence, ref="licence_id"),
        snap.unchanged(LicensedGoods, ref="licence_id", key="licence_id"),
    ]
    if shipments:
        conditions.append(snap.unchanged(Shipment, ref="licence_id", key="licence_id"))
    return conditions


def _untouched_application(snap: Snapshot) -> list[Any]:
    return [
        snap.unchanged(Application, ref="application_id"),
        snap.unchanged(GoodsLine, ref="application_id", key="application_id"),
        snap.unchanged(Decision, ref="application_id", key="application_id"),
    ]


def _live_refusals(*, start: datetime, end: datetime) -> QuerySet[Any]:
    return (
        Decision.objects.order_by()
        .filter(status=DecisionStatus.FINAL, outcome=DecisionOutcome.REFUSE)
        .annotate(decided=Coalesce("countersigned_at", "proposed_at"))
        .filter(decided__gte=start, decided__lt=end)
    )


def issued(snap: Snapshot, *, start: datetime, end: datetime) -> Rows:
    """Goods lines of licences issued in [start, end), one row per goods line (as issued_goods)."""
    live = (
        LicensedGoods.objects.order_by()
        .filter(licence__issued_at__gte=start, licence__issued_at__lt=end)
        .annotate(
            dest=F("licence__destination_id"),
            ml=F("ml_category_id"),
            amount=F("value_eur"),
            at=F("licence__issued_at"),
            day=TruncDate("licence__issued_at", output_field=DateField()),
        )
    )
    return _rows(
        snap,
        live,
        country="licence__destination",
        flags="licence__",
        untouched=lambda: _untouched_licence(snap, shipments=False),
        touched=lambda: issued_goods(snap, start=start, end=end).filter(
            licence_id__in=_touched_licences(snap, shipments=False)
        ),
    )


def issued_licences(snap: Snapshot, *, start: datetime, end: datetime) -> Rows:
    """Licences issued in [start, end), one row per licence with `amount` its licensed value: what issued()
    counts and sums per licence, without joining the goods lines (a hash join over every licensed goods line,
    most of the annual and share reports' time at national scale).

    Live, the value is Licence.total_value_eur, which licensing keeps equal to the sum of the licence's goods
    lines in the transaction that writes them (licensing.models.Licence.total_value_eur), and every licence has
    goods lines (an application is submitted with at least one; issue copies them all; no path removes one).
    bench.reports_sql.totals_check proves both on the benchmark register before its yardsticks run. As of a
    moment, the licences untouched since read the same live column (their row and goods are as they stood); the
    few touched since sum their goods lines as they stood, never the licence's total history row, which an
    amendment writes microseconds apart from the goods'."""
    live = (
        Licence.objects.order_by()
        .filter(issued_at__gte=start, issued_at__lt=end)
        .annotate(
            dest=F("destination_id"),
            amount=F("total_value_eur"),
            at=F("issued_at"),
            day=TruncDate("issued_at", output_field=DateField()),
        )
    )

    def touched() -> QuerySet[Any]:
        goods = snap.goods().filter(licence_id=OuterRef("id")).values("licence_id").annotate(total=Sum("g_value"))
        return (
            snap.rows(Licence)
            .order_by()
            .filter(issued_at__gte=start, issued_at__lt=end, id__in=_touched_licences(snap, shipments=False))
            .annotate(amount=Subquery(goods.values("total")))
            .filter(amount__isnull=False)  # no goods lines yet at the moment: not counted, as in issued()
            .annotate(dest=F("destination_id"), at=F("issued_at"), day=TruncDate("issued_at", output_field=DateField()))
        )

    def untouched() -> list[Any]:
        return [snap.unchanged(Licence, ref="id"), snap.unchanged(LicensedGoods, ref="id", key="licence_id")]

    return _rows(snap, live, country="destination", flags="", untouched=untouched, touched=touched)


def exports(snap: Snapshot, *, first: Any, last: Any, with_ml: bool = True) -> Rows:
    """Shipments dated in [first, last] (as shipments); `ml` only `with_ml` (it costs a join)."""
    live = (
        Shipment.objects.order_by()
        .filter(shipped_on__gte=first, shipped_on__lte=last)
        .annotate(
            dest=F("licence__destination_id"),
            amount=F("value_eur"),
            day=TruncDate("licence__issued_at", output_field=DateField()),
        )
    )
    if with_ml:
        live = live.annotate(ml=F("licensed_goods__ml_category_id"))
    return _rows(
        snap,
        live,
        country="licence__destination",
        flags="licence__",
        untouched=lambda: _untouched_licence(snap, shipments=True),
        touched=lambda: shipments(snap, first=first, last=last, with_ml=with_ml).filter(
            licence_id__in=_touched_licences(snap, shipments=True)
        ),
    )


def refused(snap: Snapshot, *, start: datetime, end: datetime) -> Rows:
    """Goods lines of applications refused in [start, end), one row per goods line (as refused_goods)."""
    live = (
        _live_refusals(start=start, end=end)
        .filter(application__goods__isnull=False)  # the join to the goods lines, reused below
        .annotate(
            dest=F("application__destination_id"),
            ml=F("application__goods__ml_category_id"),
            amount=F("application__goods__value_eur"),
            day=TruncDate("decided", output_field=DateField()),
        )
    )
    return _rows(
        snap,
        live,
        country="application__destination",
        flags="",
        untouched=lambda: _untouched_application(snap),
        touched=lambda: refused_goods(snap, start=start, end=end).filter(
            application_id__in=_touched_refusals(snap, start=start, end=end).values("application_id")
        ),
    )


def refusal_decisions(snap: Snapshot, *, start: datetime, end: datetime) -> Rows:
    """Final refusals decided in [start, end) of applications with goods lines, one row per refusal: what
    refused() counts per application, without joining the goods lines. An application has at most one final
    decision (licensing's constraint), so each row is one refused application."""
    live = (
        _live_refusals(start=start, end=end)
        .filter(Exists(GoodsLine.objects.filter(application_id=OuterRef("application_id"))))
        .annotate(
            dest=F("application__destination_id"), at=F("decided"), day=TruncDate("decided", output_field=DateField())
        )
    )

    def touched() -> QuerySet[Any]:
        lines = snap.rows(GoodsLine).filter(application_id=OuterRef("application_id"))
        return (
            refusals(snap, start=start, end=end)
            .filter(Exists(lines))
            .filter(application_id__in=_touched_refusals(snap, start=start, end=end).values("application_id"))
            .annotate(
                dest=snap.value(Application, "destination_id", ref="application_id"),
                at=F("decided"),
                day=TruncDate("decided", output_field=DateField()),
            )
        )

    return _rows(
        snap,
        live,
        country="application__destination",
        flags="",
        untouched=lambda: _untouched_application(snap),
        touched=touched,
    )


def criteria(snap: Snapshot, *, start: datetime, end: datetime) -> Rows:
    """(refusal, criterion) pairs of refusals decided in [start, end), with `refusal` the decision's id."""
    live = (
        _live_refusals(start=start, end=end)
        .filter(criteria__isnull=False)  # the join to the criteria, reused below
        .annotate(refusal=F("id"), criterion_no=F("criteria"), dest=F("application__destination_id"))
    )
    return _rows(
        snap,
        live,
        country="application__destination",
        flags="",
        untouched=lambda: _untouched_application(snap),
        touched=lambda: (
            refusal_criteria(snap, start=start, end=end)
            .filter(decision_id__in=_touched_refusals(snap, start=start, end=end).values("id"))
            .annotate(refusal=F("decision_id"), criterion_no=F("criterion_id"))
        ),
    )


def issued_goods(snap: Snapshot, *, start: datetime, end: datetime) -> QuerySet[Any]:
    """Goods lines of licences issued in [start, end), one row per goods line."""
    return (
        snap.goods()
        # Licence.issued_at is written once, at issue (licensing.services.casework._licence_issue), so the
        # live column narrows the rows before the as-of columns below are computed for them.
        .filter(licence__issued_at__gte=start, licence__issued_at__lt=end)
        .annotate(
            # Live, joins to the licence (snap.value's `path`); as of a moment, its history row per goods line.
            issued=snap.value(Licence, "issued_at", ref="licence_id", path="licence__issued_at"),
            dest=snap.value(Licence, "destination_id", ref="licence_id", path="licence__destination_id"),
            licence_kind=snap.value(Licence, "licence_type", ref="licence_id", path="licence__licence_type"),
            ml=F("g_ml"),
            amount=F("g_value"),
        )
        .filter(issued__isnull=False)  # the licence did not exist yet at the snapshot's moment
        .annotate(at=F("issued"), day=TruncDate("issued", output_field=DateField()))
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


def shipments(snap: Snapshot, *, first: Any, last: Any, with_ml: bool = True) -> QuerySet[Any]:
    """Actual exports recorded with a shipment date in [first, last]; memberships on the licence's issue date."""
    rows = (
        snap.rows(Shipment)
        .order_by()
        .filter(shipped_on__gte=first, shipped_on__lte=last)
        .annotate(
            issued=snap.value(Licence, "issued_at", ref="licence_id", path="licence__issued_at"),
            dest=snap.value(Licence, "destination_id", ref="licence_id", path="licence__destination_id"),
            amount=F("value_eur"),
        )
        .filter(issued__isnull=False)
        .annotate(day=TruncDate("issued", output_field=DateField()))
    )
    if with_ml:
        goods = snap.goods().filter(id=OuterRef("licensed_goods_id"))
        rows = rows.annotate(ml=Subquery(goods.values("g_ml")[:1]))
    return rows
