"""The annual report (COARM layout) against totals worked out by hand from tests/reports/conftest.py."""

from __future__ import annotations

from decimal import Decimal

import pytest

from reports.queries.annual import annual_report

from .helpers import figures, keyed

pytestmark = pytest.mark.django_db


def test_annual_report_counts_per_destination_and_ml_category_when_licences_exports_and_refusals_mix(register):
    report = annual_report(year=2024)

    assert keyed(report.table("by_destination_ml"), "destination", "ml_category") == {
        ("France", "ML10"): figures(1, "30000"),
        ("Germany", "ML5"): figures(exports="20000"),  # licence of 2023, shipped in 2024
        ("India", "ML15"): figures(1, "40000", "10000", refusals=1),  # revoked later: still issued in 2024
        ("Saudi Arabia", "ML4"): figures(refusals=1),
        ("Saudi Arabia", "ML10"): figures(refusals=1),
        ("Several destinations", "ML15"): figures(1, "60000"),
        ("Sweden", "ML5"): figures(2, "300000"),
        ("Sweden", "ML11"): figures(1, "50000"),
        ("United States", "ML10"): figures(1, "1000000", "300000"),
    }


def test_annual_report_counts_a_licence_once_per_destination_when_it_has_two_ml_categories(register):
    report = annual_report(year=2024)
    table = report.table("by_destination")

    assert keyed(table, "destination")["Sweden"] == figures(2, "350000")
    assert table.footer == [
        {"destination": "Total", **figures(6, "1480000", "330000", refusals=2)},
    ]


def test_annual_report_lists_both_criteria_when_a_refusal_cites_two(register):
    table = annual_report(year=2024).table("criteria")

    rows = keyed(table, "destination")
    assert {k: v for k, v in rows["Saudi Arabia"].items() if v} == {"c2": 1, "c7": 1}
    assert {k: v for k, v in rows["India"].items() if v} == {"c7": 1}
    assert {k: v for k, v in table.footer[0].items() if v and k != "destination"} == {"c2": 1, "c7": 2}


def test_annual_report_puts_sweden_outside_nato_before_7_march_2024_when_totalling_regions(register):
    regions = keyed(annual_report(year=2024).table("regions"), "region")

    # EU on the decision date: L1 and L2 (SE), L7 (FR); exports: L6 (DE, issued 2023).
    assert regions["EU member states"] == figures(3, "380000", "20000")
    # NATO: L2 (SE after 7 March), L3 (US), L7 (FR); L1 (SE, 1 February) is not; exports L6 + L3.
    assert regions["NATO members"] == figures(3, "1280000", "320000")
    assert regions["Neither EU nor NATO"] == figures(1, "40000", "10000", refusals=2)
    assert regions["Several destinations (global licences)"] == figures(1, "60000")
    assert regions["All destinations"] == figures(6, "1480000", "330000", refusals=2)


def test_annual_report_totals_each_year_when_licences_span_two_years(register):
    years = keyed(annual_report(year=2024).table("years"), "year", "region")

    assert years[("2023", "All destinations")] == figures(1, "80000")
    assert years[("2023", "NATO members")] == figures(1, "80000")
    assert years[("2024", "All destinations")] == figures(6, "1480000", "330000", refusals=2)
    assert years[("2020", "All destinations")] == figures()
    assert sorted({year for year, _region in years}) == ["2020", "2021", "2022", "2023", "2024"]


def test_annual_report_is_empty_but_complete_when_the_year_has_no_decisions(register):
    report = annual_report(year=2019)

    assert report.table("by_destination_ml").rows == []
    assert keyed(report.table("regions"), "region")["All destinations"] == figures()
    assert report.table("by_destination").footer[0]["value_eur"] == Decimal(0)
