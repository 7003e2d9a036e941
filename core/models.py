"""Cross-cutting records: in-app notifications, the e-mail outbox and the configurable calendar."""

from __future__ import annotations

from django.conf import settings
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

    day = models.DateField(unique=True)
    description = models.CharField(max_length=200)
    decree = models.CharField(max_length=200, blank=True, help_text=_("Staatscourant reference"))

    history = HistoricalRecords()

    class Meta:
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
