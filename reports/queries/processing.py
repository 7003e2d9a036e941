"""Report 5: processing times. Share of first decisions within 20 and 60 working days, per licence type and
month, the median, and open cases by age.

Source: ../shared/domain/README.md "National processing targets": the internal target as the UK measures it
(70 % of first decisions within 20 working days, 99 % within 60). Working days follow the Algemene
termijnenwet (core.workdays) through the reports.calendar table, so SQL does the counting. As in
licensing.services.clock, the clock starts on the day of receipt moved on by the days it was suspended while
the applicant completed the application (Awb 4:15); days after that start up to the decision day count.
"""

from __future__ import annotations

import statistics
from collections import defaultdict
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from django.db import connection
from django.db.models import Aggregate, Count, F, FloatField, Q, QuerySet, Value
from django.db.models.functions import Coalesce, TruncDate, TruncMonth
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from licensing.models import (
    OPEN_STATUSES,
    Application,
    Decision,
    DecisionObjection,
    DecisionStatus,
    LicenceType,
    ObjectionOutcome,
)

from ..calendar import working_calendar_ensure, working_day_number, working_day_number_after
from ..models import WorkingDay
from ..tables import Column, Kind, Report, Table, pct
from . import base
from .snapshot import Snapshot, day_range
from .trend_charts import add_chart, percent_chart

FIRST_TARGET = 20  # working days; UK target: 70 % of first decisions
SECOND_TARGET = 60  # working days; UK target: 99 %
AGE_BANDS = ((0, 20), (21, 40), (41, 60), (61, None))


class Median(Aggregate):
    """PostgreSQL's percentile_cont(0.5): the median, computed by the database."""

    function = "PERCENTILE_CONT"
    name = "Median"
    template = "%(function)s(0.5) WITHIN GROUP (ORDER BY %(expressions)s)"
    output_field = FloatField()


def _decisions(snap: Snapshot, *, start: datetime, end: datetime) -> QuerySet[Any]:
    """Final (first) decisions in [start, end) with the working days they took, as `days` (row by row: the
    SQLite path; PostgreSQL groups `_decision_rows` in one statement, `_grouped_sql`)."""
    return (
        snap.rows(Decision)
        .filter(status=DecisionStatus.FINAL)
        .annotate(decided=Coalesce("countersigned_at", "proposed_at"))
        .filter(decided__gte=start, decided__lt=end)
        .annotate(
            kind=snap.value(Application, "licence_type", ref="application_id"),
            received=snap.value(Application, "received_on", ref="application_id"),
            suspended=snap.value(Application, "suspended_days", ref="application_id"),
            day=TruncDate("decided"),
            month=TruncMonth("decided"),
        )
        .filter(received__isnull=False)
        .annotate(
            start_number=working_day_number_after("received", plus_days_ref="suspended"),
            end_number=working_day_number("day"),
        )
        .annotate(days=F("end_number") - F("start_number"))
        .order_by()
    )


def _grouped(qs: QuerySet[Any], keys: tuple[str, ...]) -> dict[tuple[Any, ...], dict[str, Any]]:
    aggregates: dict[str, Any] = {
        "n": Count("id"),
        "within_first": Count("id", filter=Q(days__lte=FIRST_TARGET)),
        "within_second": Count("id", filter=Q(days__lte=SECOND_TARGET)),
    }
    if connection.vendor == "postgresql":
        aggregates["median"] = Median("days")
    out = {tuple(r[k] for k in keys): r for r in qs.values(*keys).annotate(**aggregates)}
    if connection.vendor != "postgresql":
        # SQLite (the zero-setup demo) has no percentile function: read only the day counts of the period.
        days: dict[tuple[Any, ...], list[int]] = defaultdict(list)
        for r in qs.values(*keys, "days"):
            days[tuple(r[k] for k in keys)].append(r["days"])
        for key, values in days.items():
            out[key]["median"] = statistics.median(values)
    return out


DECISION_FIELDS = ("id", "kind", "received", "suspended", "decided")


