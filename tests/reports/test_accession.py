"""Before and after accession (issue 16, part 3), against figures worked out by hand and hand-written SQL.

A hypothetical Dutch treaty accession on 2024-06-01 (a membership row, as the demo labels it). Twelve months
each side of it, over the register of conftest.py:
  before 2023-06-01 – 2024-05-31: L6 DE 80 000, L1 SE 100 000 (not yet NATO), L3 US 1 000 000,
                                  L2 SE 250 000, L4 IN 40 000 = 5 licences, 1 470 000; outside NATO L1 + L4
  after  2024-06-01 – 2025-05-31: L5 global 60 000, L7 FR 30 000 = 2 licences, 90 000; none outside NATO
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from django.db import connection

from parties.models import Bloc, Membership
from reports.queries.accession import accession_comparison
from reports.queries.snapshot import end_of_day

from .helpers import keyed

pytestmark = pytest.mark.django_db

AS_OF = end_of_day(date(2025, 6, 30))


@pytest.fixture
def accession(register):  # type: ignore[no-untyped-def]
    Membership.objects.create(
        country_id="NL", bloc=Bloc.TREATY, since=date(2024, 6, 1), note="Hypothetical accession (test)"
    )
    return register


def test_nato_share_before_and_after_accession_side_by_side(accession):
    report = accession_comparison(report="shares", months=12, as_of=AS_OF)

    nato = keyed(report.table("summary"), "split")["NATO"]
    assert (nato["licences__before"], nato["licences__after"]) == (5, 2)
    assert (nato["value_eur__before"], nato["value_eur__after"]) == (Decimal("1470000"), Decimal("90000"))
    assert (nato["licences_outside__before"], nato["licences_outside__after"]) == (2, 0)
    assert (nato["value_outside_eur__before"], nato["value_outside_eur__after"]) == (Decimal("140000"), Decimal("0"))
    assert ("Accession date", "2024-06-01") in report.parameters


def test_accession_comparison_matches_hand_written_sql(accession):
    nato = keyed(accession_comparison(report="shares", months=12, as_of=AS_OF).table("summary"), "split")["NATO"]
    with connection.cursor() as cursor:
        cursor.execute(
            """
            SELECT (l.issued_at AT TIME ZONE 'Europe/Amsterdam')::date >= m.since AS after,
                   COUNT(DISTINCT l.id), SUM(g.value_eur)
            FROM licensing_licence l
            JOIN licensing_licensedgoods g ON g.licence_id = l.id
            JOIN parties_membership m ON m.country_id = 'NL' AND m.bloc = 'TREATY'
            WHERE (l.issued_at AT TIME ZONE 'Europe/Amsterdam')::date
                  BETWEEN m.since - INTERVAL '12 months' AND m.since + INTERVAL '12 months' - INTERVAL '1 day'
            GROUP BY 1 ORDER BY 1
            """
        )
        by_hand = cursor.fetchall()
    assert by_hand == [
        (False, nato["licences__before"], nato["value_eur__before"]),
        (True, nato["licences__after"], nato["value_eur__after"]),
    ]


def test_accession_comparison_says_so_when_the_home_state_is_not_a_party(register):
    report = accession_comparison(report="processing", months=6, as_of=AS_OF)

    assert report.tables == []
    assert "not a treaty party" in report.notes[0]


def test_accession_page_shows_both_periods_to_an_analyst(client_for, analyst, accession):
    page = client_for(analyst).get("/reports/accession/?report=shares&months=12")

    assert page.status_code == 200
    assert "2023-06-01 – 2024-05-31 (before)" in page.content.decode()


def test_accession_chart_shows_the_share_outside_nato_before_and_after(accession):
    # By hand (module docstring): before, 2 of 5 licences outside NATO = 40.0 %; after, 0 of 2 = 0.0 %.
    chart = accession_comparison(report="shares", months=12, as_of=AS_OF).chart_for("summary")

    assert chart is not None
    assert "NATO: Before accession 40.0 %, After accession 0.0 %" in chart.alt
