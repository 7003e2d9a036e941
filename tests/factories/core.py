"""Factories for core's cross-cutting records: in-app notifications, the e-mail outbox, equated holidays and
deadline reminders."""

from __future__ import annotations

import uuid
from datetime import date, timedelta

import factory
from django.utils import timezone

from core.models import (
    DeadlineReminder,
    DeliveryStatus,
    EquatedHoliday,
    Event,
    EventType,
    Notification,
    OutboxMessage,
    ReminderKind,
    WebhookAttempt,
    WebhookDelivery,
    WebhookEndpoint,
)

from .parties import OrganisationFactory, UserFactory


class NotificationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Notification

    user = factory.SubFactory(UserFactory)
    title = factory.Sequence(lambda n: f"Application APP-2026-{n + 900000:06d} needs your attention")
    body = "The licensing officer has asked for more information."
    link = "/applications/"


class OutboxMessageFactory(factory.django.DjangoModelFactory):
    """A pending e-mail; the idempotency key is unique, so it comes from a sequence."""

    class Meta:
        model = OutboxMessage

    key = factory.Sequence(lambda n: f"factory-outbox-{n}")
    to = factory.Sequence(lambda n: [f"exporter{n}@company.example"])
    subject = "Your application has been received"
    body = "We received your application for an export licence. You will hear from us within 20 working days."


class EquatedHolidayFactory(factory.django.DjangoModelFactory):
    """A day equated with a public holiday (Algemene termijnenwet art. 3(3)); get-or-create on the day."""

    class Meta:
        model = EquatedHoliday
        django_get_or_create = ("day",)

    day = date(2026, 5, 15)
    description = "Vrijdag na Hemelvaartsdag"
    decree = "Stcrt. 2025, 12345"


class DeadlineReminderFactory(factory.django.DjangoModelFactory):
    """A reminder sent five days before an application's Awb decision term; the subject is a sequence, as
    (kind, subject, deadline, offset_days) is unique."""

    class Meta:
        model = DeadlineReminder

    kind = ReminderKind.AWB_TERM
    subject = factory.Sequence(lambda n: f"application:{n + 900000}")
    deadline = factory.LazyFunction(lambda: timezone.localdate() + timedelta(days=5))
    offset_days = 5
    sent_at = factory.LazyFunction(timezone.now)
    recipients = 1
    escalated = False


class EventFactory(factory.django.DjangoModelFactory):
    """A decision event of an approved company, numbered in the feed."""

    class Meta:
        model = Event

    uuid = factory.LazyFunction(uuid.uuid4)
    organisation = factory.SubFactory(OrganisationFactory)
    type = EventType.DECISION_TAKEN
    occurred_at = factory.LazyFunction(timezone.now)
    subject = factory.Sequence(lambda n: f"application:{n + 1}")
    data = factory.LazyAttribute(lambda o: {"outcome": "approve", "subject": o.subject})
    position = factory.Sequence(lambda n: 10_000_000 + n)


class WebhookEndpointFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = WebhookEndpoint

    organisation = factory.SubFactory(OrganisationFactory)
    url = factory.Sequence(lambda n: f"https://compliance{n}.example.nl/hooks/register")
    secret = factory.Sequence(lambda n: f"whsec_factory-secret-{n:08d}")
    created_by = factory.SubFactory(UserFactory, organisation=factory.SelfAttribute("..organisation"))


class WebhookDeliveryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = WebhookDelivery

    endpoint = factory.SubFactory(WebhookEndpointFactory)
    event = factory.SubFactory(EventFactory, organisation=factory.SelfAttribute("..endpoint.organisation"))
    status = DeliveryStatus.PENDING
    next_attempt_at = factory.LazyFunction(timezone.now)


class WebhookAttemptFactory(factory.django.DjangoModelFactory):
    """A first attempt the receiver refused with 503."""

    class Meta:
        model = WebhookAttempt

    delivery = factory.SubFactory(WebhookDeliveryFactory, attempts=1)
    number = 1
    attempted_at = factory.LazyFunction(timezone.now)
    status_code = 503
    error = "HTTP 503"
    duration_ms = 42
