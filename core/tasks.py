"""Thin, idempotent tasks for the outbox."""

from __future__ import annotations

from datetime import timedelta

from celery import shared_task
from django.core.mail import send_mail
from django.db.models import Q
from django.utils import timezone

from .events import events_sequence
from .models import OutboxMessage, OutboxStatus
from .webhooks import webhook_deliver, webhook_deliveries_due

STALE_CLAIM = timedelta(minutes=10)
# Retries due within this long are scheduled as countdown tasks; later ones wait for the relay sweep.
NEAR_RETRY = timedelta(minutes=5)


@shared_task(bind=True, autoretry_for=(OSError,), retry_backoff=True, retry_backoff_max=600, max_retries=8)
def deliver_outbox_message(self, message_id: int) -> str:  # type: ignore[no-untyped-def]
    now = timezone.now()
    # Claim with a conditional UPDATE: of two workers handed the same message only one gets a row back,
    # so the e-mail goes out once. A claim older than STALE_CLAIM belonged to a worker that died.
    claimed = OutboxMessage.objects.filter(
        Q(status=OutboxStatus.PENDING) | Q(status=OutboxStatus.SENDING, claimed_at__lt=now - STALE_CLAIM),
        pk=message_id,
    ).update(status=OutboxStatus.SENDING, claimed_at=now)
    if not claimed:
        return "already handled"
    message = OutboxMessage.objects.get(pk=message_id)
    try:
        send_mail(message.subject, message.body, None, message.to, fail_silently=False)
    except OSError as exc:
        OutboxMessage.objects.filter(pk=message_id).update(
            status=OutboxStatus.PENDING, attempts=message.attempts + 1, last_error=str(exc)[:2000]
        )
        raise
    OutboxMessage.objects.filter(pk=message_id).update(
        status=OutboxStatus.SENT, sent_at=timezone.now(), attempts=message.attempts + 1
    )
    return "sent"


@shared_task
def relay_outbox(limit: int = 500) -> int:
    """Re-enqueue messages that never reached the broker (or whose worker died)."""
    stale = timezone.now() - STALE_CLAIM
    ids = list(
        OutboxMessage.objects.filter(
            Q(status=OutboxStatus.PENDING) | Q(status=OutboxStatus.SENDING, claimed_at__lt=stale)
        )
        .order_by("created_at")
        .values_list("pk", flat=True)[:limit]
    )
    for message_id in ids:
        deliver_outbox_message.delay(message_id)
    return len(ids)


@shared_task
def webhook_deliver_task(delivery_id: int) -> str:
    """One attempt at one webhook delivery. A near retry is scheduled here with its back-off; later ones (and
    any the broker lost) are found by webhook_deliveries_relay, so no task waits hours in Redis."""
    outcome = webhook_deliver(delivery_id=delivery_id)
    if outcome.retry_in is not None and outcome.retry_in <= NEAR_RETRY:
        webhook_deliver_task.apply_async((delivery_id,), countdown=outcome.retry_in.total_seconds())
    return outcome.result


@shared_task
def webhook_deliveries_relay(limit: int = 500) -> int:
    """Hand due webhook deliveries to the workers (retries after a long back-off, or lost on the way)."""
    ids = webhook_deliveries_due(limit=limit)
    for delivery_id in ids:
        webhook_deliver_task.delay(delivery_id)
    return len(ids)


@shared_task
def events_sequence_task() -> int:
    """Number events whose after-commit numbering did not run (the feed also numbers before it reads)."""
    return events_sequence()
