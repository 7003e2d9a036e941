"""Objection against a decision (bezwaar, Awb chapters 6 and 7): the exporter objects within six weeks, the
authority hears the objector, may ask an advisory committee, and decides within its own term (Awb 7:10)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from .application import Application
from .decision import Decision


class ObjectionStatus(models.TextChoices):
    FILED = "filed", _("Filed")
    HEARD = "heard", _("Hearing recorded")
    ADVISED = "advised", _("Advice received")
    DECIDED = "decided", _("Decided")
    WITHDRAWN = "withdrawn", _("Withdrawn")


OPEN_OBJECTION_STATUSES = frozenset({ObjectionStatus.FILED, ObjectionStatus.HEARD, ObjectionStatus.ADVISED})


class ObjectionOutcome(models.TextChoices):
    # Awb 7:11: on a well-founded objection the decision is revoked (herroepen) and, where needed, replaced.
    UPHELD = "upheld", _("Unfounded: the decision is upheld")
    CHANGED = "changed", _("Partly founded: the decision is changed")
    REVOKED = "revoked", _("Founded: the decision is revoked")


class DecisionObjection(models.Model):
    """One objection against one final decision. The decision term (`decision_deadline`) follows from the end
    of the objection term, the advisory committee and any postponement (core.workdays)."""

    application = models.ForeignKey(Application, on_delete=models.PROTECT, related_name="objections")
    decision = models.ForeignKey(Decision, on_delete=models.PROTECT, related_name="objections")
    status = models.CharField(max_length=10, choices=ObjectionStatus.choices, default=ObjectionStatus.FILED)
    grounds = models.TextField(_("grounds of the objection"))
    filed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    filed_on = models.DateField(_("filed on"))
    decision_sent_on = models.DateField(_("decision sent on"))
    objection_term_end = models.DateField(_("last day to object"))
    advisory_committee = models.BooleanField(_("advisory committee"), default=False)
    postponed_weeks = models.PositiveSmallIntegerField(_("postponed by (weeks)"), default=0)
    postponement_reason = models.TextField(_("reason for postponement"), blank=True)
    decision_deadline = models.DateField(_("decide by"))
    hearing_on = models.DateField(_("hearing held on"), null=True, blank=True)
    hearing_record = models.TextField(_("hearing record"), blank=True)
    hearing_waived_reason = models.TextField(_("why no hearing (Awb 7:3)"), blank=True)
    advice_on = models.DateField(_("advice given on"), null=True, blank=True)
    advice = models.TextField(_("advice"), blank=True)
    outcome = models.CharField(_("outcome"), max_length=10, choices=ObjectionOutcome.choices, blank=True)
    outcome_reasons = models.TextField(_("reasons for the decision on the objection"), blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    decided_on = models.DateField(_("decided on"), null=True, blank=True)
    version = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["decision_deadline", "id"]
        indexes = [
            # The officer's objection list: open objections by their term.
            models.Index(fields=["status", "decision_deadline", "id"], name="objection_status_deadline"),
            models.Index(fields=["decided_on"], name="objection_decided_on"),
        ]
        constraints = [
            # Awb 6:7: one objection case per decision (further grounds go into the same case).
            models.UniqueConstraint(
                fields=["decision"], condition=~Q(status="withdrawn"), name="one_objection_per_decision"
            ),
            models.CheckConstraint(condition=Q(postponed_weeks__lte=6), name="objection_postponement_at_most_6"),
            models.CheckConstraint(
                condition=Q(status="decided", outcome__gt="") | (~Q(status="decided") & Q(outcome="")),
                name="objection_outcome_iff_decided",
            ),
        ]

    def __str__(self) -> str:
        return f"Objection {self.pk} against decision {self.decision_id}"
