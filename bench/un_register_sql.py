"""The yardstick of the UN Register and Arms Trade Treaty report (reports.queries.un_register.un_register_report):
its figures written by hand as one SQL statement over the live tables; `un_register_numbers(report)` makes the
same form of a computed report, so the runner asserts equal numbers before it compares times
(bench/report_times.py).

What the report counts: per UN Register category of the goods line (GoodsLine.un_register_category; none: a row
of its own) and importing state (the licence's destination), the licences issued in the year ([1 January 00:00,
1 January of the next year 00:00) in the register's time zone), their licensed quantity and value, and the
shipments dated in the year (quantity and value), whatever the year their licence was issued.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date
from decimal import Decimal
from typing import Any

from django.utils.translation import gettext as _

from reports.queries.base import report_session
from reports.queries.names import country_names
from reports.tables import Report

from .reports_sql import Numbers, _midnight, _nonzero, _rows

# Per (category, destination): licences, items and value issued; items and value shipped. A licence's goods are
# grouped per (licence, category) first, so the licences are counted without a DISTINCT.
UN_REGISTER = """
    WITH issued AS (
        SELECT gl.un_register_category_id AS cat, l.destination_id AS dest, sum(g.quantity) AS q,
               sum(g.value_eur) AS v
        FROM licensing_licence l JOIN licensing_licensedgoods g ON g.licence_id = l.id
        LEFT JOIN licensing_goodsline gl ON gl.id = g.goods_line_id
        WHERE l.issued_at >= %(start)s AND l.issued_at < %(end)s
        GROUP BY l.id, 1, 2
    ), cells AS (
        SELECT cat, dest, count(*) AS n, sum(q) AS q, sum(v) AS v, 0 AS sq, 0 AS sv FROM issued GROUP BY 1, 2
        UNION ALL
        SELECT gl.un_register_category_id, l.destination_id, 0, 0, 0, sum(s.quantity), sum(s.value_eur)
        FROM licensing_shipment s JOIN licensing_licence l ON l.id = s.licence_id
        JOIN licensing_licensedgoods g ON g.id = s.licensed_goods_id
        LEFT JOIN licensing_goodsline gl ON gl.id = g.goods_line_id
        WHERE s.shipped_on BETWEEN %(first_day)s AND %(last_day)s
        GROUP BY 1, 2
    )
    SELECT x.cat, c.title, x.dest, sum(x.n), sum(x.q), sum(x.v), sum(x.sq), sum(x.sv)
    FROM cells x LEFT JOIN licensing_unregistercategory c ON c.code = x.cat
    GROUP BY 1, 2, 3
"""


@report_session  # the reports' own session settings (JIT off, work_mem): the comparison is of the statements
def un_register_sql(year: int) -> Numbers:
    """The UN Register report's figures (reports.queries.un_register.un_register_report), by hand, live."""
    params = {
        "start": _midnight(date(year, 1, 1)),
        "end": _midnight(date(year + 1, 1, 1)),
        "first_day": date(year, 1, 1),
        "last_day": date(year, 12, 31),
    }
    rows = _rows(UN_REGISTER, params)
    names = country_names({dest for _cat, _title, dest, *_figures in rows})
    cells: dict[tuple[str, ...], tuple[Any, ...]] = {}
    per_category: dict[tuple[str, ...], list[Any]] = defaultdict(lambda: [0, Decimal(0), 0, Decimal(0), 0])
    for code, title, dest, *figures in rows:
        label = f"{code} {title or ''}".strip() if code else _("Not in a UN Register category")
        cells[(label, names[dest])] = tuple(figures)
        per_category[(label,)] = [a + b for a, b in zip(per_category[(label,)], figures, strict=True)]
    total = [sum(column) for column in zip(*per_category.values(), strict=True)] if per_category else []
    return {
        "by_category": _nonzero({key: tuple(f) for key, f in per_category.items()}),
        "by_category_destination": _nonzero(cells),
        "total": _nonzero({(_("Total"),): tuple(total)} if total else {}),
    }


FIGURES = ("licences", "items", "value_eur", "exported_items", "exported_eur")


def un_register_numbers(report: Report) -> Numbers:
    """A computed UN Register report's figures in the form un_register_sql returns."""

    def figures(row: dict[str, Any]) -> tuple[Any, ...]:
        return tuple(row[f] for f in FIGURES)

    return {
        "by_category": _nonzero({(r["category"],): figures(r) for r in report.table("by_category").rows}),
        "by_category_destination": _nonzero(
            {(r["category"], r["destination"]): figures(r) for r in report.table("by_category_destination").rows}
        ),
        "total": _nonzero({(r["category"],): figures(r) for r in report.table("by_category").footer}),
    }
