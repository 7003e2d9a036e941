"""The Nordkamp share by production (issue 16, part 7), against figures worked out by hand and hand SQL.

The register with the treaty transfers of test_end_destinations.py (2024, EUR), and where the goods were made:
  L1 SE (not yet NATO)  100 000  made in NL   produced in NATO, goes outside
  L2 SE (NATO)          250 000  made in NL   inside
  L3 US               1 000 000  made in IL   produced outside NATO
  L4 IN                  40 000  made in DE   produced in NATO, goes outside
  L5 several             60 000  made in NL   several destinations
  L7 FR -> India         30 000  made in NL   sold on outside NATO
  G  DE -> DE, NO        90 000  made in NL   inside
  S  ES -> ES            50 000  made in NL   inside
Produced in NATO: 620 000, of which outside 170 000 = 27.4 %; several 60 000; produced outside NATO 1 000 000.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from django.db import connection

from reports.queries.monthly import monthly_overview
from reports.queries.shares import export_shares

from . import builders as b
from .helpers import keyed
from .test_end_destinations import sold_on  # noqa: F401 - the fixture

pytestmark = pytest.mark.django_db


@pytest.fixture
def made_where(sold_on):  # type: ignore[no-untyped-def]  # noqa: F811
    for licence, country in ((sold_on.l3, "IL"), (sold_on.l4, "DE")):
        line = licence.application.goods.get()
        line.production_country_id = country
        b.saved(line, licence.application.submitted_at)
    return sold_on


def test_share_of_nato_produced_goods_going_outside_nato_includes_dutch_content_sold_on(made_where):
    report = export_shares(date_from=date(2024, 1, 1), date_to=date(2024, 12, 31))

    assert keyed(report.table("by_production"), "year")["2024"] == {
        "produced_eur": Decimal("620000"),
        "outside_eur": Decimal("170000"),
        "share": Decimal("27.4"),
        "several_eur": Decimal("60000"),
        "other_eur": Decimal("1000000"),
    }


def test_production_split_matches_hand_written_sql(made_where):
    row = keyed(export_shares(date_from=date(2024, 1, 1), date_to=date(2024, 12, 31)).table("by_production"), "year")
    with connection.cursor() as cursor:
        cursor.execute(
            """
            SELECT EXISTS (SELECT 1 FROM parties_membership m
                           WHERE m.country_id = COALESCE(gl.production_country_id, 'NL') AND m.bloc = 'NATO'
                           AND m.since <= (l.issued_at AT TIME ZONE 'Europe/Amsterdam')::date
                           AND (m.until IS NULL OR m.until >= (l.issued_at AT TIME ZONE 'Europe/Amsterdam')::date)),
                   SUM(g.value_eur)
            FROM licensing_licence l
            JOIN licensing_licensedgoods g ON g.licence_id = l.id
            JOIN licensing_goodsline gl ON gl.id = g.goods_line_id
            WHERE l.issued_at >= '2024-01-01 00:00+01' AND l.issued_at < '2025-01-01 00:00+01'
            GROUP BY 1
            """
        )
        by_hand = dict(cursor.fetchall())
    assert by_hand == {True: row["2024"]["produced_eur"], False: row["2024"]["other_eur"]}


def test_monthly_overview_gives_the_country_where_the_goods_were_produced_as_origin(made_where):
    march = monthly_overview(year=2024, month=3).table("decisions").rows

    # L3 (US, made in Israel) issued 15 March; R1 (Saudi Arabia, made in NL) refused 20 March.
    assert [(r["destination"], r["origin"]) for r in march] == [
        ("United States", "IL"),
        ("Saudi Arabia", "NL"),
        ("Saudi Arabia", "NL"),
    ]
