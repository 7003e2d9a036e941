"""Report 2: the annual report in the layout of the EU (COARM) annual report on arms exports.

Per destination and ML category: licences issued (number, value), actual exports recorded against licences,
refusals; per destination the criteria invoked; totals per region (EU, NATO, neither) and per year. The
region of a figure follows membership on the date of its decision (the licence's issue for licences and
their exports, the refusal's date for refusals), never today's membership.
Sources: Council Common Position 2008/944/CFSP Art. 8 (annual report) and ../shared/domain/README.md
"Reporting to parliament". COARM data is due by 30 June each year.

All counting happens in SQL: each figure is one GROUP BY over the rows of queries.base (seven statements).
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date
from decimal import Decimal
from typing import Any

from django.db.models import Count, Sum
from django.db.models.functions import ExtractYear
from django.utils.translation import gettext as _

from licensing.models import Criterion
from parties.models import Bloc

from ..tables import Column, Kind, Report, Table, eur, pct
from . import base
from .general_licence_registrations import registrations_per_licence
from .general_licence_use import general_licence_use
from .names import country_names, ml_order
from .regions import flag, with_flags
from .snapshot import Snapshot, day_range, local_year
from .trend_charts import add_chart, percent_chart

REGION_EU = "eu"
REGION_NATO = "nato"
REGION_NEITHER = "neither"
REGION_SEVERAL = "several"
REGION_ALL = "all"
YEARS_BACK = 4  # the per-year table shows the report year and the four before it


def _region_labels() -> dict[str, str]:
    return {
        REGION_EU: _("EU member states"),
        REGION_NATO: _("NATO members"),
        REGION_NEITHER: _("Neither EU nor NATO"),
        REGION_SEVERAL: _("Several destinations (global licences)"),
        REGION_ALL: _("All destinations"),
    }


def _regions_of(*, several: bool, eu: bool, nato: bool) -> list[str]:
    """The region rows a group of figures counts towards. EU and NATO overlap, so those rows overlap too."""
    if several:
        return [REGION_SEVERAL, REGION_ALL]
    regions = [REGION_ALL]
    if eu:
        regions.append(REGION_EU)
    if nato:
        regions.append(REGION_NATO)
    if not eu and not nato:
        regions.append(REGION_NEITHER)
    return regions


@base.parallel_report_session
def annual_report(*, year: int, as_of: Any = None) -> Report:
    snap = Snapshot(as_of)
    start, end = day_range(date(year, 1, 1), date(year, 12, 31))
    first_year = year - YEARS_BACK
    span_start, _span_end = day_range(date(first_year, 1, 1), date(year, 12, 31))

    cells: dict[tuple[str | None, str], dict[str, Any]] = defaultdict(_empty)
    licences = Count("licence_id", distinct=True)
    refusals = Count("application_id", distinct=True)
    for r in base.issued(snap, start=start, end=end).grouped(["dest", "ml"], n=licences, v=Sum("amount")):
        cells[(r["dest"], r["ml"])].update(licences=r["n"], value_eur=eur(r["v"]))
    for r in base.exports(snap, first=date(year, 1, 1), last=date(year, 12, 31)).grouped(
        ["dest", "ml"], v=Sum("amount")
    ):
        cells[(r["dest"], r["ml"])]["exports_eur"] = eur(r["v"])
    for r in base.refused(snap, start=start, end=end).grouped(["dest", "ml"], n=refusals):
        cells[(r["dest"], r["ml"])]["refusals"] = r["n"]
    criteria_counts: dict[str | None, dict[int, int]] = defaultdict(dict)
    criteria = base.criteria(snap, start=start, end=end)
    for r in criteria.grouped(["dest", "criterion_no"], n=Count("refusal", distinct=True)):
        criteria_counts[r["dest"]][r["criterion_no"]] = r["n"]

    # One pass over the five years gives the per-year table, and its report-year rows the per-destination
    # and per-region tables: each licence (refusal) lies in exactly one (year, destination, EU, NATO) group.
    groups = _year_groups(snap, first_year=first_year, year=year, span_start=span_start, end=end)
    per_dest: dict[str | None, dict[str, Any]] = defaultdict(_empty)
    for field, rows in groups.items():
        for g in rows:
            if g["year"] == year:
                per_dest[g["dest"]][field] += _figure(field, g)
    figures = _region_figures(groups)

    names = country_names({d for d, _ml in cells} | set(per_dest) | set(criteria_counts))
    order = ml_order()
    tables = [
        _by_destination_ml(cells, names, order),
        _by_destination(per_dest, names),
        _criteria_table(criteria_counts, names),
        _regions_table(figures, year=year),
        _years_table(figures, first_year=first_year, year=year),
        general_licence_use(year=year, as_of=as_of),
        registrations_per_licence(first=date(year, 1, 1), last=date(year, 12, 31), as_of=as_of),
    ]
    report = Report(
        kind="annual",
        title=_("Annual report on military export licences"),
        subtitle=str(year),
        as_of=as_of,
        parameters=[(_("Year"), str(year))],
        tables=tables,
        notes=[
            _(
                "EU, NATO and treaty membership is taken on the date of each decision: a licence to Sweden issued "
                "before 7 March 2024 counts as outside NATO."
            ),
            _("EU and NATO rows overlap (most EU member states are NATO members); they do not add up to the total."),
            _("A licence covering goods in several ML categories counts once in each category and once in totals."),
            _("Actual exports are shipments recorded in the year, whatever the year the licence was issued."),
        ],
    )
    trend = [
        {
            "year": str(y),
            "neither_share": pct(figures[(y, REGION_NEITHER)]["value_eur"], figures[(y, REGION_ALL)]["value_eur"]),
            "several_share": pct(figures[(y, REGION_SEVERAL)]["value_eur"], figures[(y, REGION_ALL)]["value_eur"]),
        }
        for y in range(first_year, year + 1)
    ]
    labels = _region_labels()
    return add_chart(
        report,
        percent_chart(
            report,
            table_key="years",
            label_key="year",
            rows=trend,
            series=[("neither_share", labels[REGION_NEITHER]), ("several_share", labels[REGION_SEVERAL])],
            title=_("Share of the licensed value going outside the EU and NATO, per year"),
            intro=_(
                "Bars per year: the share of the value of licences issued that went to states in neither the "
                "EU nor NATO on the decision date, and under global licences to several destinations."
            ),
            y_label=_("Share of the year's licensed value (%)"),
        ),
    )


def _empty() -> dict[str, Any]:
    return {"licences": 0, "value_eur": eur(0), "exports_eur": eur(0), "refusals": 0}


def _figure_columns() -> list[Column]:
    return [
        Column("licences", _("Licences issued"), Kind.INT),
        Column("value_eur", _("Value of licences (EUR)"), Kind.EUR),
        Column("exports_eur", _("Actual exports (EUR)"), Kind.EUR),
        Column("refusals", _("Refusals"), Kind.INT),
    ]


def _total(rows: list[dict[str, Any]], label_key: str, label: str) -> dict[str, Any]:
    total: dict[str, Any] = {label_key: label}
    for key in ("licences", "value_eur", "exports_eur", "refusals"):
        total[key] = sum((r[key] for r in rows), Decimal(0) if key.endswith("_eur") else 0)
    return total


def _by_destination_ml(
    cells: dict[tuple[str | None, str], dict[str, Any]], names: dict[str | None, str], order: dict[str, int]
) -> Table:
    rows = [
        {"destination": names[dest], "ml_category": ml, **figures}
        for (dest, ml), figures in sorted(cells.items(), key=lambda kv: (names[kv[0][0]], order.get(kv[0][1], 99)))
    ]
    return Table(
        key="by_destination_ml",
        caption=_("Licences, actual exports and refusals per destination and ML category"),
        columns=[Column("destination", _("Destination")), Column("ml_category", _("ML category")), *_figure_columns()],
        rows=rows,
        row_header="destination",
    )


def _by_destination(per_dest: dict[str | None, dict[str, Any]], names: dict[str | None, str]) -> Table:
    rows = [{"destination": names[d], **f} for d, f in sorted(per_dest.items(), key=lambda kv: names[kv[0]])]
    return Table(
        key="by_destination",
        caption=_("Totals per destination"),
        columns=[Column("destination", _("Destination")), *_figure_columns()],
        rows=rows,
        footer=[_total(rows, "destination", _("Total"))],
        row_header="destination",
    )


def _criteria_table(counts: dict[str | None, dict[int, int]], names: dict[str | None, str]) -> Table:
    numbers = list(Criterion.objects.order_by("number").values_list("number", flat=True))
    rows = []
    for dest, by_criterion in sorted(counts.items(), key=lambda kv: names[kv[0]]):
        row: dict[str, Any] = {"destination": names[dest]}
        row.update({f"c{n}": by_criterion.get(n, 0) for n in numbers})
        rows.append(row)
    footer: dict[str, Any] = {"destination": _("Total")}
    footer.update({f"c{n}": sum(r[f"c{n}"] for r in rows) for n in numbers})
    return Table(
        key="criteria",
        caption=_("Criteria invoked in refusals, per destination (number of refusals citing each criterion)"),
        columns=[Column("destination", _("Destination"))]
        + [Column(f"c{n}", _("Criterion %(n)s") % {"n": n}, Kind.INT) for n in numbers],
        rows=rows,
        footer=[footer] if rows else [],
        note=_("A refusal citing two criteria counts once under each."),
        row_header="destination",
    )


def _year_groups(snap: Snapshot, *, first_year: int, year: int, span_start: Any, end: Any) -> dict[str, list[Any]]:
    """Figures per (year, destination, EU, NATO) from first_year to year: figure name -> its groups (with the
    count in `n` or the sum in `v`). Exports count in the year they were shipped, in the region of their
    licence's issue date."""
    blocs = (Bloc.EU, Bloc.NATO)
    keys = ["year", "dest", flag(Bloc.EU), flag(Bloc.NATO)]
    issued = with_flags(base.issued_licences(snap, start=span_start, end=end), blocs)
    shipped = base.exports(snap, first=date(first_year, 1, 1), last=date(year, 12, 31), with_ml=False)
    exports = with_flags(shipped, blocs)
    refused = with_flags(base.refusal_decisions(snap, start=span_start, end=end), blocs)
    year_of = local_year("at", first=first_year, last=year)
    issued_groups = issued.annotate(year=year_of).grouped(keys, n=Count("id"), v=Sum("amount"))
    return {
        "licences": issued_groups,
        "value_eur": issued_groups,
        "exports_eur": exports.annotate(year=ExtractYear("shipped_on")).grouped(keys, v=Sum("amount")),
        # One final decision per application (licensing's constraint), so a plain count of refusals.
        "refusals": refused.annotate(year=year_of).grouped(keys, n=Count("application_id")),
    }


