"""General licences: published by the authority, registered for by companies, used and reported on.

Sources: Directive 2009/43/EC art. 5 (general transfer licences: published, for the transfers named in art. 5(2):
(a) to the armed forces of a Member State or a defence contracting authority, (b) to a certified recipient
(art. 9), (c) for demonstration, evaluation or exhibition, (d) for maintenance and repair to the originating
supplier) and art. 8 (registration before first use, records, periodic reports); the Dutch national general
licences are published the same way. Their exact scopes were not found (../shared/domain/README.md), so scope
(Military List categories, destinations), conditions and reporting periods are data on each licence, edited by
officers with history.
"""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from licensing.models import MLCategory, Unit


class GeneralLicenceKind(models.TextChoices):
    EU_GENERAL_TRANSFER = "eu_transfer", _("EU general transfer licence (Directive 2009/43/EC, art. 5)")
    NATIONAL_GENERAL = "national", _("Dutch general export licence")


class TransferGround(models.TextChoices):
    """Directive 2009/43/EC art. 5(2): the transfers a Member State publishes general transfer licences for."""

    NONE = "", _("Not applicable")
    ARMED_FORCES = "a", _("(a) to the armed forces of a Member State or a contracting authority in defence")
    CERTIFIED_RECIPIENT = "b", _("(b) to a recipient certified under art. 9")
    DEMONSTRATION = "c", _("(c) for demonstration, evaluation or exhibition")
    MAINTENANCE = "d", _("(d) for maintenance and repair, to the originating supplier")


