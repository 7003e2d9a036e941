"""The brake binds (issue 13, item 5): an outgoing notification opens a window per notified party, and the decision on
the Dutch export waits until every window has closed or the party answered "no objection".

Worked out by hand from the treaty text ("at the latest within two months" of becoming aware, the last day itself
still in time) and consultations/deadlines.py (the same day number two calendar months on, clipped to the month's
end; no Algemene termijnenwet extension):
- France received the notification on Wednesday 31 December 2025: + 2 months = 28 February 2026 (a Saturday; 2026
  is not a leap year, so February has no 31st and no 29th). A decision on 28 February is still inside France's
  window; from Sunday 1 March 2026 the case can be decided.
- Germany received it on 15 January 2026: its window closes on 15 March 2026, so with both notified the case can be
  decided from 16 March 2026.
"""

from __future__ import annotations

from datetime import date

import pytest
import time_machine

from consultations.services.brake import brake_window_no_objection
from consultations.services.notifications import (
    ERR_HOME_NOT_PARTY,
    ERR_PROGRAMME_REQUIRED,
    ERR_SCOPE,
    notification_record_outgoing,
)
from consultations.services.objections import objection_receive
from consultations.services.sweep import deadlines_sweep
from core.exceptions import DomainValidationError
from licensing.decision_gate import BlockerCode, decidable_from, decision_gate
from licensing.models import ApplicationStatus, DecisionOutcome
from licensing.models.consultation import Consultation, ConsultationKind, ConsultationOutcome, ConsultationStatus
from licensing.services import casework
from parties.models import Membership
from tests.factories import submitted_application

pytestmark = pytest.mark.django_db

RECEIVED_FR = date(2025, 12, 31)
RECEIVED_DE = date(2026, 1, 15)


@pytest.fixture
def case(org_a, officer):  # type: ignore[no-untyped-def]
    return submitted_application(
        organisation=org_a, status=ApplicationStatus.UNDER_REVIEW, assigned_to=officer, criteria_cleared_by=officer
    )


def _notify(officer, case, parties, received_on, **overrides):  # type: ignore[no-untyped-def]
    values = {
        "subject_kind": "other_party_content",
        "subject": "Patrol vessel with French combat system to India",
        "third_country_id": "IN",
    }
    values.update(overrides)
    with time_machine.travel(date(2026, 1, 20), tick=False):
        return notification_record_outgoing(
            actor=officer, application_id=case.pk, counterpart_ids=parties, received_on=received_on, **values
        )


def _approval_codes(case):  # type: ignore[no-untyped-def]
    case.refresh_from_db()
    return [b.code for b in decision_gate(case, outcome=DecisionOutcome.APPROVE).blockers]


def test_each_notified_party_gets_its_own_window_with_the_treaty_deadline(officer, case):
    _notify(officer, case, ["FR"], RECEIVED_FR)
    _notify(officer, case, ["DE"], RECEIVED_DE)
    windows = Consultation.objects.filter(application=case, kind=ConsultationKind.BRAKE_WINDOW).order_by("opened_on")
    assert [(w.counterpart_id, w.opened_on, w.respond_by, w.status) for w in windows] == [
        ("FR", RECEIVED_FR, date(2026, 2, 28), ConsultationStatus.OPEN),
        ("DE", RECEIVED_DE, date(2026, 3, 15), ConsultationStatus.OPEN),
    ]
    case.refresh_from_db()
    assert case.status == ApplicationStatus.UNDER_REVIEW  # the officer keeps working the case meanwhile
    assert decidable_from(case, today=date(2026, 1, 20)) == date(2026, 3, 16)


