"""Tell people what happened: an in-app notification and an e-mail through the outbox, after commit."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db import transaction

from .enqueue import enqueue
from .models import Notification, OutboxMessage


def notify(*, users: Iterable[Any], title: str, body: str = "", link: str = "", key: str) -> None:
    """Write notifications and one outbox e-mail per user inside the caller's transaction.

    `key` makes the e-mail idempotent: a task that runs twice writes the message once.
    """
    recipients = [u for u in users if u is not None]
    if not recipients:
        return
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
