"""Report 1: the monthly licence overview, as the Netherlands publishes it each month.

Every decision taken in the month, one row per goods line: date, licence type, goods, ML category, country of
origin, destination, value, end-user type, expiry date and decision (issued, refused, revoked), with the
criteria for refusals. Source: ../shared/domain/README.md "Reporting to parliament".

The published variant names no company and no end user (only the end user's type). The confidential variant
adds the case reference, the exporter and the end user's name; it needs the "reports.confidential" capability.

A listing rather than an aggregate: it reads only the month's decisions, in a fixed number of queries.
"""

from __future__ import annotations

from calendar import monthrange
from collections import defaultdict
from datetime import date, datetime
from decimal import Decimal
from operator import itemgetter
from typing import Any

from django.conf import settings
from django.db.models import Min, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce, TruncDate
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from licensing.models import (
    AmendmentKind,
    AmendmentStatus,
    Application,
    ApplicationParty,
    Decision,
    DecisionOutcome,
    DecisionStatus,
    GoodsLine,
    Licence,
    LicenceAmendment,
    LicenceStatus,
    LicenceType,
    PartyRole,
    PartyType,
)

from ..tables import Chart, Column, Kind, Report, Table, eur
from . import base
from .destinations import transfer_details
from .names import country_names
from .snapshot import Snapshot, day_range
from .trend_charts import add_chart, percent_chart, with_share_column

ISSUED = "issued"
REFUSED = "refused"
REVOKED = "revoked"
ORDER = {ISSUED: 0, REFUSED: 1, REVOKED: 2}  # the listing's order of the kinds of decision on one day


def _decision_labels() -> dict[str, str]:
    return {ISSUED: _("Issued"), REFUSED: _("Refused"), REVOKED: _("Revoked")}


def published_columns() -> list[Column]:
    """Exactly what the monthly overview publishes (and the open-data export contains)."""
    return [
        Column("date", _("Decision date"), Kind.DATE),
        Column("decision", _("Decision")),
        Column("licence_type", _("Licence type")),
        Column("goods", _("Goods description")),
        Column("ml_category", _("ML category")),
        Column("origin", _("Country of origin")),
        Column("destination", _("Destination")),
        Column("final_destinations", _("End destinations of the final system (treaty transfers)")),
        Column("value_eur", _("Value (EUR)"), Kind.EUR),
        Column("end_user_type", _("End-user type")),
        Column("valid_until", _("Expiry date"), Kind.DATE),
        Column("de_minimis", _("De minimis (treaty transfers)")),
        Column("criteria", _("Criteria (refusals)")),
        Column("sub_criteria", _("Sub-criteria")),
    ]


def confidential_columns() -> list[Column]:
    return [
        Column("reference", _("Licence or case"), Kind.CODE),
        Column("exporter", _("Exporter")),
        Column("end_user", _("End user")),
    ]


def _country(name_en: str | None, name_nl: str | None, *, dutch: bool) -> str:
    if not name_en:
        return _("Several destinations")
    return (name_nl or name_en) if dutch else name_en


# The licence statuses whose first moment a month's overview reports: revocations are listed, surrenders counted.
ENDINGS = (LicenceStatus.REVOKED, LicenceStatus.SURRENDERED)


def _first_moments(snap: Snapshot, start: datetime, end: datetime) -> dict[str, dict[int, datetime]]:
    """Per status of ENDINGS: licence id -> the moment its history first shows the status, for the licences where
    that moment lies in [start, end). One statement. Both are terminal statuses
    (licensing.transitions.TERMINAL_LICENCE_STATUSES): a licence that had one at any moment has it in the live table,
    so the live status, which is indexed, narrows the licences whose history is read."""
    history: Any = Licence.history.model  # type: ignore[attr-defined]
    rows = history.objects.filter(status__in=ENDINGS, id__in=Licence.objects.filter(status__in=ENDINGS).values("id"))
    if snap.as_of is not None:
        rows = rows.filter(history_date__lte=snap.as_of)
    moments: dict[str, dict[int, datetime]] = {status: {} for status in ENDINGS}
    for licence_id, status, at in (
        rows.order_by()
        .values("id", "status")
        .annotate(at=Min("history_date"))
        .filter(at__gte=start, at__lt=end)
        .values_list("id", "status", "at")
    ):
        moments[status][licence_id] = at
    return moments


