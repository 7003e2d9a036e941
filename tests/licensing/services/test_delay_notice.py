"""Awb 4:14(3): the notice of delay. A case received on Mon 12 Jan 2026 has its legal term on Mon 9 Mar 2026
(eight weeks, Awb 4:13); the officer is prompted from 14 days before, Mon 23 Feb."""

from __future__ import annotations

from datetime import date

import pytest
import time_machine
from django.urls import reverse

from audit.models import AuditEvent, Verb
from core.exceptions import DomainValidationError
from core.models import Notification
from licensing.models import ApplicationStatus
from licensing.selectors import delay_notices_of
from licensing.services.awb import ERR_NEW_DATE, delay_notice_due, delay_notice_send
from tests.factories import submitted_application

pytestmark = pytest.mark.django_db

RECEIVED = date(2026, 1, 12)
TERM = date(2026, 3, 9)


@pytest.fixture
def case(org_a, officer):  # type: ignore[no-untyped-def]
    with time_machine.travel(RECEIVED, tick=False):
        application = submitted_application(
            organisation=org_a, status=ApplicationStatus.UNDER_REVIEW, assigned_to=officer
        )
    assert application.legal_deadline == TERM
    return application


@pytest.mark.parametrize(("today", "prompted"), [(date(2026, 2, 22), False), (date(2026, 2, 23), True)])
def test_officer_is_prompted_from_fourteen_days_before_the_term_when_no_notice_was_sent(case, today, prompted):
    assert delay_notice_due(case, today=today, notices=[]) is prompted


@pytest.mark.parametrize(("new_date", "accepted"), [(TERM, False), (date(2026, 3, 10), True)])
def test_new_expected_date_must_lie_after_the_legal_term_when_the_notice_is_sent(case, officer, new_date, accepted):
    with time_machine.travel(date(2026, 2, 25), tick=False):
        if not accepted:
            with pytest.raises(DomainValidationError) as excinfo:
                delay_notice_send(
                    actor=officer, application_id=case.pk, new_expected_on=new_date, reason="Consulting France."
                )
            assert excinfo.value.field_errors == {"new_expected_on": [ERR_NEW_DATE.format(deadline="9 March 2026")]}
            return
        notice = delay_notice_send(
            actor=officer, application_id=case.pk, new_expected_on=new_date, reason="Consulting France."
        )
    assert (notice.sent_on, notice.legal_deadline, notice.new_expected_on) == (date(2026, 2, 25), TERM, new_date)
    case.refresh_from_db()
    assert case.legal_deadline == TERM  # the legal term itself does not move
    assert delay_notice_due(case, today=date(2026, 2, 26), notices=delay_notices_of(case)) is False
    assert AuditEvent.objects.filter(verb=Verb.DELAY_NOTIFIED, target_id=str(case.pk)).count() == 1
    assert Notification.objects.filter(user__organisation=case.organisation, title__contains="4:14(3)").exists()


@time_machine.travel(date(2026, 2, 25), tick=False)
def test_exporter_sees_the_notice_and_the_new_date_when_opening_the_case(client_for, case, exporter_a, officer):
    page = reverse("casework:case_delay_notice", args=[case.pk])
    officer_client = client_for(officer)
    assert (
        "Send a notice of delay" in officer_client.get(reverse("casework:case_detail", args=[case.pk])).content.decode()
    )
    bad = officer_client.post(page, {"new_expected_on": "2026-03-09", "reason": "Consulting.", "version": case.version})
    assert bad.status_code == 400
    officer_client.post(
        page, {"new_expected_on": "2026-04-20", "reason": "France is consulted (Art. 4).", "version": case.version}
    )
    content = client_for(exporter_a).get(reverse("portal:application_detail", args=[case.pk])).content.decode()
    assert "It now expects to decide by <strong>Monday 20 April 2026</strong>" in content
    assert "France is consulted (Art. 4)." in content


def test_exporters_cannot_send_a_notice_of_delay(client_for, case, exporter_a, exporter_b):
    page = reverse("casework:case_delay_notice", args=[case.pk])
    assert client_for(exporter_a).get(page).status_code in (403, 404)
    assert client_for(exporter_b).post(page, {}).status_code in (403, 404)
