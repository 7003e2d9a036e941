"""The objection case (bezwaar): filed within six weeks, heard, advised, its term set, decided; all audited."""

from __future__ import annotations

import re
from datetime import date, datetime

import pytest
import time_machine

from audit.models import AuditEvent, Verb
from core.exceptions import DomainValidationError, NotAllowed, StaleVersion, TransitionNotAllowed
from core.models import Notification
from licensing.models import DecisionObjection, ObjectionOutcome, ObjectionStatus
from licensing.services import objections as svc
from tests.factories import submitted_application
from tests.licensing.objections.builders import AMSTERDAM, refused_on

pytestmark = pytest.mark.django_db

SENT = datetime(2026, 3, 3, 10, 0)  # Tuesday; the objection term ends Tuesday 14 April 2026


def _at(day: date):  # type: ignore[no-untyped-def]
    return time_machine.travel(datetime(day.year, day.month, day.day, 12, 0, tzinfo=AMSTERDAM), tick=False)


@pytest.fixture
def refused(exporter_a, officer, senior):  # type: ignore[no-untyped-def]
    return refused_on(SENT, exporter=exporter_a, officer=officer, senior=senior)


def _file(application, exporter, day=date(2026, 4, 14)):  # type: ignore[no-untyped-def]
    with _at(day):
        return svc.decision_objection_file(
            actor=exporter, application_id=application.pk, grounds="Criterion 7 does not apply: the end user is..."
        )


def test_objection_is_filed_with_its_terms_when_lodged_on_the_last_day(refused, exporter_a, officer):
    objection = _file(refused, exporter_a)
    assert objection.status == ObjectionStatus.FILED
    assert objection.decision_sent_on == date(2026, 3, 3)
    assert objection.objection_term_end == date(2026, 4, 14)
    assert objection.decision_deadline == date(2026, 5, 26)
    event = AuditEvent.objects.get(verb=Verb.DECISION_OBJECTION_FILED)
    assert event.payload["decision_deadline"] == "2026-05-26"
    assert objection.history.count() == 1
    assert Notification.objects.filter(user=officer, title__contains="objects to the decision").count() == 1


def test_objection_is_refused_when_lodged_the_day_after_the_term(refused, exporter_a):
    with pytest.raises(DomainValidationError) as exc:
        _file(refused, exporter_a, day=date(2026, 4, 15))
    assert exc.value.field_errors == {"grounds": [svc.ERR_TOO_LATE.format(deadline="14 April 2026")]}
    assert not DecisionObjection.objects.exists()


def test_second_objection_is_refused_when_one_is_open(refused, exporter_a):
    _file(refused, exporter_a)
    with pytest.raises(TransitionNotAllowed, match=re.escape(str(svc.ERR_ALREADY_OBJECTED))):
        _file(refused, exporter_a)


def test_other_company_cannot_object_when_the_decision_is_not_theirs(refused, exporter_b):
    with pytest.raises(NotAllowed):
        _file(refused, exporter_b)


def test_objection_is_refused_when_the_application_is_not_decided(exporter_a):
    application = submitted_application(organisation=exporter_a.organisation, created_by=exporter_a)
    with pytest.raises(TransitionNotAllowed, match=re.escape(str(svc.ERR_NOT_DECIDED))):
        svc.decision_objection_file(actor=exporter_a, application_id=application.pk, grounds="No.")


def test_committee_and_postponement_move_the_term_and_tell_the_objector_when_set(refused, exporter_a, officer2):
    objection = _file(refused, exporter_a)
    with _at(date(2026, 4, 20)):
        objection = svc.decision_objection_set_term(
            actor=officer2,
            objection_id=objection.pk,
            advisory_committee=True,
            postponed_weeks=0,
            reason="Referred to the advisory committee on objections.",
        )
        assert objection.decision_deadline == date(2026, 7, 7)
        objection = svc.decision_objection_set_term(
            actor=officer2,
            objection_id=objection.pk,
            advisory_committee=True,
            postponed_weeks=6,
            reason="The committee meets in July.",
        )
    assert objection.decision_deadline == date(2026, 8, 18)
    assert objection.postponement_reason == "The committee meets in July."
    told = Notification.objects.filter(user=exporter_a, title__contains="new date").order_by("pk")
    assert [n.body.split(".")[0] for n in told] == [
        "We will decide on your objection by 2026-07-07",
        "We will decide on your objection by 2026-08-18",
    ]


def test_postponement_is_refused_when_longer_than_six_weeks(refused, exporter_a, officer2):
    objection = _file(refused, exporter_a)
    with pytest.raises(DomainValidationError) as exc:
        svc.decision_objection_set_term(
            actor=officer2, objection_id=objection.pk, advisory_committee=False, postponed_weeks=7, reason="Busy."
        )
    assert exc.value.field_errors == {"postponed_weeks": [svc.ERR_POSTPONEMENT]}


def test_decision_is_refused_when_no_hearing_is_recorded(refused, exporter_a, officer2):
    objection = _file(refused, exporter_a)
    with pytest.raises(TransitionNotAllowed):
        svc.decision_objection_decide(
            actor=officer2, objection_id=objection.pk, outcome=ObjectionOutcome.UPHELD, reasons="Unfounded."
        )