def _end_user(snap: Snapshot, *, ref: str) -> dict[str, Subquery]:
    """The type and name of the application's first end user (by id), for the application id in the row's `ref`."""
    parties = snap.rows(ApplicationParty).filter(application_id=OuterRef(ref), role=PartyRole.END_USER).order_by("id")
    return {
        "end_user_type": Subquery(parties.values("party_type")[:1]),
        "end_user_name": Subquery(parties.values("name")[:1]),
    }


@base.report_session
def monthly_overview(*, year: int, month: int, as_of: Any = None, confidential: bool = False) -> Report:
    snap = Snapshot(as_of)
    first = date(year, month, 1)
    last = date(year, month, monthrange(year, month)[1])
    start, end = day_range(first, last)
    # The rows of the month's licences are narrowed by a subquery, not by a list of ids sent back to the database.
    # When a licence was revoked is when its history first shows the status "revoked".
    endings = _first_moments(snap, start, end)
    revoked_at = endings[LicenceStatus.REVOKED]
    licences = snap.rows(Licence).filter(Q(issued_at__gte=start, issued_at__lt=end) | Q(id__in=list(revoked_at)))
    decided = (
        snap.rows(Decision)
        .filter(status=DecisionStatus.FINAL, outcome=DecisionOutcome.REFUSE)
        .annotate(decided=Coalesce("countersigned_at", "proposed_at"))
        .filter(decided__gte=start, decided__lt=end)
    )
    # Each row's date is the local day of its decision (TruncDate: in the register's time zone).
    month_licences = list(
        licences.order_by()
        .annotate(issued_on=TruncDate("issued_at"), **_end_user(snap, ref="application_id"))
        .values(
            "id",
            "number",
            "issued_on",
            "licence_type",
            "valid_until",
            "application_id",
            "destination__name_en",
            "destination__name_nl",
            "organisation__name",
            "end_user_type",
            "end_user_name",
        )
    )
    issued = [lic for lic in month_licences if first <= lic["issued_on"] <= last]  # the local days of [start, end)
    revoked = [lic for lic in month_licences if lic["id"] in revoked_at]
    refusals = list(
        decided.order_by().annotate(day=TruncDate("decided")).values("id", "application_id", "day", "sub_criteria")
    )

    # Country of origin: where the goods were made (GoodsLine.production_country; empty = the home state).
    made_in = snap.value(
        GoodsLine, "production_country_id", ref="goods_line_id", path="goods_line__production_country_id"
    )
    # Goods as (description, ML category, origin, value) per licence (refused application), in their order.
    goods_by_licence: dict[int, list[tuple[Any, ...]]] = defaultdict(list)
    for g in (
        snap.goods()
        .filter(licence_id__in=licences.values("id"))
        .annotate(made_in=made_in)
        .order_by("licence_id", "id")
        .values_list("licence_id", "g_description", "g_ml", "made_in", "g_value")
    ):
        goods_by_licence[g[0]].append(g[1:])

    # The refusals' own rows by their ids: the month's refusals are few, and their filter (the decision date is
    # countersigned_at or proposed_at) has no index to read them again by.
    refused_apps = [r["application_id"] for r in refusals]
    applications = {
        a["id"]: a
        for a in snap.rows(Application)
        .filter(id__in=refused_apps)
        .annotate(**_end_user(snap, ref="id"))
        .values(
            "id",
            "reference",
            "licence_type",
            "destination__name_en",
            "destination__name_nl",
            "organisation__name",
            "end_user_type",
            "end_user_name",
        )
    }
    refused_goods: dict[int, list[tuple[Any, ...]]] = defaultdict(list)
    for g in (
        snap.rows(GoodsLine)
        .filter(application_id__in=refused_apps)
        .order_by("application_id", "position", "id")
        .values_list("application_id", "description", "ml_category_id", "production_country_id", "value_eur")
    ):
        refused_goods[g[0]].append(g[1:])
    criteria: dict[int, list[int]] = defaultdict(list)
    for decision_id, number in (
        snap.decision_criteria()
        .filter(decision_id__in=[r["id"] for r in refusals])
        .order_by("decision_id", "criterion_id")
        .values_list("decision_id", "criterion_id")
    ):
        criteria[decision_id].append(number)

    treaty = transfer_details(snap, application_ids=licences.values("application_id"))
    names = country_names({c for _de_minimis, codes in treaty.values() for c in codes})

    def final_destinations(app_id: int) -> str:
        return ", ".join(names[c] for c in treaty.get(app_id, (False, []))[1])

    home = settings.REGISTER_HOME_STATE
    labels = _decision_labels()
    # Labels looked up once per run, not once per row.
    licence_types = {value: str(label) for value, label in LicenceType.choices}
    party_types = {value: str(label) for value, label in PartyType.choices}
    dutch = (get_language() or "").startswith("nl")
    yes, no = _("Yes"), _("No")

    def de_minimis(app_id: int, licence_type: str) -> str:
        # Treaty transfers only: the de minimis rule's result recorded on the case (no details: not de minimis).
        if licence_type != LicenceType.TREATY_COMPONENT:
            return ""
        return yes if treaty.get(app_id, (False, []))[0] else no

    def parties(row: dict[str, Any], reference: str, exporter: str) -> dict[str, str]:
        """The end user's type (published), and the confidential columns when they are asked for."""
        kind = party_types[row["end_user_type"]] if row["end_user_type"] is not None else ""
        if not confidential:
            return {"end_user_type": kind}
        name = row["end_user_name"] if row["end_user_type"] is not None else ""
        return {"end_user_type": kind, "reference": reference, "exporter": exporter, "end_user": name}

    # Each row with what the listing is ordered by: day, kind of decision, reference; a licence's (refusal's)
    # goods keep their order (the sort is stable).
    listed: list[tuple[tuple[Any, ...], dict[str, Any]]] = []
    for kind, licences_of_kind in ((ISSUED, issued), (REVOKED, revoked)):
        for lic in licences_of_kind:
            app_id = lic["application_id"]
            day = timezone.localtime(revoked_at[lic["id"]]).date() if kind == REVOKED else lic["issued_on"]
            common = {
                "date": day,
                "decision": labels[kind],
                "licence_type": licence_types[lic["licence_type"]],
                "destination": _country(lic["destination__name_en"], lic["destination__name_nl"], dutch=dutch),
                "final_destinations": final_destinations(app_id),
                "de_minimis": de_minimis(app_id, lic["licence_type"]),
                "valid_until": lic["valid_until"],
                "criteria": "",
                "sub_criteria": "",
                **parties(lic, lic["number"], lic["organisation__name"]),
            }
            key = (day, ORDER[kind], lic["number"])
            for goods, ml, origin, value in goods_by_licence[lic["id"]]:
                row = {**common, "goods": goods, "ml_category": ml, "origin": origin or home, "value_eur": eur(value)}
                listed.append((key, row))
    for refusal in refusals:
        app = applications.get(refusal["application_id"])
        if app is None:
            continue
        common = {
            "date": refusal["day"],
            "decision": labels[REFUSED],
            "licence_type": licence_types[app["licence_type"]],
            "destination": _country(app["destination__name_en"], app["destination__name_nl"], dutch=dutch),
            "final_destinations": "",
            "de_minimis": "",
            "valid_until": None,
            "criteria": ", ".join(str(n) for n in criteria[refusal["id"]]),
            "sub_criteria": refusal["sub_criteria"],
            **parties(app, app["reference"], app["organisation__name"]),
        }
        key = (refusal["day"], ORDER[REFUSED], app["reference"])
        for goods, ml, origin, value in refused_goods[app["id"]]:
            row = {**common, "goods": goods, "ml_category": ml, "origin": origin or home, "value_eur": eur(value)}
            listed.append((key, row))
    listed.sort(key=itemgetter(0))
    rows = [row for _key, row in listed]

    columns = published_columns() + (confidential_columns() if confidential else [])
    summary = _summary(issued=issued, revoked=revoked, refusals=refusals, rows=rows, labels=labels)
    month_label = date_format(first, "F Y")
    report = Report(
        kind="monthly_confidential" if confidential else "monthly",
        title=_("Monthly licence overview"),
        subtitle=month_label,
        as_of=as_of,
        parameters=[(_("Month"), f"{year:04d}-{month:02d}")],
        tables=[
            Table(
                key="decisions",
                caption=_("Decisions in %(month)s, one row per goods line") % {"month": month_label},
                columns=columns,
                rows=rows,
            ),
            summary,
            _changes_table(snap, first, last, surrendered=len(endings[LicenceStatus.SURRENDERED])),
        ],
        notes=[
            _("Country of origin is where the goods were produced, as recorded per goods line (NL unless stated)."),
            _("Values are the licensed (or, for refusals, applied-for) values per goods line, in euro."),
        ],
        confidential=confidential,
    )
    return add_chart(report, _refused_share_chart(report))


