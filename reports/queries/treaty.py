"""Report 3: treaty transparency. Per year: component transfers to treaty partners (number, value, de minimis
or not, refusals), treaty notifications received and sent, emergency-brake objections made and received with
their grounds and outcomes, and how long the high-level consultations took.

The government promised parliament that transparency does not decrease under the treaty and that it keeps
"zicht op transacties onder het verdrag" (Kamerstuk 22 054 nr. 401; ../shared/domain/README.md "Reporting to
parliament"). Sources of the figures: licences of type treaty_component with their TreatyTransfer (de minimis
result), TreatyNotification, Objection and Consultation (kind high_level), all as they stood at the snapshot.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date
from decimal import Decimal
from typing import Any

from django.db.models import Avg, Count, Exists, F, Max, OuterRef, Q, QuerySet, Value
from django.db.models.functions import Coalesce, ExtractYear
from django.utils import timezone
from django.utils.translation import gettext as _

from consultations.models.treaty import (
    NotificationDirection,
    NotificationStatus,
    Objection,
    ObjectionStatus,
    TreatyNotification,
)
from licensing.models import Application, LicenceType
from licensing.models.consultation import Consultation, ConsultationKind, ConsultationOutcome, ConsultationStatus
from licensing.models.treaty import TreatyRefusalGround
from parties.models import Bloc

from ..calendar import day_ordinal, working_calendar_ensure
from ..tables import Column, Kind, Report, Table, eur, pct
from . import base, destinations
from .brakes import brake_register
from .names import country_names
from .regions import BLOC_LABELS
from .snapshot import Snapshot, day_range
from .trend_charts import add_chart, percent_chart

MADE = "made"
RECEIVED = "received"
OPEN = "open"
# The outcomes of a high-level consultation the objections table counts, in its column order; an objection whose
# consultation has none of them is still in consultation (OPEN).
OBJECTION_OUTCOMES = (
    ConsultationOutcome.CONSENSUS,
    ConsultationOutcome.OBJECTION_WITHDRAWN,
    ConsultationOutcome.EXPORT_MODIFIED,
    ConsultationOutcome.EXPORT_ABANDONED,
)


def direction_labels() -> dict[str, str]:
    """MADE and RECEIVED in the objections table's words."""
    return {MADE: _("Made by the Netherlands"), RECEIVED: _("Received from another party")}


@base.report_session
def treaty_transparency(*, year_from: int, year_to: int, as_of: Any = None, confidential: bool = False) -> Report:
    snap = Snapshot(as_of)
    today = timezone.localtime(as_of or timezone.now()).date()
    working_calendar_ensure(until=today)
    start, end = day_range(date(year_from, 1, 1), date(year_to, 12, 31))
    years = [str(y) for y in range(year_from, year_to + 1)]
    period = f"{year_from}–{year_to}"
    names = country_names()  # partners, end destinations and the brake register's states: one statement
    totals = destinations.treaty_totals(snap, start=start, end=end)
    transfers = destinations.treaty_transfers(snap, start=start, end=end)
    report = Report(
        kind="treaty_confidential" if confidential else "treaty",
        title=_("Treaty transparency report"),
        subtitle=period,
        as_of=as_of,
        parameters=[(_("Years"), period)],
        tables=[
            *_transfers(totals, _refusals(snap, start=start, end=end), years=years, names=names),
            *_end_destinations(totals, transfers, years=years, names=names),
            _notifications(snap, year_from=year_from, year_to=year_to, years=years),
            _objections(snap, year_from=year_from, year_to=year_to),
            brake_register(
                snap, year_from=year_from, year_to=year_to, today=today, confidential=confidential, names=names
            ),
            _consultations(snap, year_from=year_from, year_to=year_to, years=years, today=today),
        ],
        notes=[
            _(
                "Component transfers are licences of the type “treaty component transfer”, counted in the year of "
                "issue; de minimis follows the rule's result recorded on the case (share of the final system not "
                "exceeding the threshold). A licence without recorded treaty details counts as not de minimis."
            ),
            _(
                "Notifications count in the year the receiving party became aware of them; objections in the year "
                "they were sent or received; consultations in the year they opened."
            ),
            _("Consultation durations are calendar days from opening to conclusion (the treaty sets no time limit)."),
            _(
                "End destinations are the final system's intended destinations recorded with each transfer; "
                "membership is taken on the licence's decision date. A third country is a state that was not a "
                "treaty party on that date. A transfer naming several end destinations counts in full under each."
            ),
        ],
        confidential=confidential,
    )
    nato = str(BLOC_LABELS[Bloc.NATO])
    return add_chart(
        report,
        percent_chart(
            report,
            table_key="end_destinations_summary",
            label_key="year",
            series=[
                ("third_share", _("Share to a third country")),
                ("outside_nato_share", _("Share outside %(bloc)s") % {"bloc": nato}),
            ],
            title=_("Where Dutch content in treaty transfers ends up, per year"),
            intro=_(
                "Bars per year: the share of the Dutch content of treaty transfers whose final system goes (also) to "
                "a third country, and outside %(bloc)s."
            )
            % {"bloc": nato},
            y_label=_("Share of the year's Dutch content (%)"),
        ),
    )


