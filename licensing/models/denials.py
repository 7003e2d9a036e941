"""Denial notifications exchanged with EU Member States and the matches the checks propose (Common Position
2008/944/CFSP, Art. 4).

The official field list of a denial notification (the User's Guide) was not found; the fields below are the
working set of ../shared/domain/README.md "Denials and Article 4 consultation": date and reference,
destination, ML category and goods description, consignee and end user, stated end use, criteria invoked and
a short reason. Rules: licensing/denial_rules.py; writes: licensing/services/denials.py and checks.py.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from parties.models import HOME_STATE

from .consultation import Consultation


class DenialDirection(models.TextChoices):
    OUTGOING = "outgoing", _("Our refusal, notified to EU partners")
    INCOMING = "incoming", _("Received from another Member State")


class DenialSource(models.TextChoices):
    REGISTER = "register", _("Created by the register on a refusal or revocation")
    MANUAL = "manual", _("Entered by hand")
    CSV_IMPORT = "csv_import", _("Imported from CSV")


class DenialStatus(models.TextChoices):
    ACTIVE = "active", _("Active")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class DenialNotification(models.Model):
    direction = models.CharField(_("direction"), max_length=10, choices=DenialDirection.choices)
    reference = models.CharField(_("reference"), max_length=60)
    issuing_state = models.ForeignKey(
        "parties.Country", on_delete=models.PROTECT, related_name="+", verbose_name=_("issuing state")
    )
    notified_on = models.DateField(_("date of denial"))
    destination = models.ForeignKey(
        "parties.Country", on_delete=models.PROTECT, related_name="+", verbose_name=_("destination")
    )
    ml_category = models.ForeignKey(
        "licensing.MLCategory", on_delete=models.PROTECT, related_name="+", verbose_name=_("ML category")
    )
    goods_description = models.TextField(_("goods description"))
    quantity = models.CharField(_("quantity"), max_length=100, blank=True)
    consignee = models.CharField(_("consignee"), max_length=300, blank=True)
    end_user = models.CharField(_("end user"), max_length=300)
    end_use = models.TextField(_("stated end use"), blank=True)
    criteria = models.ManyToManyField("licensing.Criterion", related_name="+", verbose_name=_("criteria invoked"))
    sub_criteria = models.CharField(_("sub-criteria"), max_length=60, blank=True, help_text=_("e.g. 2a, 2c"))
    reason = models.TextField(_("short reason"), blank=True)
    application = models.ForeignKey(
        "licensing.Application",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="denial_notifications",
        help_text=_("Our own refusal: the application refused."),
    )
    decision = models.ForeignKey(
        "licensing.Decision", on_delete=models.PROTECT, null=True, blank=True, related_name="denial_notifications"
    )
    revoked_licence = models.ForeignKey(
        "licensing.Licence",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="denial_notifications",
        help_text=_("A revocation is notified as a denial too."),
    )
    source = models.CharField(_("source"), max_length=12, choices=DenialSource.choices)
    status = models.CharField(_("status"), max_length=10, choices=DenialStatus.choices, default=DenialStatus.ACTIVE)
    status_reason = models.TextField(blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    recorded_at = models.DateTimeField()

    # Moved from the consultations app (issue 12): the tables keep their names, so the move rewrote nothing.
    history = HistoricalRecords(m2m_fields=[criteria], table_name="consultations_historicaldenialnotification")

    class Meta:
        verbose_name = _("denial notification")
        verbose_name_plural = _("denial notifications")
        db_table = "consultations_denialnotification"
        ordering = ["-notified_on", "-id"]
        indexes = [
            models.Index(fields=["-notified_on", "-id"]),  # the register's order, and its date filter
            models.Index(fields=["direction", "-notified_on"]),
            models.Index(fields=["issuing_state", "-notified_on"]),
            models.Index(fields=["destination", "ml_category", "notified_on"]),
            models.Index(fields=["ml_category", "-notified_on"]),
            models.Index(fields=["status", "-notified_on"]),
        ]
        constraints = [
            models.UniqueConstraint(fields=["issuing_state", "reference"], name="one_denial_reference_per_state"),
            # Outgoing notifications are ours; incoming ones come from another Member State.
            models.CheckConstraint(
                condition=(Q(direction="outgoing") & Q(issuing_state=HOME_STATE))
                | (Q(direction="incoming") & ~Q(issuing_state=HOME_STATE)),
                name="denial_direction_matches_state",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.issuing_state_id} {self.reference} ({self.notified_on})"


class MatchDecision(models.TextChoices):
    PENDING = "", _("To decide")
    CONFIRMED = "confirmed", _("Essentially identical: consult")
    DISMISSED = "dismissed", _("Not essentially identical")


class DenialMatch(models.Model):
    """A denial by another Member State that the checks propose as an essentially identical transaction."""

    application = models.ForeignKey("licensing.Application", on_delete=models.CASCADE, related_name="denial_matches")
    denial = models.ForeignKey(DenialNotification, on_delete=models.PROTECT, related_name="matches")
    score = models.FloatField(help_text=_("Best similarity of end user or goods, 0-100."))
    matched_fields = models.JSONField(default=dict)
    still_matches = models.BooleanField(
        default=True, help_text=_("False when the latest run of the checks no longer proposes it.")
    )
    found_at = models.DateTimeField()
    decision = models.CharField(max_length=10, choices=MatchDecision.choices, blank=True, default=MatchDecision.PENDING)
    decision_reason = models.TextField(blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    consultation = models.ForeignKey(
        Consultation, on_delete=models.PROTECT, null=True, blank=True, related_name="denial_matches"
    )
    # Art. 4: granting anyway after consulting → the denying state is told, with the reasons.
    grant_notified_at = models.DateTimeField(null=True, blank=True)
    grant_notification_text = models.TextField(blank=True)

    history = HistoricalRecords(table_name="consultations_historicaldenialmatch")

    class Meta:
        db_table = "consultations_denialmatch"
        ordering = ["application_id", "-score"]
        indexes = [
            models.Index(fields=["application", "decision"]),
            models.Index(fields=["denial", "decision"]),
        ]
        constraints = [
            models.UniqueConstraint(fields=["application", "denial"], name="one_match_per_application_denial"),
            models.CheckConstraint(condition=Q(score__gte=0) & Q(score__lte=100), name="denial_match_score_range"),
            models.CheckConstraint(condition=Q(decision="") | ~Q(decision_reason=""), name="denial_match_reason"),
            models.CheckConstraint(
                condition=~Q(decision="confirmed") | Q(consultation__isnull=False),
                name="confirmed_match_has_consultation",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.application_id} ~ {self.denial_id} ({self.score:.0f})"


class ChangeDenialDismissal(models.Model):
    """An officer's finding that a change of a licence is not essentially identical to a denial whose party the new
    consignee or end user resembles (Common Position Art. 4(1) asks for consultation only for an essentially
    identical transaction; the resemblance is the rule's proposal, the finding is the officer's, as for a
    DenialMatch on an application). Once made it stands: the gate stops asking for that consultation."""

    amendment = models.ForeignKey(
        "licensing.LicenceAmendment", on_delete=models.CASCADE, related_name="denial_dismissals"
    )
    denial = models.ForeignKey(DenialNotification, on_delete=models.PROTECT, related_name="change_dismissals")
    reason = models.TextField(_("why the transaction is not essentially identical"))
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    decided_at = models.DateTimeField()

    history = HistoricalRecords()

    class Meta:
        ordering = ["amendment_id", "denial_id"]
        constraints = [
            models.UniqueConstraint(fields=["amendment", "denial"], name="one_dismissal_per_change_denial"),
            models.CheckConstraint(condition=~Q(reason=""), name="change_dismissal_reason"),
        ]

    def __str__(self) -> str:
        return f"{self.amendment_id} ≁ {self.denial_id}"
