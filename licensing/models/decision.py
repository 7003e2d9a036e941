"""Decisions on applications: proposed by one officer, countersigned by a senior officer where four eyes apply."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.db.models.functions import Coalesce
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from .application import Application
from .reference import Criterion


class DecisionOutcome(models.TextChoices):
    APPROVE = "approve", _("Approve")
    REFUSE = "refuse", _("Refuse")


class DecisionStatus(models.TextChoices):
    PROPOSED = "proposed", _("Awaiting countersignature")
    RETURNED = "returned", _("Sent back")
    FINAL = "final", _("Final")
    # Awb 7:11: a decision revoked on objection; the case is reconsidered and gets a new decision.
    REVOKED = "revoked", _("Revoked on objection")


class Decision(models.Model):
    application = models.ForeignKey(
        Application, verbose_name=_("application"), on_delete=models.PROTECT, related_name="decisions"
    )
    outcome = models.CharField(_("outcome"), max_length=8, choices=DecisionOutcome.choices)
    status = models.CharField(_("status"), max_length=10, choices=DecisionStatus.choices)
    justification = models.TextField(_("justification"))
    conditions = models.TextField(_("licence conditions"), blank=True)
    valid_from = models.DateField(_("valid from"), null=True, blank=True)
    valid_until = models.DateField(_("valid until"), null=True, blank=True)
    criteria = models.ManyToManyField(Criterion, blank=True, verbose_name=_("criteria invoked"))
    sub_criteria = models.CharField(_("sub-criteria"), max_length=100, blank=True, help_text=_("e.g. 2a, 2c"))
    refusal_ground = models.CharField(
        _("refusal ground"),
        max_length=40,
        blank=True,
        help_text=_("For de minimis treaty transfers: direct interests or national security."),
    )
    needs_countersignature = models.BooleanField(_("needs a countersignature"), default=False)
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("proposed by"), on_delete=models.PROTECT, related_name="+"
    )
    proposed_at = models.DateTimeField(_("proposed at"))
    countersigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("countersigned by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    countersigned_at = models.DateTimeField(_("countersigned at"), null=True, blank=True)
    returned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("returned by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    return_reason = models.TextField(_("return reason"), blank=True)
    # Final refusals only: membership of the application's destination on the decision date, kept by
    # licensing.destination_flags for the reports; NULL: not fixed, the reports ask parties.memberships per row.
    # Not in the history: they copy the membership rule's answer and are refreshed when a membership changes.
    destination_eu = models.BooleanField(null=True, editable=False)
    destination_nato = models.BooleanField(null=True, editable=False)
    destination_treaty = models.BooleanField(null=True, editable=False)

    history = HistoricalRecords(
        m2m_fields=[criteria], excluded_fields=["destination_eu", "destination_nato", "destination_treaty"]
    )

    class Meta:
        verbose_name = _("decision")
        verbose_name_plural = _("decisions")
        ordering = ["application_id", "-proposed_at"]
        indexes = [
            models.Index(fields=["status", "proposed_at"]),
            # Final refusals by the day they were decided (reports.queries.base._live_refusals): the annual report
            # read every decision of the register for a year's refusals (issue 19, round 7).
            models.Index(
                Coalesce("countersigned_at", "proposed_at"),
                name="decision_refused_on",
                condition=Q(status=DecisionStatus.FINAL, outcome=DecisionOutcome.REFUSE),
            ),
        ]
        constraints = [
            # Four eyes, enforced by the database too: nobody countersigns their own proposal.
            models.CheckConstraint(
                condition=Q(countersigned_by__isnull=True) | ~Q(countersigned_by=models.F("proposed_by")),
                name="decision_four_eyes",
            ),
            models.UniqueConstraint(
                fields=["application"], condition=Q(status="proposed"), name="one_pending_decision_per_application"
            ),
            models.UniqueConstraint(
                fields=["application"], condition=Q(status="final"), name="one_final_decision_per_application"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.application_id} {self.outcome} ({self.status})"

    def is_evidence(self) -> bool:
        """A final decision is evidence (audit.admin_guard)."""
        return bool(self.status == DecisionStatus.FINAL)