def _refusals(snap: Snapshot, *, start: Any, end: Any) -> list[dict[str, Any]]:
    """Final refusals of treaty component transfers decided in [start, end), counted per (year, dest). The licence
    type of an application untouched since the moment is its live column (queries.base)."""

    def narrow(part: base.Part) -> QuerySet[Any]:
        if part.live:
            return part.rows.filter(application__licence_type=LicenceType.TREATY_COMPONENT)
        kind = snap.value(Application, "licence_type", ref="application_id")
        return part.rows.annotate(kind=kind).filter(kind=LicenceType.TREATY_COMPONENT)

    # One final decision per application (licensing's constraint): a plain count of refusals.
    refusals = base.refusal_decisions(snap, start=start, end=end).each(narrow)
    return refusals.annotate(year=ExtractYear("day")).grouped(["year", "dest"], n=Count("application_id"))


def _transfers(
    totals: list[dict[str, Any]], refusals: list[dict[str, Any]], *, years: list[str], names: dict[str | None, str]
) -> list[Table]:
    per_partner: dict[tuple[str, str | None], dict[str, Any]] = defaultdict(_empty_transfer)
    for r in totals:
        row = per_partner[(str(r["year"]), r["dest"])]
        prefix = "de_minimis" if r["de_minimis"] else "other"
        row[f"{prefix}_licences"] += r["n"]
        row[f"{prefix}_value_eur"] += eur(r["v"])
    for r in refusals:
        per_partner[(str(r["year"]), r["dest"])]["refusals"] += r["n"]
    partner_rows = [
        {"year": year, "partner": names[dest], **figures}
        for (year, dest), figures in sorted(per_partner.items(), key=lambda kv: (kv[0][0], names[kv[0][1]]))
    ]
    per_year: dict[str, dict[str, Any]] = {y: _empty_transfer() for y in years}
    for (year, _dest), figures in per_partner.items():
        for key, value in figures.items():
            per_year[year][key] += value
    columns = [
        Column("de_minimis_licences", _("De minimis: licences"), Kind.INT),
        Column("de_minimis_value_eur", _("De minimis: value (EUR)"), Kind.EUR),
        Column("other_licences", _("Not de minimis: licences"), Kind.INT),
        Column("other_value_eur", _("Not de minimis: value (EUR)"), Kind.EUR),
        Column("refusals", _("Refusals"), Kind.INT),
    ]
    return [
        Table(
            key="transfers",
            caption=_("Component transfers to treaty partners per year"),
            columns=[Column("year", _("Year")), *columns],
            rows=[{"year": y, **per_year[y]} for y in years],
            row_header="year",
        ),
        Table(
            key="transfers_by_partner",
            caption=_("Component transfers per year and partner state"),
            columns=[Column("year", _("Year")), Column("partner", _("Partner state")), *columns],
            rows=partner_rows,
            row_header="year",
        ),
    ]