class GeneralLicenceStatus(models.TextChoices):
    PUBLISHED = "published", _("Published")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class GeneralLicence(models.Model):
    reference = models.CharField(_("reference"), max_length=40, unique=True, help_text=_("e.g. NL-AGV-2026-01"))
    title = models.CharField(_("title"), max_length=200)
    kind = models.CharField(_("kind"), max_length=12, choices=GeneralLicenceKind.choices)
    transfer_ground = models.CharField(
        _("transfer covered (art. 5(2))"), max_length=1, choices=TransferGround.choices, blank=True
    )
    ml_categories = models.ManyToManyField(MLCategory, related_name="+", verbose_name=_("Military List categories"))
    destinations = models.ManyToManyField("parties.Country", related_name="+", verbose_name=_("destinations"))
    conditions = models.TextField(_("conditions"))
    valid_from = models.DateField(_("valid from"))
    valid_until = models.DateField(_("valid until (last day)"), null=True, blank=True)
    requires_approval = models.BooleanField(
        _("registration needs an officer's approval"),
        default=False,
        help_text=_("Otherwise a registration takes effect at once."),
    )
    return_period_months = models.PositiveSmallIntegerField(
        _("reporting period (months)"), choices=[(1, "1"), (3, "3"), (6, "6"), (12, "12")], default=6
    )
    return_due_days = models.PositiveSmallIntegerField(
        _("days to file a return after a period ends"), default=30, validators=[MinValueValidator(1)]
    )
    status = models.CharField(
        _("status"), max_length=10, choices=GeneralLicenceStatus.choices, default=GeneralLicenceStatus.PUBLISHED
    )
    version = models.PositiveIntegerField(default=1, help_text=_("Optimistic lock: bumped on every change."))
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    history = HistoricalRecords(m2m_fields=[ml_categories, destinations])

    class Meta:
        ordering = ["reference"]
        verbose_name = _("general licence")
        verbose_name_plural = _("general licences")
        indexes = [models.Index(fields=["status", "valid_from"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(valid_until__isnull=True) | Q(valid_until__gte=F("valid_from")),
                name="general_licence_until_after_from",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.reference} {self.title}"


class RegistrationStatus(models.TextChoices):
    PENDING = "pending", _("Awaiting approval")
    APPROVED = "approved", _("Registered")
    REJECTED = "rejected", _("Rejected")
    SUSPENDED = "suspended", _("Suspended")


class GeneralLicenceRegistration(models.Model):
    """A company's registration to use a general licence (art. 8(1): before first use)."""

    licence = models.ForeignKey(GeneralLicence, on_delete=models.PROTECT, related_name="registrations")
    organisation = models.ForeignKey(
        "parties.Organisation", on_delete=models.PROTECT, related_name="general_licence_registrations"
    )
    status = models.CharField(_("status"), max_length=10, choices=RegistrationStatus.choices)
    intended_use = models.TextField(_("intended use"), blank=True)
    registered_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    registered_at = models.DateTimeField(auto_now_add=True)
    active_from = models.DateField(_("in effect from"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_reason = models.TextField(_("reason"), blank=True)
    # Why the registration was last suspended or reinstated (general_licences.transitions), shown to the holder.
    status_reason = models.TextField(_("reason for the status"), blank=True)
    status_changed_at = models.DateTimeField(null=True, blank=True)
    # Optimistic lock for the officer's suspend and reinstate forms: bumped on every status change.
    version = models.PositiveIntegerField(default=1)

    history = HistoricalRecords()

    class Meta:
        ordering = ["-registered_at", "-id"]
        indexes = [
            models.Index(fields=["status", "licence"]),
            models.Index(fields=["organisation", "status"]),
        ]
        constraints = [
            # One live registration per company and licence (a suspended one is still live: it is reinstated, not
            # replaced); a rejected one may be followed by a new request.
            models.UniqueConstraint(
                fields=["licence", "organisation"],
                condition=Q(status__in=["pending", "approved", "suspended"]),
                name="one_live_registration_per_licence",
            ),
            models.CheckConstraint(
                condition=~Q(status="approved") | Q(active_from__isnull=False), name="approved_registration_dated"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.organisation_id} → {self.licence_id} ({self.status})"


class UsageReturn(models.Model):
    """What a holder did under the licence in one reporting period; a nil return says it was not used."""

    registration = models.ForeignKey(GeneralLicenceRegistration, on_delete=models.PROTECT, related_name="returns")
    period_start = models.DateField(_("period from"))
    period_end = models.DateField(_("period until"))
    nil_return = models.BooleanField(_("not used in this period"), default=False)
    filed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    filed_at = models.DateTimeField(auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["registration_id", "-period_start"]
        constraints = [
            models.UniqueConstraint(fields=["registration", "period_start"], name="one_return_per_period"),
            models.CheckConstraint(condition=Q(period_end__gte=F("period_start")), name="return_period_ordered"),
        ]

    def __str__(self) -> str:
        return f"return {self.registration_id} {self.period_start}"


class UsageReturnLine(models.Model):
    usage_return = models.ForeignKey(UsageReturn, on_delete=models.CASCADE, related_name="lines")
    ml_category = models.ForeignKey(MLCategory, on_delete=models.PROTECT, verbose_name=_("Military List category"))
    description = models.CharField(_("goods"), max_length=300)
    quantity = models.DecimalField(_("quantity"), max_digits=14, decimal_places=3)
    unit = models.CharField(_("unit"), max_length=8, choices=Unit.choices, default=Unit.PIECES)
    value_eur = models.DecimalField(_("value (EUR)"), max_digits=16, decimal_places=2)
    recipient = models.CharField(_("recipient"), max_length=300)
    country = models.ForeignKey(
        "parties.Country", on_delete=models.PROTECT, related_name="+", verbose_name=_("country")
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ["usage_return_id", "id"]
        indexes = [models.Index(fields=["ml_category", "country"])]
        constraints = [
            models.CheckConstraint(condition=Q(quantity__gt=0), name="usage_quantity_positive"),
            models.CheckConstraint(condition=Q(value_eur__gte=0), name="usage_value_not_negative"),
        ]

    def __str__(self) -> str:
        return f"{self.ml_category_id} {self.description}"
