"""Reads of the reuse catalogue: exporters see only their own organisation's products and parties (in the query;
another organisation's id is a 404, missing or forbidden alike). Staff have no catalogue."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.http import Http404

from core.access import can

from .models import Document, DocumentKind, Product, SavedParty


def product_list_for(*, user: Any) -> QuerySet[Product]:
    if not can(user, "portal.use"):
        return Product.objects.none()
    return Product.objects.filter(organisation_id=user.organisation_id).select_related("ml_category", "technical_file")


def product_get_for(*, user: Any, pk: int) -> Product:
    try:
        return product_list_for(user=user).get(pk=pk)
    except Product.DoesNotExist as exc:
        raise Http404("No such product") from exc


def saved_party_list_for(*, user: Any) -> QuerySet[SavedParty]:
    if not can(user, "portal.use"):
        return SavedParty.objects.none()
    return SavedParty.objects.filter(organisation_id=user.organisation_id).select_related("country")


def saved_party_get_for(*, user: Any, pk: int) -> SavedParty:
    try:
        return saved_party_list_for(user=user).get(pk=pk)
    except SavedParty.DoesNotExist as exc:
        raise Http404("No such party") from exc


def technical_files_for(*, user: Any) -> QuerySet[Document]:
    """The organisation's uploaded technical specifications, to attach to a product."""
    if not can(user, "portal.use"):
        return Document.objects.none()
    return Document.objects.filter(
        kind=DocumentKind.TECHNICAL, application__organisation_id=user.organisation_id
    ).order_by("-uploaded_at")
