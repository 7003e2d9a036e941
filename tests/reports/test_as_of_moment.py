"""Reports as of a moment at register scale (issue 8): records untouched since the moment are read from the live
tables, those touched since from history, and the two never overlap; memberships on the local decision day."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any

import pytest
from django.db import connection
from django.db.models import F
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from bench.reports_sql import annual_sql, compare, flags_check, shares_sql, totals_check
from licensing.destination_flags import flags_refresh
from licensing.models import Decision, Licence, LicenceStatus, Shipment, licence_total
from parties.memberships import memberships_overlap
from parties.models import Bloc, Membership
from reports.queries.annual import annual_report
from reports.queries.shares import export_shares

from . import builders as b
from .helpers import all_rows, figures, keyed

pytestmark = pytest.mark.django_db

YEAR_2024: dict[str, Any] = {"date_from": date(2024, 1, 1), "date_to": date(2024, 12, 31)}


def _both(as_of: Any = None) -> dict[str, Any]:
    return {
        "annual": all_rows(annual_report(year=2024, as_of=as_of)),
        "shares": all_rows(export_shares(**YEAR_2024, as_of=as_of)),
    }


def _local(moment: str) -> datetime:
    """An aware moment given as YYYY-MM-DDTHH:MM in the register's time zone (Europe/Amsterdam)."""
    return timezone.make_aware(datetime.fromisoformat(moment))


def _issued_at(organisation: Any, officer: Any, destination: str, moment: datetime) -> Licence:
    """A licence of EUR 1 000 (ML5) issued at `moment`, its history dated then."""
    licence = b.licence(organisation=organisation, officer=officer, destination=destination,
                        issued=moment.date().isoformat(), goods=[("ML5", "1000")], received="2019-06-03")  # fmt: skip
    licence.issued_at = moment
    return b.saved(licence, moment)


def test_report_as_of_the_request_equals_live_when_the_register_changes_while_the_run_waits(register, officer):
    before = _both()
    requested = timezone.now()

    # While the run waits in the queue: a value corrected, a licence revoked, a 2024 shipment recorded late.
    goods = register.l2.goods.get(ml_category_id="ML11")
    goods.value_eur = Decimal("70000")
    b.saved(goods, timezone.now())
    register.l2.total_value_eur = licence_total(register.l2.goods.all())
    b.saved(register.l2, timezone.now())
    register.l3.status = LicenceStatus.REVOKED
    b.saved(register.l3, timezone.now())
    late = Shipment(licence=register.l2, licensed_goods=goods, shipped_on=date(2024, 12, 20), quantity=Decimal("0.5"),
                    value_eur=Decimal("5000"), recorded_by=officer)  # fmt: skip
    b.saved(late, timezone.now())

    assert _both(as_of=requested) == before
    assert _both() != before  # live sees the changes


def test_report_as_of_a_moment_counts_a_touched_and_an_untouched_licence_of_one_destination_once_each(register):
    goods = register.l2.goods.get(ml_category_id="ML5")  # Sweden: L2 touched after the moment, L1 not
    goods.value_eur = Decimal("1")
    b.saved(goods, b.at("2025-01-15"))
    register.l2.total_value_eur = licence_total(register.l2.goods.all())  # as an amendment keeps it
    b.saved(register.l2, b.at("2025-01-15"))

    annual = annual_report(year=2024, as_of=b.at("2025-01-01"))

    assert keyed(annual.table("by_destination"), "destination")["Sweden"] == figures(2, "350000")
    assert keyed(annual.table("by_destination_ml"), "destination", "ml_category")[("Sweden", "ML5")] == figures(
        2, "300000"
    )
    assert keyed(annual_report(year=2024).table("by_destination"), "destination")["Sweden"] == figures(2, "150001")


def test_report_as_of_a_moment_before_a_refusal_was_decided_leaves_it_out(register):
    before = annual_report(year=2024, as_of=b.at("2024-09-30", 23))

    assert keyed(before.table("criteria"), "destination").keys() == {"Saudi Arabia"}  # R2 (India) on 1 October
    assert keyed(before.table("regions"), "region")["Neither EU nor NATO"]["refusals"] == 1


def test_sweden_counts_in_nato_from_the_local_day_it_joined_when_licences_are_issued_around_midnight(org_a, officer):
    _issued_at(org_a, officer, "SE", _local("2024-03-06T23:30"))
    _issued_at(org_a, officer, "SE", _local("2024-03-07T00:30"))  # 6 March 23:30 UTC, 7 March in The Hague

    for as_of in (None, timezone.now()):
        summary = keyed(export_shares(**YEAR_2024, as_of=as_of).table("summary"), "split")["NATO"]
        assert (summary["licences"], summary["licences_outside"], summary["value_members_eur"]) == (
            2,
            1,
            Decimal("1000"),
        )
        regions = keyed(annual_report(year=2024, as_of=as_of).table("regions"), "region")
        assert regions["NATO members"]["licences"] == 1


