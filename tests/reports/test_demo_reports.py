"""The reports demo shows each measure of issue 16 with data (fictional 2023-2025 register).

Seeded once for the module (tests/module_data.py); the tests only read it."""

from __future__ import annotations

import io
from collections.abc import Iterator
from datetime import date

import pytest

from reports.queries.accession import accession_comparison
from reports.queries.shares import export_shares
from reports.queries.treaty import treaty_transparency
from reports.queries.un_register import un_register_report
from seeding import demo_reports as demo
from seeding.demo import _seed_people
from tests.module_data import built_for_the_module

pytestmark = pytest.mark.django_db


def _seed() -> None:
    _seed_people(io.StringIO())
    demo.seed_demo(stdout=io.StringIO())


@pytest.fixture(scope="module")
def demo_register(django_db_setup, django_db_blocker) -> Iterator[None]:  # type: ignore[no-untyped-def]
    # What the seeding leaves for on_commit (e-mails, PDF tasks) is never run: the module's transaction is rolled
    # back, as django_capture_on_commit_callbacks held it back when each test seeded for itself.
    yield from built_for_the_module(django_db_blocker, _seed)


def test_demo_reports_show_end_destinations_brakes_accession_un_register_and_production(demo_register):
    treaty = treaty_transparency(year_from=2023, year_to=2025)
    assert any(r["third_country"] == "Yes" for r in treaty.table("end_destinations").rows)
    assert any(r["programme"] for r in treaty.table("brake_register").rows)
    shares = export_shares(date_from=date(2024, 1, 1), date_to=date(2025, 12, 31))
    assert any(r["sold_on_licences"] for r in shares.table("sold_on").rows)
    assert any(r["other_eur"] for r in shares.table("by_production").rows)
    assert accession_comparison(report="shares", months=12).tables
    un = un_register_report(year=2024).table("by_category").rows
    assert any(r["licences"] for r in un if r["category"].startswith(("V ", "VII ")))


def test_demo_shows_accelerated_information_and_the_new_charts(demo_register):
    from licensing.models.parliament import ParliamentInformation, ParliamentInformationStatus

    flags = list(ParliamentInformation.objects.order_by("decided_on"))
    assert flags, "no demo decision meets the accelerated-information rule"
    assert flags[-1].status == ParliamentInformationStatus.DUE
    assert all(f.status == ParliamentInformationStatus.SENT for f in flags[:-1])
    assert all(f.value_eur > f.rule.value_threshold_eur for f in flags)
    treaty = treaty_transparency(year_from=2023, year_to=2025)
    assert treaty.chart_for("end_destinations_summary") is not None
    assert un_register_report(year=2024).chart_for("by_category") is not None
    shares = export_shares(date_from=date(2024, 1, 1), date_to=date(2025, 12, 31))
    assert shares.chart_for("by_production") is not None