def _refused_share_chart(report: Report) -> Chart | None:
    """What share of the month's decisions, by number and by value, were issued, refused or revoked: the summary
    table's figures as percentages (a month without decisions has no chart)."""
    summary = report.table("summary")
    total_count = sum(r["count"] for r in summary.rows)
    if not total_count:
        return None
    total_value = sum((r["value_eur"] for r in summary.rows), Decimal(0))
    rows = with_share_column(summary.rows, part="count", whole=total_count, into="count_share")
    rows = with_share_column(rows, part="value_eur", whole=total_value, into="value_share")
    return percent_chart(
        report,
        table_key="summary",
        label_key="decision",
        rows=rows,
        series=[("count_share", _("By number")), ("value_share", _("By value"))],
        title=_("Share of the month's decisions by kind"),
        intro=_("Bars per kind of decision: its share of the month's decisions, by number and by value."),
        y_label=_("Share of the month's decisions (%)"),
    )


def _summary(
    *,
    issued: list[dict[str, Any]],
    revoked: list[dict[str, Any]],
    refusals: list[dict[str, Any]],
    rows: list[dict[str, Any]],
    labels: dict[str, str],
) -> Table:
    values: dict[str, Decimal] = defaultdict(Decimal)
    for r in rows:
        values[r["decision"]] += r["value_eur"]
    counts = {labels[ISSUED]: len(issued), labels[REFUSED]: len(refusals), labels[REVOKED]: len(revoked)}
    return Table(
        key="summary",
        caption=_("Decisions in the month by kind"),
        columns=[
            Column("decision", _("Decision")),
            Column("count", _("Licences or applications"), Kind.INT),
            Column("value_eur", _("Value (EUR)"), Kind.EUR),
        ],
        rows=[{"decision": label, "count": counts[label], "value_eur": eur(values[label])} for label in counts],
        row_header="decision",
    )