def test_officers_who_took_the_decision_cannot_decide_the_objection_when_it_concerns_their_decision(
    refused, exporter_a, officer, senior
):
    objection = _file(refused, exporter_a)
    with _at(date(2026, 4, 28)):
        svc.decision_objection_record_hearing(
            actor=senior, objection_id=objection.pk, held_on=None, record_text="", waived_reason="Objector waived."
        )
    for involved in (officer, senior):
        with pytest.raises(NotAllowed, match=r"Awb 7:5"):
            svc.decision_objection_decide(
                actor=involved, objection_id=objection.pk, outcome=ObjectionOutcome.UPHELD, reasons="Unfounded."
            )


def test_whole_objection_case_is_in_the_history_and_the_audit_trail_when_decided(refused, exporter_a, officer2):
    objection = _file(refused, exporter_a)
    with _at(date(2026, 4, 28)):
        svc.decision_objection_set_term(
            actor=officer2, objection_id=objection.pk, advisory_committee=True, postponed_weeks=0, reason="Committee."
        )
        svc.decision_objection_record_hearing(
            actor=officer2,
            objection_id=objection.pk,
            held_on=date(2026, 4, 27),
            record_text="The objector explained the end user's role.",
        )
        svc.decision_objection_record_advice(
            actor=officer2, objection_id=objection.pk, advice="Revoke: criterion 7 not met.", given_on=date(2026, 4, 28)
        )
        objection = svc.decision_objection_decide(
            actor=officer2,
            objection_id=objection.pk,
            outcome=ObjectionOutcome.REVOKED,
            reasons="Following the committee's advice the refusal is revoked.",
        )
    assert objection.status == ObjectionStatus.DECIDED
    assert objection.decided_on == date(2026, 4, 28)
    verbs = list(
        AuditEvent.objects.filter(target_type="licensing.decisionobjection")
        .order_by("sequence")
        .values_list("verb", "payload__to")
    )
    assert verbs == [
        (Verb.DECISION_OBJECTION_FILED, None),
        (Verb.DECISION_OBJECTION_UPDATED, "filed"),
        (Verb.DECISION_OBJECTION_UPDATED, "heard"),
        (Verb.DECISION_OBJECTION_UPDATED, "advised"),
        (Verb.DECISION_OBJECTION_DECIDED, "decided"),
    ]
    decided = AuditEvent.objects.get(verb=Verb.DECISION_OBJECTION_DECIDED)
    assert decided.payload["within_term"] is True and decided.payload["outcome"] == "revoked"
    assert [h.status for h in objection.history.order_by("history_id")] == [
        "filed",
        "filed",
        "heard",
        "advised",
        "decided",
    ]
    assert Notification.objects.filter(user=exporter_a, title__endswith=": decision on your objection").count() == 1
    with pytest.raises(TransitionNotAllowed):
        svc.decision_objection_withdraw(actor=exporter_a, objection_id=objection.pk, reason="Too late to withdraw.")


def test_hearing_is_refused_when_dated_before_the_objection_was_filed(refused, exporter_a, officer2):
    objection = _file(refused, exporter_a)
    with pytest.raises(DomainValidationError) as exc:
        svc.decision_objection_record_hearing(
            actor=officer2, objection_id=objection.pk, held_on=date(2026, 4, 13), record_text="Heard."
        )
    assert exc.value.field_errors == {"held_on": [svc.ERR_HEARING_DATE]}


def test_advice_is_refused_when_no_committee_was_asked(refused, exporter_a, officer2):
    objection = _file(refused, exporter_a)
    with _at(date(2026, 4, 20)):
        svc.decision_objection_record_hearing(
            actor=officer2, objection_id=objection.pk, held_on=date(2026, 4, 20), record_text="Heard."
        )
    with pytest.raises(TransitionNotAllowed, match=re.escape(str(svc.ERR_ADVICE_NO_COMMITTEE))):
        svc.decision_objection_record_advice(
            actor=officer2, objection_id=objection.pk, advice="Revoke.", given_on=date(2026, 4, 21)
        )


def test_stale_form_is_a_conflict_when_someone_else_changed_the_objection(refused, exporter_a, officer2):
    objection = _file(refused, exporter_a)
    svc.decision_objection_set_term(
        actor=officer2, objection_id=objection.pk, advisory_committee=True, postponed_weeks=0, reason="Committee."
    )
    with pytest.raises(StaleVersion):
        svc.decision_objection_set_term(
            actor=officer2,
            objection_id=objection.pk,
            advisory_committee=False,
            postponed_weeks=0,
            reason="No committee.",
            expected_version=objection.version,
        )


def test_exporter_can_withdraw_and_object_again_when_still_in_time(refused, exporter_a):
    objection = _file(refused, exporter_a, day=date(2026, 4, 1))
    svc.decision_objection_withdraw(actor=exporter_a, objection_id=objection.pk, reason="Settled by phone.")
    again = _file(refused, exporter_a, day=date(2026, 4, 2))
    assert again.status == ObjectionStatus.FILED
