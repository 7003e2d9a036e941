"""Bad input to the officer's services and to shipments, and crashes halfway through a service: each leaves
the database as it was before the call."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from audit.models import AuditEvent, Verb
from core.exceptions import DomainValidationError, StaleVersion
from licensing.models import Application, Decision, InformationRequest, Licence, LicenceStatus
from licensing.services import applications as apps
from licensing.services import casework, workflow
from licensing.transitions import ERR_REASON
from tests.factories import criteria_clear
from tests.licensing.services.test_transitions import (
    APPROVAL,
    REFUSAL,
    Cast,
    application_in,
    case_state,
    licence_in,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def cast(exporter_a, officer, senior) -> Cast:  # type: ignore[no-untyped-def]
    return Cast(exporter=exporter_a, officer=officer, senior=senior)


def _day(day: date) -> str:
    """A day as the English pages write it (4 December 2026), not ISO."""
    return f"{day.day} {day.strftime('%B')} {day.year}"


def _refused(call: Any) -> DomainValidationError:
    with pytest.raises(DomainValidationError) as raised:
        call()
    return raised.value


# --- Officer input ------------------------------------------------------------------------------------------------

TODAY = "today"


def _propose(actor: Any, pk: int, **kwargs: Any) -> Decision:
    return casework.decision_propose(actor=actor, application_id=pk, **kwargs)


BAD_DECISIONS = [
    (
        "approval without justification",
        {"outcome": "approve", "justification": "  ", "valid_from": 0, "valid_until": 365},
        {"justification": [casework.ERR_JUSTIFICATION]},
    ),
    (
        "approval without validity",
        {"outcome": "approve", "justification": APPROVAL},
        {"valid_until": [casework.ERR_VALIDITY_REQUIRED]},
    ),
    (
        "approval ending the day it starts",
        {"outcome": "approve", "justification": APPROVAL, "valid_from": 0, "valid_until": 0},
        {"valid_until": [casework.ERR_VALIDITY]},
    ),
    (
        "refusal without criteria",
        {"outcome": "refuse", "justification": REFUSAL},
        {"criteria": [casework.ERR_CRITERIA_REQUIRED]},
    ),
    (
        "unknown outcome",
        {"outcome": "maybe", "justification": "Hmm"},
        {"outcome": ["Choose approve or refuse."]},
    ),
]


@pytest.mark.parametrize(("kwargs", "errors"), [b[1:] for b in BAD_DECISIONS], ids=[b[0] for b in BAD_DECISIONS])
def test_decision_is_refused_when_input_is_incomplete(kwargs, errors, cast):
    application = application_in("under_review", cast)
    today = timezone.localdate()
    for name in ("valid_from", "valid_until"):
        if name in kwargs:
            kwargs = {**kwargs, name: today + timedelta(days=kwargs[name])}
    before = case_state(application)
    error = _refused(lambda: _propose(cast.officer, application.pk, **kwargs))
    assert error.field_errors == errors
    assert case_state(application) == before


def test_withdrawal_is_refused_when_no_reason_is_given(cast):
    application = application_in("submitted", cast)
    before = case_state(application)
    error = _refused(lambda: apps.application_withdraw(actor=cast.exporter, application_id=application.pk, reason=" "))
    assert error.field_errors == {"reason": [ERR_REASON]}
    assert case_state(application) == before


def test_request_for_information_is_refused_when_the_question_is_empty(cast):
    application = application_in("under_review", cast)
    before = case_state(application)
    error = _refused(
        lambda: casework.information_request(actor=cast.officer, application_id=application.pk, question="\n")
    )
    assert error.field_errors == {"question": [casework.ERR_QUESTION_REQUIRED]}
    assert case_state(application) == before


def test_answer_is_refused_when_empty(cast):
    application = application_in("information_requested", cast)
    before = case_state(application)
    error = _refused(lambda: apps.information_provide(actor=cast.exporter, application_id=application.pk, answer=""))
    assert error.field_errors == {"answer": [apps.ERR_ANSWER_REQUIRED]}
    assert case_state(application) == before


def test_sending_a_decision_back_is_refused_when_no_reason_is_given(cast):
    application = application_in("under_review", cast)
    decision = _propose(cast.officer, application.pk, outcome="refuse", justification=REFUSAL, criteria=[7])
    error = _refused(lambda: casework.decision_return(actor=cast.senior, decision_id=decision.pk, reason=""))
    assert error.field_errors == {"reason": [casework.ERR_RETURN_REASON]}
    decision.refresh_from_db()
    assert decision.status == "proposed"


def test_licence_suspension_is_refused_when_no_reason_is_given(cast):
    licence = licence_in(LicenceStatus.ISSUED, cast)
    error = _refused(
        lambda: casework.licence_change_status(actor=cast.officer, licence_id=licence.pk, action="suspend", reason="")
    )
    assert error.field_errors == {"reason": [ERR_REASON]}
    assert Licence.objects.get(pk=licence.pk).status == LicenceStatus.ISSUED


def test_note_is_refused_when_empty(cast):
    application = application_in("under_review", cast)
    error = _refused(lambda: casework.note_add(actor=cast.officer, application_id=application.pk, text="  "))
    assert error.field_errors == {"text": [casework.ERR_NOTE_REQUIRED]}


# --- Shipments -----------------------------------------------------------------------------------------------------
# The licence (from tests.factories.complete_draft): one goods line of 10 pcs at EUR 1,000 = EUR 10,000,
# valid from today for 730 days.


def _ship(cast: Cast, licence: Licence, *, quantity: str, value: str, days: int = 0) -> Any:
    return casework.shipment_record(
        actor=cast.exporter,
        licence_id=licence.pk,
        licensed_goods_id=licence.goods.get().pk,
        shipped_on=timezone.localdate() + timedelta(days=days),
        quantity=Decimal(quantity),
        value_eur=Decimal(value),
    )


def test_shipment_is_refused_when_quantity_is_zero_or_value_negative(cast):
    licence = licence_in(LicenceStatus.ISSUED, cast)
    assert _refused(lambda: _ship(cast, licence, quantity="0", value="1")).field_errors == {
        "quantity": [casework.ERR_SHIP_POSITIVE]
    }
    assert _refused(lambda: _ship(cast, licence, quantity="1", value="-1")).field_errors == {
        "value_eur": [casework.ERR_SHIP_VALUE_NEGATIVE]
    }
    assert not licence.shipments.exists()


def test_shipment_is_refused_when_it_falls_outside_the_validity(cast):
    licence = licence_in(LicenceStatus.ISSUED, cast)
    before = licence.valid_from - timedelta(days=1)
    after = licence.valid_until + timedelta(days=1)
    error = _refused(lambda: _ship(cast, licence, quantity="1", value="1", days=-1))
    assert (
        error.message == f"Licence {licence.number} is valid from {_day(licence.valid_from)}; "
        f"a shipment on {_day(before)} falls before it."
    )
    error = _refused(lambda: _ship(cast, licence, quantity="1", value="1", days=731))
    assert error.message == (
        f"Licence {licence.number} was valid until {_day(licence.valid_until)}; "
        f"a shipment on {_day(after)} falls outside it."
    )
    assert not licence.shipments.exists()


def test_shipment_is_refused_when_its_day_is_still_to_come_within_the_validity(cast):
    licence = licence_in(LicenceStatus.ISSUED, cast)
    tomorrow = timezone.localdate() + timedelta(days=1)
    error = _refused(lambda: _ship(cast, licence, quantity="1", value="1", days=1))
    assert error.field_errors == {
        "shipped_on": [f"A shipment is recorded once it has happened; {_day(tomorrow)} is still to come."]
    }
    _ship(cast, licence, quantity="1", value="1", days=0)  # today is fine
    assert licence.shipments.count() == 1


def test_shipment_is_refused_with_the_remaining_quantity_when_it_exceeds_the_balance(cast):
    licence = licence_in(LicenceStatus.ISSUED, cast)
    _ship(cast, licence, quantity="7.5", value="7500")
    error = _refused(lambda: _ship(cast, licence, quantity="3", value="1"))
    assert error.field_errors == {"quantity": ["Only 2.5 pcs of this item remain on the licence."]}


def test_shipment_is_refused_with_the_remaining_quantity_in_plain_digits_when_nothing_was_shipped_yet(cast):
    licence = licence_in(LicenceStatus.ISSUED, cast)
    error = _refused(lambda: _ship(cast, licence, quantity="11", value="1"))
    assert error.field_errors == {"quantity": ["Only 10 pcs of this item remain on the licence."]}


def test_shipment_is_refused_with_the_remaining_value_when_it_exceeds_the_licensed_value(cast):
    licence = licence_in(LicenceStatus.ISSUED, cast)
    _ship(cast, licence, quantity="1", value="9000")
    error = _refused(lambda: _ship(cast, licence, quantity="1", value="1000.01"))
    assert error.field_errors == {"value_eur": ["Only EUR 1000.00 of this item's licensed value remains."]}


# --- A crash halfway leaves the database as it was -------------------------------------------------------------


class Boom(RuntimeError):
    pass


def _explode(**_: Any) -> None:
    raise Boom("a later feature failed")


def test_submission_leaves_the_draft_untouched_when_a_step_after_the_status_change_fails(cast, monkeypatch):
    application = application_in("draft", cast)
    before = case_state(application)
    history_before = Application.history.filter(id=application.pk).count()
    # A crash in the last step of the submission (the treaty computation), after status and checks were written.
    monkeypatch.setattr(apps, "treaty_on_submission", _explode)
    with pytest.raises(Boom):
        apps.application_submit(actor=cast.exporter, application_id=application.pk)
    assert case_state(application) == before
    fresh = Application.objects.get(pk=application.pk)
    assert (fresh.submitted_at, fresh.received_on, fresh.legal_deadline, fresh.target_date) == (None,) * 4
    assert Application.history.filter(id=application.pk).count() == history_before


def test_submission_leaves_the_draft_untouched_when_the_audit_write_fails_after_the_status_was_saved(cast, monkeypatch):
    application = application_in("draft", cast)
    before = case_state(application)
    history_before = Application.history.filter(id=application.pk).count()
    real_record = workflow.record

    def record_then_fail(**kwargs: Any) -> AuditEvent:
        # application_transition saves the new status first, then audits: fail at that point.
        assert Application.objects.get(pk=application.pk).status == "submitted"
        real_record(**kwargs)
        raise Boom("audit store went away")

    monkeypatch.setattr(workflow, "record", record_then_fail)
    with pytest.raises(Boom):
        apps.application_submit(actor=cast.exporter, application_id=application.pk)
    assert case_state(application) == before
    assert Application.history.filter(id=application.pk).count() == history_before


def test_approval_leaves_the_case_under_review_when_issuing_the_licence_fails(cast, monkeypatch):
    application = application_in("under_review", cast)
    criteria_clear(application, assessor=cast.officer)
    before = case_state(application)
    real_record = casework.record

    def fail_on_licence(**kwargs: Any) -> AuditEvent:
        if kwargs["verb"] == Verb.LICENCE_ISSUED:
            raise Boom("licence register unavailable")
        return real_record(**kwargs)

    monkeypatch.setattr(casework, "record", fail_on_licence)
    today = timezone.localdate()
    with pytest.raises(Boom):
        _propose(
            cast.officer,
            application.pk,
            outcome="approve",
            justification=APPROVAL,
            valid_from=today,
            valid_until=today + timedelta(days=365),
        )
    assert case_state(application) == before
    assert not Licence.objects.filter(application=application).exists()
    assert not Decision.objects.filter(application=application).exists()


def test_countersignature_leaves_the_decision_pending_when_the_refusal_letter_fails(cast, monkeypatch):
    application = application_in("under_review", cast)
    decision = _propose(cast.officer, application.pk, outcome="refuse", justification=REFUSAL, criteria=[7])
    before = case_state(application)
    monkeypatch.setattr(casework, "refusal_record", _explode)  # a crash while the letter is made
    with pytest.raises(Boom):
        casework.decision_countersign(actor=cast.senior, decision_id=decision.pk)
    assert case_state(application) == before
    decision.refresh_from_db()
    assert (decision.status, decision.countersigned_by_id) == ("proposed", None)


def test_answer_is_not_kept_when_an_attached_file_is_refused(cast):
    application = application_in("information_requested", cast)
    before = case_state(application)
    bad = SimpleUploadedFile("answer.pdf", b"plain text pretending to be a PDF")
    with pytest.raises(DomainValidationError):
        apps.information_provide(
            actor=cast.exporter, application_id=application.pk, answer="See attachment", uploads=[("information", bad)]
        )
    assert case_state(application) == before
    request = InformationRequest.objects.get(application=application)
    assert (request.answer, request.answered_at) == ("", None)


# --- Stale pages: a change made since the page was loaded is never overwritten --------------------------------


def test_submission_is_refused_as_stale_when_a_colleague_changed_the_draft_since_the_page_was_loaded(cast):
    application = application_in("draft", cast)
    page_version = application.version
    apps.application_update(
        actor=cast.exporter,
        application_id=application.pk,
        expected_version=page_version,
        title="Renamed by a colleague",
    )
    before = case_state(application)
    with pytest.raises(StaleVersion) as raised:
        apps.application_submit(actor=cast.exporter, application_id=application.pk, expected_version=page_version)
    assert (raised.value.status_code, raised.value.message) == (409, workflow.ERR_STALE)
    assert case_state(application) == before


def test_request_for_information_is_refused_as_stale_when_another_officer_acted_since_the_page_was_loaded(
    cast, officer2
):
    application = application_in("under_review", cast)
    page_version = application.version
    casework.note_add(actor=officer2, application_id=application.pk, text="Looked at the end user.")
    casework.application_assign(actor=officer2, application_id=application.pk, assignee=officer2)
    before = case_state(application)
    with pytest.raises(StaleVersion):
        casework.information_request(
            actor=cast.officer, application_id=application.pk, question="Who?", expected_version=page_version
        )
    assert case_state(application) == before
