"""More races on real PostgreSQL with real threads: conflicting actions by different people on the same case
or licence at the same moment. Whatever the order, the outcome is one of the orders the rules allow, never a
mix of both. (Helpers and the meaning of HoldTheLock: see test_concurrency.py.)"""

from __future__ import annotations

import threading
from datetime import timedelta
from decimal import Decimal
from typing import Any

import pytest
from django.db import connection
from django.utils import timezone

from audit.models import AuditEvent, Verb
from core.exceptions import TransitionNotAllowed
from core.roles import Role
from licensing.models import Application, Decision, Licence, LicenceStatus, Shipment
from licensing.services import applications as apps
from licensing.services import casework, workflow
from tests.factories import UserFactory, criteria_clear
from tests.licensing.services.test_concurrency import HoldTheLock, at_once
from tests.licensing.services.test_transitions import (
    APPROVAL,
    REFUSAL,
    WITHDRAW_REASON,
    Cast,
    application_in,
    ensure_reference_data,
    licence_in,
)

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def reference_data(transactional_db):  # type: ignore[no-untyped-def]
    ensure_reference_data()


@pytest.fixture
def cast(exporter_a, officer, senior) -> Cast:  # type: ignore[no-untyped-def]
    return Cast(exporter=exporter_a, officer=officer, senior=senior)


def _events(verb: str, target: Any) -> list[AuditEvent]:
    return list(
        AuditEvent.objects.filter(verb=verb, target_type=target._meta.label_lower, target_id=str(target.pk)).order_by(
            "sequence"
        )
    )


def _hold_in_record(monkeypatch: pytest.MonkeyPatch, *modules: Any) -> HoldTheLock:
    """Make the first audit write (inside whichever service gets the lock first) wait for the other thread."""
    hold = HoldTheLock()
    for module in modules:
        real = module.record

        def holding_record(_real: Any = real, **kwargs: Any) -> AuditEvent:
            hold()
            return _real(**kwargs)

        monkeypatch.setattr(module, "record", holding_record)
    return hold


def test_decision_is_either_countersigned_or_sent_back_when_two_seniors_act_at_once(cast, monkeypatch):
    application = application_in("under_review", cast)
    decision = casework.decision_propose(
        actor=cast.officer, application_id=application.pk, outcome="refuse", justification=REFUSAL, criteria=[7]
    )
    second_senior = UserFactory(username="sem", roles=[Role.SENIOR_OFFICER])
    hold = _hold_in_record(monkeypatch, casework)

    outcomes = at_once(
        lambda: casework.decision_countersign(actor=cast.senior, decision_id=decision.pk, reason="Agreed."),
        lambda: casework.decision_return(actor=second_senior, decision_id=decision.pk, reason="Cite criterion 1."),
    )

    assert hold.saw_a_waiter
    errors = [o.error for o in outcomes if o.error is not None]
    assert len(errors) == 1 and isinstance(errors[0], TransitionNotAllowed), errors
    decision.refresh_from_db()
    status = Application.objects.get(pk=application.pk).status
    if outcomes[0].error is None:  # countersigned first
        assert (decision.status, decision.returned_by_id, status) == ("final", None, "refused")
    else:  # sent back first
        assert (decision.status, decision.countersigned_by_id, status) == ("returned", None, "under_review")


def test_case_is_either_withdrawn_or_approved_when_exporter_and_officer_act_at_once(cast, monkeypatch):
    application = application_in("under_review", cast)
    criteria_clear(application, assessor=cast.officer)
    hold = _hold_in_record(monkeypatch, casework, workflow)
    today = timezone.localdate()

    outcomes = at_once(
        lambda: apps.application_withdraw(actor=cast.exporter, application_id=application.pk, reason=WITHDRAW_REASON),
        lambda: casework.decision_propose(
            actor=cast.officer,
            application_id=application.pk,
            outcome="approve",
            justification=APPROVAL,
            valid_from=today,
            valid_until=today + timedelta(days=365),
        ),
    )

    assert hold.saw_a_waiter
    errors = [o.error for o in outcomes if o.error is not None]
    assert len(errors) == 1 and isinstance(errors[0], TransitionNotAllowed), errors
    status = Application.objects.get(pk=application.pk).status
    licences = Licence.objects.filter(application=application).count()
    decisions = Decision.objects.filter(application=application).count()
    if outcomes[0].error is None:
        assert (status, licences, decisions) == ("withdrawn", 0, 0)
    else:
        assert (status, licences, decisions) == ("approved", 1, 1)


