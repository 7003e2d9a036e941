"""The monthly licence overview: every decision of the month, one row per goods line."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from reports.queries.monthly import monthly_overview, published_columns

from .helpers import keyed

pytestmark = pytest.mark.django_db


def test_monthly_overview_lists_issue_and_refusal_with_both_criteria_when_both_happen_in_march(register):
    report = monthly_overview(year=2024, month=3)
    rows = report.table("decisions").rows

    assert [
        (r["date"], r["decision"], r["destination"], r["ml_category"], r["value_eur"], r["criteria"]) for r in rows
    ] == [
        (date(2024, 3, 15), "Issued", "United States", "ML10", Decimal("1000000.00"), ""),
        (date(2024, 3, 20), "Refused", "Saudi Arabia", "ML4", Decimal("500000.00"), "2, 7"),
        (date(2024, 3, 20), "Refused", "Saudi Arabia", "ML10", Decimal("100000.00"), "2, 7"),
    ]
    assert rows[1]["sub_criteria"] == "2c"
    assert rows[0]["valid_until"] == date(2026, 3, 15)
    assert rows[1]["valid_until"] is None
    assert {r["origin"] for r in rows} == {"NL"}
    assert {r["end_user_type"] for r in rows} == {"Armed forces"}
    assert keyed(report.table("summary"), "decision") == {
        "Issued": {"count": 1, "value_eur": Decimal("1000000.00")},
        "Refused": {"count": 1, "value_eur": Decimal("600000.00")},
        "Revoked": {"count": 0, "value_eur": Decimal("0.00")},
    }


def test_monthly_overview_lists_a_revocation_in_the_month_it_happened(register):
    rows = monthly_overview(year=2024, month=9).table("decisions").rows

    assert [(r["date"], r["decision"], r["destination"], r["value_eur"]) for r in rows] == [
        (date(2024, 9, 2), "Revoked", "India", Decimal("40000.00"))
    ]


def test_monthly_overview_names_no_company_or_end_user_when_published(register):
    table = monthly_overview(year=2024, month=3).table("decisions")

    assert [c.key for c in table.columns] == [c.key for c in published_columns()]
    cells = {str(v) for row in table.rows for v in row.values()}
    assert not any("Alpha Defence" in c or "End user of case" in c for c in cells)


def test_confidential_overview_adds_exporter_end_user_and_reference(register):
    table = monthly_overview(year=2024, month=2, confidential=True).table("decisions")

    (row,) = table.rows
    assert row["exporter"] == "Alpha Defence B.V."
    assert row["reference"] == register.l1.number
    assert row["end_user"].startswith("End user of case")
    assert (row["destination"], row["value_eur"], row["licence_type"]) == (
        "Sweden",
        Decimal("100000.00"),
        "Individual export licence",
    )


def test_monthly_overview_shows_several_destinations_when_a_global_licence_has_none(register):
    (row,) = monthly_overview(year=2024, month=6).table("decisions").rows

    assert (row["destination"], row["licence_type"]) == ("Several destinations", "Global export licence")


def test_monthly_chart_shows_each_kind_of_decision_as_a_share_by_number_and_by_value(register):
    # March 2024 by hand: issued 1 licence of 1 000 000, refused 1 application of 600 000, revoked none.
    # By number 1/2 = 50.0 % each; by value 1 000 000 / 1 600 000 = 62.5 % and 600 000 / 1 600 000 = 37.5 %.
    chart = monthly_overview(year=2024, month=3).chart_for("summary")

    assert chart is not None
    assert "Issued: By number 50.0 %, By value 62.5 %" in chart.alt
    assert "Refused: By number 50.0 %, By value 37.5 %" in chart.alt
    assert "Revoked: By number 0.0 %, By value 0.0 %" in chart.alt


def test_monthly_overview_has_no_chart_when_the_month_has_no_decision(register):
    assert monthly_overview(year=2022, month=1).charts == []
