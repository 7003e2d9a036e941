"""The one gate on every decision (licensing/decision_gate.py): each precondition blocks exactly the outcomes it
should, and the service, the case page and the API give the same reason, word for word.

Cases worked out from Common Position 2008/944/CFSP Art. 2 and 4 and the treaty's de minimis provisions
(../shared/domain/README.md)."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.db import transaction
from django.utils import timezone
from rest_framework.test import APIClient

from audit.models import AuditEvent, Verb
from core.exceptions import DecisionBlocked
from licensing.assessment_rules import ALL_CRITERIA, AssessmentOutcome, CriterionVerdict
from licensing.decision_gate import BlockerCode, decision_gate
from licensing.models import ApplicationStatus, DecisionOutcome, DecisionStatus, Licence
from licensing.models.consultation import Consultation, ConsultationKind, ConsultationOutcome, ConsultationStatus
from licensing.services import casework
from licensing.services.assessment import criteria_assess
from licensing.services.consultations import case_follow_consultations
from licensing.services.workflow import application_transition, lock_application
from licensing.transitions import Action
from tests.factories import submitted_application

pytestmark = pytest.mark.django_db


def _assess(application: Any, officer: Any, numbers: Any, outcome: str = AssessmentOutcome.NO_CONCERNS) -> None:
    justification = "" if outcome == AssessmentOutcome.NO_CONCERNS else "Finding recorded by the officer."
    criteria_assess(
        actor=officer,
        application_id=application.pk,
        verdicts=[CriterionVerdict(criterion=n, outcome=outcome, justification=justification) for n in numbers],
    )


def _approve(officer: Any, application: Any) -> Any:
    today = timezone.localdate()
    return casework.decision_propose(
        actor=officer,
        application_id=application.pk,
        outcome=DecisionOutcome.APPROVE,
        justification="No concerns under the eight criteria.",
        valid_from=today,
        valid_until=today + timedelta(days=365),
    )


def _case(org_a: Any, officer: Any) -> Any:
    return submitted_application(organisation=org_a, status=ApplicationStatus.UNDER_REVIEW, assigned_to=officer)


def test_approval_is_refused_when_seven_of_eight_criteria_are_assessed(org_a, officer, client_for):
    application = _case(org_a, officer)
    _assess(application, officer, ALL_CRITERIA[:7])

    with pytest.raises(DecisionBlocked) as refused:
        _approve(officer, application)

    [blocker] = refused.value.blockers
    assert blocker.code == BlockerCode.CRITERIA_INCOMPLETE
    assert blocker.message == "Assess all eight criteria first (still open: 8)."
    assert not Licence.objects.filter(application=application).exists()
    # The case page says the same, word for word, and offers no approval form.
    page = client_for(officer).get(f"/casework/cases/{application.pk}/").content.decode()
    assert blocker.message in page
    assert 'name="outcome" value="approve"' not in page


def test_api_409_body_lists_the_gate_blockers_word_for_word(org_a, officer):
    application = _case(org_a, officer)
    _assess(application, officer, ALL_CRITERIA[:7])
    client = APIClient()
    client.force_authenticate(officer)
    today = timezone.localdate()
    response = client.post(
        f"/api/v1/casework/cases/{application.pk}/decisions/",
        {
            "outcome": "approve",
            "justification": "No concerns.",
            "valid_from": today.isoformat(),
            "valid_until": (today + timedelta(days=365)).isoformat(),
        },
        format="json",
    )
    assert response.status_code == 409, response.content
    body = response.json()
    assert body["code"] == "decision_blocked"
    assert body["blockers"] == [
        {"code": "criteria_incomplete", "message": "Assess all eight criteria first (still open: 8)."}
    ]


def test_approval_takes_effect_when_all_eight_criteria_are_assessed_without_concerns(org_a, officer):
    application = _case(org_a, officer)
    _assess(application, officer, ALL_CRITERIA)

    decision = _approve(officer, application)

    assert decision.status == DecisionStatus.FINAL
    application.refresh_from_db()
    assert application.status == ApplicationStatus.APPROVED
    assert Licence.objects.filter(application=application).exists()


@pytest.mark.parametrize(
    ("criterion", "blocks"),
    [
        pytest.param(4, True, id="criterion 4 (shall deny) met: no approval"),
        pytest.param(5, False, id="criterion 5 (take into account): weighed, needs four eyes, not blocked"),
    ],
)
def test_grounds_to_refuse_block_approval_only_under_a_shall_deny_criterion(org_a, officer, criterion, blocks):
    application = _case(org_a, officer)
    _assess(application, officer, [n for n in ALL_CRITERIA if n != criterion])
    _assess(application, officer, [criterion], AssessmentOutcome.GROUNDS_TO_REFUSE)

    answer = decision_gate(application, outcome=DecisionOutcome.APPROVE)

    assert (BlockerCode.SHALL_DENY in [b.code for b in answer.blockers]) is blocks
    assert answer.countersignature_reasons == (f"Criterion {criterion} was assessed with grounds to refuse.",)


def test_status_machine_refuses_an_approval_without_a_recorded_decision(org_a, officer):
    application = _case(org_a, officer)
    _assess(application, officer, ALL_CRITERIA)
    with pytest.raises(DecisionBlocked) as refused, transaction.atomic():
        locked = lock_application(pk=application.pk)
        application_transition(application=locked, action=Action.APPROVE, actor=officer, reason="straight through")
    assert BlockerCode.NO_DECISION in [b.code for b in refused.value.blockers]
    application.refresh_from_db()
    assert application.status == ApplicationStatus.UNDER_REVIEW


def test_refusal_needs_a_second_person_before_it_takes_effect(org_a, officer, senior):
    application = _case(org_a, officer)
    decision = casework.decision_propose(
        actor=officer,
        application_id=application.pk,
        outcome=DecisionOutcome.REFUSE,
        justification="Clear risk of diversion.",
        criteria=[7],
    )
    assert decision.status == DecisionStatus.PROPOSED
    # Marking it final without a countersignature does not get it past the status machine.
    decision.status = DecisionStatus.FINAL
    decision.save(update_fields=["status"])
    with pytest.raises(DecisionBlocked) as refused, transaction.atomic():
        locked = lock_application(pk=application.pk)
        application_transition(application=locked, action=Action.REFUSE, actor=officer, reason="x", decision=decision)
    assert [b.code for b in refused.value.blockers] == [BlockerCode.COUNTERSIGNATURE_MISSING]


def _open_art4(application: Any, officer: Any, counterpart: str = "DE") -> Consultation:
    with transaction.atomic():
        consultation = Consultation.objects.create(
            kind=ConsultationKind.ART4_DENIAL,
            application=application,
            counterpart_id=counterpart,
            subject="Essentially identical transaction",
            opened_by=officer,
            opened_on=timezone.localdate(),
        )
        case_follow_consultations(application_id=application.pk, actor=officer, reason="Art. 4 consultation opened")
    return consultation


def test_open_consultation_holds_approval_but_not_refusal_and_is_closed_with_the_case(org_a, officer, senior):
    application = _case(org_a, officer)
    _assess(application, officer, ALL_CRITERIA)
    consultation = _open_art4(application, officer)
    application.refresh_from_db()
    assert application.status == ApplicationStatus.CONSULTATION_PENDING

    approve = decision_gate(application, outcome=DecisionOutcome.APPROVE)
    assert BlockerCode.CONSULTATION_OPEN in [b.code for b in approve.blockers]
    assert "Germany" in approve.reasons_text()
    assert decision_gate(application, outcome=DecisionOutcome.REFUSE).allowed

    decision = casework.decision_propose(
        actor=officer,
        application_id=application.pk,
        outcome=DecisionOutcome.REFUSE,
        justification="Clear risk of diversion.",
        criteria=[7],
    )
    casework.decision_countersign(actor=senior, decision_id=decision.pk, reason="Agreed.")
    consultation.refresh_from_db()
    assert (consultation.status, consultation.outcome) == (
        ConsultationStatus.CONCLUDED,
        ConsultationOutcome.CASE_CLOSED,
    )
    application.refresh_from_db()
    assert application.status == ApplicationStatus.REFUSED


def test_concluding_the_last_consultation_brings_the_case_back_and_the_history_says_so(org_a, officer):
    application = _case(org_a, officer)
    first, second = _open_art4(application, officer, "DE"), _open_art4(application, officer, "FR")
    for consultation, expected in ((first, ApplicationStatus.CONSULTATION_PENDING), (second, "under_review")):
        with transaction.atomic():
            Consultation.objects.filter(pk=consultation.pk).update(status=ConsultationStatus.CONCLUDED)
            case_follow_consultations(application_id=application.pk, actor=officer, reason="answer recorded")
        application.refresh_from_db()
        assert application.status == expected
    statuses = list(application.history.order_by("history_date").values_list("status", flat=True))
    assert statuses[-2:] == [ApplicationStatus.CONSULTATION_PENDING, ApplicationStatus.UNDER_REVIEW]
    verbs = list(
        AuditEvent.objects.filter(target_type="licensing.application", target_id=str(application.pk)).values_list(
            "verb", flat=True
        )
    )
    assert Verb.CONSULTATION_OPENED in verbs and Verb.CONSULTATION_CONCLUDED in verbs


def test_deciding_a_case_assigned_to_someone_else_takes_it_first(org_a, officer, officer2):
    application = _case(org_a, officer)
    _assess(application, officer, ALL_CRITERIA)

    _approve(officer2, application)

    application.refresh_from_db()
    assert application.assigned_to == officer2
    assert application.history.filter(history_change_reason=casework.REASON_TAKEN_TO_DECIDE).exists()
