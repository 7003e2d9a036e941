"""Consultations with other states: the Art. 4 denial consultation of Common Position 2008/944/CFSP and the
treaty's high-level consultations after an emergency-brake objection. One model, two kinds."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from core.texts import words_text


class ConsultationKind(models.TextChoices):
    ART4_DENIAL = "art4_denial", _("Denial consultation (Common Position Art. 4)")
    HIGH_LEVEL = "high_level", _("High-level consultation (treaty emergency brake)")
    # A partner whose products are in our export may object within two calendar months of becoming aware
    # (treaty emergency brake): the decision waits until its window closes or it answers "no objection".
    BRAKE_WINDOW = "brake_window", _("Partner's window to object (treaty emergency brake)")


class ConsultationStatus(models.TextChoices):
    OPEN = "open", _("Open")
    CONCLUDED = "concluded", _("Concluded")


class ConsultationOutcome(models.TextChoices):
    # Art. 4: what the consulted (denying) state answered
    DENIAL_MAINTAINED = "denial_maintained", _("Denying state maintains its denial")
    NO_OBJECTION = "no_objection", _("Denying state has no objection")
    NO_ANSWER = "no_answer", _("No answer within the response period")
    # Treaty high-level consultation
    CONSENSUS = "consensus", _("Consensus solution")
    OBJECTION_WITHDRAWN = "objection_withdrawn", _("Objection withdrawn")
    EXPORT_ABANDONED = "export_abandoned", _("Export abandoned")
    EXPORT_MODIFIED = "export_modified", _("Export modified")
    # A partner's emergency-brake window on our export
    OBJECTION_RAISED = "objection_raised", _("The partner objected: high-level consultation follows")
    NO_OBJECTION_IN_TIME = "no_objection_in_time", _("No objection within the two months")
    PARTNER_NO_OBJECTION = "partner_no_objection", _("The partner answered that it has no objection")
    # The case was refused or withdrawn while the consultation ran: nothing is left to consult on.
    CASE_CLOSED = "case_closed", _("Case refused or withdrawn before the consultation concluded")


class Consultation(models.Model):
    kind = models.CharField(_("kind"), max_length=16, choices=ConsultationKind.choices)
    status = models.CharField(
        _("status"), max_length=10, choices=ConsultationStatus.choices, default=ConsultationStatus.OPEN
    )
    application = models.ForeignKey(
        "licensing.Application",
        verbose_name=_("application"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="consultations",
    )
    # An Art. 4 consultation on a change of a licence that names a new consignee or end user resembling a denial
    # (licensing.denial_rules.change_denials_to_consult): it holds that change, not the case, which is decided
    # already; one consultation per change and denial consulted on.
    amendment = models.ForeignKey(
        "licensing.LicenceAmendment",
        verbose_name=_("change of a licence"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="consultations",
    )
    denial = models.ForeignKey(
        "licensing.DenialNotification",
        verbose_name=_("denial consulted on"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    counterpart = models.ForeignKey(
        "parties.Country", on_delete=models.PROTECT, related_name="+", verbose_name=_("other state")
    )
    subject = models.CharField(_("subject"), max_length=300)
    # The subject the register wrote itself, as core.texts.Words (issue 15): shown in the reader's language;
    # `subject` keeps the English text for exports and older readers. Empty for a subject an officer typed.
    subject_words = models.JSONField(null=True, blank=True, editable=False)
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("opened by"), on_delete=models.PROTECT, null=True, related_name="+"
    )
    opened_on = models.DateField(_("opened on"))
    respond_by = models.DateField(_("response due"), null=True, blank=True)
    concluded_on = models.DateField(_("concluded on"), null=True, blank=True)
    outcome = models.CharField(_("outcome"), max_length=24, choices=ConsultationOutcome.choices, blank=True)
    outcome_text = models.TextField(_("outcome and reasons"), blank=True)
    version = models.PositiveIntegerField(default=1)

    # Moved from the consultations app (issue 12): the table keeps its name, so the move rewrote nothing.
    history = HistoricalRecords(table_name="consultations_historicalconsultation")

    class Meta:
        verbose_name = _("consultation")
        verbose_name_plural = _("consultations")
        db_table = "consultations_consultation"
        ordering = ["-opened_on", "-id"]
        indexes = [
            models.Index(fields=["kind", "status", "respond_by"]),
            models.Index(fields=["application", "status"]),
        ]
        constraints = [
            # A double submit of "consult" must not open two consultations on the same denial for one change.
            models.UniqueConstraint(
                fields=["amendment", "denial"],
                condition=models.Q(amendment__isnull=False),
                name="one_consultation_per_change_and_denial",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} with {self.counterpart_id}: {self.subject}"

    @property
    def subject_text(self) -> str:
        """The subject in the active language where the register wrote it, else as it was typed."""
        return words_text(self.subject_words) if self.subject_words else self.subject

    @property
    def holds_until_respond_by(self) -> bool:
        """A partner's brake window ends by itself on its closing day; other consultations end when concluded."""
        return self.kind == ConsultationKind.BRAKE_WINDOW

    @property
    def duration_days(self) -> int | None:
        if self.concluded_on is None:
            return None
        return (self.concluded_on - self.opened_on).days
