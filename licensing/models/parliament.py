"""Accelerated information to parliament: the rules (data, dated) and the flag a decision gets when it meets one.

The rule text and its source are in licensing/parliament_rules.py. The flag is stored here, in licensing, because
the decision service sets it in the decision's own transaction; the reports app reads it for its list page
(a lower app never imports a higher one).
"""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from .application import Application
from .decision import Decision
from .licence import Licence


class ParliamentInformationRule(models.Model):
    """When a decision must be told to parliament early. Loaded from data/reference/parliament_information_rules.csv;
    administrators change it in the admin (with history). Dated: a decision is tested against the rule in force
    on its date."""

    name = models.CharField(_("name"), max_length=100, unique=True)
    value_threshold_eur = models.DecimalField(
        _("value threshold (EUR)"),
        max_digits=16,
        decimal_places=2,
        default=Decimal("2000000.00"),
        validators=[MinValueValidator(Decimal(0))],
        help_text=_("A decision is flagged when the counted value is ABOVE this amount (not equal to it)."),
    )
    outside_blocs = models.CharField(
        _("destinations outside"),
        max_length=50,
        default="EU NATO",
        help_text=_("Space-separated blocs (EU, NATO); membership is taken on the decision date."),
    )
    equivalent_states = models.CharField(
        _("equivalent states"),
        max_length=200,
        blank=True,
        help_text=_("Space-separated country codes treated like members, e.g. AU JP NZ CH."),
    )
    complete_systems_only = models.BooleanField(
        _("complete systems only"),
        default=True,
        help_text=_("Count only goods lines that are not components for integration."),
    )
    letter_due_days = models.PositiveSmallIntegerField(
        _("letter due after (calendar days)"), default=14, validators=[MinValueValidator(1)]
    )
    valid_from = models.DateField(_("valid from"))
    valid_until = models.DateField(_("valid until"), null=True, blank=True, help_text=_("Last day; empty: open."))
    source = models.TextField(_("source"), blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["valid_from", "name"]
        verbose_name = _("accelerated information rule")
        verbose_name_plural = _("accelerated information rules")
        constraints = [
            models.CheckConstraint(
                condition=Q(valid_until__isnull=True) | Q(valid_until__gte=models.F("valid_from")),
                name="parliament_rule_valid_period",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def bloc_list(self) -> list[str]:
        return self.outside_blocs.split()

    @property
    def equivalent_list(self) -> list[str]:
        return [code.upper() for code in self.equivalent_states.split()]


class ParliamentInformationStatus(models.TextChoices):
    DUE = "due", _("Letter due")
    SENT = "sent", _("Sent to parliament")


class ParliamentInformation(models.Model):
    """A decision that parliament must be told about early, with the draft letter and its deadline."""

    application = models.OneToOneField(Application, on_delete=models.PROTECT, related_name="parliament_information")
    decision = models.ForeignKey(Decision, on_delete=models.PROTECT, related_name="+")
    licence = models.ForeignKey(Licence, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    rule = models.ForeignKey(ParliamentInformationRule, on_delete=models.PROTECT, related_name="flags")
    decided_on = models.DateField(_("decided on"))
    value_eur = models.DecimalField(_("counted value (EUR)"), max_digits=16, decimal_places=2)
    # The destinations that made it count (outside the blocs and not equivalent on the decision date), ISO codes.
    destinations = models.JSONField(_("destinations outside"), default=list)
    due_on = models.DateField(_("letter due on"))
    status = models.CharField(
        _("status"), max_length=8, choices=ParliamentInformationStatus.choices, default=ParliamentInformationStatus.DUE
    )
    letter = models.FileField(_("draft letter"), upload_to="parliament/%Y/", blank=True)
    letter_sha256 = models.CharField(max_length=64, blank=True)
    sent_on = models.DateField(_("sent on"), null=True, blank=True)
    sent_reference = models.CharField(
        _("reference of the letter"), max_length=100, blank=True, help_text=_("e.g. the Kamerstuk number.")
    )
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    version = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["status", "due_on", "id"]
        verbose_name = _("accelerated information to parliament")
        verbose_name_plural = _("accelerated information to parliament")
        indexes = [models.Index(fields=["status", "due_on"])]
        constraints = [
            models.CheckConstraint(
                condition=~Q(status="sent") | Q(sent_on__isnull=False), name="parliament_information_sent_has_date"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.application_id} ({self.status})"

    def is_evidence(self) -> bool:
        """A letter marked sent is evidence (audit.admin_guard)."""
        return bool(self.status == ParliamentInformationStatus.SENT)
