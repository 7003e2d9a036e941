"""Suspending and reinstating a holder's registration (general_licences.transitions): an officer with a reason,
audited and in the history; a suspended holder sees why and cannot file usage returns until it is reinstated."""

from __future__ import annotations

from datetime import date

import pytest
from django.utils.html import escape

from audit.models import AuditEvent, Verb
from core.exceptions import DomainValidationError, NotAllowed, StaleVersion, TransitionNotAllowed
from core.models import Notification
from general_licences.models import RegistrationStatus
from general_licences.services import (
    ERR_ALREADY_REGISTERED,
    ERR_REASON,
    ERR_SUSPENDED,
    general_licence_register,
    general_licence_registration_reinstate,
    general_licence_registration_suspend,
    usage_return_file,
)
from general_licences.transitions import registration_table_problems
from tests.general_licences.helpers import line, on, publish

pytestmark = pytest.mark.django_db

REASON = "Returns for 2026 show transfers to a recipient outside the licence's scope."


def _registered(officer, exporter):  # type: ignore[no-untyped-def]
    licence = publish(officer, requires_approval=False)
    with on(date(2026, 2, 10)):
        return general_licence_register(actor=exporter, licence_id=licence.pk)


def _file(exporter, registration):  # type: ignore[no-untyped-def]
    with on(date(2026, 7, 3)):
        return usage_return_file(
            actor=exporter, registration_id=registration.pk, period_start=date(2026, 1, 1), nil_return=False,
            lines=[line()],
        )  # fmt: skip


def test_the_registration_table_is_consistent():
    assert registration_table_problems() == []


def test_suspended_registration_cannot_file_a_return_until_it_is_reinstated(officer, exporter_a):
    registration = _registered(officer, exporter_a)
    with on(date(2026, 7, 1)):
        suspended = general_licence_registration_suspend(
            actor=officer, registration_id=registration.pk, reason=REASON, expected_version=1
        )
    assert suspended.status == RegistrationStatus.SUSPENDED
    with pytest.raises(TransitionNotAllowed) as raised:
        _file(exporter_a, registration)
    assert raised.value.message == str(ERR_SUSPENDED).format(reason=REASON)
    assert Notification.objects.filter(user=exporter_a, title__endswith="your registration is suspended").exists()
    # Still live: the company cannot get round it with a new registration.
    with on(date(2026, 7, 2)), pytest.raises(TransitionNotAllowed) as again:
        general_licence_register(actor=exporter_a, licence_id=registration.licence_id)
    assert again.value.message == str(ERR_ALREADY_REGISTERED)

    with on(date(2026, 7, 2)):
        general_licence_registration_reinstate(
            actor=officer, registration_id=registration.pk, reason="The recipient was within scope after all."
        )
    usage = _file(exporter_a, registration)
    assert (usage.period_start, usage.period_end) == (date(2026, 1, 1), date(2026, 6, 30))
    events = list(
        AuditEvent.objects.filter(target_type="general_licences.generallicenceregistration")
        .order_by("sequence")
        .values_list("verb", "payload__to")
    )
    assert events[-2:] == [
        (Verb.GENERAL_LICENCE_REGISTRATION_SUSPENDED, "suspended"),
        (Verb.GENERAL_LICENCE_REGISTRATION_REINSTATED, "approved"),
    ]
    history = [h.status for h in registration.history.order_by("history_id")]
    assert history[-2:] == ["suspended", "approved"]


def test_suspension_needs_a_reason_an_officer_and_the_current_version(officer, exporter_a):
    registration = _registered(officer, exporter_a)
    with pytest.raises(DomainValidationError) as raised:
        general_licence_registration_suspend(actor=officer, registration_id=registration.pk, reason=" ")
    assert raised.value.field_errors == {"reason": [str(ERR_REASON)]}
    with pytest.raises(NotAllowed):
        general_licence_registration_suspend(actor=exporter_a, registration_id=registration.pk, reason=REASON)
    with pytest.raises(StaleVersion):
        general_licence_registration_suspend(
            actor=officer, registration_id=registration.pk, reason=REASON, expected_version=7
        )
    with pytest.raises(TransitionNotAllowed):
        general_licence_registration_reinstate(actor=officer, registration_id=registration.pk, reason="Not suspended.")


def test_officer_suspends_on_the_page_and_the_holder_sees_why_without_a_filing_form(
    client_for, officer, exporter_a, exporter_b
):
    registration = _registered(officer, exporter_a)
    officer_client = client_for(officer)
    url = f"/casework/general-licences/registrations/{registration.pk}/suspend/"
    assert officer_client.post(url, {"version": "1"}).status_code == 400
    response = officer_client.post(url, {"version": "1", "reason": REASON})
    assert response.status_code == 302
    page = officer_client.get(f"/casework/general-licences/registrations/{registration.pk}/").content.decode()
    assert "Reinstate the registration" in page and escape(REASON) in page
    assert officer_client.post(url, {"version": "1", "reason": REASON}).status_code == 409  # stale form

    with on(date(2026, 7, 3)):
        portal = client_for(exporter_a).get(f"/portal/general-licences/registrations/{registration.pk}/")
    text = portal.content.decode()
    assert 'data-testid="suspension"' in text and escape(REASON) in text
    assert "File the return" not in text
    other = client_for(exporter_b).get(f"/portal/general-licences/registrations/{registration.pk}/")
    assert other.status_code == 404
