"""Reference data the licensing rules rest on: Military List, Common Position criteria, UN Register categories."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from core.i18n import in_language


class MLCategory(models.Model):
    """An entry of the EU Common Military List (ML1–ML22). Every goods line has exactly one."""

    code = models.CharField(max_length=5, primary_key=True)
    number = models.PositiveSmallIntegerField(_("number"), unique=True)
    short_title = models.CharField(_("short title"), max_length=200)
    short_title_nl = models.CharField(_("short title (Dutch)"), max_length=200, blank=True)
    title = models.TextField(_("title"))
    confirmed = models.BooleanField(_("confirmed"), default=True)
    source = models.TextField(_("source"), blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["number"]
        verbose_name = _("Military List category")
        verbose_name_plural = _("Military List categories")

    def __str__(self) -> str:
        return f"{self.code} {self.local_title}"

    @property
    def local_title(self) -> str:
        """The short title in the reader's language."""
        return in_language(en=self.short_title, nl=self.short_title_nl)


class DenyType(models.TextChoices):
    SHALL_DENY = "mandatory_deny", _("Shall deny")
    SHALL_DENY_PARTIAL = "mandatory_deny_partial", _("Shall deny (2a, 2c); caution (2b)")
    TAKE_INTO_ACCOUNT = "take_into_account", _("Take into account")


class Criterion(models.Model):
    """One of the eight criteria of Council Common Position 2008/944/CFSP, Art. 2 (as amended by 2019/1560)."""

    number = models.PositiveSmallIntegerField(primary_key=True)
    short_title = models.CharField(_("short title"), max_length=200)
    short_title_nl = models.CharField(_("short title (Dutch)"), max_length=200, blank=True)
    summary = models.TextField(_("summary"))
    deny_type = models.CharField(_("kind of denial ground"), max_length=24, choices=DenyType.choices)
    deny_trigger = models.TextField(_("denial ground when"), blank=True)
    also_consider = models.TextField(_("also consider"), blank=True)
    source = models.TextField(_("source"), blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["number"]
        verbose_name = _("Common Position criterion")
        verbose_name_plural = _("Common Position criteria")

    def __str__(self) -> str:
        return f"{self.number}. {self.local_title}"

    @property
    def local_title(self) -> str:
        """The short title in the reader's language."""
        return in_language(en=self.short_title, nl=self.short_title_nl)

    @property
    def is_deny_criterion(self) -> bool:
        return self.deny_type != DenyType.TAKE_INTO_ACCOUNT


class UNRegisterCategory(models.Model):
    code = models.CharField(max_length=8, primary_key=True)
    title = models.CharField(_("title"), max_length=200)
    definition = models.TextField(_("definition"))
    threshold_confirmed = models.CharField(_("threshold confirmed"), max_length=100, blank=True)
    source = models.TextField(_("source"), blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["code"]
        verbose_name = _("UN Register category")
        verbose_name_plural = _("UN Register categories")

    def __str__(self) -> str:
        return f"{self.code} {self.title}"


class ExchangeRate(models.Model):
    """EUR per unit of a currency on a date; goods values are converted with the latest rate on or before
    the application's date, and the rate used is stored on the goods line."""

    currency = models.CharField(_("currency"), max_length=3)
    valid_on = models.DateField(_("valid on"))
    eur_per_unit = models.DecimalField(_("EUR per unit"), max_digits=12, decimal_places=6)
    source = models.CharField(_("source"), max_length=200, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("exchange rate")
        verbose_name_plural = _("exchange rates")
        ordering = ["currency", "-valid_on"]
        constraints = [models.UniqueConstraint(fields=["currency", "valid_on"], name="one_rate_per_currency_day")]

    def __str__(self) -> str:
        return f"{self.currency} {self.valid_on}: {self.eur_per_unit}"


class ProcessingTarget(models.Model):
    """Internal target for a first decision, in working days, per licence type (configurable).

    Default 20 working days, as the UK measures its individual licences (70 % within 20, 99 % within 60);
    see ../shared/domain/README.md "National processing targets". De minimis treaty transfers: "without delay".
    """

    licence_type = models.CharField(_("licence type"), max_length=24, unique=True)
    working_days = models.PositiveSmallIntegerField(_("working days"))
    source = models.CharField(_("source"), max_length=300, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("processing target")
        verbose_name_plural = _("processing targets")
        ordering = ["licence_type"]

    def __str__(self) -> str:
        return f"{self.licence_type}: {self.working_days} working days"