def _decision_rows(snap: Snapshot, *, start: datetime, end: datetime) -> QuerySet[Any]:
    """Final (first) decisions in [start, end) as (id, kind, received, suspended, decided), one row each.

    Live: one join of decisions and applications. As of a moment, two parts in one statement (as
    queries.base): decisions whose record and application are untouched since the moment, read live with the
    same join (their live rows are the rows as they stood, queries.snapshot), and the others read through the
    snapshot. A decision lies in exactly one part."""
    live = (
        Decision.objects.order_by()
        .filter(status=DecisionStatus.FINAL)
        .annotate(decided=Coalesce("countersigned_at", "proposed_at"))
        .filter(decided__gte=start, decided__lt=end)
        .annotate(
            kind=F("application__licence_type"),
            received=F("application__received_on"),
            suspended=F("application__suspended_days"),
        )
    )
    if snap.is_live:
        return live.values(*DECISION_FIELDS)
    untouched = live.filter(
        snap.unchanged(Decision, ref="id"), snap.unchanged(Application, ref="application_id")
    ).values(*DECISION_FIELDS)
    touched = (
        snap.rows(Decision)
        .order_by()
        .filter(status=DecisionStatus.FINAL)
        .annotate(decided=Coalesce("countersigned_at", "proposed_at"))
        .filter(decided__gte=start, decided__lt=end)
        .filter(Q(id__in=snap.changed(Decision)) | Q(application_id__in=snap.changed(Application)))
        .annotate(
            kind=snap.value(Application, "licence_type", ref="application_id"),
            received=snap.value(Application, "received_on", ref="application_id"),
            suspended=snap.value(Application, "suspended_days", ref="application_id"),
        )
        .values(*DECISION_FIELDS)
    )
    return untouched.union(touched, all=True)


# Per decision: the working days from the clock's start (receipt + suspended days) to the local decision day,
# by three joins of the calendar (reports.calendar: number(end) - number(start)); a day the calendar lacks
# gives NULL days, as the row-by-row lookups do. One pass groups per (type, month) and per type.
GROUPED_SQL = """
    WITH decisions AS ({rows}),
    timed AS (
        SELECT d.id, d.kind, to_char(d.decided AT TIME ZONE %s, 'YYYY-MM') AS month, e.number - s.number AS days
        FROM decisions d
        LEFT JOIN reports_workingday r ON r.day = d.received
        LEFT JOIN reports_workingday s ON s.ordinal = r.ordinal + d.suspended
        LEFT JOIN reports_workingday e ON e.day = (d.decided AT TIME ZONE %s)::date
        WHERE d.received IS NOT NULL
    )
    SELECT kind, month, GROUPING(month) AS per_type, count(id) AS n,
           count(id) FILTER (WHERE days <= %s) AS within_first,
           count(id) FILTER (WHERE days <= %s) AS within_second,
           percentile_cont(0.5) WITHIN GROUP (ORDER BY days) AS median
    FROM timed
    GROUP BY GROUPING SETS ((kind, month), (kind))
"""


def _grouped_sql(
    snap: Snapshot, *, start: datetime, end: datetime
) -> tuple[dict[tuple[Any, ...], dict[str, Any]], dict[tuple[Any, ...], dict[str, Any]]]:
    """(per (type, month), per type) figures in one statement on PostgreSQL."""
    rows_sql, rows_params = _decision_rows(snap, start=start, end=end).query.sql_with_params()
    tz = timezone.get_current_timezone_name()
    by_month: dict[tuple[Any, ...], dict[str, Any]] = {}
    by_type: dict[tuple[Any, ...], dict[str, Any]] = {}
    with connection.cursor() as cursor:
        cursor.execute(GROUPED_SQL.format(rows=rows_sql), [*rows_params, tz, tz, FIRST_TARGET, SECOND_TARGET])
        names = [c[0] for c in cursor.description]
        for values in cursor.fetchall():
            r = dict(zip(names, values, strict=True))
            if r["per_type"]:
                by_type[(r["kind"],)] = r
            else:
                by_month[(r["kind"], r["month"])] = r
    return by_month, by_type


def _month(month: Any) -> str:
    return date_format(timezone.localtime(month) if isinstance(month, datetime) else month, "Y-m")


def _figures(r: dict[str, Any]) -> dict[str, Any]:
    median = r.get("median")
    return {
        "decisions": r["n"],
        "within_first": r["within_first"],
        "share_first": pct(r["within_first"], r["n"]),
        "within_second": r["within_second"],
        "share_second": pct(r["within_second"], r["n"]),
        "median_days": None if median is None else Decimal(str(median)).quantize(Decimal("0.1")),
    }


