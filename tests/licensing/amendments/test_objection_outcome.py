"""The decision on an objection takes effect (Awb 7:11): a refusal revoked on objection is reconsidered and can
then be approved through the decision gate (a licence is issued); an approval changed on objection becomes a new
version of the licence; an approval is never revoked on its own holder's objection."""

from __future__ import annotations

import datetime as dt
from datetime import date, datetime

import pytest
import time_machine

from core.exceptions import DecisionBlocked, DomainValidationError
from licensing.decision_gate import BlockerCode
from licensing.models import (
    AmendmentStatus,
    ApplicationStatus,
    DecisionStatus,
    Licence,
    LicenceAmendment,
)
from licensing.models.denials import DenialDirection, DenialNotification, DenialStatus
from licensing.services import casework
from licensing.services import objections as svc
from licensing.services.objections import ERR_CHANGE_REQUIRED, ERR_NO_REVOKING_APPROVAL
from tests.factories import criteria_clear
from tests.licensing.objections.builders import AMSTERDAM, refused_on
from tests.licensing.views.test_portal_helpers import licence_for

pytestmark = pytest.mark.django_db

SENT = datetime(2026, 3, 3, 10, 0)


def _at(day: date):  # type: ignore[no-untyped-def]
    return time_machine.travel(datetime(day.year, day.month, day.day, 12, 0, tzinfo=AMSTERDAM), tick=False)


def _heard_objection(application, exporter, officer2):  # type: ignore[no-untyped-def]
    objection = svc.decision_objection_file(
        actor=exporter, application_id=application.pk, grounds="The end user is the Ministry of Defence."
    )
    return svc.decision_objection_record_hearing(
        actor=officer2, objection_id=objection.pk, held_on=None, record_text="", waived_reason="Plainly founded."
    )


def test_a_refusal_revoked_on_objection_is_reconsidered_and_then_approved_through_the_gate(
    exporter_a, officer, officer2, senior
):
    application = refused_on(SENT, exporter=exporter_a, officer=officer, senior=senior)
    assert DenialNotification.objects.filter(
        application=application, direction=DenialDirection.OUTGOING, status=DenialStatus.ACTIVE
    ).exists()
    with _at(date(2026, 3, 20)):
        objection = _heard_objection(application, exporter_a, officer2)
        svc.decision_objection_decide(
            actor=officer2, objection_id=objection.pk, outcome="revoked", reasons="The end user was misread."
        )
        application.refresh_from_db()
        assert (application.status, application.decided_at) == (ApplicationStatus.UNDER_REVIEW, None)
        assert list(application.decisions.values_list("status", flat=True)) == [DecisionStatus.REVOKED]
        assert not DenialNotification.objects.filter(
            application=application, direction=DenialDirection.OUTGOING, status=DenialStatus.ACTIVE
        ).exists()
        # The new decision passes the gate like any other: the criteria must be assessed first.
        with pytest.raises(DecisionBlocked) as raised:
            casework.decision_propose(
                actor=officer2,
                application_id=application.pk,
                outcome="approve",
                justification="Reconsidered on objection.",
                valid_from=date(2026, 3, 20),
                valid_until=date(2028, 3, 19),
            )
        assert BlockerCode.CRITERIA_INCOMPLETE in [b.code for b in raised.value.blockers]
        criteria_clear(application, assessor=officer2)
        casework.decision_propose(
            actor=officer2,
            application_id=application.pk,
            outcome="approve",
            justification="Reconsidered on objection.",
            valid_from=date(2026, 3, 20),
            valid_until=date(2028, 3, 19),
        )
    application.refresh_from_db()
    assert application.status == ApplicationStatus.APPROVED
    assert Licence.objects.filter(application=application, status="issued").count() == 1


def test_an_approval_changed_on_objection_makes_a_new_licence_version(exporter_a, officer, officer2):
    with _at(date(2026, 3, 10)):
        licence = licence_for(exporter_a, officer, valid_from=dt.date(2026, 3, 10), valid_until=dt.date(2027, 3, 9))
    with _at(date(2026, 3, 20)):
        objection = _heard_objection(licence.application, exporter_a, officer2)
        with pytest.raises(DomainValidationError) as raised:
            svc.decision_objection_decide(
                actor=officer2, objection_id=objection.pk, outcome="changed", reasons="Two years, as asked."
            )
        assert raised.value.field_errors == {"licence_change": [ERR_CHANGE_REQUIRED]}
        svc.decision_objection_decide(
            actor=officer2,
            objection_id=objection.pk,
            outcome="changed",
            reasons="Two years, as asked.",
            licence_change={"new_valid_until": date(2028, 3, 9)},
        )
    licence.refresh_from_db()
    assert (licence.valid_until, licence.terms_version) == (date(2028, 3, 9), 2)
    amendment = LicenceAmendment.objects.get(licence=licence)
    assert (amendment.status, amendment.objection_id, amendment.requested_by_id) == (
        AmendmentStatus.APPROVED,
        objection.pk,
        exporter_a.pk,
    )


def test_an_approval_is_never_revoked_on_its_holders_objection(exporter_a, officer, officer2):
    with _at(date(2026, 3, 10)):
        licence = licence_for(exporter_a, officer)
    with _at(date(2026, 3, 20)):
        objection = _heard_objection(licence.application, exporter_a, officer2)
        with pytest.raises(DomainValidationError) as raised:
            svc.decision_objection_decide(actor=officer2, objection_id=objection.pk, outcome="revoked", reasons="x")
    assert raised.value.field_errors == {"outcome": [ERR_NO_REVOKING_APPROVAL]}
    licence.refresh_from_db()
    assert licence.status == "issued"
