"""The bulk register's consultations, denials and treaty notifications (seeding/bulk_consultations.py): what a seed
adds for the bulk applications, the open notifications with running deadlines and their reminders, idempotence,
and the sweep working on them."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.utils import timezone

from audit.models import AuditEvent, Verb
from audit.services import verify_chain
from consultations.deadlines import objection_deadline
from consultations.models.treaty import DEADLINE_RUNNING, NotificationDirection, TreatyNotification
from consultations.services.sweep import deadlines_sweep
from core.models import DeadlineReminder, ReminderKind
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


POINTS = (20, 10, 5, 1)  # the reminder points in force (data/reference/treaty_parameters.csv)


def _latest_point(deadline: date, day: date) -> int | None:
    """Worked by hand, day by day: the smallest point whose date (deadline - point) has come."""
    due = [p for p in POINTS if deadline - timedelta(days=p) <= day]
    return min(due) if due else None


def _claims(notification: TreatyNotification) -> dict[int, date]:
    rows = DeadlineReminder.objects.filter(
        kind=ReminderKind.TREATY_OBJECTION, subject=f"treaty_notification:{notification.pk}"
    )
    return {r.offset_days: timezone.localtime(r.sent_at).date() for r in rows}


def test_open_notifications_have_running_deadlines_and_the_reminders_a_daily_sweep_sent_when_seeded(seeded):
    today = timezone.localdate()
    opened = TreatyNotification.objects.filter(their_reference__startswith=f"BULK-{SEED}-OPEN-")
    assert opened.count() == 40
    assert seeded_on(SEED) == today
    sent_some = False
    for notification in opened:
        assert notification.status in DEADLINE_RUNNING
        assert notification.received_on <= today < notification.received_on + timedelta(days=62)
        assert notification.received_on.weekday() < 5
        deadline = notification.objection_deadline
        assert deadline == objection_deadline(notification.received_on, 2) >= today
        claims = _claims(notification)
        if notification.direction == NotificationDirection.OUTGOING:
            assert claims == {}  # their window, not ours
            continue
        # A sweep every day from the recording day up to yesterday sent the latest point due that day, once.
        recorded = timezone.localtime(notification.created_at).date()
        expected: dict[int, date] = {}
        day = recorded
        while day < today:
            point = _latest_point(deadline, day)
            if point is not None:
                expected.setdefault(point, day)
            day += timedelta(days=1)
        assert claims == expected
        sent_some = sent_some or bool(claims)
    assert sent_some


def _counts() -> tuple[int, ...]:
    models = (TreatyNotification, DeadlineReminder, DenialNotification, Consultation, AuditEvent)
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
    running = TreatyNotification.objects.filter(
        direction=NotificationDirection.INCOMING, status__in=DEADLINE_RUNNING, objection_deadline__gte=tomorrow
    )
    due = sum(
        1
        for n in running
        if (point := _latest_point(n.objection_deadline, tomorrow)) is not None and point not in _claims(n)
    )
    passing = TreatyNotification.objects.filter(status__in=DEADLINE_RUNNING, objection_deadline__lt=tomorrow).count()
    claims = DeadlineReminder.objects.filter(kind=ReminderKind.TREATY_OBJECTION)
    before = claims.count()
    recorded = AuditEvent.objects.filter(verb=Verb.NO_OBJECTION_RECORDED).count()

    result = deadlines_sweep(today=tomorrow)

    assert claims.count() == before + due
    assert result.reminders_sent >= due  # and the bulk cases' own deadlines (Awb term, answer-by dates, ...)
    assert result.no_objection_recorded == passing
    assert AuditEvent.objects.filter(verb=Verb.NO_OBJECTION_RECORDED).count() == recorded + passing
    assert deadlines_sweep(today=tomorrow).reminders_sent == 0