def test_decision_on_the_last_day_of_the_window_is_blocked_and_the_day_after_allowed(officer, case):
    _notify(officer, case, ["FR"], RECEIVED_FR)
    with time_machine.travel(date(2026, 2, 28), tick=False):
        assert BlockerCode.CONSULTATION_OPEN in _approval_codes(case)
        assert decidable_from(case) == date(2026, 3, 1)
        with pytest.raises(Exception, match="France"):
            casework.decision_propose(
                actor=officer,
                application_id=case.pk,
                outcome=DecisionOutcome.APPROVE,
                justification="Criteria assessed; no concerns.",
                valid_from=date(2026, 2, 28),
                valid_until=date(2027, 2, 27),
            )
    with time_machine.travel(date(2026, 3, 1), tick=False):
        # Read from the stored closing day: no sweep has run, and the approval is free all the same.
        assert _approval_codes(case) == []
        assert decidable_from(case) is None
        casework.decision_propose(
            actor=officer,
            application_id=case.pk,
            outcome=DecisionOutcome.APPROVE,
            justification="Criteria assessed; no concerns; France raised no objection in its window.",
            valid_from=date(2026, 3, 1),
            valid_until=date(2027, 2, 28),
        )
    case.refresh_from_db()
    assert case.status == ApplicationStatus.APPROVED


def test_every_window_must_close_when_several_parties_were_notified(officer, case):
    _notify(officer, case, ["FR"], RECEIVED_FR)
    _notify(officer, case, ["DE"], RECEIVED_DE)
    with time_machine.travel(date(2026, 3, 15), tick=False):
        assert BlockerCode.CONSULTATION_OPEN in _approval_codes(case)  # France's is over, Germany's is not
    with time_machine.travel(date(2026, 3, 16), tick=False):
        assert _approval_codes(case) == []


def test_a_no_objection_answer_frees_the_decision_early(officer, case):
    [notification] = _notify(officer, case, ["FR"], RECEIVED_FR)
    with time_machine.travel(date(2026, 1, 22), tick=False):
        assert BlockerCode.CONSULTATION_OPEN in _approval_codes(case)
        brake_window_no_objection(
            actor=officer, notification_id=notification.pk, answered_on=date(2026, 1, 21), note="Letter ref. 12/26"
        )
        assert _approval_codes(case) == []
    window = Consultation.objects.get(application=case, kind=ConsultationKind.BRAKE_WINDOW)
    assert (window.status, window.outcome, window.concluded_on) == (
        ConsultationStatus.CONCLUDED,
        ConsultationOutcome.PARTNER_NO_OBJECTION,
        date(2026, 1, 21),
    )


def test_an_objection_ends_the_window_and_the_high_level_consultation_holds_the_case(officer, case):
    [notification] = _notify(officer, case, ["FR"], RECEIVED_FR)
    with time_machine.travel(date(2026, 2, 2), tick=False):
        objection_receive(
            actor=officer,
            notification_id=notification.pk,
            ground="direct_interests",
            reasons="Conflicts with an ongoing French programme in the region.",
            received_on=date(2026, 2, 2),
        )
    window = Consultation.objects.get(application=case, kind=ConsultationKind.BRAKE_WINDOW)
    assert window.outcome == ConsultationOutcome.OBJECTION_RAISED
    with time_machine.travel(date(2026, 3, 1), tick=False):  # past the window: the consultation still holds it
        assert BlockerCode.CONSULTATION_OPEN in _approval_codes(case)


def test_the_sweep_closes_a_passed_window_with_no_objection_in_time(officer, case):
    _notify(officer, case, ["FR"], RECEIVED_FR)
    deadlines_sweep(today=date(2026, 2, 28))
    assert Consultation.objects.get(application=case, kind=ConsultationKind.BRAKE_WINDOW).status == "open"
    deadlines_sweep(today=date(2026, 3, 1))
    window = Consultation.objects.get(application=case, kind=ConsultationKind.BRAKE_WINDOW)
    assert (window.status, window.outcome) == (ConsultationStatus.CONCLUDED, ConsultationOutcome.NO_OBJECTION_IN_TIME)


def test_notifications_are_refused_on_a_date_the_home_state_is_not_a_treaty_party(officer, case, nl_accession):
    Membership.objects.filter(pk=nl_accession.pk).update(since=date(2026, 1, 1))
    with pytest.raises(DomainValidationError) as excinfo:
        _notify(officer, case, ["FR"], RECEIVED_FR)  # 31 December 2025: the day before the accession
    assert excinfo.value.field_errors == {"received_on": [ERR_HOME_NOT_PARTY.format(day="2025-12-31")]}
    assert not Consultation.objects.filter(application=case).exists()
    assert len(_notify(officer, case, ["FR"], date(2026, 1, 1))) == 1  # the accession day itself


