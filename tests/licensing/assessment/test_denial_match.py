"""Denial matches (Common Position Art. 4): incoming denials by other Member States within three years of the
decision date, same destination and ML category, similar end user or goods."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
import time_machine

from core.exceptions import TransitionNotAllowed
from licensing.models import ApplicationStatus, DecisionStatus
from licensing.models.assessment import CheckKind
from licensing.models.consultation import ConsultationKind, ConsultationStatus
from licensing.models.denials import DenialDirection, DenialMatch, DenialStatus, MatchDecision
from licensing.services import casework
from licensing.services.check_resolution import art4_consultation_conclude, denial_match_decide
from licensing.services.checks import checks_run

from .helpers import assess_all, case_in_review, received_denial

pytestmark = pytest.mark.django_db

DECISION_DAY = date(2026, 11, 23)


def _matches(application, on=DECISION_DAY):  # type: ignore[no-untyped-def]
    run = checks_run(application=application, actor=None, on=on, trigger="manual")
    return [r for r in run.results.all() if r.kind == CheckKind.DENIAL_MATCH]


def test_denial_matches_when_dated_three_years_minus_one_day_before_the_decision(officer):
    application = case_in_review(officer=officer)
    received_denial(on=date(2023, 11, 24))

    [flag] = _matches(application)

    assert flag.inputs["window_start"] == "2023-11-23"


def test_denial_does_not_match_when_dated_three_years_plus_one_day_before_the_decision(officer):
    application = case_in_review(officer=officer)
    received_denial(on=date(2023, 11, 22))

    assert _matches(application) == []


def test_near_identical_transaction_matches_with_score_and_fields_when_end_user_and_goods_agree(officer):
    application = case_in_review(
        officer=officer, end_user="Royal Norwegian Navy", goods="Thermal imaging camera module"
    )
    received_denial(on=date(2025, 5, 1), end_user="ROYAL NORWEGIAN NAVY", goods="Thermal-imaging camera module")

    [flag] = _matches(application)

    match = DenialMatch.objects.get(application=application)
    # Same words after normalising case and punctuation: token_set_ratio gives 100 on both fields.
    assert match.score == 100.0
    assert match.matched_fields["end_user"] == {
        "ours": "Royal Norwegian Navy",
        "theirs": "ROYAL NORWEGIAN NAVY",
        "score": 100.0,
    }
    assert match.matched_fields["goods"]["score"] == 100.0
    assert "similarity 100 on end user and goods" in flag.message


def test_different_transaction_does_not_match_when_end_user_and_goods_differ(officer):
    application = case_in_review(
        officer=officer, end_user="Royal Norwegian Navy", goods="Thermal imaging camera module"
    )
    received_denial(
        on=date(2025, 5, 1),
        end_user="Ministry of Interior, riot police directorate",
        goods="Armoured crowd-control vehicles",
    )

    assert _matches(application) == []


def test_denial_does_not_match_when_the_ml_category_differs(officer):
    application = case_in_review(officer=officer, ml="ML15")
    received_denial(on=date(2025, 5, 1), ml="ML5")

    assert _matches(application) == []


def test_our_own_and_withdrawn_denials_are_not_matched_when_checking(officer):
    application = case_in_review(officer=officer)
    received_denial(reference="NL-DEN-2025-00001", state="NL", direction=DenialDirection.OUTGOING, on=date(2025, 5, 1))
    received_denial(reference="DE-9", state="DE", on=date(2025, 5, 1), status=DenialStatus.WITHDRAWN)

    assert _matches(application) == []


def _confirmed_case(officer):  # type: ignore[no-untyped-def]
    application = case_in_review(officer=officer)
    assess_all(application, officer)
    received_denial(on=DECISION_DAY - timedelta(days=100))
    _matches(application)
    match = DenialMatch.objects.get(application=application)
    return application, denial_match_decide(
        actor=officer, match_id=match.pk, decision=MatchDecision.CONFIRMED, reason="Same navy, same cameras."
    )


def _approve(application, officer):  # type: ignore[no-untyped-def]
    return casework.decision_propose(
        actor=officer,
        application_id=application.pk,
        outcome="approve",
        justification="Consulted France.",
        valid_from=DECISION_DAY,
        valid_until=DECISION_DAY + timedelta(days=365),
    )


@time_machine.travel(DECISION_DAY, tick=False)
def test_confirmed_match_opens_an_art4_consultation_answerable_within_three_weeks(officer):
    _application, match = _confirmed_case(officer)

    consultation = match.consultation
    assert consultation.kind == ConsultationKind.ART4_DENIAL
    assert consultation.counterpart_id == "FR"
    assert consultation.status == ConsultationStatus.OPEN
    assert consultation.opened_on == DECISION_DAY
    assert consultation.respond_by == date(2026, 12, 14)  # 23 Nov + 21 days


@time_machine.travel(DECISION_DAY, tick=False)
def test_approval_is_blocked_when_the_art4_consultation_is_still_open(officer):
    application, _match = _confirmed_case(officer)

    open_art4 = r"Denial consultation \(Common Position Art\. 4\) with France is not"
    with pytest.raises(TransitionNotAllowed, match=open_art4):
        _approve(application, officer)


@time_machine.travel(DECISION_DAY, tick=False)
def test_approval_is_blocked_when_a_proposed_match_is_not_decided(officer):
    application = case_in_review(officer=officer)
    assess_all(application, officer)
    received_denial(reference="FR-77", on=DECISION_DAY - timedelta(days=100))

    with pytest.raises(TransitionNotAllowed, match=r"Decide on the proposed denial match \(FR-77\) first"):
        _approve(application, officer)


@time_machine.travel(DECISION_DAY, tick=False)
def test_approval_waits_for_countersignature_when_the_consultation_is_concluded(officer, senior):
    application, match = _confirmed_case(officer)
    art4_consultation_conclude(
        actor=officer,
        consultation_id=match.consultation_id,
        outcome="denial_maintained",
        outcome_text="France maintains its denial; our end-use assurances differ.",
    )

    decision = _approve(application, officer)

    # A confirmed match is a flag: the approval needs a senior officer's countersignature (four eyes).
    assert decision.status == DecisionStatus.PROPOSED
    casework.decision_countersign(actor=senior, decision_id=decision.pk)
    application.refresh_from_db()
    assert application.status == ApplicationStatus.APPROVED


def test_global_licence_matches_a_denial_for_its_second_destination_when_the_first_is_clean(officer):
    from licensing.models import LicenceType, PartyRole

    from .helpers import add_party

    # A global licence: first end user in Norway (the application's destination), second in Denmark.
    application = case_in_review(officer=officer, destination="NO", end_user="Royal Norwegian Navy")
    application.licence_type = LicenceType.GLOBAL_EXPORT
    application.save(update_fields=["licence_type"])
    add_party(application, role=PartyRole.END_USER, name="Royal Danish Navy", country="DK")
    received_denial(
        reference="DE-2025-0007", state="DE", on=date(2025, 5, 1), destination="DK", end_user="Royal Danish Navy"
    )
    received_denial(
        reference="FR-2025-0001", state="FR", on=date(2025, 5, 1), destination="SE", end_user="Royal Danish Navy"
    )

    [flag] = _matches(application)

    assert flag.inputs["reference"] == "DE-2025-0007"
    assert flag.inputs["matched_fields"]["destination"] == "DK"
    assert flag.inputs["matched_fields"]["end_user"]["ours"] == "Royal Danish Navy"
    assert DenialMatch.objects.get(application=application).denial.reference == "DE-2025-0007"
