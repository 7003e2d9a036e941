"""Events for exporters' own systems: the outbox every service writes in its own transaction, the feed that
clients poll with a cursor, and the hand-over to the signed webhooks (core/webhooks.py).

A service that makes a change an exporter's system needs (a question asked, a decision taken, a licence issued
or changed, a document scanned) calls `event_record(...)` by name, inside its durable transaction, next to its
audit record: the event exists exactly when the change committed. Core owns the table so that every layer may
write to it; the payloads are the caller's (ids, references, statuses: never personal data beyond that).
"""

from __future__ import annotations

import logging
import uuid
from typing import Any

from django.db import connection, transaction
from django.db.models import Case, Max, QuerySet, Value, When
from django.utils import timezone

from .enqueue import enqueue_on_commit
from .models import DeliveryStatus, Event, EventType, WebhookDelivery, WebhookEndpoint

logger = logging.getLogger(__name__)

FEED_LIMIT = 100
# An arbitrary constant naming the advisory lock that serialises the sequencer (see events_sequence).
_SEQUENCER_LOCK = 7_318_104_018
_SEQUENCE_BATCH = 1000


def event_record(*, organisation_id: int, type: EventType, subject: str, data: dict[str, Any]) -> Event:
    """Write one event, and a pending delivery for each active webhook of the organisation, in the caller's
    transaction; after the commit the deliveries go to Celery and the event gets its feed position."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("event_record must be called inside the service's transaction")
    now = timezone.now()
    event = Event.objects.create(
        uuid=uuid.uuid4(), organisation_id=organisation_id, type=type, occurred_at=now, subject=subject, data=data
    )
    endpoint_ids = WebhookEndpoint.objects.filter(organisation_id=organisation_id, is_active=True).values_list(
        "pk", flat=True
    )
    deliveries = WebhookDelivery.objects.bulk_create(
        [
            WebhookDelivery(endpoint_id=pk, event=event, status=DeliveryStatus.PENDING, next_attempt_at=now)
            for pk in endpoint_ids
        ]
    )
    transaction.on_commit(_sequence_quietly)
    from .tasks import webhook_deliver_task  # tasks import the delivery code, which imports the models only

    for delivery in deliveries:
        enqueue_on_commit(webhook_deliver_task, delivery.pk)
    return event


def events_sequence() -> int:
    """Give committed events their feed positions, in the order of their ids, after the highest given so far.

    Run after each commit, by the feed before it reads, and by the beat sweep; safe to run at once anywhere.
    The advisory lock makes sequencers take turns: each sees the rows committed before it started and numbers
    them above the previous sequencer's, so positions only ever grow in the order events become visible."""
    if not Event.objects.filter(position__isnull=True).exists():
        return 0  # the usual case for a poll: no lock taken (the partial index answers)
    with transaction.atomic():
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_advisory_xact_lock(%s)", [_SEQUENCER_LOCK])
        ids = list(
            Event.objects.filter(position__isnull=True).order_by("id").values_list("pk", flat=True)[:_SEQUENCE_BATCH]
        )
        if not ids:
            return 0
        top = Event.objects.aggregate(top=Max("position"))["top"] or 0
        Event.objects.filter(pk__in=ids).update(
            position=Case(*(When(pk=pk, then=Value(top + n)) for n, pk in enumerate(ids, start=1)))
        )
    return len(ids)


def _sequence_quietly() -> None:
    try:
        events_sequence()
    except Exception:  # the action has committed; the feed and the beat sweep number the event later
        logger.warning("Event sequencing deferred", exc_info=True)


# --- Selectors ---------------------------------------------------------------------------------------------


def event_list_for(*, user: Any, after: int = 0, limit: int = FEED_LIMIT) -> QuerySet[Event]:
    """The user's organisation's events after position `after`, oldest first; nobody else's."""
    organisation_id = getattr(user, "organisation_id", None)
    if organisation_id is None:
        return Event.objects.none()
    rows = Event.objects.filter(organisation_id=organisation_id, position__isnull=False, position__gt=after)
    return rows.order_by("position")[:limit]


def event_body(event: Event) -> dict[str, Any]:
    """An event as the feed lists it and a webhook posts it: the same object in both."""
    return {
        "id": str(event.uuid),
        "type": event.type,
        "occurred_at": event.occurred_at.isoformat(),
        "subject": event.subject,
        "data": event.data,
        "cursor": event.position,
    }