def test_the_objection_of_a_partner_is_refused_on_a_date_the_home_state_is_not_a_party(officer, case, nl_accession):
    [notification] = _notify(officer, case, ["FR"], RECEIVED_FR)
    Membership.objects.filter(pk=nl_accession.pk).update(until=date(2026, 1, 31))  # a (hypothetical) withdrawal
    with time_machine.travel(date(2026, 2, 2), tick=False), pytest.raises(DomainValidationError) as excinfo:
        objection_receive(
            actor=officer,
            notification_id=notification.pk,
            ground="direct_interests",
            reasons="Conflicts with an ongoing French programme.",
            received_on=date(2026, 2, 2),
        )
    assert list(excinfo.value.field_errors) == ["received_on"]


@pytest.mark.parametrize(
    ("overrides", "errors"),
    [
        ({"subject_kind": ""}, {"subject_kind": [ERR_SCOPE]}),
        ({"subject_kind": "home_state_content"}, {"subject_kind": [ERR_SCOPE]}),  # that is an incoming scope
        ({"subject_kind": "programme_product"}, {"programme": [ERR_PROGRAMME_REQUIRED]}),
    ],
)
def test_the_brakes_scope_must_be_stated(officer, case, overrides, errors):  # type: ignore[no-untyped-def]
    with pytest.raises(DomainValidationError) as excinfo:
        _notify(officer, case, ["FR"], RECEIVED_FR, **overrides)
    assert excinfo.value.field_errors == errors


def test_the_case_page_shows_the_day_from_which_it_can_be_decided(officer, case, client_for):
    _notify(officer, case, ["FR"], RECEIVED_FR)
    with time_machine.travel(date(2026, 2, 28), tick=False):
        page = client_for(officer).get(f"/casework/cases/{case.pk}/").content.decode()
    assert 'id="decidable-from"' in page
    assert "1 March 2026" in page


def test_the_case_officer_is_reminded_once_when_a_partners_window_closes(officer, case):
    """Through the one reminder engine (core.reminders): on the closing day (28 February) and the day after
    (1 March: "can be decided"), each once however often the sweep runs."""
    from consultations.services.reminders import brake_window_deadlines
    from core.models import DeadlineReminder, ReminderKind
    from core.reminders import reminders_send

    _notify(officer, case, ["FR"], RECEIVED_FR)
    for day in (date(2026, 2, 28), date(2026, 2, 28), date(2026, 3, 1)):
        reminders_send(deadlines=brake_window_deadlines(day), today=day)
    sent = DeadlineReminder.objects.filter(kind=ReminderKind.TREATY_WINDOW).order_by("-offset_days")
    assert [(r.deadline, r.offset_days, r.escalated) for r in sent] == [
        (date(2026, 2, 28), 0, False),
        (date(2026, 2, 28), -1, False),
    ]
    [deadline] = brake_window_deadlines(date(2026, 2, 28))
    assert deadline.recipient_ids == (officer.pk,)
    assert "can be decided from 1 March 2026" in str(deadline.title)


def test_officer_records_the_partners_no_objection_on_the_notification_page(officer, case, client_for):
    [notification] = _notify(officer, case, ["FR"], RECEIVED_FR)
    client = client_for(officer)
    with time_machine.travel(date(2026, 1, 22), tick=False):
        page = client.get(f"/consultations/notifications/{notification.pk}/").content.decode()
        assert "The party answered: no objection" in page
        bad = client.post(
            f"/consultations/notifications/{notification.pk}/no-objection/",
            {"expected_version": notification.version, "answered_on": "2025-12-30", "note": ""},
        )
        assert bad.status_code == 400  # before France received the notification: a field error, not a 500
        response = client.post(
            f"/consultations/notifications/{notification.pk}/no-objection/",
            {"expected_version": notification.version, "answered_on": "2026-01-21", "note": "Letter 12/26"},
        )
        assert response.status_code == 302
        assert _approval_codes(case) == []