def _columns() -> list[Column]:
    return [
        Column("decisions", _("First decisions"), Kind.INT),
        Column("within_first", _("Within %(n)s working days") % {"n": FIRST_TARGET}, Kind.INT),
        Column("share_first", _("Share within %(n)s") % {"n": FIRST_TARGET}, Kind.PCT),
        Column("within_second", _("Within %(n)s working days") % {"n": SECOND_TARGET}, Kind.INT),
        Column("share_second", _("Share within %(n)s") % {"n": SECOND_TARGET}, Kind.PCT),
        Column("median_days", _("Median (working days)"), Kind.DECIMAL),
    ]


@base.report_session
def processing_times(*, date_from: date, date_to: date, as_of: Any = None) -> Report:
    snap = Snapshot(as_of)
    moment = as_of or timezone.now()
    today = timezone.localtime(moment).date()
    working_calendar_ensure(until=max(today, date_to))
    start, end = day_range(date_from, date_to)
    type_labels = dict(LicenceType.choices)
    if connection.vendor == "postgresql":
        by_month, by_type = _grouped_sql(snap, start=start, end=end)
    else:
        decisions = _decisions(snap, start=start, end=end)
        by_month = {(kind, _month(month)): r for (kind, month), r in _grouped(decisions, ("kind", "month")).items()}
        by_type = _grouped(decisions, ("kind",))
    month_rows = [
        {"licence_type": str(type_labels.get(kind, kind)), "month": month, **_figures(r)}
        for (kind, month), r in sorted(by_month.items(), key=lambda kv: (str(kv[0][0]), kv[0][1]))
    ]
    type_rows = [
        {"licence_type": str(type_labels.get(kind, kind)), **_figures(r)}
        for (kind,), r in sorted(by_type.items(), key=lambda kv: str(kv[0][0]))
    ]
    period = f"{date_from.isoformat()} – {date_to.isoformat()}"
    report = Report(
        kind="processing",
        title=_("Processing times"),
        subtitle=period,
        as_of=as_of,
        parameters=[(_("Period"), period)],
        tables=[
            Table(
                key="by_type",
                caption=_("First decisions %(period)s per licence type") % {"period": period},
                columns=[Column("licence_type", _("Licence type")), *_columns()],
                rows=type_rows,
                row_header="licence_type",
            ),
            Table(
                key="by_month",
                caption=_("First decisions per licence type and month"),
                columns=[
                    Column("licence_type", _("Licence type")),
                    Column("month", _("Month"), Kind.CODE),
                    *_columns(),
                ],
                rows=month_rows,
                row_header="licence_type",
            ),
            _open_cases(snap, today=today),
            _objections(snap, date_from=date_from, date_to=date_to),
        ],
        notes=[
            _(
                "Targets as the UK measures them: 70 %% of first decisions within %(first)s working days and 99 %% "
                "within %(second)s."
            )
            % {"first": FIRST_TARGET, "second": SECOND_TARGET},
            _(
                "Working days count from the day of receipt, moved on by the days the clock was suspended while "
                "the applicant completed the application (Awb 4:15), to the decision day (Algemene termijnenwet)."
            ),
        ],
    )
    return add_chart(
        report,
        percent_chart(
            report,
            table_key="by_type",
            label_key="licence_type",
            series=[
                ("share_first", _("Within %(n)s working days") % {"n": FIRST_TARGET}),
                ("share_second", _("Within %(n)s working days") % {"n": SECOND_TARGET}),
            ],
            title=_("First decisions within the targets, per licence type"),
            intro=_(
                "Bars per licence type: the share of first decisions taken within %(first)s and %(second)s "
                "working days."
            )
            % {"first": FIRST_TARGET, "second": SECOND_TARGET},
            y_label=_("Share of first decisions (%)"),
        ),
    )


