"""Treaty component transfers (the de minimis rule) and the treaty's parameters, kept as dated data.

Source: Agreement on Export Controls in the Field of Defence (Paris, 2021-09-17), de minimis provisions and
exclusion annex; ../shared/domain/README.md "Treaty: products for integration and the de minimis rule". The
threshold, the objection period, the reminder points and the exclusion list are **configurable**: dated rows
with a source note, loaded from data/reference/treaty_parameters.csv and edited (with history) in the admin.
The rule itself lives in licensing/treaty_rules.py; licensing/services/treaty_share.py applies it to a case.
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from ..treaty_rules import reason_text
from .application import Application, Currency
from .reference import MLCategory

ERR_PARAMETER_VALUE = _("Treaty parameter {name} has the value {value!r}, which is not a {kind}.")


class TreatyParameterName(models.TextChoices):
    # "does not exceed" (authentic French text: "n'excède pas"): 20.00 % qualifies, 20.01 % does not.
    DE_MINIMIS_THRESHOLD = "de_minimis_threshold_percent", _("De minimis threshold (percent, does not exceed)")
    # Emergency brake: "at the latest within two months" of becoming aware of the export project.
    OBJECTION_PERIOD_MONTHS = "objection_period_months", _("Objection period (calendar months)")
    REMINDER_DAYS = "reminder_days", _("Reminder points (days before the deadline, comma-separated)")
    # From this many days before the deadline, reminders of a notification nobody acted on go to seniors too.
    ESCALATION_DAYS = "reminder_escalation_days", _("Escalate to senior officers (days before the deadline)")
    # "Without delay" as a national internal target for de minimis cases, in working days.
    DE_MINIMIS_TARGET_DAYS = "de_minimis_target_working_days", _("De minimis target (working days)")


class TreatyRefusalGround(models.TextChoices):
    """The only ground on which a de minimis transfer may be refused, and on which a party may use the
    emergency brake: exceptional harm to its direct interests or its national security."""

    DIRECT_INTERESTS = "direct_interests", _("Direct interests compromised")
    NATIONAL_SECURITY = "national_security", _("National security compromised")


class TreatyParameter(models.Model):
    """One value of one treaty parameter over the closed interval [valid_from, valid_until]."""

    name = models.CharField(_("parameter"), max_length=40, choices=TreatyParameterName.choices)
    value = models.CharField(_("value"), max_length=100)
    valid_from = models.DateField(_("valid from"))
    valid_until = models.DateField(_("valid until (last day)"), null=True, blank=True)
    source = models.TextField(_("source note"))

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("treaty parameter")
        verbose_name_plural = _("treaty parameters")
        ordering = ["name", "-valid_from"]
        indexes = [models.Index(fields=["name", "valid_from"])]
        constraints = [
            models.UniqueConstraint(fields=["name", "valid_from"], name="treaty_parameter_one_per_start"),
            models.CheckConstraint(
                condition=Q(valid_until__isnull=True) | Q(valid_until__gte=models.F("valid_from")),
                name="treaty_parameter_until_after_from",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} = {self.value} (from {self.valid_from})"

    @property
    def as_decimal(self) -> Decimal:
        try:
            return Decimal(self.value.strip())
        except InvalidOperation as exc:
            raise ValueError(ERR_PARAMETER_VALUE.format(name=self.name, value=self.value, kind="number")) from exc

    @property
    def as_int(self) -> int:
        try:
            return int(self.value.strip())
        except ValueError as exc:
            raise ValueError(ERR_PARAMETER_VALUE.format(name=self.name, value=self.value, kind="whole number")) from exc

    @property
    def as_int_list(self) -> list[int]:
        try:
            return [int(part) for part in self.value.split(",") if part.strip()]
        except ValueError as exc:
            raise ValueError(ERR_PARAMETER_VALUE.format(name=self.name, value=self.value, kind="list of days")) from exc


class ExclusionListEntry(models.Model):
    """An item on the treaty's exclusion annex: outside the de minimis rule.

    An entry with an ML category and no description excludes the whole category automatically; an entry with
    a description (the usual case: "aero-engines", a part of ML10) is chosen by the exporter and checked by
    the officer.
    """

    ml_category = models.ForeignKey(
        MLCategory, on_delete=models.PROTECT, null=True, blank=True, verbose_name=_("Military List category")
    )
    description = models.CharField(_("item description"), max_length=300, blank=True)
    # Military List sub-items the entry covers, space-separated ("ML4.a"): a goods line rated in one of them (or
    # below it, "ML4.a.1") is excluded whatever the exporter ticked (licensing.services.treaty_share._exclusion_hits).
    ml_sub_items = models.CharField(_("Military List sub-items"), max_length=200, blank=True)
    valid_from = models.DateField(_("valid from"))
    valid_until = models.DateField(_("valid until (last day)"), null=True, blank=True)
    source = models.TextField(_("source note"))

    history = HistoricalRecords()

    class Meta:
        ordering = ["ml_category_id", "description"]
        verbose_name = _("exclusion list entry")
        verbose_name_plural = _("exclusion list entries")
        indexes = [models.Index(fields=["valid_from", "valid_until"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(ml_category__isnull=False) | ~Q(description=""), name="exclusion_names_something"
            ),
            models.CheckConstraint(
                condition=Q(valid_until__isnull=True) | Q(valid_until__gte=models.F("valid_from")),
                name="exclusion_until_after_from",
            ),
        ]

    def __str__(self) -> str:
        if self.description and self.ml_category_id:
            return f"{self.description} ({self.ml_category_id})"
        return self.description or f"{self.ml_category_id} (whole category)"


class FinalSystem(models.Model):
    """A final system that components from the Netherlands are integrated into, registered once.

    The de minimis share is over the whole final system: every transfer of Dutch components into it counts
    (../shared/domain/README.md "Clarifications (second round)": separate consignments into the same system add
    up). A system is identified by its integrator's state and an identifier (type designation, programme or
    contract number), so a second transfer finds the first one however its name is spelled.
    """

    integrator_name = models.CharField(_("integrating company"), max_length=300)
    integrator_country = models.ForeignKey(
        "parties.Country", on_delete=models.PROTECT, related_name="+", verbose_name=_("integrator's state")
    )
    name = models.CharField(_("final system"), max_length=200)
    # Stored upper-case without surrounding spaces (licensing.services.treaty.normalise_identifier).
    identifier = models.CharField(
        _("system identifier"),
        max_length=100,
        help_text=_("The type designation, programme or contract number that identifies the final system."),
    )
    ml_category = models.ForeignKey(
        MLCategory, on_delete=models.PROTECT, related_name="+", verbose_name=_("final system's ML category")
    )
    registered_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    registered_at = models.DateTimeField(auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["integrator_country_id", "identifier"]
        constraints = [
            models.UniqueConstraint(fields=["integrator_country", "identifier"], name="final_system_one_per_identifier")
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.identifier}, {self.integrator_name})"


class TreatyTransfer(models.Model):
    """The treaty details of a `treaty_component` application and the de minimis result computed from them."""

    application = models.OneToOneField(Application, on_delete=models.PROTECT, related_name="treaty_transfer")
    # The final system the components are integrated into (with its integrator)
    final_system = models.ForeignKey(
        FinalSystem, on_delete=models.PROTECT, related_name="transfers", verbose_name=_("final system")
    )
    end_destinations = models.ManyToManyField(
        "parties.Country", related_name="+", blank=True, verbose_name=_("intended end destinations")
    )
    # Values of the final system, in one currency; the share's denominator excludes the four services.
    system_currency = models.CharField(
        _("currency of the system values"), max_length=3, choices=Currency.choices, default=Currency.EUR
    )
    gross_total_value = models.DecimalField(_("total value of the final system"), max_digits=16, decimal_places=2)
    maintenance_value = models.DecimalField(_("maintenance"), max_digits=16, decimal_places=2, default=Decimal(0))
    spares_value = models.DecimalField(_("spare parts"), max_digits=16, decimal_places=2, default=Decimal(0))
    training_value = models.DecimalField(_("training"), max_digits=16, decimal_places=2, default=Decimal(0))
    repairs_value = models.DecimalField(_("repairs"), max_digits=16, decimal_places=2, default=Decimal(0))
    system_exchange_rate = models.DecimalField(max_digits=12, decimal_places=6, default=Decimal(1))
    system_total_eur = models.DecimalField(
        _("system total excluding services (EUR)"), max_digits=16, decimal_places=2, default=Decimal(0)
    )
    # The home state's integrated products: this application's goods lines in EUR at the rates of the application
    # date, never a second typed figure (domain README "Clarifications (second round)").
    component_value_eur = models.DecimalField(
        _("value of the Dutch components (EUR)"), max_digits=16, decimal_places=2, default=Decimal(0)
    )
    # Earlier transfers of Dutch components into the same final system, as used by the computation: decided
    # (approved) ones count towards the share; pending ones only warn. `earlier_transfers` lists them
    # [{"application_id", "reference", "value_eur", "status", "organisation_id"}].
    earlier_decided_eur = models.DecimalField(
        _("earlier decided transfers (EUR)"), max_digits=16, decimal_places=2, default=Decimal(0)
    )
    earlier_pending_eur = models.DecimalField(
        _("earlier pending transfers (EUR)"), max_digits=16, decimal_places=2, default=Decimal(0)
    )
    earlier_transfers = models.JSONField(default=list, blank=True)
    rate_date = models.DateField(_("exchange rate date"), null=True, blank=True)
    follow_on_of = models.ForeignKey(
        Application,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("follow-on for earlier de minimis case"),
        help_text=_("Maintenance, spare parts, training or repairs for an earlier de minimis transfer."),
    )
    exclusion_entry = models.ForeignKey(
        ExclusionListEntry,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("item on the exclusion list"),
    )
    excluded_item = models.BooleanField(_("excluded item"), default=False)
    # The computed result, with the parameter version it used
    assessed_on = models.DateField(_("rule applied as of"), null=True, blank=True)
    share = models.DecimalField(max_digits=6, decimal_places=4, null=True, blank=True)
    share_percent = models.DecimalField(_("share (%)"), max_digits=6, decimal_places=2, null=True, blank=True)
    threshold_percent = models.DecimalField(_("threshold (%)"), max_digits=6, decimal_places=2, null=True, blank=True)
    threshold_parameter = models.ForeignKey(
        TreatyParameter, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    de_minimis = models.BooleanField(_("de minimis applies"), default=False)
    reasons = models.JSONField(_("reasons (English)"), default=list)
    # The same reasons as codes with their parameters, put into words in the reader's language
    # (licensing.treaty_rules.reason_text); empty on results computed before the codes, which show `reasons`.
    reason_codes = models.JSONField(_("reason codes"), default=list, blank=True)
    computed_at = models.DateTimeField(null=True, blank=True)
    # "Without delay": the de minimis path's own internal target (working days from receipt)
    target_date = models.DateField(_("de minimis target"), null=True, blank=True)
    version = models.PositiveIntegerField(default=1)
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+")
    updated_at = models.DateTimeField(auto_now=True)

    history = HistoricalRecords(m2m_fields=[end_destinations])

    class Meta:
        verbose_name = _("treaty transfer")
        verbose_name_plural = _("treaty transfers")
        indexes = [
            models.Index(fields=["de_minimis", "target_date"]),
            # The transfers into one final system, for the share over the whole system.
            models.Index(fields=["final_system", "application"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(gross_total_value__gt=0)
                & Q(maintenance_value__gte=0)
                & Q(spares_value__gte=0)
                & Q(training_value__gte=0)
                & Q(repairs_value__gte=0)
                & Q(component_value_eur__gte=0),
                name="treaty_transfer_values_sane",
            ),
            models.CheckConstraint(
                condition=Q(de_minimis=False) | Q(computed_at__isnull=False), name="treaty_de_minimis_is_computed"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.application_id}: {self.final_system_id}"

    @property
    def reason_texts(self) -> list[str]:
        """Why the de minimis rule applies or not, in the reader's language (the stored English words on results
        computed before the reasons had codes)."""
        if not self.reason_codes:
            return list(self.reasons)
        return [reason_text(stored) for stored in self.reason_codes]

    @property
    def services_total(self) -> Decimal:
        return self.maintenance_value + self.spares_value + self.training_value + self.repairs_value

    @property
    def system_components_eur(self) -> Decimal:
        """All Dutch components in the final system that the share counts: this transfer and the decided ones."""
        return self.component_value_eur + self.earlier_decided_eur
