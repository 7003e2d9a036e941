"""Treaty programmes, notifications of exports to third countries, emergency-brake objections, meetings of
and the high-level consultations (their deadline reminders are sent by core.reminders).

Source: Agreement on Export Controls in the Field of Defence (Paris, 2021-09-17), Art. 1 (intergovernmental
programmes), Art. 2 and Annex 1 (recognised industrial cooperation projects) and the emergency brake: a party
may oppose a transfer or export to a third country only exceptionally, where its direct interests or national
security are compromised, informing the others "at the latest within two months" of becoming aware; the
parties then hold high-level consultations immediately and seek a solution by consensus
(../shared/domain/README.md "Treaty: programmes, cooperation projects and the emergency brake").
"""

from __future__ import annotations

from datetime import date

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from licensing.models.consultation import Consultation
from licensing.models.treaty import TreatyRefusalGround


class ProgrammeKind(models.TextChoices):
    INTERGOVERNMENTAL = "intergovernmental", _("Intergovernmental programme (Art. 1)")
    INDUSTRIAL_COOPERATION = "industrial_cooperation", _("Recognised industrial cooperation project (Art. 2)")


class Programme(models.Model):
    name = models.CharField(_("name"), max_length=200, unique=True)
    kind = models.CharField(_("kind"), max_length=24, choices=ProgrammeKind.choices)
    description = models.TextField(_("description"), blank=True)
    participants = models.ManyToManyField("parties.Country", related_name="+", verbose_name=_("participating parties"))
    recognised_on = models.DateField(
        _("recognition date"),
        null=True,
        blank=True,
        help_text=_("Industrial cooperation projects: the day the last party concerned recognised it."),
    )
    applications = models.ManyToManyField(
        "licensing.Application", related_name="treaty_programmes", blank=True, verbose_name=_("related applications")
    )
    created_at = models.DateTimeField(auto_now_add=True)

    history = HistoricalRecords(m2m_fields=[participants, applications])

    class Meta:
        verbose_name = _("programme")
        verbose_name_plural = _("programmes")
        ordering = ["name"]
        indexes = [models.Index(fields=["kind", "name"])]

    def __str__(self) -> str:
        return self.name


class NotificationDirection(models.TextChoices):
    INCOMING = "incoming", _("Incoming: another party notifies us")
    OUTGOING = "outgoing", _("Outgoing: we notify another party")


class NotificationSubject(models.TextChoices):
    PROGRAMME_PRODUCT = "programme_product", _("Product of a programme or cooperation project")
    HOME_STATE_CONTENT = "home_state_content", _("System with Dutch content")
    OTHER_PARTY_CONTENT = "other_party_content", _("Dutch export with another party's content")


class NotificationStatus(models.TextChoices):
    OPEN = "open", _("Open: objection period running")
    OBJECTION_PROPOSED = "objection_proposed", _("Objection proposed")
    OBJECTED = "objected", _("Objection made: in consultation")
    NO_OBJECTION_IN_TIME = "no_objection_in_time", _("No objection raised in time")
    CLOSED = "closed", _("Closed")


# The objection period is still running for these: reminders go out, and the sweep records "no objection"
# once the deadline has passed.
DEADLINE_RUNNING = frozenset({NotificationStatus.OPEN, NotificationStatus.OBJECTION_PROPOSED})


