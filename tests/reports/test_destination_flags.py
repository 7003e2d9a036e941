"""Membership of the destination fixed on licences and final refusals at the decision (licensing.destination_flags),
and the reports that read it: the figures stay those of the membership rule on the decision date
(parties.memberships), worked out by hand at the accession days of data/reference/memberships.csv:
Sweden joined NATO on 2024-03-07 and Finland on 2023-04-04 (both EU members since 1995); New Zealand is in
neither.
"""

from __future__ import annotations

import datetime as dt
from datetime import date
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from licensing.destination_flags import FLAG_FIELDS, flags_refresh
from licensing.models import (
    Application,
    ApplicationParty,
    Decision,
    DecisionOutcome,
    DecisionStatus,
    Licence,
)
from licensing.services import amendments, casework
from parties.memberships import is_member
from parties.models import Bloc, Membership
from reports.queries.annual import annual_report
from reports.queries.shares import export_shares
from tests.factories import criteria_clear
from tests.licensing.views.test_portal_helpers import under_review_for

from .helpers import all_rows, figures, keyed

pytestmark = pytest.mark.django_db

AMSTERDAM = ZoneInfo("Europe/Amsterdam")
YEAR_2024: dict[str, Any] = {"date_from": date(2024, 1, 1), "date_to": date(2024, 12, 31)}


def _at(moment: str) -> dt.datetime:
    return dt.datetime.fromisoformat(moment).replace(tzinfo=AMSTERDAM)


def _case_to(exporter: Any, officer: Any, destination: str) -> Application:
    """A case under review whose destination (and end user) is `destination`."""
    application = under_review_for(exporter, officer)
    Application.objects.filter(pk=application.pk).update(destination_id=destination)
    ApplicationParty.objects.filter(application=application).update(country_id=destination)
    criteria_clear(application, assessor=officer)
    return application


def _decide(exporter: Any, officer: Any, destination: str, moment: dt.datetime, outcome: str) -> Decision:
    """A case to `destination` decided at `moment` (Amsterdam time) by one officer, through the services."""
    with time_machine.travel(moment, tick=False):
        application = _case_to(exporter, officer, destination)
        extra: dict[str, Any] = {"criteria": [7]}
        if outcome == DecisionOutcome.APPROVE:
            extra = {"valid_from": moment.date(), "valid_until": moment.date() + dt.timedelta(days=365)}
        return casework.decision_propose(
            actor=officer, application_id=application.pk, outcome=outcome, justification="Decided.", **extra
        )


def _issue(exporter: Any, officer: Any, destination: str, moment: dt.datetime) -> Licence:
    decision = _decide(exporter, officer, destination, moment, DecisionOutcome.APPROVE)
    return Licence.objects.get(application_id=decision.application_id)


def _flags(row: Licence | Decision) -> tuple[bool | None, ...]:
    row.refresh_from_db(fields=list(FLAG_FIELDS))
    return tuple(getattr(row, f) for f in FLAG_FIELDS)  # (EU, NATO, treaty)


def test_a_licence_to_sweden_issued_the_day_before_it_joined_nato_stays_outside_nato(exporter_a, officer):
    before = _issue(exporter_a, officer, "SE", dt.datetime(2024, 3, 6, 15, 0, tzinfo=AMSTERDAM))
    on_the_day = _issue(exporter_a, officer, "SE", dt.datetime(2024, 3, 7, 9, 0, tzinfo=AMSTERDAM))

    assert _flags(before) == (True, False, False)
    assert _flags(on_the_day) == (True, True, False)
    regions = keyed(annual_report(year=2024).table("regions"), "region")
    value = before.total_value_eur + on_the_day.total_value_eur
    assert regions["EU member states"] == figures(2, str(value))
    assert regions["NATO members"] == figures(1, str(on_the_day.total_value_eur))
    assert regions["Neither EU nor NATO"] == figures()


def test_a_licence_issued_half_past_midnight_on_the_accession_day_counts_by_the_dutch_date(exporter_a, officer):
    # 00:30 on 7 March 2024 in Amsterdam is 23:30 UTC on 6 March: the Dutch date, 7 March, is the decision date.
    licence = _issue(exporter_a, officer, "SE", dt.datetime(2024, 3, 7, 0, 30, tzinfo=AMSTERDAM))

    assert licence.issued_at.astimezone(dt.UTC).date() == date(2024, 3, 6)
    assert _flags(licence) == (True, True, False)
    summary = keyed(export_shares(**YEAR_2024).table("summary"), "split")
    assert (summary["NATO"]["licences"], summary["NATO"]["licences_outside"]) == (1, 0)


def _refuse(exporter: Any, officer: Any, senior: Any, proposed: dt.datetime, countersigned: dt.datetime) -> Decision:
    """A refusal of a case to Finland, proposed and countersigned (four eyes) at the moments given."""
    decision = _decide(exporter, officer, "FI", proposed, DecisionOutcome.REFUSE)
    assert decision.status == DecisionStatus.PROPOSED
    with time_machine.travel(countersigned, tick=False):
        return casework.decision_countersign(actor=senior, decision_id=decision.pk, reason="Agreed.")


