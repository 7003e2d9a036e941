"""Licences issued on approved applications, what they cover, and the shipments made under them."""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from .application import Application, ApplicationParty, GoodsLine, LicenceType, PartyRole, PartyType
from .reference import MLCategory


class LicenceStatus(models.TextChoices):
    ISSUED = "issued", _("Issued")
    SUSPENDED = "suspended", _("Suspended")
    REVOKED = "revoked", _("Revoked")
    EXPIRED = "expired", _("Expired")
    SURRENDERED = "surrendered", _("Surrendered")


class Licence(models.Model):
    number = models.CharField(_("licence number"), max_length=24, unique=True)
    application = models.OneToOneField(
        Application, verbose_name=_("application"), on_delete=models.PROTECT, related_name="licence"
    )
    organisation = models.ForeignKey(
        "parties.Organisation", verbose_name=_("organisation"), on_delete=models.PROTECT, related_name="licences"
    )
    licence_type = models.CharField(_("licence type"), max_length=24, choices=LicenceType.choices)
    destination = models.ForeignKey(
        "parties.Country", verbose_name=_("destination"), on_delete=models.PROTECT, null=True, related_name="+"
    )
    status = models.CharField(_("status"), max_length=12, choices=LicenceStatus.choices, default=LicenceStatus.ISSUED)
    status_reason = models.TextField(_("reason for the status"), blank=True)
    valid_from = models.DateField(_("valid from"))
    valid_until = models.DateField(_("valid until"))
    conditions = models.TextField(_("conditions"), blank=True)
    # The sum of the goods lines' values (licence_total), written with them in one transaction: at issue and by
    # each amendment (the only paths that write a goods line's value). The annual and share reports count and
    # sum licences by it instead of joining every goods line (reports.queries.base.issued_licences).
    total_value_eur = models.DecimalField(_("total value (EUR)"), max_digits=16, decimal_places=2, default=Decimal("0"))
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("issued by"), on_delete=models.PROTECT, related_name="+"
    )
    issued_at = models.DateTimeField(_("issued at"))
    version = models.PositiveIntegerField(default=1)
    # The version of the licence's terms in force (1 at issue; +1 for each approved amendment or extension). Not
    # `version`, which counts every change of the row for optimistic locking.
    terms_version = models.PositiveIntegerField(_("version in force"), default=1)
    document = models.FileField(_("document"), upload_to="licences/%Y/", blank=True)
    document_sha256 = models.CharField(_("document checksum (SHA-256)"), max_length=64, blank=True)
    # Membership of the destination on the decision date (the issue date), kept by licensing.destination_flags
    # for the reports; NULL: not fixed, the reports ask parties.memberships per row. Not in the history: they copy
    # the membership rule's answer and are refreshed when a membership changes.
    destination_eu = models.BooleanField(null=True, editable=False)
    destination_nato = models.BooleanField(null=True, editable=False)
    destination_treaty = models.BooleanField(null=True, editable=False)

    history = HistoricalRecords(excluded_fields=["destination_eu", "destination_nato", "destination_treaty"])

    class Meta:
        verbose_name = _("licence")
        verbose_name_plural = _("licences")
        ordering = ["-issued_at"]
        indexes = [
            models.Index(fields=["organisation", "-issued_at"]),
            models.Index(fields=["status", "valid_until"]),
            models.Index(fields=["issued_at"]),
            models.Index(fields=["destination", "issued_at"]),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(valid_until__gte=models.F("valid_from")), name="licence_valid_range"),
        ]

    def __str__(self) -> str:
        return self.number

    def is_evidence(self) -> bool:
        """A licence row exists only once it is issued: always evidence (audit.admin_guard)."""
        return True


