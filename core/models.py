"""Cross-cutting records: in-app notifications, the e-mail outbox and the configurable calendar."""

from __future__ import annotations

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords


class Notification(models.Model):
    """What a user sees in their in-app notification list."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications")
    title = models.CharField(max_length=200)
    body = models.TextField(blank=True)
    link = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["user", "read_at", "-created_at"])]

    def __str__(self) -> str:
        return self.title


class OutboxStatus(models.TextChoices):
    PENDING = "pending", _("Pending")
    SENDING = "sending", _("Being sent")
    SENT = "sent", _("Sent")
    FAILED = "failed", _("Failed")


class OutboxMessage(models.Model):
    """Transactional outbox: an e-mail written in the same transaction as the action that caused it.

    If Redis is down when an officer acts, the action still commits; the beat-driven relay sends the
    message once the broker is back. Workers claim a message with a conditional UPDATE, so it is sent once.
    """

    key = models.CharField(max_length=200, unique=True, help_text=_("Idempotency key: one message per key."))
    to = models.JSONField(default=list)
    subject = models.CharField(max_length=300)
    body = models.TextField()
    status = models.CharField(max_length=10, choices=OutboxStatus.choices, default=OutboxStatus.PENDING)
    attempts = models.PositiveIntegerField(default=0)
    last_error = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    claimed_at = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [
            models.Index(fields=["created_at"], name="outbox_pending_idx", condition=Q(status="pending")),
        ]

    def __str__(self) -> str:
        return f"{self.subject} → {', '.join(self.to)}"


class EquatedHoliday(models.Model):
    """A day equated with a public holiday by royal decree (Algemene termijnenwet art. 3(3)).

    Published in the Staatscourant for three years at a time, so kept as data an administrator edits.
    """

    day = models.DateField(_("day"), unique=True)
    description = models.CharField(_("description"), max_length=200)
    decree = models.CharField(_("decree"), max_length=200, blank=True, help_text=_("Staatscourant reference"))

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("equated holiday")
        verbose_name_plural = _("equated holidays")
        ordering = ["day"]

    def __str__(self) -> str:
        return f"{self.day}: {self.description}"


class ReminderKind(models.TextChoices):
    """The deadlines the reminder engine (core.reminders) is fed with, each by the app that owns it."""

    AWB_TERM = "awb_term", _("Awb decision term")
    ANSWER_BY = "answer_by", _("Answer to a request for information")
    ART4_REPLY = "art4_reply", _("Reply to an Art. 4 denial consultation")
    DE_MINIMIS_TARGET = "de_minimis_target", _("De minimis target (without delay)")
    TREATY_WINDOW = "treaty_window", _("Treaty objection window")
    TREATY_OBJECTION = "treaty_objection", _("Our objection deadline on a treaty notification")
    PARLIAMENT_LETTER = "parliament_letter", _("Accelerated information to parliament")
    USAGE_RETURN = "usage_return", _("General licence usage return")


class DeadlineReminder(models.Model):
    """One reminder of one deadline at one point (`offset_days` before it; negative: after it). The unique
    constraint is the claim: the one sweep whose INSERT succeeds sends it, so it goes out exactly once."""

    kind = models.CharField(max_length=20, choices=ReminderKind.choices)
    subject = models.CharField(max_length=100, help_text=_("What the deadline belongs to, e.g. application:42."))
    deadline = models.DateField()
    offset_days = models.SmallIntegerField()
    sent_at = models.DateTimeField()
    recipients = models.PositiveSmallIntegerField(default=0)
    escalated = models.BooleanField(default=False, help_text=_("Also sent to the senior officers."))

    class Meta:
        ordering = ["-sent_at"]
        indexes = [models.Index(fields=["subject", "kind"])]
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "subject", "deadline", "offset_days"], name="one_reminder_per_deadline_point"
            )
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.subject} {self.deadline} ({self.offset_days:+d})"


# --- Events for exporters' own systems (issue 18) ---------------------------------------------------------


class EventType(models.TextChoices):
    """What an exporter's system is told about. Written by the service that makes the change, in its transaction
    (core.events.event_record), never by a signal."""

    INFORMATION_REQUESTED = "information.requested", _("The licensing authority asked for information")
    DECISION_TAKEN = "decision.taken", _("A decision was taken on an application")
    LICENCE_ISSUED = "licence.issued", _("A licence was issued")
    LICENCE_CHANGED = "licence.changed", _("A licence's status changed")
    DOCUMENT_SCANNED = "document.scanned", _("An uploaded document was scanned for viruses")


class Event(models.Model):
    """One change an organisation's systems may learn about: the transactional outbox behind the event feed
    (GET /api/v1/events/) and the signed webhooks.

    `uuid` is the stable id a receiver de-duplicates on (delivery is at least once). `position` is the feed's
    cursor: given after the writing transaction has committed, in commit order (core.events.events_sequence),
    so a client that read up to position N never later meets an event below N. An id taken at INSERT would not
    do: a transaction that started first may commit last, and a poller would already have passed its id.
    """

    uuid = models.UUIDField(unique=True, editable=False)
    organisation = models.ForeignKey("parties.Organisation", on_delete=models.PROTECT, related_name="+")
    type = models.CharField(max_length=40, choices=EventType.choices)
    occurred_at = models.DateTimeField()
    subject = models.CharField(max_length=100, help_text=_("What the event is about, e.g. application:42."))
    data = models.JSONField(default=dict, encoder=DjangoJSONEncoder)
    position = models.BigIntegerField(null=True, blank=True, unique=True)

    class Meta:
        ordering = ["position"]
        indexes = [
            models.Index(fields=["organisation", "position"]),
            models.Index(fields=["id"], name="event_unsequenced_idx", condition=Q(position__isnull=True)),
        ]

    def __str__(self) -> str:
        return f"{self.type} {self.subject} ({self.uuid})"


class WebhookEndpoint(models.Model):
    """An address an organisation's administrator registered to receive its events, signed with `secret`."""

    organisation = models.ForeignKey("parties.Organisation", on_delete=models.PROTECT, related_name="+")
    url = models.URLField(_("endpoint URL"), max_length=500)
    # Kept readable: the register must compute the HMAC with it. Shown to the administrator once, when made.
    secret = models.CharField(max_length=100, editable=False)
    is_active = models.BooleanField(_("active"), default=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    history = HistoricalRecords(excluded_fields=["secret"])

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["organisation", "is_active"])]

    def __str__(self) -> str:
        return self.url


