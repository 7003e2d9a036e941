"""The annual report includes the use of general licences reported in usage returns (issue 17)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from general_licences.services import general_licence_register, usage_return_file
from reports.queries.annual import annual_report
from tests.general_licences.helpers import line, on, publish

pytestmark = pytest.mark.django_db


def test_annual_report_counts_the_usage_reported_for_periods_of_the_year(officer, exporter_a, exporter_b):
    licence = publish(officer, requires_approval=False)
    with on(date(2026, 2, 10)):
        first = general_licence_register(actor=exporter_a, licence_id=licence.pk)
        second = general_licence_register(actor=exporter_b, licence_id=licence.pk)
    with on(date(2026, 7, 3)):
        usage_return_file(actor=exporter_a, registration_id=first.pk, period_start=date(2026, 1, 1),
                          nil_return=False, lines=[line(), line(value_eur=Decimal("1000.00"))])  # fmt: skip
        usage_return_file(actor=exporter_b, registration_id=second.pk, period_start=date(2026, 1, 1),
                          nil_return=False, lines=[line(country_code="FR", value_eur=Decimal("500.00"))])  # fmt: skip
    table = annual_report(year=2026).table("general_licences")
    assert [(r["ml"], r["country"], r["holders"], r["lines"], r["value_eur"]) for r in table.rows] == [
        ("ML15", "Germany", 1, 2, Decimal("85000.00")),
        ("ML15", "France", 1, 1, Decimal("500.00")),
    ]
    assert table.footer[0]["value_eur"] == Decimal("85500.00")
    assert annual_report(year=2025).table("general_licences").rows == []
