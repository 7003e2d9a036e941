"""Signed webhooks: an organisation's administrator registers an endpoint and gets a secret; every event of the
organisation (core/events.py) is POSTed to it as JSON, at least once, until it answers 2xx.

The signature (documented in the API description, checked by tests/core/test_webhooks_worker.py with a receiver
that follows only that recipe):

    Register-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256(secret, "<t>.<raw body>")>

A receiver recomputes the HMAC over the raw body, compares in constant time, rejects a timestamp more than five
minutes off (replay), and de-duplicates on `Register-Event-Id` (the event's stable id): after a lost answer the
same event comes again. A failed attempt is retried with exponential back-off (WEBHOOK_RETRY_BASE_SECONDS
doubled per attempt) up to WEBHOOK_MAX_ATTEMPTS; every attempt is kept for the administrator to see.
"""

from __future__ import annotations

import hashlib
import hmac
import ipaddress
import json
import secrets
import socket
import time
from dataclasses import dataclass
from datetime import timedelta
from typing import Any
from urllib.parse import urlsplit

import requests
from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction
from django.db.models import Prefetch, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from audit.models import Verb
from audit.services import record

from .access import require
from .exceptions import DomainValidationError
from .i18n import gettext_lazy
from .models import DeliveryStatus, WebhookAttempt, WebhookDelivery, WebhookEndpoint

SIGNATURE_HEADER = "Register-Signature"
EVENT_ID_HEADER = "Register-Event-Id"
EVENT_TYPE_HEADER = "Register-Event-Type"
ATTEMPT_HEADER = "Register-Delivery-Attempt"
SIGNATURE_TOLERANCE_SECONDS = 300
MAX_ENDPOINTS = 5
# A worker that died mid-call leaves its claim; after this long another worker may take the delivery again.
STALE_CLAIM = timedelta(minutes=2)
MAX_BACKOFF = timedelta(hours=6)

ERR_URL_SCHEME = gettext_lazy("The endpoint must be an https:// address.")
ERR_URL_PRIVATE = gettext_lazy("The endpoint must be a public internet address.")
ERR_TOO_MANY = gettext_lazy("Your organisation already has {limit} active endpoints; disable one first.")
ERR_UNSAFE_ADDRESS = gettext_lazy("the address resolves to a private, loopback or link-local network")


# --- Signing ------------------------------------------------------------------------------------------------


def signature_header(*, secret: str, timestamp: int, body: bytes) -> str:
    digest = hmac.new(secret.encode(), f"{timestamp}.".encode() + body, hashlib.sha256).hexdigest()
    return f"t={timestamp},v1={digest}"


def signature_valid(*, secret: str, header: str, body: bytes, now: float | None = None) -> bool:
    """The receiver's check, for receivers written in Python (and for the tests)."""
    parts = dict(part.split("=", 1) for part in header.split(",") if "=" in part)
    try:
        timestamp = int(parts["t"])
    except (KeyError, ValueError):
        return False
    if abs((now if now is not None else time.time()) - timestamp) > SIGNATURE_TOLERANCE_SECONDS:
        return False
    expected = hmac.new(secret.encode(), f"{timestamp}.".encode() + body, hashlib.sha256).hexdigest()
    return hmac.compare_digest(expected, parts.get("v1", ""))


# --- Addresses ----------------------------------------------------------------------------------------------


def _insecure_allowed() -> bool:
    """Plain http and local addresses: for development and the test suite's local receiver only."""
    return bool(getattr(settings, "WEBHOOK_ALLOW_INSECURE", False))


def _is_public(host: str) -> bool:
    try:
        addresses = {info[4][0] for info in socket.getaddrinfo(host, None)}
    except OSError:
        return True  # unresolvable now: the delivery will fail and be retried, not reach anything private
    return all(ipaddress.ip_address(str(address).split("%")[0]).is_global for address in addresses)


def _url_errors(url: str) -> list[str]:
    parts = urlsplit(url)
    if _insecure_allowed():
        return []
    if parts.scheme != "https":
        return [str(ERR_URL_SCHEME)]
    if not parts.hostname or not _is_public(parts.hostname):
        return [str(ERR_URL_PRIVATE)]
    return []


# --- Services -----------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Registered:
    endpoint: WebhookEndpoint
    secret: str  # shown once


