"""Notices under the Algemene wet bestuursrecht that the applicant receives about the decision term."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from .application import Application


class DelayNotice(models.Model):
    """Awb 4:14(3): when the decision cannot be taken within the term, the applicant is told so, with the reason
    and a reasonable new term within which the decision is expected. The legal term itself does not move."""

    application = models.ForeignKey(Application, on_delete=models.PROTECT, related_name="delay_notices")
    sent_on = models.DateField(_("sent on"))
    legal_deadline = models.DateField(_("legal decision term at the time"))
    new_expected_on = models.DateField(_("decision now expected by"))
    reason = models.TextField(_("reason for the delay"))
    sent_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    sent_at = models.DateTimeField(auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["application_id", "-sent_on", "-id"]
        indexes = [models.Index(fields=["application", "-sent_on"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(new_expected_on__gt=F("legal_deadline")), name="delay_notice_after_the_term"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.application_id}: expected by {self.new_expected_on}"
