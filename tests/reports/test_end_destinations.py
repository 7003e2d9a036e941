"""Where Dutch content in treaty transfers ends up (issue 16, part 1), against figures worked out by hand and
against hand-written SQL.

The register of conftest.py plus three treaty component transfers in 2024 (values in EUR):
  L7  FR integrator, 2024-08-08, 30 000, de minimis; final system to India (a third country, outside NATO)
      - a Dutch component in a French system sold to a third country
  G   DE integrator, 2024-09-10, 90 000, not de minimis; final system to Germany, and to Norway from 2024-11-01
      (Norway: NATO, not a treaty party, so a third country)
  S   ES integrator, 2024-10-15, 50 000, de minimis; final system stays in Spain
Total Dutch content 170 000. Going (also) to a third country: L7 + G = 120 000 (70.6 %). Going (also) outside
NATO: L7 = 30 000 (17.6 %).
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from django.db import connection

from licensing.models import LicenceType
from licensing.models.treaty import FinalSystem, TreatyTransfer
from reports.queries.monthly import monthly_overview
from reports.queries.shares import export_shares
from reports.queries.snapshot import end_of_day
from reports.queries.treaty import treaty_transparency

from . import builders as b
from .helpers import keyed

pytestmark = pytest.mark.django_db

NEW_YEARS_EVE = end_of_day(date(2024, 12, 31))


def treaty_transfer(licence, *, de_minimis: bool, end_destinations: list[str]) -> TreatyTransfer:  # type: ignore[no-untyped-def]
    system = b.saved(
        FinalSystem(
            name="Air-defence system",
            identifier=f"AD-{licence.pk}",
            ml_category_id="ML4",
            integrator_name="Integrator",
            integrator_country_id=licence.destination_id,
            registered_by=licence.issued_by,
        ),
        licence.issued_at,
    )
    transfer = b.saved(
        TreatyTransfer(
            application=licence.application,
            final_system=system,
            gross_total_value=Decimal("1000000"),
            component_value_eur=Decimal("100000"),
            de_minimis=de_minimis,
            computed_at=licence.issued_at,
        ),
        licence.issued_at,
    )
    transfer.end_destinations.set(end_destinations)  # its history row is dated `_history_date` too
    return transfer


@pytest.fixture
def sold_on(register, org_a, officer):  # type: ignore[no-untyped-def]
    common = {"organisation": org_a, "officer": officer, "licence_type": LicenceType.TREATY_COMPONENT}
    treaty_transfer(register.l7, de_minimis=True, end_destinations=["IN"])
    register.g = b.licence(**common, destination="DE", issued="2024-09-10", goods=[("ML5", "90000")],
                           received="2024-08-26")  # fmt: skip
    g = treaty_transfer(register.g, de_minimis=False, end_destinations=["DE"])
    g._history_date = b.at("2024-11-01")
    g.end_destinations.add("NO")
    register.s = b.licence(**common, destination="ES", issued="2024-10-15", goods=[("ML5", "50000")],
                           received="2024-10-01")  # fmt: skip
    treaty_transfer(register.s, de_minimis=True, end_destinations=["ES"])
    return register


def test_treaty_report_names_third_countries_where_dutch_content_ends_up_with_value_and_share(sold_on):
    report = treaty_transparency(year_from=2024, year_to=2024, as_of=NEW_YEARS_EVE)

    summary = keyed(report.table("end_destinations_summary"), "year")["2024"]
    assert summary == {
        "transfers": 3,
        "value_eur": Decimal("170000"),
        "recorded": 3,
        "third_eur": Decimal("120000"),
        "third_share": Decimal("70.6"),
        "outside_nato_eur": Decimal("30000"),
        "outside_nato_share": Decimal("17.6"),
    }
    per_destination = keyed(report.table("end_destinations"), "year", "end_destination")
    assert per_destination == {
        ("2024", "Germany"): dest("No", "Yes", "90000", "52.9"),
        ("2024", "India"): dest("Yes", "No", "30000", "17.6"),
        ("2024", "Norway"): dest("Yes", "Yes", "90000", "52.9"),
        ("2024", "Spain"): dest("No", "Yes", "50000", "29.4"),
    }


def dest(third: str, nato: str, value: str, share: str) -> dict[str, object]:
    return {"third_country": third, "nato": nato, "transfers": 1, "value_eur": Decimal(value), "share": Decimal(share)}


def test_end_destinations_as_of_before_norway_was_added_show_germany_only(sold_on):
    report = treaty_transparency(year_from=2024, year_to=2024, as_of=end_of_day(date(2024, 10, 31)))

    per_destination = keyed(report.table("end_destinations"), "year", "end_destination")
    assert ("2024", "Norway") not in per_destination
    assert keyed(report.table("end_destinations_summary"), "year")["2024"]["third_eur"] == Decimal("30000")


def test_end_destination_figures_match_hand_written_sql(sold_on):
    report = treaty_transparency(year_from=2024, year_to=2024)
    per_destination = keyed(report.table("end_destinations"), "year", "end_destination")
    with connection.cursor() as cursor:
        cursor.execute(
            """
            SELECT c.name_en, COUNT(DISTINCT l.id), SUM(g.value_eur),
                   EXISTS (SELECT 1 FROM parties_membership m WHERE m.country_id = e.country_id AND m.bloc = 'NATO'
                           AND m.since <= (l.issued_at AT TIME ZONE 'Europe/Amsterdam')::date
                           AND (m.until IS NULL OR m.until >= (l.issued_at AT TIME ZONE 'Europe/Amsterdam')::date))
            FROM licensing_licence l
            JOIN licensing_licensedgoods g ON g.licence_id = l.id
            JOIN licensing_treatytransfer t ON t.application_id = l.application_id
            JOIN licensing_treatytransfer_end_destinations e ON e.treatytransfer_id = t.id
            JOIN parties_country c ON c.iso2 = e.country_id
            WHERE l.licence_type = 'treaty_component'
              AND l.issued_at >= '2024-01-01 00:00+01' AND l.issued_at < '2025-01-01 00:00+01'
            GROUP BY c.name_en, 4
            """
        )
        by_hand = {name: (n, value, nato) for name, n, value, nato in cursor.fetchall()}
    assert by_hand == {
        name: (row["transfers"], row["value_eur"], row["nato"] == "Yes")
        for (_year, name), row in per_destination.items()
    }


def test_monthly_overview_shows_the_final_systems_end_destinations(sold_on):
    august = monthly_overview(year=2024, month=8, as_of=NEW_YEARS_EVE).table("decisions").rows
    september = monthly_overview(year=2024, month=9, as_of=NEW_YEARS_EVE).table("decisions").rows

    assert [(r["destination"], r["final_destinations"]) for r in august] == [("France", "India")]
    # September also has the revocation of L4 (India, 2 September), not a treaty transfer.
    assert [(r["destination"], r["final_destinations"]) for r in september] == [
        ("India", ""),
        ("Germany", "Germany, Norway"),
    ]


def test_nato_share_counts_dutch_content_sold_on_outside_nato(sold_on):
    report = export_shares(date_from=date(2024, 1, 1), date_to=date(2024, 12, 31))

    # Licences 1 480 000 (conftest) + G 90 000 + S 50 000 = 1 620 000; outside NATO by destination 140 000;
    # L7's French system goes to India: 30 000 more, 170 000 = 10.5 %.
    assert keyed(report.table("sold_on"), "year")["2024"] == {
        "value_eur": Decimal("1620000"),
        "value_outside_eur": Decimal("140000"),
        "sold_on_licences": 1,
        "sold_on_eur": Decimal("30000"),
        "outside_with_sold_on_eur": Decimal("170000"),
        "share_with_sold_on": Decimal("10.5"),
    }
