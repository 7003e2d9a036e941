"""reports.queries.snapshot.local_year: the year of a moment in the register's time zone, by comparisons."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from django.db.models import DateField
from django.db.models.functions import ExtractYear, TruncDate

from licensing.models import Licence
from reports.queries.annual import annual_report
from reports.queries.snapshot import local_year

from .helpers import figures, keyed

pytestmark = pytest.mark.django_db

AMSTERDAM = ZoneInfo("Europe/Amsterdam")


def test_local_year_is_the_year_of_the_local_date_either_side_of_new_year_midnight(register):
    # 23:30 and 00:30 local time: in UTC both fall on 31 December (UTC+1 in winter).
    moments = {
        register.l1.pk: datetime(2023, 12, 31, 23, 30, tzinfo=AMSTERDAM),
        register.l2.pk: datetime(2024, 1, 1, 0, 30, tzinfo=AMSTERDAM),
        register.l3.pk: datetime(2024, 12, 31, 23, 59, 59, tzinfo=AMSTERDAM),
        register.l4.pk: datetime(2025, 1, 1, 0, 0, tzinfo=AMSTERDAM),
    }
    for pk, moment in moments.items():
        Licence.objects.filter(pk=pk).update(issued_at=moment)

    years = Licence.objects.filter(pk__in=moments).annotate(
        by_comparison=local_year("issued_at", first=2023, last=2025),
        by_local_date=ExtractYear(TruncDate("issued_at", output_field=DateField())),
    )

    assert {r.pk: (r.by_comparison, r.by_local_date) for r in years} == {
        register.l1.pk: (2023, 2023),
        register.l2.pk: (2024, 2024),
        register.l3.pk: (2024, 2024),
        register.l4.pk: (2025, 2025),
    }


def test_annual_report_counts_a_licence_issued_half_an_hour_into_new_year_in_the_new_year(register):
    Licence.objects.filter(pk=register.l6.pk).update(issued_at=datetime(2024, 1, 1, 0, 30, tzinfo=AMSTERDAM))

    years = keyed(annual_report(year=2024).table("years"), "year", "region")

    assert years[("2023", "All destinations")] == figures()
    assert years[("2024", "All destinations")]["licences"] == 7
