"""Changes to an issued licence after the decision: amendments (goods and quantities, validity, destination) and
extensions asked for by the holder, decided by an officer; and the earlier versions an approved change leaves
behind, kept read-only with their own PDF."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from .licence import Licence
from .objection import DecisionObjection


class AmendmentKind(models.TextChoices):
    AMENDMENT = "amendment", _("Amendment")
    EXTENSION = "extension", _("Extension")


class AmendmentStatus(models.TextChoices):
    REQUESTED = "requested", _("Requested")
    PROPOSED = "proposed", _("Awaiting countersignature")
    APPROVED = "approved", _("Approved")
    REFUSED = "refused", _("Refused")
    WITHDRAWN = "withdrawn", _("Withdrawn")


OPEN_AMENDMENT_STATUSES = frozenset({AmendmentStatus.REQUESTED, AmendmentStatus.PROPOSED})


class LicenceAmendment(models.Model):
    """One request to change a licence. Only what changes is stored (null / empty = unchanged); the officer's
    checks on the change (licensing.services.checks.checks_for_change) and the reasons for four eyes
    (licensing.amendment_rules) are kept with it as they were when assessed."""

    licence = models.ForeignKey(Licence, on_delete=models.PROTECT, related_name="amendments")
    kind = models.CharField(_("kind"), max_length=10, choices=AmendmentKind.choices)
    status = models.CharField(max_length=10, choices=AmendmentStatus.choices, default=AmendmentStatus.REQUESTED)
    based_on_version = models.PositiveIntegerField(_("based on version"))
    reason = models.TextField(_("why the change is needed"))
    new_valid_until = models.DateField(_("new last day of validity"), null=True, blank=True)
    new_destination = models.ForeignKey(
        "parties.Country", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    # [{"goods": LicensedGoods id, "quantity": "12.000", "value_eur": "1200.00"}]: only the lines that change
    goods_changes = models.JSONField(default=list, blank=True)
    # [{"role": "consignee" | "end_user", "name", "address", "country", "party_type", "saved_party": id | None}]:
    # the party that replaces the licence's party in that role
    party_changes = models.JSONField(default=list, blank=True)
    # [{"description", "ml_category", "quantity", "unit", "value_eur", "product": id | None}]: goods lines added
    goods_additions = models.JSONField(default=list, blank=True)
    # The end-user certificate the holder relies on for a new end user (licensing.certificate_rules checks it).
    end_user_certificate = models.ForeignKey(
        "licensing.EndUserCertificate", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    objection = models.ForeignKey(
        DecisionObjection, on_delete=models.PROTECT, null=True, blank=True, related_name="amendments"
    )
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    requested_at = models.DateTimeField()
    check_findings = models.JSONField(default=list, blank=True)
    four_eyes_reasons = models.JSONField(default=list, blank=True)
    proposed_outcome = models.CharField(max_length=8, blank=True)
    decision_reasons = models.TextField(_("reasons for the decision"), blank=True)
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    proposed_at = models.DateTimeField(null=True, blank=True)
    countersigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    resulting_version = models.PositiveIntegerField(null=True, blank=True)
    version = models.PositiveIntegerField(default=1)

    history = HistoricalRecords()

    class Meta:
        ordering = ["-requested_at", "-id"]
        indexes = [
            # The officer's list of open requests, oldest first.
            models.Index(fields=["status", "requested_at"], name="amendment_status_requested"),
            # The monthly overview counts approved changes by the day they were decided.
            models.Index(fields=["decided_at"], name="amendment_decided_at"),
        ]
        constraints = [
            # One open change at a time: a second request would be assessed against a version about to change.
            models.UniqueConstraint(
                fields=["licence"], condition=Q(status__in=["requested", "proposed"]), name="one_open_amendment"
            ),
            # Four eyes, enforced by the database too: nobody countersigns their own proposal.
            models.CheckConstraint(
                condition=Q(countersigned_by__isnull=True) | ~Q(countersigned_by=models.F("proposed_by")),
                name="amendment_four_eyes",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.pk} of licence {self.licence_id}"  # type: ignore[attr-defined]

    def is_evidence(self) -> bool:
        return self.status in (AmendmentStatus.APPROVED, AmendmentStatus.REFUSED)


class LicenceVersion(models.Model):
    """An earlier version of a licence, frozen when an approved change replaced it: its terms, its goods as they
    stood (with what had been shipped under it) and its PDF. The licence row always holds the version in force."""

    licence = models.ForeignKey(Licence, on_delete=models.PROTECT, related_name="earlier_versions")
    number = models.PositiveIntegerField(_("version"))
    valid_from = models.DateField(_("valid from"))
    valid_until = models.DateField(_("valid until"))
    destination = models.ForeignKey("parties.Country", on_delete=models.PROTECT, null=True, related_name="+")
    conditions = models.TextField(_("conditions"), blank=True)
    total_value_eur = models.DecimalField(max_digits=16, decimal_places=2)
    goods = models.JSONField(default=list)
    # Who this version named, as it stood (LicensedParty.as_snapshot); its PDF shows these.
    parties = models.JSONField(default=list, blank=True)
    issued_at = models.DateTimeField()
    document = models.FileField(upload_to="licences/%Y/", blank=True)
    document_sha256 = models.CharField(max_length=64, blank=True)
    superseded_at = models.DateTimeField()
    superseded_by_amendment = models.ForeignKey(
        LicenceAmendment, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ["licence_id", "-number"]
        constraints = [models.UniqueConstraint(fields=["licence", "number"], name="one_row_per_licence_version")]

    def __str__(self) -> str:
        return f"{self.licence_id} v{self.number}"

    def is_evidence(self) -> bool:
        return True
