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
from datetime import date
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.db.models import Min, Q
from django.db.models.functions import Coalesce
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


def _country(name_en: str | None, name_nl: str | None) -> str:
    if not name_en:
        return _("Several destinations")
    return (name_nl or name_en) if (get_language() or "").startswith("nl") else name_en


def _month_decisions(snap: Snapshot, first: date, last: date) -> tuple[list[dict[str, Any]], ...]:
    start, end = day_range(first, last)
    licence_fields = (
        "id",
        "number",
        "issued_at",
        "licence_type",
        "valid_until",
        "application_id",
        "destination__name_en",
        "destination__name_nl",
        "organisation__name",
    )
    issued = list(snap.rows(Licence).filter(issued_at__gte=start, issued_at__lt=end).values(*licence_fields))
    # When a licence was revoked is when its history first shows the status "revoked" (a revoked licence
    # stays revoked: licensing.transitions has no way back).
    history: Any = Licence.history.model  # type: ignore[attr-defined]
    revocations = history.objects.filter(status=LicenceStatus.REVOKED)
    if snap.as_of is not None:
        revocations = revocations.filter(history_date__lte=snap.as_of)
    revoked_at = dict(
        revocations.order_by()
        .values("id")
        .annotate(at=Min("history_date"))
        .filter(at__gte=start, at__lt=end)
        .values_list("id", "at")
    )
    revoked = list(snap.rows(Licence).filter(id__in=list(revoked_at)).values(*licence_fields))
    for row in revoked:
        row["revoked_at"] = revoked_at[row["id"]]
    refusals = list(
        snap.rows(Decision)
        .filter(status=DecisionStatus.FINAL, outcome=DecisionOutcome.REFUSE)
        .annotate(decided=Coalesce("countersigned_at", "proposed_at"))
        .filter(decided__gte=start, decided__lt=end)
        .values("id", "application_id", "decided", "sub_criteria")
    )
    return issued, revoked, refusals


