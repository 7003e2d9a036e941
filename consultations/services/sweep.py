"""The beat-driven deadline sweep: the reminders of every deadline the consultations and licensing apps own, sent
by the one reminder engine (core.reminders: exactly once, the latest due point only, escalation when nobody acted),
then "no objection raised in time" recorded for each incoming or outgoing notification whose deadline has passed.
That is a legal consequence, not a reminder, so it stays here, driven by the same task.

The no-objection items are claimed in small batches, each batch in its own short transaction with its effects
(in-app notifications, outbox e-mails, audit events), in the claim-with-a-conditional-write pattern of healthchecks'
sendalerts, made set-based so that a day's work at register scale (thousands of items) takes seconds:
- the claim locks the batch's rows that are still due, skipping rows another transaction holds
  (SELECT ... FOR UPDATE SKIP LOCKED), and moves their status in the same transaction;
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

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import override

from audit.models import Verb
from audit.services import PendingEvent, record_many
from core.i18n import gettext_lazy
from core.notifications import Message, Recipient, notice, notify_many
from core.reminders import reminders_send
from licensing.services.reminders import licensing_deadlines

from ..models.treaty import DEADLINE_RUNNING, NotificationDirection, NotificationStatus, TreatyNotification
from .brake import brake_windows_close_passed
from .common import notification_link, senior_officers
from .reminders import consultations_deadlines

# Items per claim transaction: large enough that a day's thousands of items take a few dozen round trips,
# small enough that a batch's row locks last a moment (bench/sweep.py reports the longest transaction).
BATCH_SIZE = 250
NOTIFICATION_TARGET = TreatyNotification._meta.label_lower


@dataclass
class SweepResult:
    reminders_sent: int = 0
    reminders_escalated: int = 0
    no_objection_recorded: int = 0


@dataclass
class _Run:
    """What one sweep reads once rather than per item."""

    today: date
    now: datetime
    _seniors: list[Recipient] | None = None

    def seniors(self) -> list[Recipient]:
        if self._seniors is None:
            self._seniors = [Recipient(u.pk, u.email) for u in senior_officers()]
        return self._seniors


# The columns read with each claimed row: who acts on it is its assignee, or for an outgoing one the case's
# officer (only if active). Plain values, not model instances: a day's work is thousands.
_NOTIFICATION_COLUMNS = (
    "pk",
    "direction",
    "objection_deadline",
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
    direction: str
    objection_deadline: date
    counterpart_id: str
    subject: str
    owner: Recipient | None

    @classmethod
    def from_row(cls, row: Sequence[Any]) -> _Notice:
        pk, direction, deadline, counterpart, subject, *people = row
        assignee, assignee_email, assignee_active, officer, officer_email, officer_active = people
        owner = None
        if assignee is not None and assignee_active:
            owner = Recipient(assignee, assignee_email)
        elif officer is not None and officer_active:
            owner = Recipient(officer, officer_email)
        return cls(pk, direction, deadline, counterpart, subject, owner)


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
    messages: list[Message] = []
    events: list[PendingEvent] = []
    with override(settings.LANGUAGE_CODE):  # the authority's language (Awb 2:6), as core.notifications.notify
        for row in rows:
            notification = _Notice.from_row(row)
            incoming = notification.direction == NotificationDirection.INCOMING
            who = "No objection was raised" if incoming else f"{notification.counterpart_id} raised no objection"
            events.append(
                PendingEvent(
                    verb=Verb.NO_OBJECTION_RECORDED,
                    target=(NOTIFICATION_TARGET, str(notification.pk)),
                    reason=f"{who} by the deadline of {notification.objection_deadline.isoformat()}.",
                    payload={"deadline": notification.objection_deadline, "recorded_on": run.today},
                )
            )
            if incoming:
                title = notice(
                    gettext_lazy("No objection was raised in time: notification from {counterpart}"),
                    counterpart=notification.counterpart_id,
                )
            else:
                title = notice(
                    gettext_lazy("{counterpart} raised no objection in time"), counterpart=notification.counterpart_id
                )
            body = notice(
                gettext_lazy("{subject}. Deadline {day}."),
                subject=notification.subject,
                day=notification.objection_deadline,
            )
            owner = notification.owner
            messages.append(
                Message(
                    users=[owner] if owner else run.seniors(),
                    title=str(title),
                    body=str(body),
                    link=notification_link(notification.pk),
                    key=f"treaty-no-objection:{notification.pk}",
                )
            )
    notify_many(messages, now=run.now)
    return record_many(events)  # last: the chain's head row stays locked until commit


def _batches(ids: list[int], size: int) -> Iterable[list[int]]:
    return (ids[start : start + size] for start in range(0, len(ids), size))


def deadlines_sweep(*, today: date | None = None, batch_size: int = BATCH_SIZE) -> SweepResult:
    """Send the due reminders of every consultations and licensing deadline, then record passed objection
    deadlines. Safe to run twice, or twice at once."""
    run = _Run(today=today or timezone.localdate(), now=timezone.now())
    deadlines = [*licensing_deadlines(run.today), *consultations_deadlines(run.today)]
    sent = reminders_send(deadlines=deadlines, today=run.today, batch_size=batch_size)
    result = SweepResult(reminders_sent=sent.sent, reminders_escalated=sent.escalated)
    # Candidates are read without locks (a partial index: running notifications by deadline); each batch is
    # then claimed on its own.
    passed = TreatyNotification.objects.filter(status__in=DEADLINE_RUNNING, objection_deadline__lt=run.today)
    for batch in _batches(list(passed.order_by("objection_deadline", "pk").values_list("pk", flat=True)), batch_size):
        result.no_objection_recorded += _no_objections_record(batch, run)
    return result