@transaction.atomic(durable=True)
def webhook_endpoint_register(*, actor: Any, url: str) -> Registered:
    """The organisation's administrator adds an endpoint; the secret is returned once, here."""
    require(actor, "portal.webhooks")
    if errors := _url_errors(url):
        raise DomainValidationError(errors[0], field_errors={"url": errors})
    # Lock the organisation's endpoints: two administrators adding at once cannot pass the limit together.
    active = list(
        WebhookEndpoint.objects.select_for_update().filter(organisation_id=actor.organisation_id, is_active=True)
    )
    if len(active) >= MAX_ENDPOINTS:
        message = str(ERR_TOO_MANY).format(limit=MAX_ENDPOINTS)
        raise DomainValidationError(message, field_errors={"url": [message]})
    secret = "whsec_" + secrets.token_urlsafe(32)
    endpoint = WebhookEndpoint(organisation_id=actor.organisation_id, url=url, secret=secret, created_by=actor)
    endpoint._change_reason = "webhook endpoint registered"  # type: ignore[attr-defined]
    endpoint.save()
    record(actor=actor, verb=Verb.WEBHOOK_REGISTERED, target=endpoint, payload={"url": url})
    return Registered(endpoint=endpoint, secret=secret)


@transaction.atomic(durable=True)
def webhook_endpoint_rotate_secret(*, actor: Any, endpoint_id: int) -> Registered:
    """A new secret (the old one stops working at once); returned once, here."""
    endpoint = _lock_own(actor=actor, endpoint_id=endpoint_id)
    endpoint.secret = "whsec_" + secrets.token_urlsafe(32)
    endpoint._change_reason = "webhook secret rotated"  # type: ignore[attr-defined]
    endpoint.save(update_fields=["secret"])
    record(actor=actor, verb=Verb.WEBHOOK_SECRET_ROTATED, target=endpoint, payload={"url": endpoint.url})
    return Registered(endpoint=endpoint, secret=endpoint.secret)


@transaction.atomic(durable=True)
def webhook_endpoint_disable(*, actor: Any, endpoint_id: int) -> WebhookEndpoint:
    """No more deliveries to this endpoint; waiting ones give up. Kept, with its attempts, for the record."""
    endpoint = _lock_own(actor=actor, endpoint_id=endpoint_id)
    if endpoint.is_active:
        endpoint.is_active = False
        endpoint._change_reason = "webhook endpoint disabled"  # type: ignore[attr-defined]
        endpoint.save(update_fields=["is_active"])
        stopped = endpoint.deliveries.filter(status=DeliveryStatus.PENDING).update(status=DeliveryStatus.FAILED)
        record(
            actor=actor,
            verb=Verb.WEBHOOK_DISABLED,
            target=endpoint,
            payload={"url": endpoint.url, "pending_deliveries_stopped": stopped},
        )
    return endpoint


def _lock_own(*, actor: Any, endpoint_id: int) -> WebhookEndpoint:
    require(actor, "portal.webhooks")
    # Lock the row: a rotation and a disabling at the same moment apply one after the other.
    endpoint = (
        WebhookEndpoint.objects.select_for_update()
        .filter(pk=endpoint_id, organisation_id=actor.organisation_id)
        .first()
    )
    if endpoint is None:
        raise Http404("No such endpoint")
    return endpoint


# --- Selectors ----------------------------------------------------------------------------------------------


def webhook_endpoint_list_for(*, user: Any) -> QuerySet[WebhookEndpoint]:
    return WebhookEndpoint.objects.filter(organisation_id=getattr(user, "organisation_id", None) or 0)


def webhook_endpoint_get_for(*, user: Any, pk: int) -> WebhookEndpoint:
    endpoint = webhook_endpoint_list_for(user=user).filter(pk=pk).first()
    if endpoint is None:
        raise Http404("No such endpoint")
    return endpoint


def webhook_delivery_list_for(*, user: Any, endpoint_id: int | None = None) -> QuerySet[WebhookDelivery]:
    """The organisation's deliveries, newest first, each with its event and its attempts."""
    rows = WebhookDelivery.objects.filter(
        endpoint__organisation_id=getattr(user, "organisation_id", None) or 0
    ).select_related("event", "endpoint")
    if endpoint_id is not None:
        rows = rows.filter(endpoint_id=endpoint_id)
    return rows.prefetch_related(Prefetch("attempt_log", queryset=WebhookAttempt.objects.order_by("number")))


# --- Delivery (run by Celery: core.tasks.webhook_deliver_task) ----------------------------------------------


