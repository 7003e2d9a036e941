"""Membership on the boundary days, worked out by hand from ../shared/domain/README.md and countries.csv."""

from __future__ import annotations

from datetime import date

import pytest
from django.db.models import DateField, Value

from parties.memberships import is_member, member_case, members_on
from parties.models import Bloc, Country

pytestmark = pytest.mark.django_db


BOUNDARY_CASES = [
    # The UK left the EU on 2020-01-31: still a member that day, a third country from 2020-02-01.
    ("GB", Bloc.EU, date(2020, 1, 31), True),
    ("GB", Bloc.EU, date(2020, 2, 1), False),
    ("GB", Bloc.EU, date(1973, 1, 1), True),
    ("GB", Bloc.EU, date(1972, 12, 31), False),
    # Finland joined NATO on 2023-04-04, Sweden on 2024-03-07.
    ("FI", Bloc.NATO, date(2023, 4, 3), False),
    ("FI", Bloc.NATO, date(2023, 4, 4), True),
    ("SE", Bloc.NATO, date(2024, 3, 6), False),
    ("SE", Bloc.NATO, date(2024, 3, 7), True),
    # Treaty signed in Paris 2021-09-17, applied provisionally from signature.
    ("FR", Bloc.TREATY, date(2021, 9, 16), False),
    ("FR", Bloc.TREATY, date(2021, 9, 17), True),
    ("ES", Bloc.TREATY, date(2022, 6, 9), True),
    # The UK acceded in December 2025 (2025-12-10 in the reference data).
    ("GB", Bloc.TREATY, date(2025, 12, 9), False),
    ("GB", Bloc.TREATY, date(2025, 12, 10), True),
    # The Netherlands is only an acceding state: no treaty membership in the reference data.
    ("NL", Bloc.TREATY, date(2026, 11, 23), False),
    ("NL", Bloc.NATO, date(1949, 8, 24), True),
    ("US", Bloc.EU, date(2026, 1, 1), False),
]


@pytest.mark.parametrize(("country", "bloc", "on", "expected"), BOUNDARY_CASES)
def test_membership_answers_for_the_date_of_the_event_when_on_a_boundary(country, bloc, on, expected):
    assert is_member(country, bloc, on) is expected


def test_nato_grew_by_two_between_2023_and_2024_when_counting_members():
    before = members_on(Bloc.NATO, date(2023, 4, 3))
    after = members_on(Bloc.NATO, date(2024, 3, 7))
    assert after - before == {"FI", "SE"}
    assert "NL" in before


@pytest.mark.parametrize(("country", "bloc", "on", "expected"), BOUNDARY_CASES)
def test_membership_as_a_case_in_sql_gives_the_same_answer_on_the_boundary_days(country, bloc, on, expected):
    # The share report groups millions of goods lines by this CASE (reports.queries.production).
    rows = (
        Country.objects.filter(pk=country)
        .annotate(day=Value(on, output_field=DateField()))
        .annotate(member=member_case(bloc=bloc, country_ref="pk", date_ref="day"))
    )
    assert list(rows.values_list("member", flat=True)) == [expected]
