"""One reminder engine for every deadline (issue 13): the apps that own deadlines feed it (licensing: the Awb
decision term, answers to requests for information, the de minimis target; consultations: Art. 4 replies), it
sends each reminder exactly once and escalates to the senior officers when nobody acted.

- A deadline has reminder points, in days before it (negative: after it). A sweep sends only the latest point
  that is due, so a sweep that was down for a while sends one reminder, not a backlog.
- Exactly once: the reminder row's unique constraint (kind, subject, deadline, point) is the claim. Two sweeps at
  once both try to INSERT; the second waits for the first's transaction and then fails on the constraint, so
  only the first sends (and a sweep that dies mid-way rolls back its claims with their notifications).
- Escalation: a deadline nobody acted on (`acted` False: no assignee, no answer, no notice) goes to the senior
  officers as well once it is `escalate_within` days away or has passed.

This module knows nothing of the apps above it: they pass plain `Deadline` values and user ids.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from django.contrib.auth import get_user_model
from django.db import IntegrityError, transaction
from django.utils import timezone

from audit.models import Verb
from audit.services import record

from .models import DeadlineReminder
from .notifications import notify
from .roles import Role

BATCH_SIZE = 100


@dataclass(frozen=True)
class Deadline:
    kind: str  # a core.models.ReminderKind value
    subject: str  # what it belongs to, unique per kind: "application:42"
    deadline: date
    title: str
    link: str
    recipient_ids: tuple[int, ...]
    acted: bool
    points: tuple[int, ...] = (7, 1, 0, -1)
    escalate_within: int = 2


@dataclass
class ReminderResult:
    sent: int = 0
    escalated: int = 0
    already_sent: int = 0


def due_point(deadline: Deadline, today: date) -> int | None:
    """The latest reminder point of `deadline` that is due on `today`, or None before the first."""
    due = [p for p in deadline.points if deadline.deadline - timedelta(days=p) <= today]
    return min(due) if due else None


def _wording(deadline: Deadline, point: int) -> str:
    if point > 0:
        return f"{deadline.title}: due on {deadline.deadline.isoformat()} ({point} day(s) left)."
    if point == 0:
        return f"{deadline.title}: due today ({deadline.deadline.isoformat()})."
    return f"{deadline.title}: the deadline of {deadline.deadline.isoformat()} has passed."


def _send_one(deadline: Deadline, point: int, today: date, seniors: list[Any], result: ReminderResult) -> None:
    escalate = not deadline.acted and (deadline.deadline - today).days <= deadline.escalate_within
    users = list(get_user_model().objects.filter(pk__in=deadline.recipient_ids, is_active=True))
    if escalate:
        users += [s for s in seniors if s.pk not in deadline.recipient_ids]
    try:
        # Savepoint: the claim. A concurrent sweep's INSERT of the same point fails here after the first commits.
        with transaction.atomic():
            reminder = DeadlineReminder.objects.create(
                kind=deadline.kind,
                subject=deadline.subject,
                deadline=deadline.deadline,
                offset_days=point,
                sent_at=timezone.now(),
                recipients=len(users),
                escalated=escalate,
            )
    except IntegrityError:
        result.already_sent += 1
        return
    body = _wording(deadline, point)
    notify(users=users, title=deadline.title, body=body, link=deadline.link, key=f"reminder:{reminder.pk}")
    record(
        actor=None,
        verb=Verb.REMINDER_ESCALATED if escalate else Verb.REMINDER_SENT,
        target=("deadline_reminder", str(reminder.pk)),
        payload={
            "kind": deadline.kind,
            "subject": deadline.subject,
            "deadline": deadline.deadline,
            "point": point,
            "recipients": [u.pk for u in users],
        },
    )
    result.sent += 1
    result.escalated += int(escalate)


def reminders_send(*, deadlines: Iterable[Deadline], today: date | None = None) -> ReminderResult:
    """Send the reminders that are due, in short transactions of BATCH_SIZE deadlines each."""
    today = today or timezone.localdate()
    result = ReminderResult()
    due = [(d, p) for d in deadlines if (p := due_point(d, today)) is not None]
    seniors = list(get_user_model().objects.filter(groups__name=Role.SENIOR_OFFICER.value, is_active=True).distinct())
    for start in range(0, len(due), BATCH_SIZE):
        with transaction.atomic(durable=True):
            for deadline, point in due[start : start + BATCH_SIZE]:
                _send_one(deadline, point, today, seniors, result)
    return result
