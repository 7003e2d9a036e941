"""End-user certificates as data: who issued it, its number, date and validity, the re-export clause, and the
end user it names. A certificate belongs to the exporting organisation and is reused on every application for
the same end user while it is valid (licensing/certificate_rules.py checks it against the application)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from .application import Application, Document


class EndUserCertificate(models.Model):
    organisation = models.ForeignKey(
        "parties.Organisation", on_delete=models.PROTECT, related_name="end_user_certificates"
    )
    issuer = models.CharField(_("issued by"), max_length=300, help_text=_("The authority or end user that signed it."))
    number = models.CharField(_("certificate number"), max_length=100)
    issued_on = models.DateField(_("date of issue"))
    valid_until = models.DateField(_("valid until"))
    re_export_clause = models.BooleanField(
        _("re-export only with the exporting state's prior consent"),
        default=False,
        help_text=_("The end user undertakes not to re-export without prior written consent."),
    )
    end_user_name = models.CharField(_("end user named in the certificate"), max_length=300)
    end_user_country = models.ForeignKey(
        "parties.Country", on_delete=models.PROTECT, related_name="+", verbose_name=_("end user's country")
    )
    document = models.ForeignKey(Document, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["organisation_id", "-issued_on", "id"]
        indexes = [
            # Picking a certificate to reuse: the organisation's certificates for one end user's country.
            models.Index(fields=["organisation", "end_user_country", "valid_until"], name="euc_org_country_valid"),
        ]
        constraints = [
            models.UniqueConstraint(fields=["organisation", "issuer", "number"], name="euc_unique_number"),
            models.CheckConstraint(condition=Q(valid_until__gte=F("issued_on")), name="euc_valid_after_issue"),
        ]

    def __str__(self) -> str:
        return f"EUC {self.number} ({self.issuer})"


class CertificateUse(models.Model):
    """An end-user certificate relied on by one application (one certificate may serve many applications)."""

    application = models.OneToOneField(Application, on_delete=models.CASCADE, related_name="certificate_use")
    certificate = models.ForeignKey(EndUserCertificate, on_delete=models.PROTECT, related_name="uses")
    attached_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    attached_at = models.DateTimeField(auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["application_id"]

    def __str__(self) -> str:
        return f"{self.application_id} uses {self.certificate_id}"


class IntegrationCertificateRequest(models.Model):
    """An officer's request for a certificate of integration on a treaty component transfer, and the exporter's
    answer: who certifies that the components are integrated into the final system, its number and date.

    Source: ../shared/domain/README.md "Treaty: products for integration and the de minimis rule" (no end-user
    certificate is required under the rule; a certificate of integration may be requested)."""

    application = models.ForeignKey(Application, on_delete=models.PROTECT, related_name="integration_certificates")
    note = models.TextField(_("what is asked"))
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    requested_at = models.DateTimeField(auto_now_add=True)
    issuer = models.CharField(_("issued by (integrating company)"), max_length=300, blank=True)
    number = models.CharField(_("certificate number"), max_length=100, blank=True)
    issued_on = models.DateField(_("date of issue"), null=True, blank=True)
    document = models.ForeignKey(Document, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    received_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    received_at = models.DateTimeField(null=True, blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["application_id", "-requested_at"]
        constraints = [
            # One open request per case: a second one waits until the first is answered.
            models.UniqueConstraint(
                fields=["application"], condition=Q(received_at__isnull=True), name="one_open_integration_request"
            ),
        ]

    def __str__(self) -> str:
        return f"Certificate of integration for {self.application_id}"