def test_uk_counts_in_the_eu_up_to_31_january_2020_when_licences_are_issued_around_midnight(org_a, officer):
    _issued_at(org_a, officer, "GB", _local("2020-01-31T23:30"))
    _issued_at(org_a, officer, "GB", _local("2020-02-01T00:30"))  # 31 January 23:30 UTC

    for as_of in (None, timezone.now()):
        regions = keyed(annual_report(year=2020, as_of=as_of).table("regions"), "region")
        assert regions["EU member states"] == figures(1, "1000")
        assert regions["NATO members"] == figures(2, "2000")


def test_reports_count_each_licence_once_when_two_memberships_of_a_country_overlap(register):
    assert not memberships_overlap()  # the reference data
    expected = _both()
    Membership.objects.create(country_id="SE", bloc=Bloc.NATO, since=date(2024, 3, 8), note="duplicate row")

    assert memberships_overlap()
    assert _both() == expected
    assert _both(as_of=timezone.now()) == expected


@pytest.fixture
def flagged(register):  # type: ignore[no-untyped-def]
    """The register with the destination flags fixed, as migration 0024 fixes existing rows: the hand SQL reads
    them, after flags_check has shown them to be the membership rule's."""
    flags_refresh(licences=Licence.objects.all(), decisions=Decision.objects.all())
    assert flags_check(date(2020, 1, 1), date(2024, 12, 31)) == (0, 0)
    return register


def test_hand_written_flags_check_counts_a_flag_that_is_not_the_membership_rules(flagged):
    Licence.objects.filter(pk=flagged.l1.pk).update(destination_nato=True)  # Sweden on 2024-02-01: not yet NATO
    Decision.objects.filter(pk=flagged.r1.pk).update(destination_eu=None)  # not fixed

    assert flags_check(date(2024, 1, 1), date(2024, 12, 31)) == (1, 1)
    assert flags_check(date(2023, 1, 1), date(2023, 12, 31)) == (0, 0)


def test_hand_written_totals_check_counts_a_licence_whose_total_is_not_its_goods_or_that_has_none(flagged):
    assert totals_check(date(2020, 1, 1), date(2024, 12, 31)) == 0
    Licence.objects.filter(pk=flagged.l1.pk).update(total_value_eur=F("total_value_eur") + Decimal("0.01"))
    flagged.l2.goods.all().delete()

    assert totals_check(date(2024, 1, 1), date(2024, 12, 31)) == 2
    assert totals_check(date(2023, 1, 1), date(2023, 12, 31)) == 0


def test_hand_written_benchmark_sql_gives_the_reports_numbers(flagged):
    assert compare(annual_report(year=2024), annual_sql(2024)) == []
    assert compare(export_shares(**YEAR_2024), shares_sql(date(2024, 1, 1), date(2024, 12, 31), "NATO")) == []
    assert compare(export_shares(**YEAR_2024, bloc="EU"), shares_sql(date(2024, 1, 1), date(2024, 12, 31), "EU")) == []


def test_hand_written_benchmark_sql_reports_a_difference_when_the_numbers_differ(flagged):
    numbers = annual_sql(2024)
    numbers["by_destination"][("Sweden",)] = (2, Decimal("1"), Decimal(0), 0)

    problems = compare(annual_report(year=2024), numbers)

    assert len(problems) == 1
    assert problems[0].startswith("by_destination ('Sweden',): report (2, Decimal('350000")


def test_annual_and_share_reports_run_a_fixed_number_of_statements_live_and_as_of_a_moment(register, org_a, officer):
    def statements(as_of: Any) -> tuple[int, int]:
        with CaptureQueriesContext(connection) as annual:
            annual_report(year=2024, as_of=as_of)
        with CaptureQueriesContext(connection) as shares:
            export_shares(**YEAR_2024, as_of=as_of)
        return len(annual), len(shares)

    counts = statements(None)
    for day in ("2024-01-05", "2024-07-05", "2024-11-05"):
        b.licence(organisation=org_a, officer=officer, destination="NO", issued=day, goods=[("ML1", "10")],
                  received="2023-12-01")  # fmt: skip

    assert statements(None) == counts
    assert statements(timezone.now()) == counts
    assert statements(b.at("2024-06-30")) == counts
