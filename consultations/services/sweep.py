"""The beat-driven deadline sweep: reminders before each objection deadline, and "no objection raised in time"
once a deadline has passed.

Each item is claimed with a conditional UPDATE in its own short transaction, with its effect (notification,
audit event) in the same transaction (healthchecks' sendalerts pattern):
- two sweeps at once: the second UPDATE waits for the first one's row lock, then matches no row, so the effect
  happens once;
- a worker dying mid-way rolls back its claim with its effect, so the next sweep does the work;
- no lock is held longer than one item.

Treaty emergency brake: no "silence means consent" clause was found, so the register records that no objection
was raised in time; the obligation not to oppose then stands (../shared/domain/README.md).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from django.db import transaction
from django.utils import timezone

from audit.models import Verb
from audit.services import record
from core.notifications import notify
from licensing.models.treaty import TreatyParameterName
from licensing.services.treaty import parameter_on

from ..models.treaty import DEADLINE_RUNNING, NotificationDirection, NotificationStatus, Reminder, TreatyNotification
from .common import notification_link, senior_officers


@dataclass
class SweepResult:
    reminders_sent: int = 0
    no_objection_recorded: int = 0


def _owner(notification: TreatyNotification) -> Any | None:
    """Who acts on the notification: its assignee, or for an outgoing one the case's officer."""
    if notification.assignee is not None and notification.assignee.is_active:
        return notification.assignee
    application = notification.application
    if application is not None and application.assigned_to is not None and application.assigned_to.is_active:
        return application.assigned_to
    return None


@transaction.atomic(durable=True)
def _reminder_send(*, reminder_id: int, now: datetime, today: date) -> bool:
    # The claim: of two sweeps handed the same reminder, only one UPDATE matches (sent_at IS NULL). The WHERE
    # names only the reminder's own columns: PostgreSQL re-checks those on the row the other sweep committed,
    # whereas a condition through a join would be checked against the old snapshot and could match twice.
    claimed = Reminder.objects.filter(pk=reminder_id, sent_at__isnull=True).update(sent_at=now)
    if not claimed:
        return False
    reminder = Reminder.objects.select_related("notification__assignee", "notification__application__assigned_to").get(
        pk=reminder_id
    )
    notification = reminder.notification
    if notification.status not in DEADLINE_RUNNING or notification.objection_deadline < today:
        return False  # moot: the objection period is over; the claim keeps later sweeps from looking again
    owner = _owner(notification)
    escalate_from = parameter_on(TreatyParameterName.ESCALATION_DAYS, notification.received_on).as_int
    # Escalate when nobody is assigned, or when the deadline is close and the objection is still undecided.
    escalated = owner is None or reminder.offset_days <= escalate_from
    recipients = {u.pk: u for u in ([owner] if owner else []) + (senior_officers() if escalated else [])}
    days_left = notification.days_left(today)
    if escalated:
        Reminder.objects.filter(pk=reminder_id).update(escalated=True)
    notify(
        users=recipients.values(),
        title=(
            f"Treaty deadline {notification.objection_deadline.isoformat()}: {days_left} day(s) left "
            f"(notification from {notification.counterpart_id})"
        ),
        body=f"{notification.subject}. Status: {NotificationStatus(notification.status).label}.",
        link=notification_link(notification.pk),
        key=f"treaty-reminder:{reminder.pk}",
    )
    record(
        actor=None,
        verb=Verb.REMINDER_SENT,
        target=notification,
        payload={
            "reminder": reminder.pk,
            "offset_days": reminder.offset_days,
            "due_on": reminder.due_on,
            "days_left": days_left,
            "escalated": escalated,
            "recipients": sorted(recipients),
        },
    )
    return True


@transaction.atomic(durable=True)
def _no_objection_record(*, notification_id: int, today: date) -> bool:
    # The claim: only the sweep whose UPDATE moves the status records the event, so it is recorded once; an
    # officer sending an objection at the same moment holds the row lock, and then the status no longer matches.
    claimed = TreatyNotification.objects.filter(
        pk=notification_id, status__in=DEADLINE_RUNNING, objection_deadline__lt=today
    ).update(status=NotificationStatus.NO_OBJECTION_IN_TIME)
    if not claimed:
        return False
    notification = TreatyNotification.objects.select_related("assignee", "application__assigned_to").get(
        pk=notification_id
    )
    incoming = notification.direction == NotificationDirection.INCOMING
    who = "No objection was raised" if incoming else f"{notification.counterpart_id} raised no objection"
    record(
        actor=None,
        verb=Verb.NO_OBJECTION_RECORDED,
        target=notification,
        reason=f"{who} by the deadline of {notification.objection_deadline.isoformat()}.",
        payload={"deadline": notification.objection_deadline, "recorded_on": today},
    )
    owner = _owner(notification)
    notify(
        users=[owner] if owner else senior_officers(),
        title=f"{who} in time: notification from {notification.counterpart_id}" if incoming else f"{who} in time",
        body=f"{notification.subject}. Deadline {notification.objection_deadline.isoformat()}.",
        link=notification_link(notification.pk),
        key=f"treaty-no-objection:{notification.pk}",
    )
    return True


def deadlines_sweep(*, today: date | None = None) -> SweepResult:
    """Send due reminders and record passed deadlines. Safe to run twice, or twice at once."""
    today = today or timezone.localdate()
    now = timezone.now()
    result = SweepResult()
    # Candidates are read without locks; each is then claimed on its own.
    due = Reminder.objects.filter(
        sent_at__isnull=True,
        due_on__lte=today,
        notification__status__in=DEADLINE_RUNNING,
        notification__objection_deadline__gte=today,
    ).order_by("due_on", "pk")
    for reminder_id in list(due.values_list("pk", flat=True)):
        result.reminders_sent += _reminder_send(reminder_id=reminder_id, now=now, today=today)
    passed = TreatyNotification.objects.filter(status__in=DEADLINE_RUNNING, objection_deadline__lt=today)
    for notification_id in list(passed.values_list("pk", flat=True)):
        result.no_objection_recorded += _no_objection_record(notification_id=notification_id, today=today)
    return result
