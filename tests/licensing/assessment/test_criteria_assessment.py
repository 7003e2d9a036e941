"""The eight criteria: outcomes and justifications, "shall deny" criteria, four eyes, advice."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from core.exceptions import DomainValidationError, NotAllowed, StaleVersion, TransitionNotAllowed
from licensing.assessment_rules import (
    ERR_CLEAR_RISK_NEEDS_REFUSAL,
    ERR_JUSTIFICATION_REQUIRED,
    ERR_SUB_CRITERIA_FORMAT,
    CriterionVerdict,
)
from licensing.models import ApplicationStatus, DecisionStatus
from licensing.models.assessment import AdviceStatus, CriterionAssessment
from licensing.services import casework
from licensing.services.assessment import (
    ERR_ADVICE_MISSING,
    ERR_NOT_YOUR_REQUEST,
    advice_give,
    advice_request,
    criteria_assess,
)

from .helpers import assess_all, case_in_review

pytestmark = pytest.mark.django_db


def _approve(application, officer):  # type: ignore[no-untyped-def]
    today = timezone.localdate()
    return casework.decision_propose(
        actor=officer,
        application_id=application.pk,
        outcome="approve",
        justification="Fine.",
        valid_from=today,
        valid_until=today + timedelta(days=365),
    )


def test_justification_is_required_when_the_outcome_is_concerns(officer):
    application = case_in_review(officer=officer)

    with pytest.raises(DomainValidationError) as exc:
        criteria_assess(actor=officer, application_id=application.pk, verdicts=[CriterionVerdict(7, "concerns")])

    assert exc.value.field_errors == {"7-justification": [ERR_JUSTIFICATION_REQUIRED]}


def test_no_concerns_needs_no_justification_when_assessed(officer):
    application = case_in_review(officer=officer)

    [saved] = criteria_assess(
        actor=officer, application_id=application.pk, verdicts=[CriterionVerdict(5, "no_concerns")]
    )

    assert (saved.criterion_id, saved.outcome, saved.justification, saved.version) == (5, "no_concerns", "", 1)


def test_clear_risk_under_2a_must_be_grounds_to_refuse_when_assessed(officer):
    application = case_in_review(officer=officer)

    with pytest.raises(DomainValidationError) as exc:
        criteria_assess(
            actor=officer,
            application_id=application.pk,
            verdicts=[CriterionVerdict(2, "concerns", "Reports of repression.", "2a")],
        )

    assert exc.value.field_errors == {"2-outcome": [ERR_CLEAR_RISK_NEEDS_REFUSAL]}


def test_sub_criteria_must_belong_to_their_criterion_when_assessed(officer):
    application = case_in_review(officer=officer)

    with pytest.raises(DomainValidationError) as exc:
        criteria_assess(
            actor=officer, application_id=application.pk, verdicts=[CriterionVerdict(3, "concerns", "Tensions.", "2a")]
        )

    assert exc.value.field_errors == {"3-sub_criteria": [ERR_SUB_CRITERIA_FORMAT.format(example="3a")]}


def test_reassessment_keeps_one_current_row_and_the_earlier_version_in_history(officer, officer2):
    application = case_in_review(officer=officer)
    criteria_assess(actor=officer, application_id=application.pk, verdicts=[CriterionVerdict(6, "no_concerns")])

    criteria_assess(
        actor=officer2,
        application_id=application.pk,
        expected_versions={6: 1},
        verdicts=[CriterionVerdict(6, "concerns", "New report on the buyer's alliances.")],
    )

    current = CriterionAssessment.objects.get(application=application, criterion_id=6)
    assert (current.outcome, current.version, current.assessor) == ("concerns", 2, officer2)
    assert [h.outcome for h in current.history.order_by("history_date")] == ["no_concerns", "concerns"]


def test_stale_assessment_is_refused_when_someone_changed_it_meanwhile(officer, officer2):
    application = case_in_review(officer=officer)
    criteria_assess(actor=officer, application_id=application.pk, verdicts=[CriterionVerdict(6, "no_concerns")])
    criteria_assess(
        actor=officer2, application_id=application.pk, verdicts=[CriterionVerdict(6, "concerns", "New report.")]
    )

    with pytest.raises(StaleVersion):
        criteria_assess(
            actor=officer,
            application_id=application.pk,
            expected_versions={6: 1},
            verdicts=[CriterionVerdict(6, "no_concerns")],
        )


def test_approval_is_blocked_when_a_shall_deny_criterion_has_grounds_to_refuse(officer):
    application = case_in_review(officer=officer)
    assess_all(application, officer, c2=("grounds_to_refuse", "Clear risk of internal repression.", "2a"))

    with pytest.raises(TransitionNotAllowed, match="Criterion 2 has grounds to refuse"):
        _approve(application, officer)


def test_approval_is_blocked_when_not_all_eight_criteria_are_assessed(officer):
    application = case_in_review(officer=officer)
    criteria_assess(
        actor=officer,
        application_id=application.pk,
        verdicts=[CriterionVerdict(n, "no_concerns") for n in (1, 2, 4, 5, 6, 7)],
    )

    with pytest.raises(TransitionNotAllowed, match=r"still open: 3, 8"):
        _approve(application, officer)


def test_approval_takes_effect_without_countersignature_when_no_criterion_has_concerns_and_no_flag(officer):
    application = case_in_review(officer=officer)
    assess_all(application, officer)

    decision = _approve(application, officer)

    assert decision.status == DecisionStatus.FINAL


def test_approval_needs_countersignature_when_a_criterion_has_concerns(officer, senior):
    application = case_in_review(officer=officer)
    assess_all(application, officer, c7=("concerns", "The consignee re-exported once in 2019."))

    decision = _approve(application, officer)

    assert decision.status == DecisionStatus.PROPOSED
    assert decision.needs_countersignature


def test_grounds_to_refuse_under_a_take_into_account_criterion_does_not_block_approval(officer):
    application = case_in_review(officer=officer)
    assess_all(application, officer, c8=("grounds_to_refuse", "Disproportionate to the budget."))

    assert _approve(application, officer).status == DecisionStatus.PROPOSED  # weighed, but countersigned


def test_officer_cannot_countersign_a_refusal_they_proposed_themselves(senior):
    application = case_in_review(officer=senior)

    decision = casework.decision_propose(
        actor=senior, application_id=application.pk, outcome="refuse", justification="Diversion risk.", criteria=[7]
    )
    with pytest.raises(NotAllowed, match="a different senior officer must countersign"):
        casework.decision_countersign(actor=senior, decision_id=decision.pk)

    application.refresh_from_db()
    assert application.status == ApplicationStatus.UNDER_REVIEW


def test_adviser_advice_is_recorded_per_criterion_when_given(officer, adviser):
    application = case_in_review(officer=officer)
    request = advice_request(
        actor=officer,
        application_id=application.pk,
        adviser=adviser,
        question="Is there a risk of use in Yemen?",
        criteria=[2, 4],
    )

    advice_give(
        actor=adviser,
        request_id=request.pk,
        summary="Low risk.",
        verdicts=[
            CriterionVerdict(2, "no_concerns"),
            CriterionVerdict(4, "concerns", "Border tensions noted."),
        ],
    )

    request.refresh_from_db()
    assert request.status == AdviceStatus.ANSWERED
    assert [(a.criterion_id, a.outcome) for a in request.advice.order_by("criterion_id")] == [
        (2, "no_concerns"),
        (4, "concerns"),
    ]


def test_adviser_must_answer_each_criterion_asked_about_when_giving_advice(officer, adviser):
    application = case_in_review(officer=officer)
    request = advice_request(
        actor=officer, application_id=application.pk, adviser=adviser, question="Yemen?", criteria=[2, 4]
    )

    with pytest.raises(DomainValidationError) as exc:
        advice_give(actor=adviser, request_id=request.pk, verdicts=[CriterionVerdict(2, "no_concerns")])

    assert exc.value.field_errors == {"4-outcome": [ERR_ADVICE_MISSING.format(n=4)]}


def test_another_adviser_cannot_answer_when_the_request_is_not_theirs(officer, adviser):
    from core.roles import Role
    from tests.factories import UserFactory

    other = UserFactory(username="paula", roles=[Role.POLICY_ADVISER])
    application = case_in_review(officer=officer)
    request = advice_request(actor=officer, application_id=application.pk, adviser=adviser, question="Yemen?")

    with pytest.raises(NotAllowed, match=str(ERR_NOT_YOUR_REQUEST)):
        advice_give(actor=other, request_id=request.pk, verdicts=[], summary="No concerns.")
