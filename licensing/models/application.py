"""Applications for export and transfer licences, with their goods, parties, documents and case work."""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.db.models.functions import Lower
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from .reference import MLCategory


class LicenceType(models.TextChoices):
    INDIVIDUAL_EXPORT = "individual_export", _("Individual export licence")
    GLOBAL_EXPORT = "global_export", _("Global export licence")
    TRANSFER_INDIVIDUAL = "transfer_individual", _("Intra-EU transfer licence, individual (Directive 2009/43/EC)")
    TRANSFER_GLOBAL = "transfer_global", _("Intra-EU transfer licence, global (Directive 2009/43/EC)")
    TREATY_COMPONENT = "treaty_component", _("Treaty component transfer")


# Types that may name several destinations and consignees for a period.
MULTI_DESTINATION_TYPES = frozenset({LicenceType.GLOBAL_EXPORT, LicenceType.TRANSFER_GLOBAL})


class ApplicationStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted")
    UNDER_REVIEW = "under_review", _("Under review")
    INFORMATION_REQUESTED = "information_requested", _("Information requested")
    CONSULTATION_PENDING = "consultation_pending", _("Consultation pending")
    APPROVED = "approved", _("Approved")
    REFUSED = "refused", _("Refused")
    WITHDRAWN = "withdrawn", _("Withdrawn")


OPEN_STATUSES = frozenset(
    {
        ApplicationStatus.SUBMITTED,
        ApplicationStatus.UNDER_REVIEW,
        ApplicationStatus.INFORMATION_REQUESTED,
        ApplicationStatus.CONSULTATION_PENDING,
    }
)
DECIDED_STATUSES = frozenset({ApplicationStatus.APPROVED, ApplicationStatus.REFUSED, ApplicationStatus.WITHDRAWN})


# Conditions of the queue's partial indexes; the queue's own filters (status IN ...) imply them.
_OPEN = Q(status__in=sorted(OPEN_STATUSES))
_DECIDED = Q(status__in=sorted(DECIDED_STATUSES))


