"""Reports "as of" a moment: computed from the history tables, reproducible after later edits."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from django.utils import timezone

from licensing.models import Application, ApplicationStatus, LicensedGoods
from reports.queries.annual import annual_report
from reports.queries.monthly import monthly_overview
from reports.queries.processing import processing_times
from reports.queries.shares import export_shares
from reports.queries.snapshot import end_of_day

from . import builders as b
from .helpers import all_rows, figures, keyed

pytestmark = pytest.mark.django_db

NEW_YEARS_EVE = end_of_day(date(2024, 12, 31))


def _reports(as_of):  # type: ignore[no-untyped-def]
    return {
        "annual": all_rows(annual_report(year=2024, as_of=as_of)),
        "shares": all_rows(export_shares(date_from=date(2024, 1, 1), date_to=date(2024, 12, 31), as_of=as_of)),
        "september": all_rows(monthly_overview(year=2024, month=9, as_of=as_of, confidential=True)),
        "february_2025": all_rows(monthly_overview(year=2025, month=2, as_of=as_of)),
        "processing": all_rows(processing_times(date_from=date(2024, 1, 1), date_to=date(2024, 12, 31), as_of=as_of)),
    }


def _edit_in_february_2025(register, officer):  # type: ignore[no-untyped-def]
    b.revoke(register.l3, on="2025-02-03")
    goods = register.l2.goods.get(ml_category_id="ML11")
    goods.value_eur = Decimal("70000")
    b.saved(goods, b.at("2025-02-03"))
    register.l2.total_value_eur = Decimal("270000")
    b.saved(register.l2, b.at("2025-02-03"))
    # A shipment made in 2024 but recorded only in 2025.
    b.shipment(
        licence=register.l2, line=0, shipped_on="2024-12-20", value="5000", recorded_by=officer, recorded="2025-02-03"
    )
    o1 = Application.objects.get(pk=register.o1.pk)
    o1.status = ApplicationStatus.APPROVED
    b.saved(o1, b.at("2025-02-04"))


def test_report_as_of_an_earlier_day_is_unchanged_when_cases_are_edited_afterwards(register, officer):
    before = _reports(NEW_YEARS_EVE)

    _edit_in_february_2025(register, officer)

    assert _reports(NEW_YEARS_EVE) == before
    live = annual_report(year=2024)
    assert keyed(live.table("by_destination_ml"), "destination", "ml_category")[("Sweden", "ML11")] == figures(
        1, "70000"
    )
    assert keyed(live.table("by_destination"), "destination")["Sweden"]["exports_eur"] == Decimal("5000")
    assert [r["decision"] for r in monthly_overview(year=2025, month=2).table("decisions").rows] == ["Revoked"]
    assert before["february_2025"]["decisions"] == []


def test_live_report_equals_the_report_as_of_now_when_nothing_changes_in_between(register):
    assert _reports(None) | {"processing": None} == _reports(timezone.now()) | {"processing": None}
    live = processing_times(date_from=date(2024, 1, 1), date_to=date(2024, 12, 31))
    now = processing_times(date_from=date(2024, 1, 1), date_to=date(2024, 12, 31), as_of=timezone.now())
    assert live.table("by_month").rows == now.table("by_month").rows


def test_report_as_of_counts_goods_without_history_rows_when_licensing_bulk_creates_them(register, org_a, officer):
    licence = b.licence(organisation=org_a, officer=officer, destination="NO", issued="2024-11-11",
                        goods=[("ML1", "5000")], received="2024-10-14", goods_history=False)  # fmt: skip
    assert not LicensedGoods.history.filter(licence_id=licence.pk).exists()

    annual = annual_report(year=2024, as_of=NEW_YEARS_EVE)

    assert keyed(annual.table("by_destination_ml"), "destination", "ml_category")[("Norway", "ML1")] == figures(
        1, "5000"
    )


def test_report_as_of_a_day_before_a_licence_was_issued_leaves_it_out(register):
    before_april = annual_report(year=2024, as_of=end_of_day(date(2024, 3, 31)))

    rows = keyed(before_april.table("by_destination"), "destination")
    assert rows["Sweden"] == figures(1, "100000")  # L2 (1 April) not yet issued
    assert "India" not in rows  # L4 (May) and R2 (October) not yet decided
    assert before_april.as_of == end_of_day(date(2024, 3, 31))
    assert "France" not in rows  # the treaty transfer (August) neither