def test_a_refusal_counts_by_membership_on_the_day_it_was_countersigned(exporter_a, officer, senior):
    # The decision date is the countersignature's (coalesce(countersigned_at, proposed_at)).
    before = _refuse(exporter_a, officer, senior, _at("2023-04-02T10:00"), _at("2023-04-03T16:00"))
    on_the_day = _refuse(exporter_a, officer, senior, _at("2023-04-03T16:00"), _at("2023-04-04T10:00"))

    assert _flags(before) == (True, False, False)
    assert _flags(on_the_day) == (True, True, False)
    regions = keyed(annual_report(year=2023).table("regions"), "region")
    assert regions["EU member states"]["refusals"] == 2
    assert regions["NATO members"]["refusals"] == 1


def test_changing_a_membership_date_fixes_the_kept_flags_and_the_report_again(exporter_a, officer):
    licence = _issue(exporter_a, officer, "SE", dt.datetime(2024, 3, 7, 9, 0, tzinfo=AMSTERDAM))
    nato = Membership.objects.get(country_id="SE", bloc=Bloc.NATO)

    nato.since = date(2024, 3, 8)  # a correction of the accession day: 7 March is now outside NATO
    nato.save(update_fields=["since"])
    assert _flags(licence) == (True, False, False)
    assert keyed(annual_report(year=2024).table("regions"), "region")["NATO members"] == figures()

    nato.delete()
    Membership.objects.create(country_id="SE", bloc=Bloc.NATO, since=date(2024, 3, 7))
    assert _flags(licence) == (True, True, False)
    assert keyed(annual_report(year=2024).table("regions"), "region")["NATO members"]["licences"] == 1


def test_a_new_destination_by_amendment_fixes_the_flags_for_it_on_the_issue_date(exporter_a, officer, senior):
    licence = _issue(exporter_a, officer, "SE", dt.datetime(2024, 3, 7, 9, 0, tzinfo=AMSTERDAM))
    goods = licence.goods.get()
    with time_machine.travel(dt.datetime(2024, 5, 1, 10, 0, tzinfo=AMSTERDAM), tick=False):
        amendment = amendments.licence_amendment_request(
            actor=exporter_a,
            licence_id=licence.pk,
            kind="amendment",
            reason="The navy moved the programme.",
            new_destination="NZ",
            goods_changes=[{"goods": goods.pk, "quantity": str(goods.quantity), "value_eur": str(goods.value_eur)}],
        )
        amendments.licence_amendment_decide(actor=officer, amendment_id=amendment.pk, outcome="approve", reasons="Ok.")
        amendments.licence_amendment_countersign(actor=senior, amendment_id=amendment.pk, reason="Agreed.")

    licence.refresh_from_db()
    assert licence.destination_id == "NZ"
    assert _flags(licence) == (False, False, False)
    regions = keyed(annual_report(year=2024).table("regions"), "region")
    assert (regions["NATO members"]["licences"], regions["Neither EU nor NATO"]["licences"]) == (0, 1)


def test_backfilled_flags_give_the_membership_rules_figures_for_every_report_table(register):
    # The hand-made register (tests/reports/conftest.py) is written without flags: the reports ask the rule per
    # row. The data migration's backfill fixes them; the reports then read them and give the same figures.
    assert not Licence.objects.filter(destination_nato__isnull=False).exists()
    asked = {
        "annual": all_rows(annual_report(year=2024)),
        "shares": all_rows(export_shares(**YEAR_2024)),
        "shares EU": all_rows(export_shares(**YEAR_2024, bloc=Bloc.EU)),
    }

    licences, decisions = flags_refresh(licences=Licence.objects.all(), decisions=Decision.objects.all())

    assert (licences, decisions) == (7, 2)  # L1-L7; the refusals R1 and R2
    for licence in Licence.objects.all():
        day = timezone.localdate(licence.issued_at)
        expected = tuple(is_member(licence.destination_id or "", bloc, day) for bloc in (Bloc.EU, Bloc.NATO, "TREATY"))
        assert _flags(licence) == expected, licence.number
    assert _flags(register.l1)[:2] == (True, False)  # Sweden on 2024-02-01: EU, not yet NATO
    assert {
        "annual": all_rows(annual_report(year=2024)),
        "shares": all_rows(export_shares(**YEAR_2024)),
        "shares EU": all_rows(export_shares(**YEAR_2024, bloc=Bloc.EU)),
    } == asked


def test_the_annual_report_reads_the_kept_flags_not_the_memberships_per_licence(exporter_a, officer):
    licence = _issue(exporter_a, officer, "SE", dt.datetime(2024, 3, 6, 15, 0, tzinfo=AMSTERDAM))
    # Flags out of step with the memberships (only a direct UPDATE can do this): the report follows the flags,
    # which shows it reads them rather than asking the membership table for every licence.
    Licence.objects.filter(pk=licence.pk).update(destination_nato=True)

    with CaptureQueriesContext(connection) as queries:
        regions = keyed(annual_report(year=2024).table("regions"), "region")

    assert regions["NATO members"]["licences"] == 1
    assert any('"destination_nato"' in q["sql"] for q in queries.captured_queries)
