"""Report 2: the annual report in the layout of the EU (COARM) annual report on arms exports.

Per destination and ML category: licences issued (number, value), actual exports recorded against licences,
refusals; per destination the criteria invoked; totals per region (EU, NATO, neither) and per year. The
region of a figure follows membership on the date of its decision (the licence's issue for licences and
their exports, the refusal's date for refusals), never today's membership.
Sources: Council Common Position 2008/944/CFSP Art. 8 (annual report) and ../shared/domain/README.md
"Reporting to parliament". COARM data is due by 30 June each year.

All counting happens in SQL: each figure is one GROUP BY over the rows of queries.base.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date
from decimal import Decimal
from typing import Any

from django.db.models import BooleanField, Case, Count, QuerySet, Sum, Value, When
from django.db.models.functions import ExtractYear
from django.utils.translation import gettext as _

from licensing.models import Criterion
from parties.models import Bloc

from ..tables import Column, Kind, Report, Table, eur
from . import base
from .names import country_names, ml_order
from .regions import is_member
from .snapshot import Snapshot, day_range

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


def _with_flags(qs: QuerySet[Any]) -> QuerySet[Any]:
    return qs.annotate(
        is_eu=is_member(Bloc.EU, country_ref="dest", date_ref="day"),
        is_nato=is_member(Bloc.NATO, country_ref="dest", date_ref="day"),
    )


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


def _flag_groups(qs: QuerySet[Any], *, year_of: str | None, distinct: str | None) -> list[dict[str, Any]]:
    """Group by (has destination, EU, NATO[, year]): each licence or refusal lies in exactly one group, so the
    groups' distinct counts may be added up per region. `year_of` names the date the year is taken from."""
    keys = ["dest_null", "is_eu", "is_nato"]
    qs = _with_flags(qs).annotate(
        dest_null=Case(When(dest__isnull=True, then=Value(True)), default=Value(False), output_field=BooleanField())
    )
    if year_of:
        qs = qs.annotate(year=ExtractYear(year_of))
        keys.append("year")
    aggregates: dict[str, Any] = {"amount_sum": Sum("amount")}
    if distinct:
        aggregates["n"] = Count(distinct, distinct=True)
    return list(qs.values(*keys).annotate(**aggregates).order_by())


def annual_report(*, year: int, as_of: Any = None) -> Report:
    snap = Snapshot(as_of)
    start, end = day_range(date(year, 1, 1), date(year, 12, 31))
    first_year = year - YEARS_BACK
    span_start, _span_end = day_range(date(first_year, 1, 1), date(year, 12, 31))

    issued = base.issued_goods(snap, start=start, end=end)
    exports = base.shipments(snap, first=date(year, 1, 1), last=date(year, 12, 31))
    refused = base.refused_goods(snap, start=start, end=end)
    criteria = base.refusal_criteria(snap, start=start, end=end)

    cells: dict[tuple[str | None, str], dict[str, Any]] = defaultdict(_empty)
    for r in issued.values("dest", "ml").annotate(n=Count("licence_id", distinct=True), v=Sum("amount")).order_by():
        cells[(r["dest"], r["ml"])].update(licences=r["n"], value_eur=eur(r["v"]))
    for r in exports.values("dest", "ml").annotate(v=Sum("amount")).order_by():
        cells[(r["dest"], r["ml"])]["exports_eur"] = eur(r["v"])
    for r in refused.values("dest", "ml").annotate(n=Count("application_id", distinct=True)).order_by():
        cells[(r["dest"], r["ml"])]["refusals"] = r["n"]

    per_dest: dict[str | None, dict[str, Any]] = defaultdict(_empty)
    for r in issued.values("dest").annotate(n=Count("licence_id", distinct=True), v=Sum("amount")).order_by():
        per_dest[r["dest"]].update(licences=r["n"], value_eur=eur(r["v"]))
    for r in exports.values("dest").annotate(v=Sum("amount")).order_by():
        per_dest[r["dest"]]["exports_eur"] = eur(r["v"])
    for r in refused.values("dest").annotate(n=Count("application_id", distinct=True)).order_by():
        per_dest[r["dest"]]["refusals"] = r["n"]
    criteria_counts: dict[str | None, dict[int, int]] = defaultdict(dict)
    for r in criteria.values("dest", "criterion_id").annotate(n=Count("decision_id", distinct=True)).order_by():
        criteria_counts[r["dest"]][r["criterion_id"]] = r["n"]

    names = country_names({d for d, _ml in cells} | set(per_dest) | set(criteria_counts))
    order = ml_order()
    tables = [
        _by_destination_ml(cells, names, order),
        _by_destination(per_dest, names),
        _criteria_table(criteria_counts, names),
        _regions_table(issued=issued, exports=exports, refused=refused),
        _years_table(snap, first_year=first_year, year=year, span_start=span_start, span_end=end),
    ]
    return Report(
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


def _accumulate(
    target: dict[Any, dict[str, Any]], groups: list[dict[str, Any]], *, field: str, count: bool, by_year: bool
) -> None:
    for g in groups:
        for region in _regions_of(several=g["dest_null"], eu=g["is_eu"], nato=g["is_nato"]):
            key = (g["year"], region) if by_year else region
            if count:
                target[key][field] += g["n"]
            else:
                target[key][field] += eur(g["amount_sum"])


def _region_figures(
    *, issued: QuerySet[Any], exports: QuerySet[Any], refused: QuerySet[Any], by_year: bool
) -> dict[Any, dict[str, Any]]:
    figures: dict[Any, dict[str, Any]] = defaultdict(_empty)
    issued_groups = _flag_groups(issued, year_of="day" if by_year else None, distinct="licence_id")
    _accumulate(figures, issued_groups, field="licences", count=True, by_year=by_year)
    _accumulate(figures, issued_groups, field="value_eur", count=False, by_year=by_year)
    # Exports count in the year they were shipped, in the region of their licence's issue date.
    export_groups = _flag_groups(exports, year_of="shipped_on" if by_year else None, distinct=None)
    _accumulate(figures, export_groups, field="exports_eur", count=False, by_year=by_year)
    refused_groups = _flag_groups(refused, year_of="day" if by_year else None, distinct="application_id")
    _accumulate(figures, refused_groups, field="refusals", count=True, by_year=by_year)
    return figures


def _regions_table(*, issued: QuerySet[Any], exports: QuerySet[Any], refused: QuerySet[Any]) -> Table:
    figures = _region_figures(issued=issued, exports=exports, refused=refused, by_year=False)
    labels = _region_labels()
    rows = [{"region": labels[r], **figures[r]} for r in labels]
    return Table(
        key="regions",
        caption=_("Totals per region, by membership on the decision date"),
        columns=[Column("region", _("Region")), *_figure_columns()],
        rows=rows,
        row_header="region",
    )


def _years_table(snap: Snapshot, *, first_year: int, year: int, span_start: Any, span_end: Any) -> Table:
    issued = base.issued_goods(snap, start=span_start, end=span_end)
    exports = base.shipments(snap, first=date(first_year, 1, 1), last=date(year, 12, 31))
    refused = base.refused_goods(snap, start=span_start, end=span_end)
    figures = _region_figures(issued=issued, exports=exports, refused=refused, by_year=True)
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
