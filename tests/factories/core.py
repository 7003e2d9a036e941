"""Factories for core's cross-cutting records: in-app notifications, the e-mail outbox, equated holidays and
deadline reminders."""

from __future__ import annotations

from datetime import date, timedelta

import factory
from django.utils import timezone

from core.models import DeadlineReminder, EquatedHoliday, Notification, OutboxMessage, ReminderKind

from .parties import UserFactory


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
