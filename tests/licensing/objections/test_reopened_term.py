"""A refusal revoked on objection sends the case back for a new decision: its Awb decision term runs again from the
day of the decision on the objection (licensing.services.clock.awb_term_start), worked out by hand below."""

from __future__ import annotations

from datetime import date, datetime

import pytest
import time_machine
from django.urls import reverse

from audit.models import AuditEvent, Verb
from licensing.models import Application, ApplicationStatus, ObjectionOutcome
from licensing.services import objections as svc
from tests.licensing.objections.builders import AMSTERDAM, refused_on

pytestmark = pytest.mark.django_db

SENT = datetime(2026, 3, 3, 10, 0)


def _at(day: date):  # type: ignore[no-untyped-def]
    return time_machine.travel(datetime(day.year, day.month, day.day, 12, 0, tzinfo=AMSTERDAM), tick=False)


def _revoke_on(application: Application, exporter, officer2, day: date, outcome=ObjectionOutcome.REVOKED):  # type: ignore[no-untyped-def]
    with _at(date(2026, 3, 20)):
        objection = svc.decision_objection_file(
            actor=exporter, application_id=application.pk, grounds="Criterion 7 does not apply."
        )
    with _at(day):
        svc.decision_objection_record_hearing(
            actor=officer2, objection_id=objection.pk, held_on=date(2026, 3, 27), record_text="Heard by phone."
        )
        return svc.decision_objection_decide(
            actor=officer2, objection_id=objection.pk, outcome=outcome, reasons="The refusal is revoked."
        )


def test_reopened_case_gets_a_new_term_from_the_objection_decision_extended_past_whit_monday(
    exporter_a, officer, senior, officer2, client_for
):
    refused = refused_on(SENT, exporter=exporter_a, officer=officer, senior=senior)
    first_deadline = refused.legal_deadline
    Application.objects.filter(pk=refused.pk).update(suspended_days=5)  # a suspension of the first term
    # Decided on Monday 30 March 2026. Awb 4:13(2): eight weeks from that day is Monday 25 May 2026, Whit Monday,
    # a holiday under Atw art. 3(1), so the term runs on to Tuesday 26 May 2026 (Atw art. 1). The five days the
    # first term was suspended do not carry over.
    _revoke_on(refused, exporter_a, officer2, date(2026, 3, 30))
    refused.refresh_from_db()
    assert refused.status == ApplicationStatus.UNDER_REVIEW
    assert refused.term_restarted_on == date(2026, 3, 30)
    assert refused.suspended_days == 0
    assert refused.legal_deadline == date(2026, 5, 26)
    assert refused.legal_deadline != first_deadline
    assert refused.received_on == date(2026, 3, 3)  # the first receipt stays for the processing-time reports
    event = AuditEvent.objects.filter(verb=Verb.APPLICATION_TRANSITIONED, payload__action="reconsider").get()
    assert event.payload["legal_deadline"]["to"] == "2026-05-26"
    assert event.payload["suspended_days_before"] == 5

    with _at(date(2026, 3, 31)):
        page = client_for(officer).get(reverse("casework:case_detail", args=[refused.pk])).content.decode()
    assert "The refusal was revoked on objection on 30 Mar 2026: the decision term runs again from that day" in page
    assert "26 May 2026" in page  # the legal deadline shown


def test_case_keeps_its_term_when_the_objection_is_unfounded(exporter_a, officer, senior, officer2):
    refused = refused_on(SENT, exporter=exporter_a, officer=officer, senior=senior)
    deadline = refused.legal_deadline
    _revoke_on(refused, exporter_a, officer2, date(2026, 3, 30), outcome=ObjectionOutcome.UPHELD)
    refused.refresh_from_db()
    assert refused.status == ApplicationStatus.REFUSED
    assert refused.term_restarted_on is None and refused.legal_deadline == deadline
