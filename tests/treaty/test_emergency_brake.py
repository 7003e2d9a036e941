"""The emergency brake through the services: deadlines stored on notifications, objections with four eyes, the
deadline enforced to the day, and the high-level consultation. Dates worked out by hand."""

from __future__ import annotations

from datetime import date

import pytest
import time_machine
from django.db import IntegrityError, transaction

from audit.models import AuditEvent, Verb
from consultations.models.treaty import NotificationStatus, Objection, ObjectionStatus, TreatyNotification
from consultations.services.high_level import consultation_conclude, consultation_meeting_record
from consultations.services.notifications import (
    ERR_AWARE_FUTURE,
    ERR_COUNTERPART_NOT_PARTY,
    ERR_THIRD_COUNTRY,
    notification_record_incoming,
)
from consultations.services.objections import (
    ERR_DEADLINE_PASSED,
    ERR_NOT_SENIOR,
    ERR_OWN_OBJECTION,
    objection_approve,
    objection_propose,
    objection_return,
    objection_send,
)
from core.exceptions import DomainValidationError, NotAllowed, TransitionNotAllowed
from licensing.models.consultation import ConsultationKind, ConsultationStatus

pytestmark = pytest.mark.django_db


def incoming(officer, *, received_on: date, **overrides) -> TreatyNotification:  # type: ignore[no-untyped-def]
    values = {
        "counterpart_id": "FR",
        "subject_kind": "home_state_content",
        "subject": "Frigate with Dutch radar to Indonesia",
        "third_country_id": "ID",
        "received_on": received_on,
        "assignee": officer,
    }
    values.update(overrides)
    with time_machine.travel(received_on, tick=False):
        return notification_record_incoming(actor=officer, **values)


@pytest.mark.parametrize(
    ("aware_on", "deadline"),
    [
        (date(2024, 12, 31), date(2025, 2, 28)),  # February 2025 has no 31st: its last day
        (date(2025, 1, 31), date(2025, 3, 31)),  # March has a 31st
        (date(2024, 2, 29), date(2024, 4, 29)),  # the day number is kept, not moved to the month's end
    ],
)
def test_deadline_is_two_calendar_months_on_when_a_notification_is_recorded(officer, aware_on, deadline):
    notification = incoming(officer, received_on=aware_on)
    notification.refresh_from_db()
    assert notification.objection_deadline == deadline
    assert notification.objection_period_months == 2
    assert f"{aware_on.isoformat()} + 2 months = {deadline.isoformat()}" in notification.deadline_rule
    assert "Algemene termijnenwet does not move it" in notification.deadline_rule


def test_deadline_on_a_saturday_stays_there_when_a_dutch_term_would_move(officer):
    # 2025-03-01 is a Saturday: a treaty deadline, so no Atw extension to Monday 3 March.
    notification = incoming(officer, received_on=date(2025, 1, 1))
    assert notification.objection_deadline == date(2025, 3, 1)


def test_reminder_points_are_20_10_5_and_1_days_before_the_deadline_when_a_notification_is_recorded(officer):
    from consultations.selectors import notification_reminders

    notification = incoming(officer, received_on=date(2024, 12, 31))  # deadline 2025-02-28
    assert [(r.offset_days, r.due_on, r.sent_at) for r in notification_reminders(notification=notification)] == [
        (20, date(2025, 2, 8), None),
        (10, date(2025, 2, 18), None),
        (5, date(2025, 2, 23), None),
        (1, date(2025, 2, 27), None),
    ]


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"counterpart_id": "IT"}, "counterpart", ERR_COUNTERPART_NOT_PARTY.format(country="Italy", day="2025-03-03")),
        ({"third_country_id": "DE"}, "third_country", ERR_THIRD_COUNTRY.format(country="Germany", day="2025-03-03")),
    ],
)
def test_notification_is_refused_when_the_states_do_not_fit_the_treaty(officer, overrides, field, message):
    with pytest.raises(DomainValidationError) as excinfo:
        incoming(officer, received_on=date(2025, 3, 3), **overrides)
    assert excinfo.value.field_errors[field] == [message]


