"""The UN Register / Arms Trade Treaty report (issue 16, part 6), against figures worked out by hand and
hand-written SQL.

The register of conftest.py with a UN Register category on three goods lines:
  L3 (US, 1 000 000, 1 item) category IV; shipped 2024-06-01: 0.5 items, 300 000
  L1 (SE, 100 000, 1 item)   category VII; not shipped
  L6 (DE, issued 2023)       category III; shipped 2024-02-10: 0.5 items, 20 000
Everything else (L2's two lines, L4, L5, L7) has no category: 4 licences, 5 items, 380 000; L4 shipped 10 000.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from django.db import connection

from reports.queries.snapshot import end_of_day
from reports.queries.un_register import un_register_report

from . import builders as b
from .helpers import keyed

pytestmark = pytest.mark.django_db

AS_OF = end_of_day(date(2024, 12, 31))


@pytest.fixture
def categorised(register):  # type: ignore[no-untyped-def]
    for licence, code in ((register.l3, "IV"), (register.l1, "VII"), (register.l6, "III")):
        line = licence.application.goods.get()
        line.un_register_category_id = code
        b.saved(line, licence.application.submitted_at)
    return register


def figures(licences=0, items="0", value="0", exported_items="0", exported="0"):  # type: ignore[no-untyped-def]
    return {
        "licences": licences,
        "items": Decimal(items),
        "value_eur": Decimal(value),
        "exported_items": Decimal(exported_items),
        "exported_eur": Decimal(exported),
    }


def test_exports_per_un_register_category_with_goods_in_no_category_apart(categorised):
    report = un_register_report(year=2024, as_of=AS_OF)
    by_category = keyed(report.table("by_category"), "category")

    assert by_category["I Battle tanks"] == figures()
    assert by_category["III Large-calibre artillery systems"] == figures(exported_items="0.5", exported="20000")
    assert by_category["IV Combat aircraft"] == figures(1, "1", "1000000", "0.5", "300000")
    assert by_category["VII Missiles and missile launchers"] == figures(1, "1", "100000")
    assert by_category["Not in a UN Register category"] == figures(4, "5", "380000", "0.5", "10000")
    assert report.table("by_category").footer[0] == {"category": "Total", **figures(6, "7", "1480000", "1.5", "330000")}
    per_state = keyed(report.table("by_category_destination"), "category", "destination")
    assert per_state[("IV Combat aircraft", "United States")] == figures(1, "1", "1000000", "0.5", "300000")


def test_un_register_exports_match_hand_written_sql(categorised):
    by_category = keyed(un_register_report(year=2024, as_of=AS_OF).table("by_category"), "category")
    with connection.cursor() as cursor:
        cursor.execute(
            """
            SELECT COALESCE(c.code || ' ' || c.title, 'Not in a UN Register category'), SUM(s.value_eur)
            FROM licensing_shipment s
            JOIN licensing_licensedgoods lg ON lg.id = s.licensed_goods_id
            JOIN licensing_goodsline g ON g.id = lg.goods_line_id
            LEFT JOIN licensing_unregistercategory c ON c.code = g.un_register_category_id
            WHERE s.shipped_on BETWEEN '2024-01-01' AND '2024-12-31'
            GROUP BY 1
            """
        )
        by_hand = dict(cursor.fetchall())
    assert by_hand == {k: v["exported_eur"] for k, v in by_category.items() if v["exported_eur"]}


def test_un_register_as_of_before_the_categories_were_recorded_shows_none(register):
    line = register.l3.application.goods.get()
    line.un_register_category_id = "IV"
    b.saved(line, b.at("2025-01-15"))

    by_category = keyed(un_register_report(year=2024, as_of=AS_OF).table("by_category"), "category")
    assert by_category["IV Combat aircraft"]["licences"] == 0


def test_un_register_chart_shows_each_categorys_share_worked_out_by_hand_and_in_sql(categorised):
    # Licensed value 1 480 000: IV 1 000 000 = 67.6 %, VII 100 000 = 6.8 %, none 380 000 = 25.7 %.
    # Actual exports 330 000: III 20 000 = 6.1 %, IV 300 000 = 90.9 %, none 10 000 = 3.0 %.
    chart = un_register_report(year=2024, as_of=AS_OF).chart_for("by_category")
    assert chart is not None
    assert "IV: Share of the value of licences 67.6 %, Share of actual exports 90.9 %" in chart.alt
    assert "VII: Share of the value of licences 6.8 %, Share of actual exports 0.0 %" in chart.alt
    assert "III: Share of the value of licences 0.0 %, Share of actual exports 6.1 %" in chart.alt
    assert "—: Share of the value of licences 25.7 %, Share of actual exports 3.0 %" in chart.alt
    assert "67.6 %" in chart.svg  # the bar's text label
    with connection.cursor() as cursor:
        cursor.execute(
            """
            SELECT COALESCE(g.un_register_category_id, '—'),
                   ROUND(100 * SUM(lg.value_eur) / (
                       SELECT SUM(lg2.value_eur) FROM licensing_licensedgoods lg2
                       JOIN licensing_licence l2 ON l2.id = lg2.licence_id
                       WHERE l2.issued_at >= '2024-01-01' AND l2.issued_at < '2025-01-01'
                   ), 1)
            FROM licensing_licensedgoods lg
            JOIN licensing_licence l ON l.id = lg.licence_id
            JOIN licensing_goodsline g ON g.id = lg.goods_line_id
            WHERE l.issued_at >= '2024-01-01' AND l.issued_at < '2025-01-01'
            GROUP BY 1
            """
        )
        by_hand = {code: f"{share} %" for code, share in cursor.fetchall()}
    assert by_hand == {"IV": "67.6 %", "VII": "6.8 %", "—": "25.7 %"}