def _open_cases(snap: Snapshot, *, today: date) -> Table:
    today_number = WorkingDay.objects.filter(day=today).values_list("number", flat=True).first() or 0
    open_cases = snap.rows(Application).filter(status__in=OPEN_STATUSES, received_on__isnull=False).order_by()
    type_labels = dict(LicenceType.choices)
    if connection.vendor == "postgresql":
        counts = _open_counts_sql(open_cases, today_number=today_number)
    else:
        aggregates: dict[str, Any] = {"total": Count("id")}
        for low, high in AGE_BANDS:
            condition = Q(age__gte=low) if high is None else Q(age__gte=low, age__lte=high)
            aggregates[_band_key(low)] = Count("id", filter=condition)
        counts = list(
            open_cases.annotate(age=Value(today_number) - working_day_number("received_on"))
            .values("licence_type")
            .annotate(**aggregates)
            .order_by("licence_type")
        )
    rows = [{**r, "licence_type": str(type_labels.get(r["licence_type"], r["licence_type"]))} for r in counts]
    columns = [Column("licence_type", _("Licence type")), Column("total", _("Open cases"), Kind.INT)]
    for low, high in AGE_BANDS:
        label = _("%(low)s–%(high)s working days") % {"low": low, "high": high} if high else _("Over 60 working days")
        columns.append(Column(_band_key(low), label, Kind.INT))
    footer: dict[str, Any] = {"licence_type": _("Total")}
    footer.update({c.key: sum(r[c.key] for r in rows) for c in columns[1:]})
    return Table(
        key="open_cases",
        caption=_("Open cases on %(day)s by age since receipt") % {"day": today.isoformat()},
        columns=columns,
        rows=rows,
        footer=[footer] if rows else [],
        row_header="licence_type",
    )


def _objections(snap: Snapshot, *, date_from: date, date_to: date) -> Table:
    """Decisions on objections (bezwaar) taken in the period, per outcome, and how many within the Awb 7:10 term
    (six or twelve weeks, plus any postponement, as stored on the objection)."""
    decided = (
        snap.rows(DecisionObjection)
        .filter(status="decided", decided_on__gte=date_from, decided_on__lte=date_to)
        .order_by()
        .values("outcome")
        .annotate(decided=Count("id"), within_term=Count("id", filter=Q(decided_on__lte=F("decision_deadline"))))
    )
    counts = {r["outcome"]: r for r in decided}
    rows = [
        {
            "outcome": str(label),
            "decided": counts.get(value, {}).get("decided", 0),
            "within_term": counts.get(value, {}).get("within_term", 0),
            "share": pct(counts.get(value, {}).get("within_term", 0), counts.get(value, {}).get("decided", 0)),
        }
        for value, label in ObjectionOutcome.choices
    ]
    total = sum(r["decided"] for r in rows)
    within = sum(r["within_term"] for r in rows)
    return Table(
        key="objections",
        caption=_("Decisions on objections (Awb chapter 7) in the period, by outcome"),
        columns=[
            Column("outcome", _("Outcome")),
            Column("decided", _("Decided"), Kind.INT),
            Column("within_term", _("Within the term (Awb 7:10)"), Kind.INT),
            Column("share", _("Share within the term"), Kind.PCT),
        ],
        rows=rows,
        footer=[{"outcome": _("Total"), "decided": total, "within_term": within, "share": pct(within, total)}],
        row_header="outcome",
    )


def _open_counts_sql(open_cases: QuerySet[Any], *, today_number: int) -> list[dict[str, Any]]:
    """Open cases per licence type and age band in one statement: the receipt day's working-day number by a join
    of the calendar, not a lookup per band and case."""
    cases_sql, params = open_cases.values("id", "licence_type", "received_on").query.sql_with_params()
    age = f"{int(today_number)} - w.number"
    bands = ", ".join(
        f"count(c.id) FILTER (WHERE {age} >= {low}{'' if high is None else f' AND {age} <= {high}'})"
        f" AS {_band_key(low)}"
        for low, high in AGE_BANDS
    )
    # Numbers of this module only (the bands, today's working-day number) are written into the statement.
    statement = (
        f"SELECT c.licence_type, count(c.id) AS total, {bands}"  # noqa: S608
        f" FROM ({cases_sql}) c LEFT JOIN reports_workingday w ON w.day = c.received_on"
        " GROUP BY c.licence_type ORDER BY c.licence_type"
    )
    with connection.cursor() as cursor:
        cursor.execute(statement, params)
        names = [c[0] for c in cursor.description]
        return [dict(zip(names, values, strict=True)) for values in cursor.fetchall()]


def _band_key(low: int) -> str:
    return f"age_from_{low}"
