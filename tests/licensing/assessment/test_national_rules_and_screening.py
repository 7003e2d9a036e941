"""National policy rules in force on the decision date, and party screening against the (fictitious) watch list."""

from __future__ import annotations

from datetime import date

import pytest

from licensing.models import PartyRole
from licensing.models.assessment import CheckKind, FlagLevel, NationalPolicyRule, Resolution, ScreeningHit
from licensing.services.check_lists import policy_rules_load, watch_list_load
from licensing.services.check_resolution import check_resolve
from licensing.services.checks import checks_run

from .helpers import add_party, case_in_review

pytestmark = pytest.mark.django_db


def _results(application, kind, on=date(2024, 3, 1)):  # type: ignore[no-untyped-def]
    run = checks_run(application=application, actor=None, on=on, trigger="manual")
    return [r for r in run.results.all() if r.kind == kind]


def test_presumption_of_denial_is_flagged_when_deciding_on_its_last_day_for_saudi_arabia(officer, policy_rules):
    application = case_in_review(officer=officer, destination="SA", end_user="Saudi Arabian National Guard")

    [flag] = _results(application, CheckKind.NATIONAL_RULE, on=date(2023, 7, 14))

    assert flag.level == FlagLevel.WARNING
    assert "Presumption of denial (Yemen conflict)" in flag.message
    assert "dates unconfirmed" in flag.message  # the Saudi start date was not found
    assert flag.inputs["valid_until"] == "2023-07-14"


def test_presumption_of_denial_is_not_flagged_when_deciding_the_day_after_it_ended(officer, policy_rules):
    application = case_in_review(officer=officer, destination="SA", end_user="Saudi Arabian National Guard")

    assert _results(application, CheckKind.NATIONAL_RULE, on=date(2023, 7, 15)) == []


def test_ended_rules_stay_in_the_register_when_loaded_twice(policy_rules):
    again = policy_rules_load()

    assert (again.created, again.updated, again.unchanged) == (0, 0, 4)
    egypt = NationalPolicyRule.objects.get(country_id="EG")
    assert (egypt.valid_from, egypt.valid_until, egypt.dates_confirmed) == (
        date(2018, 11, 27),
        date(2019, 7, 31),
        False,
    )


def test_egypt_is_flagged_from_27_november_2018_but_not_the_day_before(officer, policy_rules):
    application = case_in_review(officer=officer, destination="EG", end_user="Egyptian Navy")

    assert _results(application, CheckKind.NATIONAL_RULE, on=date(2018, 11, 26)) == []
    assert len(_results(application, CheckKind.NATIONAL_RULE, on=date(2018, 11, 27))) == 1


def test_party_is_a_screening_hit_with_its_score_when_named_like_a_listed_alias(officer, watch_list):
    application = case_in_review(officer=officer, destination="NO")
    add_party(application, role=PartyRole.THIRD_PARTY, name="ZPT General Trading", country="AE")

    [flag] = _results(application, CheckKind.SCREENING)

    hit = ScreeningHit.objects.get()
    assert (hit.entry.name, hit.matched_name, hit.score) == ("Zephyr Phantom Trading LLC", "ZPT General Trading", 100.0)
    assert "score 100" in flag.message


def test_ordinary_parties_are_not_hits_when_screened(officer, watch_list):
    application = case_in_review(officer=officer, destination="NO", end_user="Royal Norwegian Navy")

    assert _results(application, CheckKind.SCREENING) == []


def test_cleared_hit_stays_cleared_when_the_checks_run_again(officer, watch_list):
    application = case_in_review(officer=officer, destination="NO")
    add_party(application, role=PartyRole.THIRD_PARTY, name="Obsidian Crescent Logistics", country="TR")
    [flag] = _results(application, CheckKind.SCREENING)

    check_resolve(
        actor=officer,
        result_id=flag.pk,
        resolution="cleared",
        reason="Different company: KvK extract shows another registration.",
    )
    [again] = _results(application, CheckKind.SCREENING)

    assert again.resolution == Resolution.CLEARED
    assert again.resolution_reason == "Different company: KvK extract shows another registration."
    assert ScreeningHit.objects.get().decision == Resolution.CLEARED


def test_watch_list_loads_idempotently_when_loaded_twice(watch_list):
    again = watch_list_load()

    assert watch_list.created == 6
    assert (again.created, again.updated) == (0, 0)


def test_flag_cannot_be_resolved_when_the_case_is_already_decided(officer, watch_list):
    from core.exceptions import TransitionNotAllowed
    from licensing.models import ApplicationStatus

    application = case_in_review(officer=officer)
    add_party(application, role=PartyRole.THIRD_PARTY, name="Kestrel Mirage Holdings", country="CY")
    [flag] = _results(application, CheckKind.SCREENING)
    application.status = ApplicationStatus.REFUSED
    application.save(update_fields=["status"])

    with pytest.raises(TransitionNotAllowed, match="This case is refused"):
        check_resolve(actor=officer, result_id=flag.pk, resolution="cleared", reason="Too late.")
