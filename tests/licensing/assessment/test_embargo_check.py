"""Embargo check: an EU arms embargo in force on the date, for the destination or any party's country.

Russia: Council Decision 2014/512/CFSP, in force from 2014-07-31 (data/reference/embargoes.csv).
"""

from __future__ import annotations

from datetime import date

import pytest
from django.db import transaction

from core.exceptions import DomainValidationError, TransitionNotAllowed
from licensing.decision_gate import BlockerCode, decision_gate
from licensing.models import PartyRole
from licensing.models.assessment import CheckKind, FlagLevel, Resolution
from licensing.services import casework
from licensing.services.check_resolution import ERR_EXEMPTION_REQUIRED, check_resolve
from licensing.services.checks import checks_run
from licensing.services.workflow import lock_application

from .helpers import add_party, assess_all, case_in_review

pytestmark = pytest.mark.django_db


def _embargo_flags(application, on):  # type: ignore[no-untyped-def]
    run = checks_run(application=application, actor=None, on=on, trigger="manual")
    return [r for r in run.results.all() if r.kind == CheckKind.EMBARGO and r.level != FlagLevel.INFO]


def test_no_embargo_flag_when_checked_the_day_before_the_russia_embargo_started(officer):
    application = case_in_review(officer=officer, destination="RU", end_user="Russian Ministry of Defence")

    assert _embargo_flags(application, date(2014, 7, 30)) == []


def test_blocking_flag_naming_the_legal_act_when_checked_on_the_day_the_russia_embargo_started(officer):
    application = case_in_review(officer=officer, destination="RU", end_user="Russian Ministry of Defence")

    [flag] = _embargo_flags(application, date(2014, 7, 31))

    assert flag.level == FlagLevel.BLOCKING
    assert flag.criterion_id == 1
    assert "Council Decision 2014/512/CFSP" in flag.message
    assert flag.inputs["since"] == "2014-07-31" and flag.inputs["country"] == "RU"
    assert flag.run.checked_on == date(2014, 7, 31) and flag.run.ran_at is not None


def test_blocking_flag_when_checked_the_day_after_the_russia_embargo_started(officer):
    application = case_in_review(officer=officer, destination="RU", end_user="Russian Ministry of Defence")

    [flag] = _embargo_flags(application, date(2014, 8, 1))

    assert flag.level == FlagLevel.BLOCKING


def test_flag_names_the_party_when_only_a_third_party_is_in_an_embargoed_country(officer):
    application = case_in_review(officer=officer, destination="NO")
    add_party(application, role=PartyRole.THIRD_PARTY, name="Volga Brokers", country="RU")

    [flag] = _embargo_flags(application, date(2024, 1, 10))

    assert "Volga Brokers" in flag.message
    assert flag.inputs["affects"] == [["third_party", "Volga Brokers"]]  # codes, not words: language-neutral


def test_partial_embargo_is_a_warning_naming_the_legal_act_when_the_destination_is_lebanon(officer):
    application = case_in_review(officer=officer, destination="LB", end_user="Lebanese Armed Forces")

    [flag] = _embargo_flags(application, date(2024, 1, 10))

    assert flag.level == FlagLevel.WARNING
    assert "Council Common Position 2006/625/CFSP" in flag.message


def test_embargo_cannot_be_cleared_when_no_exemption_is_recorded(officer):
    application = case_in_review(officer=officer, destination="RU", end_user="Russian Ministry of Defence")
    [flag] = _embargo_flags(application, date(2024, 1, 10))

    with pytest.raises(DomainValidationError) as exc:
        check_resolve(actor=officer, result_id=flag.pk, resolution="cleared", reason="Spare parts", exemption_note="")

    assert exc.value.field_errors["exemption_note"] == [ERR_EXEMPTION_REQUIRED]


def test_approval_is_blocked_when_an_embargo_flag_is_not_cleared(officer):
    application = case_in_review(officer=officer, destination="RU", end_user="Russian Ministry of Defence")
    assess_all(application, officer)

    with pytest.raises(TransitionNotAllowed, match="The arms embargo on RU is not cleared"):
        casework.decision_propose(
            actor=officer,
            application_id=application.pk,
            outcome="approve",
            justification="ok",
            valid_from=date(2030, 1, 1),
            valid_until=date(2031, 1, 1),
        )


def test_embargo_no_longer_blocks_when_the_officer_recorded_an_exemption(officer):
    application = case_in_review(officer=officer, destination="RU", end_user="Russian Ministry of Defence")
    [flag] = _embargo_flags(application, date(2024, 1, 10))

    check_resolve(
        actor=officer,
        result_id=flag.pk,
        resolution="cleared",
        reason="Humanitarian demining kit",
        exemption_note="Art. 2(3) allows protective equipment for humanitarian demining.",
    )

    with transaction.atomic():  # as the decision service does before asking the gate
        checks_run(application=lock_application(pk=application.pk), actor=None, trigger="before_decision")
    gate = decision_gate(application, outcome="approve")
    assert BlockerCode.EMBARGO not in [b.code for b in gate.blockers]
    latest = application.check_results.filter(kind=CheckKind.EMBARGO, level=FlagLevel.BLOCKING).latest("run__number")
    assert latest.resolution == Resolution.CLEARED  # carried over to the re-run before the decision
    assert latest.carried_from_id == flag.pk
