"""The beat-driven deadline sweep: reminders before each objection deadline, and "no objection raised in time"
once a deadline has passed.

Items are claimed in small batches, each batch in its own short transaction with its effects (in-app
notifications, outbox e-mails, audit events), in the claim-with-a-conditional-write pattern of healthchecks'
sendalerts, made set-based so that a day's work at register scale (thousands of items) takes seconds:
- the claim locks the batch's rows that are still due, skipping rows another transaction holds
  (SELECT ... FOR UPDATE SKIP LOCKED), and marks them done in the same transaction;
- two sweeps at once: each claims only rows the other has not locked, and a row the other already committed no
  longer matches the condition (PostgreSQL re-checks it on the newest row version), so every effect happens once;
- an officer's transaction holding a notification (an objection being sent) is never waited for: the sweep
  leaves that row to its next run, an hour later, when the officer's change is committed and re-checked;
- a worker dying mid-way rolls back its batch's claims with their effects, so the next sweep does that work;
- no row stays locked longer than one batch (BATCH_SIZE items, well under a second), and the audit chain's head
  row only while the batch's events are appended, just before commit.

Treaty emergency brake: no "silence means consent" clause was found, so the register records that no objection
was raised in time; the obligation not to oppose then stands (../shared/domain/README.md).
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from functools import cache
from typing import Any

from django.db import IntegrityError, connection, transaction
from django.db.models import Case, F, Value, When
from django.utils import timezone

from audit.models import Verb
from audit.services import PendingEvent, record_many
from core.models import OutboxStatus
from core.notifications import enqueue_outbox
from licensing.models.treaty import TreatyParameterName
from licensing.services.treaty_parameters import parameter_on

from ..models.treaty import DEADLINE_RUNNING, NotificationDirection, NotificationStatus, Reminder, TreatyNotification
from .brake import brake_windows_close_passed
from .common import notification_link, senior_officers

# Items per claim transaction: large enough that a day's thousands of items take a few dozen round trips,
# small enough that a batch's row locks last a moment (bench/sweep.py reports the longest transaction).
BATCH_SIZE = 250
NOTIFICATION_TARGET = TreatyNotification._meta.label_lower


@dataclass
class SweepResult:
    reminders_sent: int = 0
    no_objection_recorded: int = 0


@dataclass(frozen=True)
class _Person:
    pk: int
    email: str


@dataclass
class _Run:
    """What one sweep reads once rather than per item."""

    today: date
    now: datetime
    _seniors: list[_Person] | None = None
    _escalation: dict[date, int] = field(default_factory=dict)
    _labels: dict[str, str] = field(default_factory=dict)

    def seniors(self) -> list[_Person]:
        if self._seniors is None:
            self._seniors = [_Person(u.pk, u.email) for u in senior_officers()]
        return self._seniors

    def status_label(self, status: str) -> str:
        if status not in self._labels:
            self._labels[status] = str(NotificationStatus(status).label)
        return self._labels[status]

    def escalate_from(self, received_on: date) -> int:
        """The escalation point in force on the day of becoming aware, as when the reminders were scheduled."""
        if received_on not in self._escalation:
            parameter = parameter_on(TreatyParameterName.ESCALATION_DAYS, received_on)
            self._escalation[received_on] = parameter.as_int
        return self._escalation[received_on]


@dataclass(frozen=True)
class _Message:
    users: list[_Person]
    title: str
    body: str
    link: str
    key: str


# The columns read with each claimed row, through the notification: who acts on it is its assignee, or for an
# outgoing one the case's officer (only if active). Plain values, not model instances: a day's work is thousands.
_NOTIFICATION_COLUMNS = (
    "pk",
    "status",
    "direction",
    "objection_deadline",
    "received_on",
    "counterpart_id",
    "subject",
    "assignee_id",
    "assignee__email",
    "assignee__is_active",
    "application__assigned_to_id",
    "application__assigned_to__email",
    "application__assigned_to__is_active",
)


@dataclass(frozen=True)
class _Notice:
    pk: int
    status: str
    direction: str
    objection_deadline: date
    received_on: date
    counterpart_id: str
    subject: str
    owner: _Person | None

    @classmethod
    def from_row(cls, row: Sequence[Any]) -> _Notice:
        pk, status, direction, deadline, received_on, counterpart, subject, *people = row
        assignee, assignee_email, assignee_active, officer, officer_email, officer_active = people
        owner = None
        if assignee is not None and assignee_active:
            owner = _Person(assignee, assignee_email)
        elif officer is not None and officer_active:
            owner = _Person(officer, officer_email)
        return cls(pk, status, direction, deadline, received_on, counterpart, subject, owner)


@cache
def _to(email: str) -> str:
    return json.dumps([email])  # the outbox's "to" (JSON); a few officers receive thousands of these a day


def _notify_all(messages: Sequence[_Message], *, now: datetime) -> None:
    """core.notifications.notify for many messages at once, in the caller's transaction: the in-app
    notifications, and one outbox e-mail per user and key (a key already written is kept, as notify's
    get_or_create does); the new e-mails go to Celery after commit.

    COPY rather than INSERT: a day's sweep writes tens of thousands of these rows, and COPY costs about half
    (no per-value quoting into the statement)."""
    people = [(m, u) for m in messages for u in m.users]
    if not people:
        return
    mails = [(f"{m.key}:{u.pk}", _to(u.email), m.title, f"{m.body}\n\n{m.link}") for m, u in people if u.email]
    pending = OutboxStatus.PENDING.value
    with connection.cursor() as cursor, connection.wrap_database_errors:
        with cursor.cursor.copy("COPY core_notification (user_id, title, body, link, created_at) FROM STDIN") as copy:
            for m, u in people:
                copy.write_row((u.pk, m.title, m.body, m.link, now))
        if not mails:
            return
        cursor.execute(
            "SELECT nextval(pg_get_serial_sequence('core_outboxmessage', 'id')) FROM generate_series(1, %s)",
            [len(mails)],
        )
        ids = [row[0] for row in cursor.fetchall()]
        try:
            # A savepoint: a key already written (a reminder re-sent by hand) fails this COPY, not the batch.
            with (
                transaction.atomic(),
                connection.wrap_database_errors,  # psycopg's UniqueViolation as Django's IntegrityError
                cursor.cursor.copy(
                    'COPY core_outboxmessage (id, key, "to", subject, body, status, attempts, last_error, created_at) '
                    "FROM STDIN"
                ) as copy,
            ):
                for pk, (key, to, subject, body) in zip(ids, mails, strict=True):
                    copy.write_row((pk, key, to, subject, body, pending, 0, "", now))
            created_ids = ids
        except IntegrityError:  # then write only the keys that are not there yet
            cursor.execute(
                'INSERT INTO core_outboxmessage (id, key, "to", subject, body, status, attempts, last_error, '
                "created_at) SELECT i, k, t::jsonb, s, b, %s, 0, '', %s FROM unnest(%s::bigint[], %s::text[], "
                "%s::text[], %s::text[], %s::text[]) AS m(i, k, t, s, b) ON CONFLICT (key) DO NOTHING RETURNING id",
                [pending, now, ids, *(list(column) for column in zip(*mails, strict=True))],
            )
            created_ids = [row[0] for row in cursor.fetchall()]
    if created_ids:
        transaction.on_commit(lambda: enqueue_outbox(created_ids))


def _recipients(owner: _Person | None, seniors: list[_Person]) -> list[_Person]:
    return list({u.pk: u for u in ([owner] if owner else []) + seniors}.values())


@transaction.atomic(durable=True)
def _reminders_send(reminder_ids: list[int], run: _Run) -> int:
    # The claim locks only reminder rows and names only their own columns: PostgreSQL re-checks those on a row
    # another sweep committed meanwhile, whereas a condition through a join would use the old snapshot.
    rows = list(
        Reminder.objects.select_for_update(skip_locked=True, of=("self",))
        .filter(pk__in=reminder_ids, sent_at__isnull=True)
        .order_by("pk")
        .values_list("pk", "offset_days", "due_on", *(f"notification__{c}" for c in _NOTIFICATION_COLUMNS))
    )
    if not rows:
        return 0
    messages: list[_Message] = []
    events: list[PendingEvent] = []
    escalated_ids: list[int] = []
    for reminder_id, offset_days, due_on, *columns in rows:
        notification = _Notice.from_row(columns)
        if notification.status not in DEADLINE_RUNNING or notification.objection_deadline < run.today:
            continue  # moot: the objection period is over; the claim keeps later sweeps from looking again
        owner = notification.owner
        # Escalate when nobody is assigned, or when the deadline is close and the objection is still undecided.
        escalated = owner is None or offset_days <= run.escalate_from(notification.received_on)
        recipients = _recipients(owner, run.seniors() if escalated else [])
        days_left = (notification.objection_deadline - run.today).days
        if escalated:
            escalated_ids.append(reminder_id)
        messages.append(
            _Message(
                users=recipients,
                title=(
                    f"Treaty deadline {notification.objection_deadline.isoformat()}: {days_left} day(s) left "
                    f"(notification from {notification.counterpart_id})"
                ),
                body=f"{notification.subject}. Status: {run.status_label(notification.status)}.",
                link=notification_link(notification.pk),
                key=f"treaty-reminder:{reminder_id}",
            )
        )
        events.append(
            PendingEvent(
                verb=Verb.REMINDER_SENT,
                target=(NOTIFICATION_TARGET, str(notification.pk)),
                payload={
                    "reminder": reminder_id,
                    "offset_days": offset_days,
                    "due_on": due_on,
                    "days_left": days_left,
                    "escalated": escalated,
                    "recipients": sorted(u.pk for u in recipients),
                },
            )
        )
    Reminder.objects.filter(pk__in=[row[0] for row in rows]).update(
        sent_at=run.now,
        escalated=Case(When(pk__in=escalated_ids, then=Value(True)), default=F("escalated")),
    )
    _notify_all(messages, now=run.now)
    return record_many(events)  # last: the chain's head row stays locked until commit


@transaction.atomic(durable=True)
def _no_objections_record(notification_ids: list[int], run: _Run) -> int:
    # The claim: only the sweep whose write moves the status records the event, so it is recorded once. An
    # officer sending an objection at this moment holds the row: it is skipped, and re-checked next run.
    rows = list(
        TreatyNotification.objects.select_for_update(skip_locked=True, of=("self",))
        .filter(pk__in=notification_ids, status__in=DEADLINE_RUNNING, objection_deadline__lt=run.today)
        .order_by("pk")
        .values_list(*_NOTIFICATION_COLUMNS)
    )
    if not rows:
        return 0
    claimed = [row[0] for row in rows]
    TreatyNotification.objects.filter(pk__in=claimed).update(status=NotificationStatus.NO_OBJECTION_IN_TIME)
    # Outgoing: the partner's window on our export ends with it (the decision gate stopped counting it already).
    brake_windows_close_passed(notification_ids=claimed, today=run.today)
    messages: list[_Message] = []
    events: list[PendingEvent] = []
    for row in rows:
        notification = _Notice.from_row(row)
        incoming = notification.direction == NotificationDirection.INCOMING
        who = "No objection was raised" if incoming else f"{notification.counterpart_id} raised no objection"
        deadline = notification.objection_deadline.isoformat()
        events.append(
            PendingEvent(
                verb=Verb.NO_OBJECTION_RECORDED,
                target=(NOTIFICATION_TARGET, str(notification.pk)),
                reason=f"{who} by the deadline of {deadline}.",
                payload={"deadline": notification.objection_deadline, "recorded_on": run.today},
            )
        )
        owner = notification.owner
        messages.append(
            _Message(
                users=[owner] if owner else run.seniors(),
                title=f"{who} in time: notification from {notification.counterpart_id}"
                if incoming
                else f"{who} in time",
                body=f"{notification.subject}. Deadline {deadline}.",
                link=notification_link(notification.pk),
                key=f"treaty-no-objection:{notification.pk}",
            )
        )
    _notify_all(messages, now=run.now)
    return record_many(events)  # last: the chain's head row stays locked until commit


def _batches(ids: list[int], size: int) -> Iterable[list[int]]:
    return (ids[start : start + size] for start in range(0, len(ids), size))


def deadlines_sweep(*, today: date | None = None, batch_size: int = BATCH_SIZE) -> SweepResult:
    """Send due reminders and record passed deadlines. Safe to run twice, or twice at once."""
    run = _Run(today=today or timezone.localdate(), now=timezone.now())
    result = SweepResult()
    # Candidates are read without locks (partial indexes: unsent reminders by due date, running notifications
    # by deadline); each batch is then claimed on its own.
    due = Reminder.objects.filter(
        sent_at__isnull=True,
        due_on__lte=run.today,
        notification__status__in=DEADLINE_RUNNING,
        notification__objection_deadline__gte=run.today,
    ).order_by("due_on", "pk")
    for batch in _batches(list(due.values_list("pk", flat=True)), batch_size):
        result.reminders_sent += _reminders_send(batch, run)
    passed = TreatyNotification.objects.filter(status__in=DEADLINE_RUNNING, objection_deadline__lt=run.today)
    for batch in _batches(list(passed.order_by("objection_deadline", "pk").values_list("pk", flat=True)), batch_size):
        result.no_objection_recorded += _no_objections_record(batch, run)
    return result