def test_notification_is_refused_when_the_awareness_date_is_in_the_future(officer):
    with time_machine.travel(date(2025, 3, 3), tick=False), pytest.raises(DomainValidationError) as excinfo:
        notification_record_incoming(
            actor=officer,
            counterpart_id="FR",
            subject_kind="home_state_content",
            subject="Radar",
            third_country_id="ID",
            received_on=date(2025, 3, 4),
        )
    assert excinfo.value.field_errors == {"received_on": [ERR_AWARE_FUTURE]}


def test_objection_is_refused_with_the_deadline_when_sent_the_day_after_it(officer, senior):
    notification = incoming(officer, received_on=date(2025, 1, 31))  # deadline 2025-03-31
    with time_machine.travel(date(2025, 3, 31), tick=False):  # the deadline day itself is still in time
        objection = objection_propose(
            actor=officer, notification_id=notification.pk, ground="national_security", reasons="Sensitive radar."
        )
        objection_approve(actor=senior, objection_id=objection.pk)
    with time_machine.travel(date(2025, 4, 1), tick=False), pytest.raises(TransitionNotAllowed) as excinfo:
        objection_send(actor=officer, objection_id=objection.pk)
    assert excinfo.value.message == ERR_DEADLINE_PASSED.format(deadline="2025-03-31", action="sent", months=2)
    assert "2025-03-31 and has passed" in excinfo.value.message
    objection.refresh_from_db()
    assert objection.status == ObjectionStatus.APPROVED
    assert not AuditEvent.objects.filter(verb=Verb.OBJECTION_SENT).exists()


def test_objection_cannot_be_proposed_when_the_deadline_passed_yesterday(officer):
    notification = incoming(officer, received_on=date(2024, 12, 31))  # deadline 2025-02-28
    with time_machine.travel(date(2025, 3, 1), tick=False), pytest.raises(TransitionNotAllowed) as excinfo:
        objection_propose(actor=officer, notification_id=notification.pk, ground="direct_interests", reasons="x")
    assert excinfo.value.message == ERR_DEADLINE_PASSED.format(deadline="2025-02-28", action="proposed", months=2)


def test_objection_needs_a_second_senior_officer_when_a_senior_proposed_it(officer, senior):
    notification = incoming(officer, received_on=date(2026, 10, 1))
    with time_machine.travel(date(2026, 10, 2), tick=False):
        objection = objection_propose(
            actor=senior, notification_id=notification.pk, ground="national_security", reasons="Sensitive radar."
        )
        with pytest.raises(NotAllowed) as own:
            objection_approve(actor=senior, objection_id=objection.pk)
        with pytest.raises(NotAllowed) as not_senior:
            objection_approve(actor=officer, objection_id=objection.pk)
    assert own.value.message == ERR_OWN_OBJECTION
    assert not_senior.value.message == ERR_NOT_SENIOR
    objection.refresh_from_db()
    assert objection.status == ObjectionStatus.PROPOSED


def test_database_refuses_an_objection_approved_by_its_proposer_when_the_service_is_bypassed(officer, senior):
    notification = incoming(officer, received_on=date(2026, 10, 1))
    with time_machine.travel(date(2026, 10, 2), tick=False):
        objection = objection_propose(
            actor=senior, notification_id=notification.pk, ground="direct_interests", reasons="x"
        )
    with pytest.raises(IntegrityError), transaction.atomic():
        Objection.objects.filter(pk=objection.pk).update(approved_by=senior)


def test_objection_can_be_proposed_again_when_a_senior_sent_it_back(officer, senior):
    notification = incoming(officer, received_on=date(2026, 10, 1))
    with time_machine.travel(date(2026, 10, 2), tick=False):
        first = objection_propose(
            actor=officer, notification_id=notification.pk, ground="direct_interests", reasons="x"
        )
        objection_return(actor=senior, objection_id=first.pk, reason="Name the programme concerned.")
        notification.refresh_from_db()
        assert notification.status == NotificationStatus.OPEN
        second = objection_propose(
            actor=officer, notification_id=notification.pk, ground="direct_interests", reasons="Programme X."
        )
    assert second.status == ObjectionStatus.PROPOSED


