"""Report 4: the share of licensed exports going outside NATO (and outside the EU, and outside the treaty).

Motion Nordkamp (Kamerstuk 36 410-X-47) asked for the share of defence products exported outside NATO; the
cabinet answered (letter of 25 April 2024) that the data was missing. The register answers it for the
Netherlands: licences issued in a period, counted and valued, split by whether the destination was a member
ON THE DATE OF THE DECISION (../shared/domain/README.md "Reporting to parliament"). Licences for several
destinations (global licences) have no single destination and are shown apart, never guessed.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date
from decimal import Decimal
from functools import partial
from typing import Any

from django.db.models import Count, Sum
from django.utils.translation import gettext as _

from parties.memberships import members_among
from parties.models import Bloc

from ..charts import bar_chart, chart_alt, chart_values, share_chart
from ..tables import Chart, Column, Kind, Report, Table, eur, pct
from . import base, destinations
from .names import ml_order
from .production import production_table
from .regions import BLOC_LABELS, MEMBER, NON_MEMBER, UNATTRIBUTED, bucket, flag, with_flags
from .snapshot import Snapshot, day_range, local_year

BLOCS = (Bloc.NATO, Bloc.EU, Bloc.TREATY)


def _figures(groups: list[dict[str, Any]], key_fields: tuple[str, ...], bloc: Bloc) -> dict[Any, dict[str, Any]]:
    """Fold (key..., destination, membership) groups into one figure row per key, by the bloc's bucket. Each
    licence lies in one group, so the groups' distinct counts add up to the key's licence count."""
    out: dict[Any, dict[str, Any]] = defaultdict(
        lambda: {b: {"n": 0, "v": Decimal(0)} for b in (MEMBER, NON_MEMBER, UNATTRIBUTED)}
    )
    for g in groups:
        key = tuple(g[k] for k in key_fields)
        figures = out[key][bucket(dest=g["dest"], member=g[flag(bloc)])]
        figures["n"] += g["n"]
        figures["v"] += eur(g["v"])
    return out


def _row(buckets: dict[str, dict[str, Any]]) -> dict[str, Any]:
    n = sum(b["n"] for b in buckets.values())
    v = sum((b["v"] for b in buckets.values()), Decimal(0))
    return {
        "licences": n,
        "licences_outside": buckets[NON_MEMBER]["n"],
        "count_share_outside": pct(buckets[NON_MEMBER]["n"], n),
        "value_eur": eur(v),
        "value_outside_eur": eur(buckets[NON_MEMBER]["v"]),
        "value_share_outside": pct(buckets[NON_MEMBER]["v"], v),
        "licences_several": buckets[UNATTRIBUTED]["n"],
        "value_several_eur": eur(buckets[UNATTRIBUTED]["v"]),
        "value_members_eur": eur(buckets[MEMBER]["v"]),
    }


def _share_columns(bloc_label: str) -> list[Column]:
    return [
        Column("licences", _("Licences issued"), Kind.INT),
        Column("licences_outside", _("Outside %(bloc)s") % {"bloc": bloc_label}, Kind.INT),
        Column("count_share_outside", _("Share outside, by number"), Kind.PCT),
        Column("value_eur", _("Value (EUR)"), Kind.EUR),
        Column("value_outside_eur", _("Value outside %(bloc)s (EUR)") % {"bloc": bloc_label}, Kind.EUR),
        Column("value_share_outside", _("Share outside, by value"), Kind.PCT),
        Column("licences_several", _("Several destinations"), Kind.INT),
        Column("value_several_eur", _("Several destinations (EUR)"), Kind.EUR),
    ]


@base.parallel_report_session
def export_shares(*, date_from: date, date_to: date, bloc: str = Bloc.NATO, as_of: Any = None) -> Report:
    snap = Snapshot(as_of)
    start, end = day_range(date_from, date_to)
    bloc_label = str(BLOC_LABELS[Bloc(bloc)])

    licences, value = Count("licence_id", distinct=True), Sum("amount")
    year_of = local_year("at", first=date_from.year, last=date_to.year)
    # Each licence lies in exactly one (year, destination, NATO, EU, treaty) group: one statement for the
    # summary of every bloc and the per-year table.
    groups = (
        with_flags(base.issued_licences(snap, start=start, end=end), BLOCS)
        .annotate(year=year_of)
        .grouped(["year", "dest", *(flag(b) for b in BLOCS)], n=Count("id"), v=value)
    )
    summary_rows = [{"split": str(BLOC_LABELS[each]), **_row(_figures(groups, (), each)[()])} for each in BLOCS]
    by_year = _figures(groups, ("year",), Bloc(bloc))
    year_rows = [{"year": str(y), **_row(by_year[(y,)])} for y in range(date_from.year, date_to.year + 1)]

    by_ml_groups = (
        with_flags(base.issued(snap, start=start, end=end), [bloc])
        .annotate(year=year_of)
        .grouped(["year", "ml", "dest", flag(bloc)], n=licences, v=value)
    )
    order = ml_order()
    by_ml = _figures(by_ml_groups, ("year", "ml"), Bloc(bloc))
    ml_rows = [
        {"year": str(y), "ml_category": ml, **_row(figures)}
        for (y, ml), figures in sorted(by_ml.items(), key=lambda kv: (kv[0][0], order.get(kv[0][1], 99)))
    ]

    transfers = destinations.treaty_transfers(snap, start=start, end=end)
    sold_on_ids = _sold_on(transfers, bloc=Bloc(bloc))
    sold_on = _sold_on_table(transfers, year_rows, sold_on_ids, bloc_label=bloc_label)
    produced = production_table(
        snap,
        start=start,
        end=end,
        years=[r["year"] for r in year_rows],
        bloc=Bloc(bloc),
        bloc_label=bloc_label,
        sold_on=sold_on_ids,
    )
    period = f"{date_from.isoformat()} – {date_to.isoformat()}"
    chart_rows = [
        (r["year"], r["value_members_eur"], r["value_outside_eur"], r["value_several_eur"]) for r in year_rows
    ]
    chart = Chart(
        key="by_year_chart",
        title=_("Value of licences issued per year: inside and outside %(bloc)s") % {"bloc": bloc_label},
        alt=_chart_alt(year_rows, bloc_label),
        draw=partial(share_chart, chart_rows, member_label=bloc_label),
        table_key="by_year",
    )
    return Report(
        kind="shares",
        title=_("Share of licensed exports outside %(bloc)s") % {"bloc": bloc_label},
        subtitle=period,
        as_of=as_of,
        parameters=[(_("Period"), period), (_("Split shown in detail"), bloc_label)],
        tables=[
            Table(
                key="summary",
                caption=_("Licences issued %(period)s, split by membership on the decision date") % {"period": period},
                columns=[Column("split", _("Split")), *_share_columns(_("the bloc"))],
                rows=summary_rows,
                row_header="split",
            ),
            Table(
                key="by_year",
                caption=_("Inside and outside %(bloc)s per year") % {"bloc": bloc_label},
                columns=[Column("year", _("Year")), *_share_columns(bloc_label)],
                rows=year_rows,
                row_header="year",
            ),
            Table(
                key="by_ml",
                caption=_("Inside and outside %(bloc)s per year and ML category") % {"bloc": bloc_label},
                columns=[
                    Column("year", _("Year")),
                    Column("ml_category", _("ML category")),
                    *_share_columns(bloc_label),
                ],
                rows=ml_rows,
                row_header="year",
                note=_("A licence with goods in several ML categories counts once in each category."),
            ),
            sold_on,
            produced,
        ],
        charts=[chart, *_production_chart(produced, bloc_label)],
        notes=[
            _("Membership is taken on the date each licence was issued (Sweden joined NATO on 7 March 2024)."),
            _("Shares are of all licences issued, including those for several destinations, shown separately."),
            _("Values are licensed values; actual exports are in the annual report."),
        ],
    )


def _sold_on(transfers: list[destinations.TreatyTransferRow], *, bloc: Bloc) -> set[int]:
    """Ids of the treaty transfer licences to an integrator inside the bloc whose final system goes (also)
    outside it: inside by the licence's destination, outside by where the Dutch content ends up (the Nordkamp
    question, answered for the Dutch share of systems integrated elsewhere)."""
    integrators = members_among(bloc, {(t.integrator_country, t.day) for t in transfers if t.integrator_country})
    return {t.licence_id for t in transfers if (t.integrator_country, t.day) in integrators and t.goes_outside(bloc)}


def _sold_on_table(
    transfers: list[destinations.TreatyTransferRow],
    year_rows: list[dict[str, Any]],
    sold_on_ids: set[int],
    *,
    bloc_label: str,
) -> Table:
    sold_on: dict[str, dict[str, Any]] = defaultdict(lambda: {"n": 0, "v": Decimal(0)})
    for t in transfers:
        if t.licence_id in sold_on_ids:
            sold_on[str(t.day.year)]["n"] += 1
            sold_on[str(t.day.year)]["v"] += t.value_eur
    rows = []
    for r in year_rows:
        extra = sold_on[r["year"]]
        outside = r["value_outside_eur"] + extra["v"]
        rows.append(
            {
                "year": r["year"],
                "value_eur": r["value_eur"],
                "value_outside_eur": r["value_outside_eur"],
                "sold_on_licences": extra["n"],
                "sold_on_eur": eur(extra["v"]),
                "outside_with_sold_on_eur": eur(outside),
                "share_with_sold_on": pct(outside, r["value_eur"]),
            }
        )
    labels = {"bloc": bloc_label}
    return Table(
        key="sold_on",
        caption=_("Outside %(bloc)s including Dutch content in systems integrated inside and sold on") % labels,
        columns=[
            Column("year", _("Year")),
            Column("value_eur", _("Value (EUR)"), Kind.EUR),
            Column("value_outside_eur", _("Value outside %(bloc)s by licence destination (EUR)") % labels, Kind.EUR),
            Column("sold_on_licences", _("Treaty transfers sold on outside %(bloc)s") % labels, Kind.INT),
            Column("sold_on_eur", _("Their Dutch content (EUR)"), Kind.EUR),
            Column("outside_with_sold_on_eur", _("Outside %(bloc)s including sold on (EUR)") % labels, Kind.EUR),
            Column("share_with_sold_on", _("Share outside including sold on, by value"), Kind.PCT),
        ],
        rows=rows,
        row_header="year",
        note=_(
            "A treaty transfer to an integrator inside %(bloc)s counts as sold on when one of the final system's "
            "intended end destinations was outside %(bloc)s on the decision date."
        )
        % labels,
    )


def _production_chart(table: Table, bloc_label: str) -> list[Chart]:
    """The Nordkamp share per year: of the goods produced in member states, the share licensed to go outside."""
    if not table.rows:
        return []
    labels = [str(r["year"]) for r in table.rows]
    series = [(_("Share going outside"), chart_values(table.rows, "share"))]
    intro = _(
        "Bars per year: of the value of goods produced in %(bloc)s member states, the share licensed to go outside "
        "%(bloc)s."
    ) % {"bloc": bloc_label}
    y_label = _("Share of the goods produced in %(bloc)s (%%)") % {"bloc": bloc_label}
    return [
        Chart(
            key="by_production_chart",
            title=_("Goods produced in %(bloc)s going outside %(bloc)s, per year") % {"bloc": bloc_label},
            alt=chart_alt(intro, labels, series),
            draw=partial(bar_chart, labels, series, y_label=y_label),
            table_key=table.key,
        )
    ]


def _chart_alt(rows: list[dict[str, Any]], bloc_label: str) -> str:
    parts = [
        _("%(year)s: %(share)s outside") % {"year": r["year"], "share": f"{r['value_share_outside']} %"}
        for r in rows
        if r["value_share_outside"] is not None
    ]
    if not parts:
        return _("No licences were issued in the period.")
    summary = "; ".join(parts)
    return _("Stacked bars per year of the value of licences issued inside and outside %(bloc)s. %(summary)s.") % {
        "bloc": bloc_label,
        "summary": summary,
    }
