"""The treaty transparency report at its boundaries, against figures worked out by hand, and against the hand-written
SQL of the benchmark (bench/reports_sql.treaty_sql) on a register that has what the bulk benchmark data lacks:
end destinations, a state joining the treaty, objections and consultations.

The United Kingdom became a treaty party on 2025-12-10 (data/reference/countries.csv); it is a NATO member, not
an EU member. Values in EUR, all treaty component transfers by Alpha Defence B.V.:
  T1  DE integrator, issued 2025-12-09 (the day before), 40 000, not de minimis, final system to the UK
      -> the UK was a third country that day: 40 000 goes (also) to a third country
  T2  FR integrator, issued 2025-12-10 (the day it joined), 60 000, de minimis, final system to the UK
      -> a treaty party that day: not a third country
  T3  ES integrator, issued 2026-01-02, 25 000, no treaty details recorded: not de minimis, no end destinations
  R1  ES, a treaty component transfer refused on 2025-12-31; R2  ES, refused on 2026-01-01
  R3  IN, an individual export licence refused on 2025-12-31: not a treaty transfer, not counted
Notifications: N1 incoming from FR, aware on 2025-12-31, no objection in time (2025); N2 outgoing to DE, aware on
2026-01-01 (2026); N3 incoming from DE, aware on 2025-11-03, our objection sent on 2025-12-31 (2025), high-level
consultation opened on 2026-01-05 and still open on 2026-01-31 (26 days).
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from bench import reports_sql
from consultations.models.treaty import NotificationDirection, NotificationStatus
from licensing.models import LicenceType
from licensing.models.treaty import TreatyRefusalGround
from reports.queries.snapshot import end_of_day
from reports.queries.treaty import treaty_transparency

from . import builders as b
from .helpers import keyed
from .test_end_destinations import treaty_transfer
from .test_treaty import _notification

pytestmark = pytest.mark.django_db

END_OF_JANUARY = end_of_day(date(2026, 1, 31))


@pytest.fixture
def accession(org_a, officer, senior):  # type: ignore[no-untyped-def]
    treaty = {"organisation": org_a, "officer": officer, "licence_type": LicenceType.TREATY_COMPONENT}
    t1 = b.licence(**treaty, destination="DE", issued="2025-12-09", goods=[("ML5", "40000")], received="2025-11-24")
    treaty_transfer(t1, de_minimis=False, end_destinations=["GB"])
    t2 = b.licence(**treaty, destination="FR", issued="2025-12-10", goods=[("ML5", "60000")], received="2025-11-24")
    treaty_transfer(t2, de_minimis=True, end_destinations=["GB"])
    t3 = b.licence(**treaty, destination="ES", issued="2026-01-02", goods=[("ML10", "25000")], received="2025-12-15")
    b.refusal(**treaty, destination="ES", decided="2025-12-31", goods=[("ML10", "5000")], criteria=[],
              received="2025-12-01")  # fmt: skip
    b.refusal(**treaty, destination="ES", decided="2026-01-01", goods=[("ML10", "7000")], criteria=[],
              received="2025-12-01")  # fmt: skip
    b.refusal(organisation=org_a, officer=officer, destination="IN", decided="2025-12-31", goods=[("ML15", "9000")],
              criteria=[7], received="2025-12-01")  # fmt: skip

    _notification(direction=NotificationDirection.INCOMING, counterpart="FR", received="2025-12-31", officer=officer,
                  status=NotificationStatus.NO_OBJECTION_IN_TIME)  # fmt: skip
    _notification(direction=NotificationDirection.OUTGOING, counterpart="DE", received="2026-01-01", officer=officer,
                  status=NotificationStatus.OPEN, application=t3.application)  # fmt: skip
    n3 = _notification(direction=NotificationDirection.INCOMING, counterpart="DE", received="2025-11-03",
                       officer=officer, status=NotificationStatus.OBJECTED)  # fmt: skip
    b.sent_objection(n3, ground=TreatyRefusalGround.DIRECT_INTERESTS, sent_on="2025-12-31", opened_on="2026-01-05",
                     officer=officer, senior=senior)  # fmt: skip


def test_an_end_destination_counts_as_a_third_country_the_day_before_it_joined_the_treaty_not_on_the_day(accession):
    report = treaty_transparency(year_from=2025, year_to=2026, as_of=END_OF_JANUARY)

    summary = keyed(report.table("end_destinations_summary"), "year")
    assert summary["2025"] == {
        "transfers": 2,
        "value_eur": Decimal("100000"),
        "recorded": 2,
        "third_eur": Decimal("40000"),
        "third_share": Decimal("40.0"),
        "outside_nato_eur": Decimal("0"),
        "outside_nato_share": Decimal("0.0"),
    }
    # T3 has no treaty details: counted, but nothing recorded about where its content ends up.
    assert summary["2026"]["transfers"] == 1 and summary["2026"]["recorded"] == 0
    per_destination = keyed(report.table("end_destinations"), "year", "end_destination", "third_country")
    assert per_destination == {
        ("2025", "United Kingdom", "Yes"): {"nato": "Yes", "transfers": 1, "value_eur": Decimal("40000"),
                                            "share": Decimal("40.0")},
        ("2025", "United Kingdom", "No"): {"nato": "Yes", "transfers": 1, "value_eur": Decimal("60000"),
                                           "share": Decimal("60.0")},
    }  # fmt: skip


def test_transfers_and_refusals_count_in_the_year_of_the_decision_treaty_transfers_only(accession):
    report = treaty_transparency(year_from=2025, year_to=2026, as_of=END_OF_JANUARY)

    transfers = keyed(report.table("transfers"), "year")
    # R1 refused on 31 December, R2 on 1 January; R3 is no treaty transfer. T3 has no treaty details recorded,
    # so it is not de minimis.
    assert transfers["2025"] == transferred(de_minimis=(1, "60000"), other=(1, "40000"), refusals=1)
    assert transfers["2026"] == transferred(de_minimis=(0, "0"), other=(1, "25000"), refusals=1)
    partners = keyed(report.table("transfers_by_partner"), "year", "partner")
    assert set(partners) == {("2025", "Germany"), ("2025", "France"), ("2025", "Spain"), ("2026", "Spain")}
    assert partners[("2025", "Spain")]["refusals"] == 1 and partners[("2025", "Spain")]["other_licences"] == 0


def transferred(*, de_minimis: tuple[int, str], other: tuple[int, str], refusals: int) -> dict[str, object]:
    return {
        "de_minimis_licences": de_minimis[0],
        "de_minimis_value_eur": Decimal(de_minimis[1]),
        "other_licences": other[0],
        "other_value_eur": Decimal(other[1]),
        "refusals": refusals,
    }


def test_notifications_and_objections_count_in_their_own_year_at_the_year_boundary(accession):
    report = treaty_transparency(year_from=2025, year_to=2026, as_of=END_OF_JANUARY)

    assert keyed(report.table("notifications"), "year") == {
        "2025": {"received": 2, "sent": 0, "objected": 1, "no_objection_in_time": 1},
        "2026": {"received": 0, "sent": 1, "objected": 0, "no_objection_in_time": 0},
    }
    objections = keyed(report.table("objections"), "year", "direction", "ground")
    assert list(objections) == [("2025", "Made by the Netherlands", "Direct interests compromised")]
    consultations = keyed(report.table("consultations"), "year")
    assert (consultations["2026"]["opened"], consultations["2026"]["still_open"]) == (1, 1)
    assert consultations["2026"]["longest_open_days"] == 26  # 5 to 31 January
    assert consultations["2025"]["opened"] == 0


def test_as_of_the_day_before_the_accession_the_later_transfer_is_not_there_yet(accession):
    report = treaty_transparency(year_from=2025, year_to=2026, as_of=end_of_day(date(2025, 12, 9)))

    assert keyed(report.table("end_destinations_summary"), "year")["2025"]["transfers"] == 1
    assert keyed(report.table("end_destinations"), "year", "end_destination", "third_country") == {
        ("2025", "United Kingdom", "Yes"): {"nato": "Yes", "transfers": 1, "value_eur": Decimal("40000"),
                                            "share": Decimal("100.0")},
    }  # fmt: skip
    assert keyed(report.table("transfers"), "year")["2025"]["refusals"] == 0


def test_report_numbers_equal_the_benchmarks_hand_written_sql(accession):
    report = treaty_transparency(year_from=2025, year_to=2026)

    numbers = reports_sql.treaty_sql(2025, 2026)

    assert reports_sql.differences(reports_sql.treaty_numbers(report), numbers) == []
    assert numbers["end_destinations_summary"][("2025",)] == (2, Decimal("100000"), 2, Decimal("40000"), Decimal("0"))


def test_the_report_runs_the_same_statements_with_or_without_treaty_transfers(accession, django_assert_max_num_queries):  # type: ignore[no-untyped-def]
    treaty_transparency(year_from=2025, year_to=2026)  # the working calendar, built once

    with django_assert_max_num_queries(20):
        treaty_transparency(year_from=2025, year_to=2026)
    with django_assert_max_num_queries(20):
        treaty_transparency(year_from=2019, year_to=2020)  # nothing in those years