@base.report_session
def monthly_overview(*, year: int, month: int, as_of: Any = None, confidential: bool = False) -> Report:
    snap = Snapshot(as_of)
    first = date(year, month, 1)
    last = date(year, month, monthrange(year, month)[1])
    issued, revoked, refusals = _month_decisions(snap, first, last)

    licence_ids = [r["id"] for r in issued] + [r["id"] for r in revoked]
    goods_by_licence: dict[int, list[dict[str, Any]]] = defaultdict(list)
    for g in (
        snap.goods()
        .filter(licence_id__in=licence_ids)
        .order_by("licence_id", "id")
        .values("licence_id", "goods_line_id", "g_description", "g_ml", "g_value")
    ):
        goods_by_licence[g["licence_id"]].append(g)

    refused_app_ids = [r["application_id"] for r in refusals]
    applications = {
        a["id"]: a
        for a in snap.rows(Application)
        .filter(id__in=refused_app_ids)
        .values("id", "reference", "licence_type", "destination__name_en", "destination__name_nl", "organisation__name")
    }
    refused_goods: dict[int, list[dict[str, Any]]] = defaultdict(list)
    for g in (
        snap.rows(GoodsLine)
        .filter(application_id__in=refused_app_ids)
        .order_by("application_id", "position", "id")
        .values("application_id", "description", "ml_category_id", "value_eur", "production_country_id")
    ):
        refused_goods[g["application_id"]].append(g)
    criteria: dict[int, list[int]] = defaultdict(list)
    for decision_id, number in (
        snap.decision_criteria()
        .filter(decision_id__in=[r["id"] for r in refusals])
        .order_by("decision_id", "criterion_id")
        .values_list("decision_id", "criterion_id")
    ):
        criteria[decision_id].append(number)

    all_app_ids = refused_app_ids + [r["application_id"] for r in issued + revoked]
    end_users: dict[int, dict[str, Any]] = {}
    for p in (
        snap.rows(ApplicationParty)
        .filter(Q(application_id__in=all_app_ids), role=PartyRole.END_USER)
        .order_by("application_id", "id")
        .values("application_id", "party_type", "name")
    ):
        end_users.setdefault(p["application_id"], p)

    treaty = transfer_details(snap, application_ids=[lic["application_id"] for lic in issued + revoked])
    names = country_names({c for _de_minimis, codes in treaty.values() for c in codes})

    def final_destinations(app_id: int) -> str:
        return ", ".join(names[c] for c in treaty.get(app_id, (False, []))[1])

    def de_minimis(app_id: int, licence_type: str) -> str:
        # Treaty transfers only: the de minimis rule's result recorded on the case (no details: not de minimis).
        if licence_type != LicenceType.TREATY_COMPONENT:
            return ""
        return _("Yes") if treaty.get(app_id, (False, []))[0] else _("No")

    # Country of origin: where the goods were made (GoodsLine.production_country; empty = the home state).
    home = settings.REGISTER_HOME_STATE
    made_in = dict(
        snap.rows(GoodsLine)
        .filter(id__in=[g["goods_line_id"] for goods in goods_by_licence.values() for g in goods])
        .values_list("id", "production_country_id")
    )
    labels = _decision_labels()
    rows: list[dict[str, Any]] = []

    def end_user(app_id: int) -> dict[str, str]:
        party = end_users.get(app_id)
        if party is None:
            return {"end_user_type": "", "end_user": ""}
        return {"end_user_type": str(PartyType(party["party_type"]).label), "end_user": party["name"]}

    for kind, licences in ((ISSUED, issued), (REVOKED, revoked)):
        for lic in licences:
            moment = lic["revoked_at"] if kind == REVOKED else lic["issued_at"]
            for g in goods_by_licence[lic["id"]]:
                rows.append(
                    {
                        "date": timezone.localtime(moment).date(),
                        "decision": labels[kind],
                        "licence_type": str(LicenceType(lic["licence_type"]).label),
                        "goods": g["g_description"],
                        "ml_category": g["g_ml"],
                        "origin": made_in.get(g["goods_line_id"]) or home,
                        "destination": _country(lic["destination__name_en"], lic["destination__name_nl"]),
                        "final_destinations": final_destinations(lic["application_id"]),
                        "de_minimis": de_minimis(lic["application_id"], lic["licence_type"]),
                        "value_eur": eur(g["g_value"]),
                        "valid_until": lic["valid_until"],
                        "criteria": "",
                        "sub_criteria": "",
                        "reference": lic["number"],
                        "exporter": lic["organisation__name"],
                        **end_user(lic["application_id"]),
                    }
                )
    for refusal in refusals:
        app = applications.get(refusal["application_id"])
        if app is None:
            continue
        for g in refused_goods[app["id"]]:
            rows.append(
                {
                    "date": timezone.localtime(refusal["decided"]).date(),
                    "decision": labels[REFUSED],
                    "licence_type": str(LicenceType(app["licence_type"]).label),
                    "goods": g["description"],
                    "ml_category": g["ml_category_id"],
                    "origin": g["production_country_id"] or home,
                    "destination": _country(app["destination__name_en"], app["destination__name_nl"]),
                    "final_destinations": "",
                    "de_minimis": "",
                    "value_eur": eur(g["value_eur"]),
                    "valid_until": None,
                    "criteria": ", ".join(str(n) for n in criteria[refusal["id"]]),
                    "sub_criteria": refusal["sub_criteria"],
                    "reference": app["reference"],
                    "exporter": app["organisation__name"],
                    **end_user(app["id"]),
                }
            )
    order = {labels[ISSUED]: 0, labels[REFUSED]: 1, labels[REVOKED]: 2}
    rows.sort(key=lambda r: (r["date"], order[r["decision"]], r["reference"]))  # stable: goods keep their order

    columns = published_columns() + (confidential_columns() if confidential else [])
    if not confidential:
        rows = [{c.key: r[c.key] for c in columns} for r in rows]
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
            _changes_table(snap, first, last),
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


def _changes_table(snap: Snapshot, first: date, last: date) -> Table:
    """Changes to issued licences decided in the month (licensing.services.amendments), and surrenders: counts
    only; the changed licence itself is not a new decision row above."""
    start, end = day_range(first, last)
    decided = (
        snap.rows(LicenceAmendment).filter(decided_at__gte=start, decided_at__lt=end).values_list("kind", "status")
    )
    counts: dict[tuple[str, str], int] = defaultdict(int)
    for kind, status in decided:
        counts[(kind, status)] += 1
    history: Any = Licence.history.model  # type: ignore[attr-defined]
    surrenders = history.objects.filter(status=LicenceStatus.SURRENDERED)
    if snap.as_of is not None:
        surrenders = surrenders.filter(history_date__lte=snap.as_of)
    surrendered = (
        surrenders.order_by().values("id").annotate(at=Min("history_date")).filter(at__gte=start, at__lt=end).count()
    )
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
