"""The NATO/non-NATO share (motion Nordkamp) and the EU and treaty splits, worked out by hand."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from reports.queries.shares import export_shares

from .helpers import keyed

pytestmark = pytest.mark.django_db

YEAR_2024 = {"date_from": date(2024, 1, 1), "date_to": date(2024, 12, 31)}


def share(licences, outside, count_pct, value, value_outside, value_pct, several=0, several_value="0", members="0"):  # type: ignore[no-untyped-def]
    return {
        "licences": licences,
        "licences_outside": outside,
        "count_share_outside": None if count_pct is None else Decimal(count_pct),
        "value_eur": Decimal(value),
        "value_outside_eur": Decimal(value_outside),
        "value_share_outside": None if value_pct is None else Decimal(value_pct),
        "licences_several": several,
        "value_several_eur": Decimal(several_value),
        "value_members_eur": Decimal(members),
    }


def test_share_outside_nato_eu_and_treaty_when_memberships_differ_per_destination(register):
    summary = keyed(export_shares(**YEAR_2024).table("summary"), "split")

    # Outside NATO on the decision date: L1 (SE, 1 Feb 2024: 100 000) and L4 (IN: 40 000) of 6 licences.
    assert summary["NATO"] == share(6, 2, "33.3", "1480000", "140000", "9.5", 1, "60000", "1280000")
    # Outside the EU: L3 (US) and L4 (IN).
    assert summary["EU"] == share(6, 2, "33.3", "1480000", "1040000", "70.3", 1, "60000", "380000")
    # Outside the treaty (FR, DE, ES; UK from Dec 2025): everything but L7 (FR) and the global licence.
    assert summary["Treaty"] == share(6, 4, "66.7", "1480000", "1390000", "93.9", 1, "60000", "30000")


def test_sweden_counts_outside_nato_in_february_and_inside_in_april_2024_when_it_joined_on_7_march(register):
    february = export_shares(date_from=date(2024, 2, 1), date_to=date(2024, 2, 29)).table("summary").rows[0]
    april = export_shares(date_from=date(2024, 4, 1), date_to=date(2024, 4, 30)).table("summary").rows[0]

    assert (february["licences"], february["licences_outside"]) == (1, 1)
    assert (april["licences"], april["licences_outside"], april["value_members_eur"]) == (1, 0, Decimal("250000"))


def test_share_by_ml_category_and_year_when_a_licence_has_two_categories(register):
    by_ml = keyed(export_shares(**YEAR_2024).table("by_ml"), "year", "ml_category")

    assert by_ml == {
        ("2024", "ML5"): share(2, 1, "50.0", "300000", "100000", "33.3", members="200000"),
        ("2024", "ML10"): share(2, 0, "0.0", "1030000", "0", "0.0", members="1030000"),
        ("2024", "ML11"): share(1, 0, "0.0", "50000", "0", "0.0", members="50000"),
        ("2024", "ML15"): share(2, 1, "50.0", "100000", "40000", "40.0", 1, "60000"),
    }


def test_share_per_year_includes_empty_years_and_a_chart_with_a_text_alternative(register):
    report = export_shares(date_from=date(2023, 1, 1), date_to=date(2024, 12, 31))
    by_year = keyed(report.table("by_year"), "year")

    assert by_year["2023"] == share(1, 0, "0.0", "80000", "0", "0.0", members="80000")
    assert by_year["2024"]["value_share_outside"] == Decimal("9.5")
    chart = report.chart_for("by_year")
    assert chart is not None and chart.svg.startswith("<?xml")
    assert "2024: 9.5 % outside" in chart.alt


def test_share_detail_follows_the_chosen_split_when_eu_is_asked(register):
    report = export_shares(**YEAR_2024, bloc="EU")

    assert report.title == "Share of licensed exports outside EU"
    assert keyed(report.table("by_year"), "year")["2024"]["licences_outside"] == 2