class TreatyNotification(models.Model):
    """A notified export of a programme product or of a system with another party's content to a third country.

    Incoming: another party tells us; `received_on` is the day we became aware, and our objection deadline runs
    from it. Outgoing: we tell a party concerned about a Dutch export; `received_on` is the day they received
    it, and their window runs from it.
    """

    direction = models.CharField(_("direction"), max_length=8, choices=NotificationDirection.choices)
    counterpart = models.ForeignKey(
        "parties.Country",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("other party"),
        help_text=_("Incoming: the notifying state. Outgoing: the party concerned that we notify."),
    )
    subject_kind = models.CharField(_("subject"), max_length=24, choices=NotificationSubject.choices)
    subject = models.CharField(_("export project"), max_length=300)
    their_reference = models.CharField(_("their reference"), max_length=100, blank=True)
    programme = models.ForeignKey(
        "consultations.Programme",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="notifications",
        verbose_name=_("programme or project"),
    )
    third_country = models.ForeignKey(
        "parties.Country", on_delete=models.PROTECT, related_name="+", verbose_name=_("third-country destination")
    )
    received_on = models.DateField(_("date of becoming aware"))
    objection_period_months = models.PositiveSmallIntegerField(_("objection period (months)"))
    objection_deadline = models.DateField(_("objection deadline"))
    deadline_rule = models.TextField(_("deadline rule"))
    status = models.CharField(
        _("status"), max_length=24, choices=NotificationStatus.choices, default=NotificationStatus.OPEN
    )
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("assigned to"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    application = models.ForeignKey(
        "licensing.Application",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="treaty_notifications",
        verbose_name=_("related application"),
    )
    notes = models.TextField(_("notes"), blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("recorded by"), on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    version = models.PositiveIntegerField(default=1)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("treaty notification")
        verbose_name_plural = _("treaty notifications")
        ordering = ["objection_deadline", "id"]
        indexes = [
            models.Index(fields=["status", "objection_deadline"]),
            # The dashboard's order (objection_deadline, id) read straight from an index, so a page of a register
            # with 100,000 running notifications is 25 index entries, not a sort of all of them; the partial one
            # also serves the deadline sweep ("running and past its deadline").
            models.Index(fields=["objection_deadline", "id"], name="notification_deadline_idx"),
            models.Index(
                fields=["objection_deadline", "id"],
                name="notification_running_idx",
                condition=Q(status__in=sorted(s.value for s in DEADLINE_RUNNING)),
            ),
            models.Index(fields=["direction", "status", "objection_deadline"]),
            models.Index(fields=["assignee", "status"]),
            models.Index(fields=["counterpart", "status"]),
            models.Index(fields=["application", "direction"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(objection_deadline__gt=models.F("received_on")), name="notification_deadline_after_aware"
            ),
            models.CheckConstraint(
                condition=Q(direction="incoming") | Q(application__isnull=False),
                name="outgoing_notification_has_application",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.counterpart_id} → {self.third_country_id}: {self.subject}"

    def days_left(self, today: date) -> int:
        """Calendar days until the deadline; 0 on the deadline day itself (still in time), negative after."""
        return (self.objection_deadline - today).days


class ObjectionStatus(models.TextChoices):
    PROPOSED = "proposed", _("Proposed: awaiting a senior officer")
    APPROVED = "approved", _("Approved: ready to send")
    SENT = "sent", _("Sent")
    RETURNED = "returned", _("Sent back")
    RECEIVED = "received", _("Received from the other party")


class Objection(models.Model):
    """Our emergency-brake objection to an incoming notification (proposed, approved by a senior officer, sent),
    or another party's objection to one of our outgoing notifications (received)."""

    notification = models.ForeignKey(
        TreatyNotification, verbose_name=_("notification"), on_delete=models.PROTECT, related_name="objections"
    )
    ground = models.CharField(_("ground"), max_length=20, choices=TreatyRefusalGround.choices)
    reasons = models.TextField(_("reasons"))
    status = models.CharField(_("status"), max_length=10, choices=ObjectionStatus.choices)
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("proposed by"), on_delete=models.PROTECT, related_name="+"
    )
    proposed_at = models.DateTimeField(_("proposed at"))
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("approved by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    approved_at = models.DateTimeField(_("approved at"), null=True, blank=True)
    returned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("returned by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    return_reason = models.TextField(_("return reason"), blank=True)
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("sent by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    sent_on = models.DateField(_("sent on"), null=True, blank=True)
    received_on = models.DateField(_("received on"), null=True, blank=True)
    consultation = models.OneToOneField(
        Consultation,
        verbose_name=_("consultation"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="treaty_objection",
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("treaty objection")
        verbose_name_plural = _("treaty objections")
        ordering = ["notification_id", "proposed_at"]
        constraints = [
            # Four eyes, enforced by the database too: nobody approves their own objection.
            models.CheckConstraint(
                condition=Q(approved_by__isnull=True) | ~Q(approved_by=models.F("proposed_by")),
                name="objection_four_eyes",
            ),
            models.CheckConstraint(
                condition=~Q(status="sent") | (Q(approved_by__isnull=False) & Q(sent_on__isnull=False)),
                name="objection_sent_was_approved",
            ),
            # One live objection per notification; sent-back proposals stay for the record.
            models.UniqueConstraint(
                fields=["notification"], condition=~Q(status="returned"), name="one_live_objection_per_notification"
            ),
        ]

    def __str__(self) -> str:
        return f"Objection {self.pk} on notification {self.notification_id} ({self.status})"


class ConsultationMeeting(models.Model):
    """A meeting of a high-level consultation, with the alternatives put on the table."""

    consultation = models.ForeignKey(Consultation, on_delete=models.PROTECT, related_name="meetings")
    held_on = models.DateField(_("date"))
    participants = models.TextField(_("participants"))
    notes = models.TextField(_("notes"), blank=True)
    alternatives_proposed = models.TextField(_("alternatives proposed"), blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["consultation_id", "held_on", "id"]

    def __str__(self) -> str:
        return f"Meeting {self.held_on} ({self.consultation_id})"
