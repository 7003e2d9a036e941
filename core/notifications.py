"""Tell people what happened: an in-app notification and an e-mail through the outbox, after commit."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import Any, cast

from django.conf import settings
from django.db import transaction
from django.utils.formats import date_format
from django.utils.functional import Promise, lazy
from django.utils.translation import override

from .enqueue import enqueue
from .models import Notification, OutboxMessage


def notice(text: str | Promise, /, **values: Any) -> Promise:
    """A notification text with its values, put into words only when `notify` writes it, in the authority's
    language: `text` is a translatable template (gettext_lazy) with {named} fields; dates read as DATE_FORMAT."""

    def render() -> str:
        shown = {
            name: date_format(value, "DATE_FORMAT") if isinstance(value, date) else str(value)
            for name, value in values.items()
        }
        return str(text).format(**shown)

    return cast(Promise, lazy(render, str)())


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