def _end_destinations(
    totals: list[dict[str, Any]],
    rows: list[destinations.TreatyTransferRow],
    *,
    years: list[str],
    names: dict[str | None, str],
) -> list[Table]:
    """Where the Dutch content ends up: per year (all treaty transfers, `totals`; those with end destinations
    recorded, `rows`), and per year and intended end destination."""
    per_year: dict[str, dict[str, Any]] = {
        y: {
            "transfers": 0,
            "value_eur": Decimal(0),
            "recorded": 0,
            "third_eur": Decimal(0),
            "outside_nato_eur": Decimal(0),
        }
        for y in years
    }
    for t in totals:
        per_year[str(t["year"])]["transfers"] += t["n"]
        per_year[str(t["year"])]["value_eur"] += eur(t["v"])
    for r in rows:
        year = per_year[str(r.day.year)]
        year["recorded"] += 1
        if any(d.third_country for d in r.end_destinations):
            year["third_eur"] += r.value_eur
        if r.goes_outside(Bloc.NATO):
            year["outside_nato_eur"] += r.value_eur
    summary_rows = [
        {
            "year": y,
            **f,
            "third_share": pct(f["third_eur"], f["value_eur"]),
            "outside_nato_share": pct(f["outside_nato_eur"], f["value_eur"]),
        }
        for y, f in per_year.items()
    ]
    cells = destinations.per_destination(rows)
    yes, no = _("Yes"), _("No")
    destination_rows = [
        {
            "year": str(year),
            "end_destination": names[country],
            "third_country": yes if Bloc.TREATY not in members else no,
            "nato": yes if Bloc.NATO in members else no,
            "transfers": f["transfers"],
            "value_eur": f["value_eur"],
            "share": pct(f["value_eur"], per_year[str(year)]["value_eur"]),
        }
        for (year, country, members), f in sorted(cells.items(), key=lambda kv: (kv[0][0], names[kv[0][1]]))
    ]
    nato = str(BLOC_LABELS[Bloc.NATO])
    return [
        Table(
            key="end_destinations_summary",
            caption=_("Where Dutch content in treaty transfers ends up, per year"),
            columns=[
                Column("year", _("Year")),
                Column("transfers", _("Treaty transfers"), Kind.INT),
                Column("value_eur", _("Dutch content (EUR)"), Kind.EUR),
                Column("recorded", _("With end destinations recorded"), Kind.INT),
                Column("third_eur", _("Going (also) to a third country (EUR)"), Kind.EUR),
                Column("third_share", _("Share to a third country"), Kind.PCT),
                Column("outside_nato_eur", _("Going (also) outside %(bloc)s (EUR)") % {"bloc": nato}, Kind.EUR),
                Column("outside_nato_share", _("Share outside %(bloc)s") % {"bloc": nato}, Kind.PCT),
            ],
            rows=summary_rows,
            row_header="year",
        ),
        Table(
            key="end_destinations",
            caption=_("Intended end destinations of the final systems, per year"),
            columns=[
                Column("year", _("Year")),
                Column("end_destination", _("End destination")),
                Column("third_country", _("Third country")),
                Column("nato", nato),
                Column("transfers", _("Treaty transfers"), Kind.INT),
                Column("value_eur", _("Dutch content (EUR)"), Kind.EUR),
                Column("share", _("Share of the year's Dutch content"), Kind.PCT),
            ],
            rows=destination_rows,
            row_header="year",
            note=_("A transfer naming several end destinations counts in full under each, so shares overlap."),
        ),
    ]


def _empty_transfer() -> dict[str, Any]:
    return {
        "de_minimis_licences": 0,
        "de_minimis_value_eur": Decimal(0),
        "other_licences": 0,
        "other_value_eur": Decimal(0),
        "refusals": 0,
    }


def _notifications(snap: Snapshot, *, year_from: int, year_to: int, years: list[str]) -> Table:
    rows = {y: {"received": 0, "sent": 0, "no_objection_in_time": 0, "objected": 0} for y in years}
    grouped = (
        snap.rows(TreatyNotification)
        .filter(received_on__year__gte=year_from, received_on__year__lte=year_to)
        .annotate(
            year=ExtractYear("received_on"),
            has_objection=Exists(
                snap.rows(Objection).filter(
                    notification_id=OuterRef("id"), status__in=[ObjectionStatus.SENT, ObjectionStatus.RECEIVED]
                )
            ),
        )
        .values("year", "direction")
        .annotate(
            n=Count("id"),
            quiet=Count("id", filter=Q(status=NotificationStatus.NO_OBJECTION_IN_TIME)),
            objected=Count("id", filter=Q(has_objection=True)),
        )
        .order_by()
    )
    for r in grouped:
        row = rows[str(r["year"])]
        row["received" if r["direction"] == NotificationDirection.INCOMING else "sent"] += r["n"]
        row["no_objection_in_time"] += r["quiet"]
        row["objected"] += r["objected"]
    return Table(
        key="notifications",
        caption=_("Treaty notifications of exports to third countries"),
        columns=[
            Column("year", _("Year")),
            Column("received", _("Received from other parties"), Kind.INT),
            Column("sent", _("Sent to other parties"), Kind.INT),
            Column("objected", _("Objected to (either way)"), Kind.INT),
            Column("no_objection_in_time", _("No objection raised in time"), Kind.INT),
        ],
        rows=[{"year": y, **rows[y]} for y in years],
        row_header="year",
        note=_("“Objected to” counts notifications that led to an objection, closed or still in consultation."),
    )


