"""Reuse: an organisation's product catalogue and saved parties, picked from when filling in a draft (the draft's
goods and party forms are filled from them; the application keeps its own copy, so a later change to the
catalogue never changes a submitted case)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from .application import Document, PartyRole, PartyType
from .reference import MLCategory


class Product(models.Model):
    organisation = models.ForeignKey("parties.Organisation", on_delete=models.PROTECT, related_name="products")
    description = models.CharField(_("description"), max_length=500)
    ml_category = models.ForeignKey(MLCategory, on_delete=models.PROTECT, verbose_name=_("Military List category"))
    ml_sub_item = models.CharField(_("sub-item"), max_length=100, blank=True, help_text=_("e.g. ML5.b"))
    part_numbers = models.CharField(_("part numbers"), max_length=300, blank=True)
    is_component = models.BooleanField(_("component for integration"), default=False)
    technical_file = models.ForeignKey(
        Document,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("technical file"),
        help_text=_("A technical specification you uploaded with an earlier application."),
    )
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["organisation_id", "description", "id"]
        indexes = [models.Index(fields=["organisation", "description"])]

    def __str__(self) -> str:
        return f"{self.description} ({self.ml_category_id})"


class SavedParty(models.Model):
    organisation = models.ForeignKey("parties.Organisation", on_delete=models.PROTECT, related_name="saved_parties")
    role = models.CharField(_("role"), max_length=20, choices=PartyRole.choices)
    name = models.CharField(_("name"), max_length=300)
    address = models.TextField(_("address"))
    country = models.ForeignKey("parties.Country", on_delete=models.PROTECT, verbose_name=_("country"))
    party_type = models.CharField(_("type"), max_length=20, choices=PartyType.choices)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["organisation_id", "role", "name", "id"]
        indexes = [models.Index(fields=["organisation", "role"])]

    def __str__(self) -> str:
        return f"{self.get_role_display()}: {self.name} ({self.country_id})"