class Application(models.Model):
    reference = models.CharField(_("reference"), max_length=20, unique=True)
    organisation = models.ForeignKey(
        "parties.Organisation", verbose_name=_("organisation"), on_delete=models.PROTECT, related_name="applications"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("created by"), on_delete=models.PROTECT, related_name="+"
    )
    licence_type = models.CharField(_("licence type"), max_length=24, choices=LicenceType.choices)
    status = models.CharField(
        _("status"), max_length=24, choices=ApplicationStatus.choices, default=ApplicationStatus.DRAFT
    )
    title = models.CharField(_("short title"), max_length=200, help_text=_("For your own overview, e.g. the contract."))
    destination = models.ForeignKey(
        "parties.Country",
        verbose_name=_("destination"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("Follows from the end user's country."),
    )
    end_use = models.TextField(_("end use"), blank=True)
    intended_shipment_date = models.DateField(_("intended shipment date"), null=True, blank=True)
    related_licences = models.CharField(_("related earlier licence numbers"), max_length=300, blank=True)
    total_value_eur = models.DecimalField(_("total value (EUR)"), max_digits=16, decimal_places=2, default=Decimal("0"))
    # Case work
    assigned_to = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("assigned to"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="assigned_cases",
    )
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    received_on = models.DateField(
        _("received on"), null=True, blank=True, help_text=_("Awb: the day the complete application arrived.")
    )
    target_date = models.DateField(
        _("target date"), null=True, blank=True, help_text=_("Internal target, in working days.")
    )
    legal_deadline = models.DateField(
        _("legal deadline"), null=True, blank=True, help_text=_("Awb 4:13 decision term, Atw-extended.")
    )
    suspended_days = models.PositiveIntegerField(
        _("suspended days"), default=0, help_text=_("Awb 4:15: days the clock was paused.")
    )
    # Set when a decision on an objection revoked the refusal and the case went back for a new decision: the Awb
    # decision term runs again from this day (licensing.services.clock.awb_term_start). received_on keeps the day
    # the application first arrived, for the processing-time reports.
    term_restarted_on = models.DateField(
        _("decision term restarted on"),
        null=True,
        blank=True,
        help_text=_("Awb 7:11: the refusal was revoked on objection; a new decision term runs from this day."),
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    version = models.PositiveIntegerField(default=1, help_text=_("Optimistic lock: bumped on every change."))
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    search_document = models.TextField(blank=True, help_text=_("Reference, exporter, parties and goods, for search."))

    history = HistoricalRecords(excluded_fields=["search_document", "updated_at"])

    class Meta:
        verbose_name = _("application")
        verbose_name_plural = _("applications")
        ordering = ["-created_at"]
        indexes = [
            models.Index(fields=["organisation", "-created_at"]),
            models.Index(fields=["status", "legal_deadline"]),
            models.Index(fields=["status", "target_date"]),
            models.Index(fields=["assigned_to", "status"]),
            models.Index(fields=["licence_type", "status"]),
            models.Index(fields=["destination", "status"]),
            models.Index(fields=["submitted_at"]),
            # Trigram index on search_document: created by a PostgreSQL-only migration (0004_search_trgm).
            # The officer queue (licensing.selectors_queue.queue_ordering): one index per tab and sort, each in
            # the queue's own order (column, submitted_at, id), so a page is a short range scan read forwards or
            # backwards from a keyset cursor. Open cases are ~10% of the register, hence partial indexes.
            models.Index(fields=["legal_deadline", "submitted_at", "id"], name="app_open_deadline", condition=_OPEN),
            models.Index(
                fields=["assigned_to", "legal_deadline", "submitted_at", "id"],
                name="app_open_assignee",
                condition=_OPEN,
            ),
            models.Index(fields=["target_date", "submitted_at", "id"], name="app_open_target", condition=_OPEN),
            models.Index(fields=["submitted_at", "id"], name="app_open_submitted", condition=_OPEN),
            models.Index(fields=["reference"], name="app_open_reference", condition=_OPEN),
            models.Index(fields=["decided_at", "submitted_at", "id"], name="app_decided_at", condition=_DECIDED),
            models.Index(
                fields=["legal_deadline", "submitted_at", "id"], name="app_decided_deadline", condition=_DECIDED
            ),
            models.Index(fields=["total_value_eur", "submitted_at", "id"], name="app_value"),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(total_value_eur__gte=0), name="application_total_non_negative"),
        ]

    def __str__(self) -> str:
        return f"{self.reference} {self.title}"

    def is_evidence(self) -> bool:
        """A decided case is evidence: the admin shows it but never changes it (audit.admin_guard)."""
        return self.status in DECIDED_STATUSES

    @property
    def is_editable(self) -> bool:
        return self.status == ApplicationStatus.DRAFT


class Unit(models.TextChoices):
    PIECES = "pcs", _("pieces")
    SETS = "sets", _("sets")
    KG = "kg", _("kilograms")
    LITRES = "l", _("litres")
    METRES = "m", _("metres")
    ROUNDS = "rounds", _("rounds")


class Currency(models.TextChoices):
    EUR = "EUR", "EUR"
    USD = "USD", "USD"
    GBP = "GBP", "GBP"
    CHF = "CHF", "CHF"
    NOK = "NOK", "NOK"
    SEK = "SEK", "SEK"
    DKK = "DKK", "DKK"
    PLN = "PLN", "PLN"
    CAD = "CAD", "CAD"
    AUD = "AUD", "AUD"
    JPY = "JPY", "JPY"


class GoodsLine(models.Model):
    application = models.ForeignKey(
        Application, verbose_name=_("application"), on_delete=models.CASCADE, related_name="goods"
    )
    position = models.PositiveSmallIntegerField(_("line number"), default=1)
    description = models.CharField(_("description"), max_length=500)
    ml_category = models.ForeignKey(MLCategory, on_delete=models.PROTECT, verbose_name=_("Military List category"))
    ml_sub_item = models.CharField(_("sub-item"), max_length=100, blank=True, help_text=_("e.g. ML5.b"))
    quantity = models.DecimalField(
        _("quantity"), max_digits=14, decimal_places=3, validators=[MinValueValidator(Decimal("0.001"))]
    )
    unit = models.CharField(_("unit"), max_length=8, choices=Unit.choices, default=Unit.PIECES)
    unit_value = models.DecimalField(
        _("unit value"), max_digits=14, decimal_places=2, validators=[MinValueValidator(Decimal("0.01"))]
    )
    currency = models.CharField(_("currency"), max_length=3, choices=Currency.choices, default=Currency.EUR)
    exchange_rate = models.DecimalField(
        _("exchange rate to EUR"),
        max_digits=12,
        decimal_places=6,
        default=Decimal("1"),
        help_text=_("EUR per unit of the currency, as used for the EUR total."),
    )
    rate_date = models.DateField(_("rate date"), null=True, blank=True)
    value_eur = models.DecimalField(_("value (EUR)"), max_digits=16, decimal_places=2)
    is_component = models.BooleanField(_("component for integration"), default=False)
    part_numbers = models.CharField(_("part numbers"), max_length=300, blank=True)
    # The UN Register of Conventional Arms category (I-VII, SALW) the item falls in, if any: the annual UN
    # Register and Arms Trade Treaty reports count exports per category (data/reference/un_register_categories.csv).
    un_register_category = models.ForeignKey(
        "licensing.UNRegisterCategory",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("UN Register category"),
    )
    # Where the goods were made; empty means the home state (settings.REGISTER_HOME_STATE). Motion Nordkamp
    # (36 410-X-47) asks for the share of NATO-produced goods exported outside NATO.
    production_country = models.ForeignKey(
        "parties.Country",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("country of production"),
        help_text=_("Empty: made in the Netherlands."),
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("goods line")
        verbose_name_plural = _("goods lines")
        ordering = ["application_id", "position", "id"]
        indexes = [
            models.Index(fields=["ml_category", "application"]),
            # Earlier decisions on the same product (licensing/earlier_decisions.py).
            models.Index(Lower("description"), "ml_category", name="goods_lower_description_ml"),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(quantity__gt=0), name="goods_quantity_positive"),
            models.CheckConstraint(condition=Q(unit_value__gt=0), name="goods_unit_value_positive"),
            models.CheckConstraint(condition=Q(exchange_rate__gt=0), name="goods_rate_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.ml_category_id} {self.description}"


class PartyRole(models.TextChoices):
    CONSIGNEE = "consignee", _("Consignee")
    END_USER = "end_user", _("End user")
    ULTIMATE_END_USER = "ultimate_end_user", _("Ultimate end user")
    THIRD_PARTY = "third_party", _("Third party (intermediate consignee, broker)")


class PartyType(models.TextChoices):
    GOVERNMENT = "government", _("Government")
    ARMED_FORCES = "armed_forces", _("Armed forces")
    COMMERCIAL = "commercial", _("Commercial")
    OTHER = "other", _("Other")


class ApplicationParty(models.Model):
    application = models.ForeignKey(
        Application, verbose_name=_("application"), on_delete=models.CASCADE, related_name="parties"
    )
    role = models.CharField(_("role"), max_length=20, choices=PartyRole.choices)
    name = models.CharField(_("name"), max_length=300)
    address = models.TextField(_("address"))
    country = models.ForeignKey("parties.Country", on_delete=models.PROTECT, verbose_name=_("country"))
    party_type = models.CharField(_("type"), max_length=20, choices=PartyType.choices)
    third_party_role = models.CharField(_("third party's role"), max_length=100, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("application party")
        verbose_name_plural = _("application parties")
        ordering = ["application_id", "role", "id"]
        indexes = [
            models.Index(fields=["country", "role"]),
            # Earlier decisions on the same party (licensing/earlier_decisions.py).
            models.Index(Lower("name"), "country", "role", name="party_lower_name_country"),
        ]

    def __str__(self) -> str:
        return f"{self.get_role_display()}: {self.name} ({self.country_id})"


class DocumentKind(models.TextChoices):
    END_USER_CERTIFICATE = "euc", _("End-user certificate")
    INTEGRATION_CERTIFICATE = "integration", _("Certificate of integration")
    TECHNICAL = "technical", _("Technical specification")
    CONTRACT = "contract", _("Contract or order")
    INFORMATION = "information", _("Answer to a request for information")
    OTHER = "other", _("Other")


class ScanStatus(models.TextChoices):
    PENDING = "pending", _("Not yet scanned")
    CLEAN = "clean", _("Clean")
    INFECTED = "infected", _("Infected: blocked")


class Document(models.Model):
    application = models.ForeignKey(
        Application, verbose_name=_("application"), on_delete=models.PROTECT, related_name="documents"
    )
    information_request = models.ForeignKey(
        "InformationRequest",
        verbose_name=_("information request"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="documents",
    )
    kind = models.CharField(_("kind"), max_length=16, choices=DocumentKind.choices)
    file = models.FileField(_("file"), upload_to="documents/%Y/%m/")
    original_name = models.CharField(_("file name"), max_length=255)
    content_type = models.CharField(_("file type"), max_length=100)
    size = models.PositiveIntegerField(_("size"))
    sha256 = models.CharField(_("SHA-256 checksum"), max_length=64)
    scan_status = models.CharField(
        _("virus scan"), max_length=10, choices=ScanStatus.choices, default=ScanStatus.PENDING
    )
    # What clamd found (its signature name) and when; an infected file is moved to the quarantine area.
    scan_signature = models.CharField(_("threat found"), max_length=200, blank=True)
    scanned_at = models.DateTimeField(_("scanned at"), null=True, blank=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("uploaded by"), on_delete=models.PROTECT, related_name="+"
    )
    uploaded_at = models.DateTimeField(auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("document")
        verbose_name_plural = _("documents")
        ordering = ["application_id", "uploaded_at"]
        indexes = [
            # The rescan sweep looks for documents clamd has not judged yet.
            models.Index(fields=["uploaded_at"], condition=Q(scan_status="pending"), name="document_scan_pending"),
        ]

    def __str__(self) -> str:
        return self.original_name

    @property
    def downloadable(self) -> bool:
        from ..virus_scan import download_refusal

        return download_refusal(self.scan_status) is None


class InformationRequest(models.Model):
    """A question from the officer; the Awb clock is suspended from `requested_on` until it is answered."""

    application = models.ForeignKey(
        Application, verbose_name=_("application"), on_delete=models.CASCADE, related_name="information_requests"
    )
    question = models.TextField(_("question"))
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("requested by"), on_delete=models.PROTECT, related_name="+"
    )
    requested_at = models.DateTimeField(auto_now_add=True)
    requested_on = models.DateField(_("requested on"))
    respond_by = models.DateField(_("answer by"))
    answer = models.TextField(_("answer"), blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("answered by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    answered_at = models.DateTimeField(_("answered at"), null=True, blank=True)
    answered_on = models.DateField(_("answered on"), null=True, blank=True)
    # Awb 4:15(1)(a): when the answer-by term passes unused, the suspension ends then. The days suspended up to that
    # point are added to the case on the day after the term (services/awb.py, information_terms_lapse) and kept
    # here, so a late answer adds only what is left (nothing, as the suspension ended with the term).
    suspension_counted_days = models.PositiveIntegerField(_("suspended days counted"), null=True, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("information request")
        verbose_name_plural = _("information requests")
        ordering = ["application_id", "requested_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["application"], condition=Q(answered_at__isnull=True), name="one_open_information_request"
            )
        ]

    def __str__(self) -> str:
        return f"RFI {self.application_id} {self.requested_on}"


class CaseNote(models.Model):
    application = models.ForeignKey(
        Application, verbose_name=_("application"), on_delete=models.CASCADE, related_name="notes"
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("author"), on_delete=models.PROTECT, related_name="+"
    )
    text = models.TextField(_("note"))
    created_at = models.DateTimeField(auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("case note")
        verbose_name_plural = _("case notes")
        ordering = ["application_id", "-created_at"]

    def __str__(self) -> str:
        return self.text[:50]


class ReferenceSequence(models.Model):
    """Gap-free numbers per series and year (application references, licence numbers).

    The row is locked while a number is taken, so two officers issuing at once get consecutive numbers and
    a rolled-back transaction gives its number back.
    """

    series = models.CharField(max_length=10)
    year = models.PositiveSmallIntegerField()
    last = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["series", "year"], name="one_sequence_per_series_year")]

    def __str__(self) -> str:
        return f"{self.series}-{self.year}: {self.last}"
