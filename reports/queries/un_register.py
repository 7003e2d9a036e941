"""The annual UN Register of Conventional Arms and Arms Trade Treaty report: exports per UN Register category.

Sources: UN Register of Conventional Arms, GA resolution 46/36 L, categories I-VII plus small arms and light
weapons ("7+1", data/reference/un_register_categories.csv, UNODA); Arms Trade Treaty Art. 13(3) (annual
report of authorised or actual exports). The letter on motion Nordkamp (25 April 2024) points parliament to
UNROCA; the register now produces the Dutch figures itself.

Per category and importing state: items and value of the licences issued in the year, and of the actual
exports (shipments) recorded in the year. The category is the goods line's `un_register_category` (as it
stood); goods in no category are shown on their own row, so the totals reconcile with the annual report.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date
from decimal import Decimal
from typing import Any

from django.db.models import Count, F, Sum
from django.utils.translation import gettext as _

from licensing.models import GoodsLine, LicensedGoods, UNRegisterCategory

from ..tables import Column, Kind, Report, Table, eur
from . import base
from .names import country_names
from .snapshot import Snapshot, day_range
from .trend_charts import add_chart, percent_chart, with_share_column

NONE = ""


@base.report_session
def un_register_report(*, year: int, as_of: Any = None) -> Report:
    snap = Snapshot(as_of)
    start, end = day_range(date(year, 1, 1), date(year, 12, 31))
    # Live, a join to the goods line (snap.value's `path`); as of a moment, its history row per goods line.
    category = snap.value(
        GoodsLine, "un_register_category_id", ref="goods_line_id", path="goods_line__un_register_category_id"
    )
    issued = (
        base.issued_goods(snap, start=start, end=end)
        .annotate(cat=category, items=F("quantity"))
        .values("cat", "dest")
        .annotate(n=Count("licence_id", distinct=True), q=Sum("items"), v=Sum("amount"))
        .order_by()
    )
    shipped = (
        base.shipments(snap, first=date(year, 1, 1), last=date(year, 12, 31), with_ml=False)
        .annotate(
            line=snap.value(
                LicensedGoods, "goods_line_id", ref="licensed_goods_id", path="licensed_goods__goods_line_id"
            )
        )
        .annotate(
            cat=snap.value(
                GoodsLine,
                "un_register_category_id",
                ref="line",
                path="licensed_goods__goods_line__un_register_category_id",
            )
        )
        .values("cat", "dest")
        .annotate(q=Sum("quantity"), v=Sum("amount"))
        .order_by()
    )
    cells: dict[tuple[str, str | None], dict[str, Any]] = defaultdict(_empty)
    for r in issued:
        cells[(r["cat"] or NONE, r["dest"])].update(licences=r["n"], items=r["q"] or Decimal(0), value_eur=eur(r["v"]))
    for r in shipped:
        cell = cells[(r["cat"] or NONE, r["dest"])]
        cell.update(exported_items=r["q"] or Decimal(0), exported_eur=eur(r["v"]))

    titles = dict(UNRegisterCategory.objects.values_list("code", "title"))
    order = {code: i for i, code in enumerate(["I", "II", "III", "IV", "V", "VI", "VII", "SALW"])}

    def label(code: str) -> str:
        return f"{code} {titles.get(code, '')}".strip() if code else _("Not in a UN Register category")

    names = country_names({dest for _cat, dest in cells})
    per_category: dict[str, dict[str, Any]] = defaultdict(_empty)
    for (code, _dest), figures in cells.items():
        for key, value in figures.items():
            per_category[code][key] += value
    every = sorted(set(order) | set(per_category), key=lambda c: order.get(c, 99))
    category_rows = [{"category": label(code), **per_category[code]} for code in every]
    destination_rows = [
        {"category": label(code), "destination": names[dest], **figures}
        for (code, dest), figures in sorted(cells.items(), key=lambda kv: (order.get(kv[0][0], 99), names[kv[0][1]]))
    ]
    total: dict[str, Any] = {"category": _("Total")}
    for key in _empty():
        total[key] = sum((r[key] for r in category_rows), Decimal(0))
    report = Report(
        kind="un_register",
        title=_("UN Register and Arms Trade Treaty report"),
        subtitle=str(year),
        as_of=as_of,
        parameters=[(_("Year"), str(year))],
        tables=[
            Table(
                key="by_category",
                caption=_("Licences and actual exports per UN Register category"),
                columns=[Column("category", _("UN Register category")), *_figure_columns()],
                rows=category_rows,
                footer=[total],
                row_header="category",
            ),
            Table(
                key="by_category_destination",
                caption=_("Per UN Register category and importing state"),
                columns=[
                    Column("category", _("UN Register category")),
                    Column("destination", _("Importing state")),
                    *_figure_columns(),
                ],
                rows=destination_rows,
                row_header="category",
            ),
        ],
        notes=[
            _("The category is the one recorded on each goods line; goods in no category are shown apart."),
            _("Actual exports are shipments recorded in the year, whatever the year the licence was issued."),
            _("A licence with goods in several categories counts once in each; items are the licensed quantity."),
        ],
    )
    shares = with_share_column(category_rows, part="value_eur", whole=total["value_eur"], into="value_share")
    shares = with_share_column(shares, part="exported_eur", whole=total["exported_eur"], into="exported_share")
    return add_chart(
        report,
        percent_chart(
            report,
            table_key="by_category",
            label_key="code",
            rows=[{**r, "code": code or "—"} for r, code in zip(shares, every, strict=True)],
            series=[
                ("value_share", _("Share of the value of licences")),
                ("exported_share", _("Share of actual exports")),
            ],
            title=_("Share of each UN Register category, %(year)s") % {"year": year},
            intro=_(
                "Bars per UN Register category (— : in no category): its share of the year's licensed value "
                "and of its actual exports."
            ),
            y_label=_("Share of the year's total (%)"),
        ),
    )


def _empty() -> dict[str, Any]:
    return {
        "licences": 0,
        "items": Decimal(0),
        "value_eur": Decimal("0.00"),
        "exported_items": Decimal(0),
        "exported_eur": Decimal("0.00"),
    }


def _figure_columns() -> list[Column]:
    return [
        Column("licences", _("Licences issued"), Kind.INT),
        Column("items", _("Items licensed"), Kind.DECIMAL),
        Column("value_eur", _("Value of licences (EUR)"), Kind.EUR),
        Column("exported_items", _("Items exported"), Kind.DECIMAL),
        Column("exported_eur", _("Actual exports (EUR)"), Kind.EUR),
    ]
