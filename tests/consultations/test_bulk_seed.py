"""The bulk register's consultations, denials and treaty notifications (seeding/bulk_consultations.py): what a seed
adds for the bulk applications, the open notifications with running deadlines and their reminders, idempotence,
and the sweep working on them."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from audit.models import AuditEvent, Verb
from audit.services import verify_chain
from consultations.deadlines import objection_deadline
from consultations.models.treaty import (
    DEADLINE_RUNNING,
    NotificationDirection,
    Reminder,
    TreatyNotification,
)
from consultations.services.sweep import deadlines_sweep
from licensing.assessment_rules import ART4_RESPONSE_PERIOD
from licensing.models import Application, ApplicationStatus, Decision
from licensing.models.consultation import Consultation, ConsultationKind, ConsultationStatus
from licensing.models.denials import DenialDirection, DenialMatch, DenialNotification, MatchDecision
from parties.memberships import is_member
from parties.models import Bloc
from seeding.bulk_consultations import bulk_seed_consultations, seeded_on
from seeding.bulk_licensing import bulk_seed_run

pytestmark = pytest.mark.django_db

SEED = 11


@pytest.fixture
def seeded():  # type: ignore[no-untyped-def]
    bulk_seed_run(applications=60, seed=SEED)
    return bulk_seed_consultations(seed=SEED, open_notifications=40)


def test_every_case_waiting_for_a_consultation_has_an_open_art4_consultation_when_seeded(seeded):
    pending = Application.objects.filter(
        reference__startswith=f"BULK-{SEED}-", status=ApplicationStatus.CONSULTATION_PENDING
    )
    assert pending.exists()
    for application in pending:
        [consultation] = Consultation.objects.filter(application=application)
        assert (consultation.kind, consultation.status) == (ConsultationKind.ART4_DENIAL, ConsultationStatus.OPEN)
        assert consultation.respond_by == consultation.opened_on + ART4_RESPONSE_PERIOD
        match = DenialMatch.objects.select_related("denial").get(consultation=consultation)
        assert match.decision == MatchDecision.CONFIRMED
        assert match.denial.direction == DenialDirection.INCOMING
        assert is_member(match.denial.issuing_state_id, Bloc.EU, match.denial.notified_on)
        assert match.denial.issuing_state_id != "NL"


def test_every_refused_case_is_notified_as_a_denial_per_ml_category_citing_its_criteria_when_seeded(seeded):
    refused = Application.objects.filter(reference__startswith=f"BULK-{SEED}-", status=ApplicationStatus.REFUSED)
    assert refused.exists()
    for application in refused:
        decision = Decision.objects.get(application=application)
        denials = DenialNotification.objects.filter(application=application, direction=DenialDirection.OUTGOING)
        assert sorted(d.ml_category_id for d in denials) == sorted(
            set(application.goods.values_list("ml_category_id", flat=True))
        )
        criteria = sorted(decision.criteria.values_list("number", flat=True))
        for denial in denials:
            assert sorted(denial.criteria.values_list("number", flat=True)) == criteria
            assert denial.notified_on == timezone.localtime(application.decided_at).date()


def test_open_notifications_have_running_deadlines_and_the_reminders_of_the_rule_when_seeded(seeded):
    today = timezone.localdate()
    opened = TreatyNotification.objects.filter(their_reference__startswith=f"BULK-{SEED}-OPEN-")
    assert opened.count() == 40
    assert seeded_on(SEED) == today
    for notification in opened:
        assert notification.status in DEADLINE_RUNNING
        assert notification.received_on <= today < notification.received_on + timedelta(days=62)
        assert notification.received_on.weekday() < 5
        assert notification.objection_deadline == objection_deadline(notification.received_on, 2) >= today
        reminders = list(notification.reminders.order_by("due_on"))
        if notification.direction == NotificationDirection.OUTGOING:
            assert reminders == []  # their window, not ours
            continue
        recorded = timezone.localtime(notification.created_at).date()
        expected = [o for o in (20, 10, 5, 1) if notification.objection_deadline - timedelta(days=o) >= recorded]
        assert [r.offset_days for r in reminders] == expected
        for reminder in reminders:
            assert reminder.due_on == notification.objection_deadline - timedelta(days=reminder.offset_days)
            assert (reminder.sent_at is not None) == (reminder.due_on < today)


def _counts() -> tuple[int, ...]:
    models = (TreatyNotification, Reminder, DenialNotification, Consultation, AuditEvent)
    return tuple(model.objects.count() for model in models)  # type: ignore[attr-defined]


def test_seeding_again_adds_nothing_and_the_audit_chain_holds_when_the_seed_is_the_same(seeded):
    before = _counts()
    again = bulk_seed_consultations(seed=SEED, open_notifications=40)
    assert [rows for name, rows in again.items() if name != "seconds" and rows] == []
    assert _counts() == before
    assert seeded["consultations.TreatyNotification"] == before[0]
    assert verify_chain().ok


def test_sweep_the_day_after_seeding_sends_that_days_reminders_and_ends_yesterdays_deadlines(seeded):
    tomorrow = timezone.localdate() + timedelta(days=1)
    running = {"notification__status__in": DEADLINE_RUNNING, "notification__objection_deadline__gte": tomorrow}
    due = Reminder.objects.filter(sent_at__isnull=True, due_on__lte=tomorrow, **running).count()
    passing = TreatyNotification.objects.filter(status__in=DEADLINE_RUNNING, objection_deadline__lt=tomorrow).count()
    events = AuditEvent.objects.filter(verb__in=[Verb.REMINDER_SENT, Verb.NO_OBJECTION_RECORDED]).count()

    result = deadlines_sweep(today=tomorrow)

    assert (result.reminders_sent, result.no_objection_recorded) == (due, passing)
    assert AuditEvent.objects.filter(verb__in=[Verb.REMINDER_SENT, Verb.NO_OBJECTION_RECORDED]).count() == (
        events + due + passing
    )
    assert not Reminder.objects.filter(sent_at__isnull=True, due_on__lte=tomorrow, **running).exists()