def test_sending_opens_a_high_level_consultation_that_records_its_outcome_and_duration(officer, senior):
    notification = incoming(officer, received_on=date(2026, 9, 1))  # deadline 2026-11-01
    with time_machine.travel(date(2026, 10, 1), tick=False):
        objection = objection_propose(
            actor=officer, notification_id=notification.pk, ground="national_security", reasons="Sensitive radar."
        )
        objection_approve(actor=senior, objection_id=objection.pk, reason="Agreed.")
        objection_send(actor=officer, objection_id=objection.pk)
    objection.refresh_from_db()
    consultation = objection.consultation
    assert consultation is not None
    assert (objection.status, objection.sent_on) == (ObjectionStatus.SENT, date(2026, 10, 1))
    assert (consultation.kind, consultation.status, consultation.opened_on) == (
        ConsultationKind.HIGH_LEVEL,
        ConsultationStatus.OPEN,
        date(2026, 10, 1),
    )
    assert consultation.counterpart_id == "FR"
    with time_machine.travel(date(2026, 10, 20), tick=False):
        consultation_meeting_record(
            actor=officer,
            consultation_id=consultation.pk,
            held_on=date(2026, 10, 15),
            participants="NL and FR export control directors",
            alternatives_proposed="Deliver the radar without its ECCM module.",
        )
        consultation_conclude(
            actor=officer,
            consultation_id=consultation.pk,
            outcome="consensus",
            outcome_text="Radar delivered without the ECCM module.",
        )
    consultation.refresh_from_db()
    notification.refresh_from_db()
    assert (consultation.outcome, consultation.concluded_on, consultation.duration_days) == (
        "consensus",
        date(2026, 10, 20),
        19,
    )
    assert notification.status == NotificationStatus.CLOSED
    story = list(
        AuditEvent.objects.filter(target_type="consultations.treatynotification", target_id=str(notification.pk))
        .order_by("sequence")
        .values_list("verb", flat=True)
    )
    assert story == [
        Verb.NOTIFICATION_RECORDED,
        Verb.OBJECTION_PROPOSED,
        Verb.OBJECTION_APPROVED,
        Verb.OBJECTION_SENT,
        Verb.CONSULTATION_OPENED,
        Verb.CONSULTATION_MEETING_RECORDED,
        Verb.CONSULTATION_CONCLUDED,
    ]


def test_each_party_concerned_gets_its_own_window_when_an_outgoing_notification_is_recorded(officer, org_a):
    from consultations.models.treaty import NotificationDirection
    from consultations.services.notifications import ERR_DUPLICATE_OUTGOING, notification_record_outgoing
    from consultations.services.sweep import deadlines_sweep
    from tests.factories import submitted_application

    application = submitted_application(organisation=org_a, assigned_to=officer)
    with time_machine.travel(date(2026, 10, 30), tick=False):
        created = notification_record_outgoing(
            actor=officer,
            application_id=application.pk,
            counterpart_ids=["FR", "DE"],
            subject_kind="other_party_content",
            subject="Patrol vessel with French and German systems to India",
            third_country_id="IN",
            received_on=date(2026, 10, 30),
        )
        with pytest.raises(DomainValidationError) as duplicate:
            notification_record_outgoing(
                actor=officer,
                application_id=application.pk,
                counterpart_ids=["FR"],
                subject_kind="other_party_content",
                subject="Again",
                third_country_id="IN",
                received_on=date(2026, 10, 30),
            )
    assert duplicate.value.field_errors == {"counterparts": [ERR_DUPLICATE_OUTGOING.format(country="FR")]}
    assert sorted((n.counterpart_id, n.direction, n.objection_deadline) for n in created) == [
        ("DE", NotificationDirection.OUTGOING, date(2026, 12, 30)),
        ("FR", NotificationDirection.OUTGOING, date(2026, 12, 30)),
    ]
    from consultations.selectors import notification_reminders
    from consultations.services.reminders import objection_deadlines

    assert not any(notification_reminders(notification=n) for n in created)  # their window, not ours
    assert objection_deadlines(date(2026, 12, 29)) == []
    deadlines_sweep(today=date(2026, 12, 31))
    events = AuditEvent.objects.filter(verb=Verb.NO_OBJECTION_RECORDED).order_by("target_id")
    assert sorted(e.reason for e in events) == [
        "DE raised no objection by the deadline of 2026-12-30.",
        "FR raised no objection by the deadline of 2026-12-30.",
    ]