def _objections(snap: Snapshot, *, year_from: int, year_to: int) -> Table:
    outcome = Coalesce(
        snap.value(Consultation, "outcome", ref="consultation_id", path="consultation__outcome"), Value("")
    )
    made = Q(status=ObjectionStatus.SENT, sent_on__year__gte=year_from, sent_on__year__lte=year_to)
    received = Q(status=ObjectionStatus.RECEIVED, received_on__year__gte=year_from, received_on__year__lte=year_to)
    grouped = (
        snap.rows(Objection)
        .filter(made | received)
        .annotate(
            day=Coalesce(F("sent_on"), F("received_on")),
            outcome_code=outcome,
        )
        .annotate(year=ExtractYear("day"))
        .values("year", "status", "ground", "outcome_code")
        .annotate(n=Count("id"))
        .order_by()
    )
    outcomes = OBJECTION_OUTCOMES
    table: dict[tuple[str, str, str], dict[str, Any]] = defaultdict(
        lambda: {"count": 0, OPEN: 0, **{str(o): 0 for o in outcomes}}
    )
    for r in grouped:
        direction = MADE if r["status"] == ObjectionStatus.SENT else RECEIVED
        row = table[(str(r["year"]), direction, r["ground"])]
        row["count"] += r["n"]
        row[r["outcome_code"] if r["outcome_code"] in row else OPEN] += r["n"]
    labels = direction_labels()
    grounds = dict(TreatyRefusalGround.choices)
    rows = [
        {"year": year, "direction": labels[direction], "ground": str(grounds.get(ground, ground)), **figures}
        for (year, direction, ground), figures in sorted(table.items())
    ]
    return Table(
        key="objections",
        caption=_("Emergency-brake objections, their grounds and outcomes"),
        columns=[
            Column("year", _("Year")),
            Column("direction", _("Objection")),
            Column("ground", _("Ground")),
            Column("count", _("Objections"), Kind.INT),
            Column(OPEN, _("Still in consultation"), Kind.INT),
            *[Column(str(o), str(o.label), Kind.INT) for o in outcomes],
        ],
        rows=rows,
        row_header="year",
        note=_("The treaty allows an objection only where direct interests or national security are compromised."),
    )


def _consultations(snap: Snapshot, *, year_from: int, year_to: int, years: list[str], today: date) -> Table:
    today_ordinal = today.toordinal()
    grouped = (
        snap.rows(Consultation)
        .filter(kind=ConsultationKind.HIGH_LEVEL, opened_on__year__gte=year_from, opened_on__year__lte=year_to)
        .annotate(
            year=ExtractYear("opened_on"),
            opened=day_ordinal("opened_on"),
            concluded=day_ordinal("concluded_on"),
        )
        .annotate(duration=F("concluded") - F("opened"), open_for=Value(today_ordinal) - F("opened"))
        .values("year")
        .annotate(
            n=Count("id"),
            done=Count("id", filter=Q(status=ConsultationStatus.CONCLUDED)),
            average=Avg("duration", filter=Q(status=ConsultationStatus.CONCLUDED)),
            longest=Max("duration", filter=Q(status=ConsultationStatus.CONCLUDED)),
            longest_open=Max("open_for", filter=Q(status=ConsultationStatus.OPEN)),
        )
        .order_by()
    )
    by_year = {str(r["year"]): r for r in grouped}
    rows = []
    for y in years:
        r = by_year.get(y, {})
        average = r.get("average")
        rows.append(
            {
                "year": y,
                "opened": r.get("n", 0),
                "concluded": r.get("done", 0),
                "still_open": r.get("n", 0) - r.get("done", 0),
                "average_days": None if average is None else Decimal(str(average)).quantize(Decimal("0.1")),
                "longest_days": r.get("longest"),
                "longest_open_days": r.get("longest_open"),
            }
        )
    return Table(
        key="consultations",
        caption=_("High-level consultations after an objection, by year opened"),
        columns=[
            Column("year", _("Year")),
            Column("opened", _("Opened"), Kind.INT),
            Column("concluded", _("Concluded"), Kind.INT),
            Column("still_open", _("Still open"), Kind.INT),
            Column("average_days", _("Average duration (days)"), Kind.DECIMAL),
            Column("longest_days", _("Longest (days)"), Kind.INT),
            Column("longest_open_days", _("Open longest so far (days)"), Kind.INT),
        ],
        rows=rows,
        row_header="year",
    )
