"""Exporter portal: the organisation's products and saved parties (licensing.services.catalogue), scoped to the
organisation by licensing.catalogue_selectors. The draft page fills its goods and party forms from them."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from core.exceptions import DomainError

from ..catalogue_selectors import product_list_for, saved_party_list_for, technical_files_for
from ..forms.catalogue import ProductForm, SavedPartyForm
from ..forms.portal import apply_errors, country_choices, ml_category_choices
from ..services.catalogue import product_save, saved_party_save
from .exporter import PortalView


def _page(request: HttpRequest, *, product_form: Any = None, party_form: Any = None, status: int = 200) -> HttpResponse:
    files = [(d.pk, d.original_name) for d in technical_files_for(user=request.user)]
    context = {
        "products": product_list_for(user=request.user),
        "parties": saved_party_list_for(user=request.user),
        "product_form": product_form or ProductForm(ml_choices=ml_category_choices(), file_choices=files),
        "party_form": party_form or SavedPartyForm(country_choices=country_choices()),
    }
    return render(request, "licensing/portal/catalogue.html", context, status=status)


class CatalogueView(PortalView):
    def get(self, request: HttpRequest) -> HttpResponse:
        return _page(request)


class ProductSaveView(PortalView):
    http_method_names = ["post"]

    def post(self, request: HttpRequest) -> HttpResponse:
        files = [(d.pk, d.original_name) for d in technical_files_for(user=request.user)]
        form = ProductForm(request.POST, ml_choices=ml_category_choices(), file_choices=files)
        if not form.is_valid():
            return _page(request, product_form=form, status=400)
        d = form.cleaned_data
        try:
            product = product_save(
                actor=request.user, description=d["description"], ml_category_id=d["ml_category"],
                ml_sub_item=d["ml_sub_item"], part_numbers=d["part_numbers"], is_component=d["is_component"],
                technical_file_id=d["technical_file"],
            )  # fmt: skip
        except DomainError as exc:
            apply_errors(form, exc)
            return _page(request, product_form=form, status=exc.status_code)
        messages.success(request, _("%(product)s is saved in your products.") % {"product": product.description})
        return redirect("portal:catalogue")


class SavedPartySaveView(PortalView):
    http_method_names = ["post"]

    def post(self, request: HttpRequest) -> HttpResponse:
        form = SavedPartyForm(request.POST, country_choices=country_choices())
        if not form.is_valid():
            return _page(request, party_form=form, status=400)
        d = form.cleaned_data
        try:
            party = saved_party_save(
                actor=request.user, role=d["role"], name=d["name"], address=d["address"], country_id=d["country"],
                party_type=d["party_type"],
            )  # fmt: skip
        except DomainError as exc:
            apply_errors(form, exc)
            return _page(request, party_form=form, status=exc.status_code)
        messages.success(request, _("%(name)s is saved in your parties.") % {"name": party.name})
        return redirect("portal:catalogue")