class DeliveryStatus(models.TextChoices):
    PENDING = "pending", _("Waiting to be sent")
    SENDING = "sending", _("Being sent")
    DELIVERED = "delivered", _("Delivered")
    FAILED = "failed", _("Failed: gave up")


class WebhookDelivery(models.Model):
    """One event for one endpoint, tried until the receiver answers 2xx or the attempts run out."""

    endpoint = models.ForeignKey(WebhookEndpoint, on_delete=models.CASCADE, related_name="deliveries")
    event = models.ForeignKey(Event, on_delete=models.PROTECT, related_name="deliveries")
    status = models.CharField(max_length=10, choices=DeliveryStatus.choices, default=DeliveryStatus.PENDING)
    attempts = models.PositiveSmallIntegerField(default=0)
    next_attempt_at = models.DateTimeField()
    claimed_at = models.DateTimeField(null=True, blank=True)
    delivered_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-id"]
        indexes = [
            models.Index(fields=["endpoint", "-id"]),
            models.Index(fields=["next_attempt_at"], name="webhook_due_idx", condition=Q(status="pending")),
        ]
        constraints = [models.UniqueConstraint(fields=["endpoint", "event"], name="one_delivery_per_endpoint_event")]

    def __str__(self) -> str:
        return f"{self.event_id} → {self.endpoint_id}: {self.status}"


class WebhookAttempt(models.Model):
    """What happened when the register called the endpoint once: shown to the organisation's administrator."""

    delivery = models.ForeignKey(WebhookDelivery, on_delete=models.CASCADE, related_name="attempt_log")
    number = models.PositiveSmallIntegerField()
    attempted_at = models.DateTimeField()
    status_code = models.PositiveSmallIntegerField(null=True, blank=True)
    error = models.CharField(max_length=300, blank=True)
    duration_ms = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["delivery", "number"]
        constraints = [models.UniqueConstraint(fields=["delivery", "number"], name="one_attempt_per_number")]

    def __str__(self) -> str:
        return f"{self.delivery_id} #{self.number}: {self.status_code or self.error}"