def _changes_table(snap: Snapshot, first: date, last: date, *, surrendered: int) -> Table:
    """Changes to issued licences decided in the month (licensing.services.amendments), and surrenders: counts
    only; the changed licence itself is not a new decision row above."""
    start, end = day_range(first, last)
    decided = (
        snap.rows(LicenceAmendment).filter(decided_at__gte=start, decided_at__lt=end).values_list("kind", "status")
    )
    counts: dict[tuple[str, str], int] = defaultdict(int)
    for kind, status in decided:
        counts[(kind, status)] += 1
    rows = [
        {"change": _("Amendments approved"), "count": counts[(AmendmentKind.AMENDMENT, AmendmentStatus.APPROVED)]},
        {"change": _("Extensions approved"), "count": counts[(AmendmentKind.EXTENSION, AmendmentStatus.APPROVED)]},
        {
            "change": _("Changes refused"),
            "count": sum(n for (_kind, status), n in counts.items() if status == AmendmentStatus.REFUSED),
        },
        {"change": _("Licences surrendered"), "count": surrendered},
    ]
    return Table(
        key="changes",
        caption=_("Changes to licences in the month"),
        columns=[Column("change", _("Change")), Column("count", _("Licences"), Kind.INT)],
        rows=rows,
        row_header="change",
    )
