"""Processing times in working days (Algemene termijnenwet), worked out by hand on a calendar."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from reports.queries.processing import processing_times
from reports.queries.snapshot import end_of_day

from .helpers import keyed

pytestmark = pytest.mark.django_db

# L1: received 10 Jan, 7 days suspended -> clock from 17 Jan; issued Thu 1 Feb: 11 working days.
# L3: received Thu 15 Feb, issued Fri 15 Mar: 21 working days (Good Friday is 29 March, after it).
# R1: received Fri 1 Mar, refused Wed 20 Mar: 13 working days.
PERIOD = {"date_from": date(2024, 2, 1), "date_to": date(2024, 3, 31)}


def test_processing_times_per_type_and_month_when_one_decision_misses_20_working_days(register):
    report = processing_times(**PERIOD)

    by_month = keyed(report.table("by_month"), "licence_type", "month")
    assert by_month == {
        ("Individual export licence", "2024-02"): {
            "decisions": 1, "within_first": 1, "share_first": Decimal("100.0"),
            "within_second": 1, "share_second": Decimal("100.0"), "median_days": Decimal("11.0"),
        },
        ("Individual export licence", "2024-03"): {
            "decisions": 2, "within_first": 1, "share_first": Decimal("50.0"),
            "within_second": 2, "share_second": Decimal("100.0"), "median_days": Decimal("17.0"),
        },
    }  # fmt: skip
    by_type = keyed(report.table("by_type"), "licence_type")
    assert by_type["Individual export licence"] == {
        "decisions": 3, "within_first": 2, "share_first": Decimal("66.7"),
        "within_second": 3, "share_second": Decimal("100.0"), "median_days": Decimal("13.0"),
    }  # fmt: skip


def test_open_cases_by_age_band_as_of_new_years_eve_2024(register):
    table = processing_times(**PERIOD, as_of=end_of_day(date(2024, 12, 31))).table("open_cases")

    # O1 received Mon 2 Dec: 19 working days by 31 Dec (Christmas and Boxing Day are holidays).
    # O2 received Mon 2 Sep: 84 working days.
    (row,) = table.rows
    assert row["licence_type"] == "Individual export licence"
    assert (row["total"], row["age_from_0"], row["age_from_21"], row["age_from_41"], row["age_from_61"]) == (
        2,
        1,
        0,
        0,
        1,
    )


def test_processing_times_equal_the_hand_written_sql(register):
    from bench.reports_sql import differences, processing_numbers, processing_sql

    numbers = processing_sql(PERIOD["date_from"], PERIOD["date_to"])

    assert numbers["by_type"] == {("Individual export licence",): (3, 2, 3, Decimal("13.0"))}
    assert differences(processing_numbers(processing_times(**PERIOD)), numbers) == []


def test_processing_times_runs_a_fixed_number_of_statements_live_and_as_of_a_moment(
    register, django_assert_max_num_queries
):
    processing_times(**PERIOD)  # the working calendar is built once, outside the count
    # Savepoint and session settings, calendar stamp, equated holidays, the decisions grouped in one statement,
    # today's working-day number, open cases, objections.
    with django_assert_max_num_queries(10):
        processing_times(**PERIOD)
    with django_assert_max_num_queries(10):
        processing_times(**PERIOD, as_of=end_of_day(date(2024, 12, 31)))
