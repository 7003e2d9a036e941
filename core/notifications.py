"""Tell people what happened: an in-app notification and an e-mail through the outbox, after commit."""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from functools import cache, lru_cache
from typing import Any

from django.conf import settings
from django.db import IntegrityError, connection, transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.functional import Promise
from django.utils.translation import get_language, override

from .enqueue import enqueue
from .models import Notification, OutboxMessage, OutboxStatus


def day_format(day: date) -> str:
    """A date as DATE_FORMAT in the active language ("9 maart 2026"); cached, a sweep writes thousands."""
    return _day_format(day, get_language())


@lru_cache(maxsize=1024)
def _day_format(day: date, language: str | None) -> str:
    return date_format(day, "DATE_FORMAT")


class _Notice(Promise):
    """What `notice` returns: rendered by str() in the active language. A plain object rather than Django's
    `lazy(...)()`, which builds a proxy class on every call (about a millisecond; a sweep makes thousands)."""

    __slots__ = ("text", "values")

    def __init__(self, text: str | Promise, values: dict[str, Any]) -> None:
        self.text = text
        self.values = values

    def __str__(self) -> str:
        shown = {
            name: day_format(value) if isinstance(value, date) else str(value) for name, value in self.values.items()
        }
        return str(self.text).format(**shown)

    def __repr__(self) -> str:
        return f"notice({self.text!r}, **{self.values!r})"


def notice(text: str | Promise, /, **values: Any) -> Promise:
    """A notification text with its values, put into words only when `notify` writes it, in the authority's
    language: `text` is a translatable template (gettext_lazy) with {named} fields; dates read as DATE_FORMAT."""
    return _Notice(text, values)


def notify(*, users: Iterable[Any], title: str | Promise, body: str | Promise = "", link: str = "", key: str) -> None:
    """Write notifications and one outbox e-mail per user inside the caller's transaction.

    Title and body are written in the authority's language (Awb 2:6; settings.LANGUAGE_CODE), whatever language
    the person whose action caused them reads the interface in. `key` makes the e-mail idempotent: a task that
    runs twice writes the message once.
    """
    recipients = [u for u in users if u is not None]
    if not recipients:
        return
    with override(settings.LANGUAGE_CODE):
        title, body = str(title), str(body)
    Notification.objects.bulk_create([Notification(user=u, title=title, body=body, link=link) for u in recipients])
    created_ids: list[int] = []
    for user in recipients:
        if not user.email:
            continue
        message, created = OutboxMessage.objects.get_or_create(
            key=f"{key}:{user.pk}",
            defaults={"to": [user.email], "subject": title, "body": f"{body}\n\n{link}"},
        )
        if created:
            created_ids.append(message.pk)
    if created_ids:
        transaction.on_commit(lambda: enqueue_outbox(created_ids))


def enqueue_outbox(message_ids: list[int]) -> None:
    """Hand messages to Celery; if the broker is unreachable they stay pending for the relay sweep."""
    from .tasks import deliver_outbox_message

    for message_id in message_ids:
        if not enqueue(deliver_outbox_message, message_id):
            return


@dataclass(frozen=True)
class Recipient:
    """Who a bulk notification goes to: plain values, not user instances (a day's sweep writes thousands)."""

    pk: int
    email: str


@dataclass(frozen=True)
class Message:
    """One notification for `notify_many`: title and body already put into words (see `notice`)."""

    users: Sequence[Recipient]
    title: str
    body: str
    link: str
    key: str


@cache
def _to(email: str) -> str:
    return json.dumps([email])  # the outbox's "to" (JSON); a few officers receive thousands of these a day


def notify_many(messages: Sequence[Message], *, now: datetime | None = None) -> None:
    """`notify` for many messages at once, in the caller's transaction: the in-app notifications, and one outbox
    e-mail per user and key (a key already written is kept, as notify's get_or_create does); the new e-mails go
    to Celery after commit.

    COPY rather than INSERT: a day's sweep writes tens of thousands of these rows, and COPY costs about half
    (no per-value quoting into the statement)."""
    now = now or timezone.now()
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