class LicensedGoods(models.Model):
    """What the licence allows, copied from the goods line at issue, so later edits cannot widen it."""

    licence = models.ForeignKey(Licence, verbose_name=_("licence"), on_delete=models.PROTECT, related_name="goods")
    # The application's goods line it was copied from at issue; empty for a line an approved amendment added
    # (licensing.services.amendments), which the decided application never had.
    goods_line = models.ForeignKey(
        GoodsLine, verbose_name=_("goods line"), on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    description = models.CharField(_("description"), max_length=500)
    ml_category = models.ForeignKey(MLCategory, verbose_name=_("Military List category"), on_delete=models.PROTECT)
    quantity = models.DecimalField(_("quantity"), max_digits=14, decimal_places=3)
    unit = models.CharField(_("unit"), max_length=8)
    value_eur = models.DecimalField(_("value (EUR)"), max_digits=16, decimal_places=2)
    shipped_quantity = models.DecimalField(_("shipped quantity"), max_digits=14, decimal_places=3, default=Decimal("0"))
    shipped_value_eur = models.DecimalField(
        _("shipped value (EUR)"), max_digits=16, decimal_places=2, default=Decimal("0")
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("licensed goods")
        verbose_name_plural = _("licensed goods")
        ordering = ["licence_id", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(shipped_quantity__lte=models.F("quantity")), name="shipped_within_qty"),
            models.CheckConstraint(
                condition=Q(shipped_value_eur__lte=models.F("value_eur")), name="shipped_within_value"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.licence_id}: {self.description}"

    def is_evidence(self) -> bool:
        return True

    @classmethod
    def copied_from(cls, line: GoodsLine, *, licence: Licence) -> LicensedGoods:
        """An unsaved copy of the application's goods line for the licence issued on it."""
        return cls(
            licence=licence,
            goods_line=line,
            description=line.description,
            ml_category_id=line.ml_category_id,
            quantity=line.quantity,
            unit=line.unit,
            value_eur=line.value_eur,
        )

    @property
    def remaining_quantity(self) -> Decimal:
        return self.quantity - self.shipped_quantity

    @property
    def remaining_value_eur(self) -> Decimal:
        return self.value_eur - self.shipped_value_eur


class LicensedParty(models.Model):
    """Who the version in force names (consignee, end user, ...), copied from the application at issue, so an
    approved amendment can change a party without touching the decided application; the licence PDF reads these.
    An earlier version keeps its own parties in LicenceVersion.parties."""

    licence = models.ForeignKey(Licence, on_delete=models.PROTECT, related_name="parties")
    role = models.CharField(_("role"), max_length=20, choices=PartyRole.choices)
    name = models.CharField(_("name"), max_length=300)
    address = models.TextField(_("address"))
    country = models.ForeignKey("parties.Country", on_delete=models.PROTECT, verbose_name=_("country"))
    party_type = models.CharField(_("type"), max_length=20, choices=PartyType.choices)
    third_party_role = models.CharField(_("third party's role"), max_length=100, blank=True)
    # The application's party it was copied from at issue; empty for a party an approved amendment brought in.
    application_party = models.ForeignKey(
        ApplicationParty, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ["licence_id", "role", "id"]
        indexes = [models.Index(fields=["country", "role"], name="licensed_party_country_role")]

    def __str__(self) -> str:
        return f"{self.get_role_display()}: {self.name} ({self.country_id})"  # type: ignore[attr-defined]

    def is_evidence(self) -> bool:
        return True

    @classmethod
    def copied_from(cls, party: ApplicationParty, *, licence: Licence) -> LicensedParty:
        """An unsaved copy of the application's party for the licence issued on it."""
        return cls(
            licence=licence,
            role=party.role,
            name=party.name,
            address=party.address,
            country_id=party.country_id,
            party_type=party.party_type,
            third_party_role=party.third_party_role,
            application_party=party,
        )

    def as_snapshot(self) -> dict[str, object]:
        """The party as an earlier version keeps it (LicenceVersion.parties)."""
        return {
            "role": self.role,
            "name": self.name,
            "address": self.address,
            "country": self.country_id,
            "party_type": self.party_type,
            "third_party_role": self.third_party_role,
        }


class Shipment(models.Model):
    """An actual export under a licence, recorded by the exporter; feeds the annual report."""

    licence = models.ForeignKey(Licence, verbose_name=_("licence"), on_delete=models.PROTECT, related_name="shipments")
    licensed_goods = models.ForeignKey(
        LicensedGoods, verbose_name=_("licensed goods"), on_delete=models.PROTECT, related_name="shipments"
    )
    shipped_on = models.DateField(_("shipment date"))
    quantity = models.DecimalField(_("quantity"), max_digits=14, decimal_places=3)
    value_eur = models.DecimalField(_("value (EUR)"), max_digits=16, decimal_places=2)
    # The version of the licence in force when the shipment was recorded: it counted against that version's goods.
    terms_version = models.PositiveIntegerField(_("licence version"), default=1)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("recorded by"), on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("shipment")
        verbose_name_plural = _("shipments")
        ordering = ["licence_id", "shipped_on"]
        indexes = [models.Index(fields=["shipped_on"])]
        constraints = [
            models.CheckConstraint(condition=Q(quantity__gt=0), name="shipment_quantity_positive"),
            models.CheckConstraint(condition=Q(value_eur__gte=0), name="shipment_value_non_negative"),
        ]

    def __str__(self) -> str:
        return f"{self.licence_id} {self.shipped_on} {self.quantity}"


def licence_total(goods: Iterable[LicensedGoods]) -> Decimal:
    """A licence's total value: the sum of its goods lines' values (Licence.total_value_eur)."""
    return sum((line.value_eur for line in goods), Decimal("0"))
