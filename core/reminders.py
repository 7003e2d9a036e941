"""One reminder engine for every deadline (issue 13): the apps that own deadlines feed it (licensing: the Awb
decision term, answers to requests for information, the de minimis target, letters to parliament; consultations:
Art. 4 replies, the partners' brake windows and our own objection deadlines on incoming treaty notifications;
general licences: usage returns), it sends each reminder exactly once and escalates to the senior officers when
nobody acted.

- A deadline has reminder points, in days before it (negative: after it). A sweep sends only the latest point
  that is due, so a sweep that was down for a while sends one reminder, not a backlog.
- Exactly once: the reminder row's unique constraint (kind, subject, deadline, point) is the claim, taken for a
  whole batch with one INSERT ... ON CONFLICT DO NOTHING RETURNING; only the points it returns are sent. Two sweeps
  at once: the second's INSERT of a point the first holds waits for the first's commit and then returns nothing
  for it. The batch is inserted in one global order (kind, subject, deadline, point), so two sweeps never wait on
  each other in a cycle. A sweep that dies mid-way rolls back its claims with their notifications and events.
- Escalation: a deadline nobody acted on (`acted` False: no assignee, no answer, no notice) goes to the senior
  officers as well once it is `escalate_within` days away or has passed, or at once when the reminder would
  reach nobody (no active recipient).
- Wording: a reminder is written in the authority's language (Awb 2:6; settings.LANGUAGE_CODE, Dutch), as every
  notification is (core.notifications): feeders give the title as a lazy `notice`, the engine adds the dates in
  the language's DATE_FORMAT ("9 maart 2026").

This module knows nothing of the apps above it: they pass plain `Deadline` values and user ids.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import connection, transaction
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext, ngettext, override

from audit.models import Verb
from audit.services import PendingEvent, record_many

from .notifications import Message, Recipient, day_format, notify_many
from .roles import Role

# Deadlines per claim transaction: a day's thousands of reminders take a few dozen round trips, and a batch's
# claim rows stay locked for a moment only (bench/sweep.py reports the longest transaction).
BATCH_SIZE = 250
REMINDER_TARGET = "deadline_reminder"


@dataclass(frozen=True)
class Deadline:
    kind: str  # a core.models.ReminderKind value
    subject: str  # what it belongs to, unique per kind: "application:42"
    deadline: date
    title: str | Promise  # a lazy `notice`: put into words in the authority's language when sent
    link: str
    recipient_ids: tuple[int, ...]
    acted: bool
    points: tuple[int, ...] = (7, 1, 0, -1)
    escalate_within: int = 2
    detail: str | Promise = ""  # a line under the dates, e.g. the notification's subject and status
    target: tuple[str, str] | None = None  # whose history the audit event joins; default the reminder row
    escalation_link: str = ""  # where the seniors look, when `link` is the exporter's page; default `link`


@dataclass
class ReminderResult:
    sent: int = 0
    escalated: int = 0
    already_sent: int = 0


def due_point(deadline: Deadline, today: date) -> int | None:
    """The latest reminder point of `deadline` that is due on `today`, or None before the first."""
    days_left = (deadline.deadline - today).days  # point p is due once deadline - p days <= today
    return min((p for p in deadline.points if p >= days_left), default=None)


def escalates(deadline: Deadline, today: date, *, reaches_someone: bool) -> bool:
    """Nobody acted and the deadline is close or passed, or nobody would be told at all."""
    if deadline.acted:
        return False
    return not reaches_someone or (deadline.deadline - today).days <= deadline.escalate_within


def reminder_wording(deadline: Deadline, today: date, *, escalated: bool) -> tuple[str, str]:
    """Title and body in the active language; the caller chooses it (the authority's, in `reminders_send`)."""
    days = (deadline.deadline - today).days
    day = day_format(deadline.deadline)
    if days > 0:
        when = ngettext("Due on {day}: {days} day left.", "Due on {day}: {days} days left.", days)
    elif days == 0:
        when = gettext("Due today, {day}.")
    else:
        when = ngettext(
            "Overdue: the deadline of {day} passed {days} day ago.",
            "Overdue: the deadline of {day} passed {days} days ago.",
            -days,
        )
    lines = [when.format(day=day, days=abs(days))]
    if deadline.detail:
        lines.append(str(deadline.detail))
    if escalated:
        lines.append(gettext("Sent to the senior officers as well: nobody has acted on it yet."))
    return str(deadline.title), "\n".join(lines)


# The claim: one statement per batch. Rows another sweep committed are skipped; rows it holds are waited for.
_CLAIM_SQL = (
    "INSERT INTO core_deadlinereminder (kind, subject, deadline, offset_days, sent_at, recipients, escalated) "
    "SELECT k, s, d, o, %s, r, e FROM unnest(%s::text[], %s::text[], %s::date[], %s::int[], %s::int[], "
    "%s::bool[]) AS c(k, s, d, o, r, e) "
    "ON CONFLICT (kind, subject, deadline, offset_days) DO NOTHING RETURNING id, kind, subject, deadline, offset_days"
)


@dataclass(frozen=True)
class _Due:
    deadline: Deadline
    point: int
    users: tuple[Recipient, ...]
    escalated: bool
    seniors: tuple[Recipient, ...] = ()  # told apart only when the deadline gives them their own link

    @property
    def key(self) -> tuple[str, str, date, int]:
        return (self.deadline.kind, self.deadline.subject, self.deadline.deadline, self.point)

    @property
    def outbox_key(self) -> str:
        """The e-mail's idempotency key names the reminder itself, so a reminder sent again (its row removed by
        hand) writes no second e-mail."""
        kind, subject, day, point = self.key
        return f"reminder:{kind}:{subject}:{day.isoformat()}:{point}"


def _people(ids: Iterable[int]) -> dict[int, Recipient]:
    rows = get_user_model().objects.filter(pk__in=set(ids), is_active=True).values_list("pk", "email")
    return {pk: Recipient(pk, email) for pk, email in rows}


def _seniors() -> list[Recipient]:
    rows = (
        get_user_model()
        .objects.filter(groups__name=Role.SENIOR_OFFICER.value, is_active=True)
        .distinct()
        .order_by("pk")
        .values_list("pk", "email")
    )
    return [Recipient(pk, email) for pk, email in rows]


_UNSENT_SQL = (
    "SELECT c.i FROM unnest(%s::text[], %s::text[], %s::date[], %s::int[]) WITH ORDINALITY AS c(k, s, d, o, i) "
    "WHERE NOT EXISTS (SELECT 1 FROM core_deadlinereminder r WHERE r.kind = c.k AND r.subject = c.s "
    "AND r.deadline = c.d AND r.offset_days = c.o)"
)
# Keys per look-up: one statement reads thousands of claim rows through the unique index.
_LOOKUP_SIZE = 5000


def _unsent(items: Sequence[_Due]) -> list[_Due]:
    """The items whose point has no reminder row yet, read without locks: on a day most due points were sent by
    an earlier sweep, and only the rest need a claim transaction (which still decides, the read may be stale)."""
    unsent: list[_Due] = []
    with connection.cursor() as cursor:
        for start in range(0, len(items), _LOOKUP_SIZE):
            chunk = items[start : start + _LOOKUP_SIZE]
            columns = [list(c) for c in zip(*(item.key for item in chunk), strict=True)]
            cursor.execute(_UNSENT_SQL, columns)
            unsent += [chunk[i - 1] for (i,) in cursor.fetchall()]
    return unsent


def _claim(items: Sequence[_Due], now: Any) -> list[tuple[int, _Due]]:
    """Insert the batch's reminder rows; the ones this transaction wrote (with their ids) are its to send."""
    by_key = {item.key: item for item in items}
    columns = list(
        zip(*((*item.key, len(item.users) + len(item.seniors), item.escalated) for item in items), strict=True)
    )
    with connection.cursor() as cursor:
        cursor.execute(_CLAIM_SQL, [now, *(list(c) for c in columns)])
        claimed = cursor.fetchall()
    return [(pk, by_key[(kind, subject, day, point)]) for pk, kind, subject, day, point in claimed]


@transaction.atomic(durable=True)
def _send_batch(items: Sequence[_Due], today: date, now: Any) -> list[_Due]:
    """Claim the batch and send what was claimed, in one short transaction."""
    claimed = _claim(items, now)
    messages: list[Message] = []
    events: list[PendingEvent] = []
    with override(settings.LANGUAGE_CODE):  # the authority's language (Awb 2:6), as core.notifications.notify
        for pk, item in claimed:
            title, body = reminder_wording(item.deadline, today, escalated=item.escalated)
            link, escalation_link = item.deadline.link, item.deadline.escalation_link
            messages.append(Message(item.users, title, body, link, item.outbox_key))
            if item.seniors:
                messages.append(Message(item.seniors, title, body, escalation_link, item.outbox_key))
            events.append(
                PendingEvent(
                    verb=Verb.REMINDER_ESCALATED if item.escalated else Verb.REMINDER_SENT,
                    target=item.deadline.target or (REMINDER_TARGET, str(pk)),
                    payload={
                        "reminder": pk,
                        "kind": item.deadline.kind,
                        "subject": item.deadline.subject,
                        "deadline": item.deadline.deadline,
                        "point": item.point,
                        "days_left": (item.deadline.deadline - today).days,
                        "escalated": item.escalated,
                        "recipients": sorted(u.pk for u in (*item.users, *item.seniors)),
                    },
                )
            )
    notify_many(messages, now=now)
    record_many(events)  # last: the audit chain's head row stays locked only until commit
    return [item for _, item in claimed]


def reminders_send(
    *, deadlines: Iterable[Deadline], today: date | None = None, batch_size: int = BATCH_SIZE
) -> ReminderResult:
    """Send the reminders that are due, in short transactions of `batch_size` deadlines each. Safe to run twice,
    or twice at once."""
    today = today or timezone.localdate()
    now = timezone.now()
    due = sorted(
        ((d, p) for d in deadlines if (p := due_point(d, today)) is not None),
        key=lambda dp: (dp[0].kind, dp[0].subject, dp[0].deadline, dp[1]),
    )
    result = ReminderResult()
    if not due:
        return result
    people = _people(pk for d, _ in due for pk in d.recipient_ids)
    seniors: list[Recipient] | None = None
    items: list[_Due] = []
    for deadline, point in due:
        users = [people[pk] for pk in dict.fromkeys(deadline.recipient_ids) if pk in people]
        escalated = escalates(deadline, today, reaches_someone=bool(users))
        own: list[Recipient] = []
        if escalated:
            seniors = _seniors() if seniors is None else seniors
            if deadline.escalation_link:
                own = [s for s in seniors if s.pk not in deadline.recipient_ids]
            else:
                users += seniors
        items.append(_Due(deadline, point, tuple({u.pk: u for u in users}.values()), escalated, tuple(own)))
    unsent = _unsent(items)
    result.already_sent = len(items) - len(unsent)
    items = sorted(unsent, key=lambda item: item.key)
    for start in range(0, len(items), batch_size):
        batch = items[start : start + batch_size]
        claimed = _send_batch(batch, today, now)
        result.sent += len(claimed)
        result.escalated += sum(item.escalated for item in claimed)
        result.already_sent += len(batch) - len(claimed)
    return result