def _figure(field: str, group: dict[str, Any]) -> Any:
    return eur(group["v"]) if field.endswith("_eur") else group["n"]


def _region_figures(groups: dict[str, list[Any]]) -> dict[tuple[int, str], dict[str, Any]]:
    figures: dict[tuple[int, str], dict[str, Any]] = defaultdict(_empty)
    for field, rows in groups.items():
        for g in rows:
            for region in _regions_of(several=g["dest"] is None, eu=g[flag(Bloc.EU)], nato=g[flag(Bloc.NATO)]):
                figures[(g["year"], region)][field] += _figure(field, g)
    return figures


def _regions_table(figures: dict[tuple[int, str], dict[str, Any]], *, year: int) -> Table:
    labels = _region_labels()
    rows = [{"region": labels[r], **figures[(year, r)]} for r in labels]
    return Table(
        key="regions",
        caption=_("Totals per region, by membership on the decision date"),
        columns=[Column("region", _("Region")), *_figure_columns()],
        rows=rows,
        row_header="region",
    )


def _years_table(figures: dict[tuple[int, str], dict[str, Any]], *, first_year: int, year: int) -> Table:
    labels = _region_labels()
    rows = [
        {"year": str(y), "region": labels[r], **figures[(y, r)]} for y in range(first_year, year + 1) for r in labels
    ]
    return Table(
        key="years",
        caption=_("Totals per year and region, %(first)s–%(last)s") % {"first": first_year, "last": year},
        columns=[Column("year", _("Year")), Column("region", _("Region")), *_figure_columns()],
        rows=rows,
        row_header="year",
    )