def backoff(attempts: int) -> timedelta:
    """The wait after the `attempts`-th failure: the base, doubled each time, at most MAX_BACKOFF."""
    base = float(getattr(settings, "WEBHOOK_RETRY_BASE_SECONDS", 30))
    return min(timedelta(seconds=base * 2 ** (attempts - 1)), MAX_BACKOFF)


@dataclass(frozen=True)
class Outcome:
    result: str  # delivered, retry, failed, not due
    retry_in: timedelta | None = None


def webhook_deliver(*, delivery_id: int) -> Outcome:
    """Make one attempt at a due delivery. Safe to run twice: only the worker whose claim succeeds calls."""
    from .events import event_body

    now = timezone.now()
    # The claim (a conditional UPDATE): of two workers handed the same delivery only one gets the row, so a
    # redelivered task does not call the receiver twice at once. A claim older than STALE_CLAIM was a dead worker's.
    claimed = WebhookDelivery.objects.filter(
        Q(status=DeliveryStatus.PENDING, next_attempt_at__lte=now)
        | Q(status=DeliveryStatus.SENDING, claimed_at__lt=now - STALE_CLAIM),
        pk=delivery_id,
    ).update(status=DeliveryStatus.SENDING, claimed_at=now)
    if not claimed:
        return Outcome("not due")
    delivery = WebhookDelivery.objects.select_related("endpoint", "event").get(pk=delivery_id)
    endpoint, number = delivery.endpoint, delivery.attempts + 1
    body = json.dumps(event_body(delivery.event), cls=DjangoJSONEncoder, separators=(",", ":")).encode()
    started = time.monotonic()
    status_code, error = _post(endpoint, delivery, body, number)
    elapsed = int((time.monotonic() - started) * 1000)
    delivered = status_code is not None and 200 <= status_code < 300
    max_attempts = int(getattr(settings, "WEBHOOK_MAX_ATTEMPTS", 10))
    with transaction.atomic():
        WebhookAttempt.objects.create(
            delivery=delivery,
            number=number,
            attempted_at=now,
            status_code=status_code,
            error=error[:300],
            duration_ms=elapsed,
        )
        fields: dict[str, Any] = {"attempts": number, "claimed_at": None}
        if delivered:
            outcome = Outcome("delivered")
            fields.update(status=DeliveryStatus.DELIVERED, delivered_at=timezone.now())
        elif number >= max_attempts or not endpoint.is_active:
            outcome = Outcome("failed")
            fields.update(status=DeliveryStatus.FAILED)
        else:
            outcome = Outcome("retry", retry_in=backoff(number))
            fields.update(status=DeliveryStatus.PENDING, next_attempt_at=timezone.now() + backoff(number))
        WebhookDelivery.objects.filter(pk=delivery_id).update(**fields)
    return outcome


def _post(endpoint: WebhookEndpoint, delivery: WebhookDelivery, body: bytes, number: int) -> tuple[int | None, str]:
    host = urlsplit(endpoint.url).hostname or ""
    if not _insecure_allowed() and not _is_public(host):
        return None, ERR_UNSAFE_ADDRESS  # checked again now: the name may point elsewhere than at registration
    headers = {
        "Content-Type": "application/json",
        "User-Agent": "export-licence-register-webhooks/1",
        SIGNATURE_HEADER: signature_header(secret=endpoint.secret, timestamp=int(time.time()), body=body),
        EVENT_ID_HEADER: str(delivery.event.uuid),
        EVENT_TYPE_HEADER: delivery.event.type,
        ATTEMPT_HEADER: str(number),
    }
    timeout = float(getattr(settings, "WEBHOOK_TIMEOUT_SECONDS", 10))
    try:
        response = requests.post(endpoint.url, data=body, headers=headers, timeout=timeout, allow_redirects=False)
    except requests.RequestException as exc:
        return None, type(exc).__name__ + ": " + str(exc)
    return response.status_code, "" if 200 <= response.status_code < 300 else f"HTTP {response.status_code}"


def webhook_deliveries_due(*, limit: int = 500) -> list[int]:
    """Deliveries whose time has come (a retry, or one never handed to the broker) or whose worker died."""
    now = timezone.now()
    return list(
        WebhookDelivery.objects.filter(
            Q(status=DeliveryStatus.PENDING, next_attempt_at__lte=now)
            | Q(status=DeliveryStatus.SENDING, claimed_at__lt=now - STALE_CLAIM)
        )
        .order_by("next_attempt_at")
        .values_list("pk", flat=True)[:limit]
    )