def test_submission_happens_once_when_two_colleagues_submit_the_same_draft_at_once(cast, org_a, monkeypatch):
    application = application_in("draft", cast)
    colleague = UserFactory(username="anna", organisation=org_a, roles=[Role.EXPORTER])
    hold = _hold_in_record(monkeypatch, workflow)

    outcomes = at_once(
        lambda: apps.application_submit(actor=cast.exporter, application_id=application.pk),
        lambda: apps.application_submit(actor=colleague, application_id=application.pk),
    )

    assert hold.saw_a_waiter
    errors = [o.error for o in outcomes if o.error is not None]
    assert len(errors) == 1 and isinstance(errors[0], TransitionNotAllowed), errors
    assert errors[0].message == apps.ERR_NOT_DRAFT
    assert Application.objects.get(pk=application.pk).status == "submitted"
    assert len(_events(Verb.APPLICATION_TRANSITIONED, application)) == 1


def test_shipment_is_refused_or_precedes_the_suspension_when_both_happen_at_once(cast, monkeypatch):
    licence = licence_in(LicenceStatus.ISSUED, cast)
    goods = licence.goods.get()
    hold = _hold_in_record(monkeypatch, casework, workflow)

    outcomes = at_once(
        lambda: casework.licence_change_status(
            actor=cast.officer, licence_id=licence.pk, action="suspend", reason="Customs investigation"
        ),
        lambda: casework.shipment_record(
            actor=cast.exporter,
            licence_id=licence.pk,
            licensed_goods_id=goods.pk,
            shipped_on=timezone.localdate(),
            quantity=Decimal("1"),
            value_eur=Decimal("1000"),
        ),
    )

    assert hold.saw_a_waiter
    assert outcomes[0].error is None, outcomes[0].error
    assert Licence.objects.get(pk=licence.pk).status == LicenceStatus.SUSPENDED
    suspended = _events(Verb.LICENCE_TRANSITIONED, licence)
    shipped = _events(Verb.SHIPMENT_RECORDED, licence)
    if outcomes[1].error is None:
        # The shipment got the lock first: it was recorded while the licence was still issued.
        assert shipped[0].sequence < suspended[0].sequence
        assert Shipment.objects.filter(licence=licence).count() == 1
    else:
        assert isinstance(outcomes[1].error, TransitionNotAllowed)
        assert "suspended" in outcomes[1].error.message
        assert (shipped, Shipment.objects.filter(licence=licence).count()) == ([], 0)


def test_expiry_sweep_passes_over_a_licence_an_officer_is_revoking_when_both_run_at_once(cast, monkeypatch):
    licence = licence_in(LicenceStatus.ISSUED, cast)
    after_validity = licence.valid_until + timedelta(days=1)
    officer_holds_lock = threading.Event()
    sweep_done = threading.Event()
    real_record = workflow.record
    swept: dict[str, Any] = {}

    def record_after_the_sweep(**kwargs: Any) -> AuditEvent:
        if kwargs["verb"] == Verb.LICENCE_TRANSITIONED and kwargs["payload"]["action"] == "revoke":
            officer_holds_lock.set()  # the revocation holds the licence row until the sweep has run
            sweep_done.wait(timeout=10)
        return real_record(**kwargs)

    monkeypatch.setattr(workflow, "record", record_after_the_sweep)

    def revoke() -> None:
        try:
            casework.licence_change_status(actor=cast.officer, licence_id=licence.pk, action="revoke", reason="Breach")
        finally:
            connection.close()

    def sweep() -> None:
        try:
            officer_holds_lock.wait(timeout=10)
            swept["count"] = casework.licences_expire(today=after_validity)
        finally:
            sweep_done.set()
            connection.close()

    threads = [threading.Thread(target=revoke), threading.Thread(target=sweep)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)

    assert swept == {"count": 0}, "the sweep must skip the locked licence instead of waiting or expiring it"
    assert Licence.objects.get(pk=licence.pk).status == LicenceStatus.REVOKED
    assert casework.licences_expire(today=after_validity) == 0  # revoked is final: the next sweep leaves it
    assert [e.payload["action"] for e in _events(Verb.LICENCE_TRANSITIONED, licence)] == ["revoke"]
