"""Exporter portal: licences, what is left on them, the shipments made, and the licence document."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from core.exceptions import DomainValidationError, NotAllowed, TransitionNotAllowed

from ..amendment_selectors import amendments_of, versions_of
from ..forms.portal import ShipmentForm, apply_errors
from ..models import OPEN_AMENDMENT_STATUSES, Licence, LicenceStatus
from ..selectors import licence_get_for, licence_list_for
from ..services.casework import shipment_record
from .exporter import PAGE_SIZE, PortalView
from .licence_document import licence_document_response


class LicenceListView(PortalView):
    def get(self, request: HttpRequest) -> HttpResponse:
        licences = licence_list_for(user=request.user).order_by("-issued_at")
        page = Paginator(licences, PAGE_SIZE).get_page(request.GET.get("page"))
        return render(request, "licensing/portal/licence_list.html", {"page": page, "today": timezone.localdate()})


def _shipment_form(licence: Licence, data: Any = None) -> ShipmentForm:
    choices = [
        (
            str(goods.pk),
            _("%(description)s (%(remaining)s %(unit)s left)")
            % {"description": goods.description, "remaining": goods.remaining_quantity.normalize(), "unit": goods.unit},
        )
        for goods in licence.goods.all()
    ]
    return ShipmentForm(data, goods_choices=choices, initial={"shipped_on": timezone.localdate()})


def licence_page(
    request: HttpRequest, licence: Licence, *, form: ShipmentForm | None = None, status: int = 200
) -> HttpResponse:
    goods = list(licence.goods.all())
    by_id = {g.pk: g for g in goods}
    shipments = list(licence.shipments.all())
    amendments = amendments_of(licence)
    for shipment in shipments:
        shipment.goods = by_id.get(shipment.licensed_goods_id)  # type: ignore[attr-defined]
    return render(
        request,
        "licensing/portal/licence_detail.html",
        {
            "licence": licence,
            "goods": goods,
            "shipments": shipments,
            "form": form or _shipment_form(licence),
            "can_ship": licence.status == LicenceStatus.ISSUED and any(g.remaining_quantity > 0 for g in goods),
            "versions": versions_of(licence),
            "amendments": amendments,
            "open_amendment": any(a.status in OPEN_AMENDMENT_STATUSES for a in amendments),
            "today": timezone.localdate(),
        },
        status=status,
    )


class LicenceDetailView(PortalView):
    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        return licence_page(request, licence_get_for(user=request.user, pk=pk))


class ShipmentRecordView(PortalView):
    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        licence = licence_get_for(user=request.user, pk=pk)
        form = _shipment_form(licence, request.POST)
        if form.is_valid():
            data = form.cleaned_data
            try:
                shipment_record(
                    actor=request.user,
                    licence_id=licence.pk,
                    licensed_goods_id=int(data["licensed_goods"]),
                    shipped_on=data["shipped_on"],
                    quantity=data["quantity"],
                    value_eur=data["value_eur"],
                )
            except (DomainValidationError, ValidationError) as exc:
                apply_errors(form, exc)
            except (TransitionNotAllowed, NotAllowed) as exc:
                messages.error(request, exc.message)
                return licence_page(request, licence_get_for(user=request.user, pk=pk), status=exc.status_code)
            else:
                messages.success(request, _("The shipment is recorded."))
                return redirect(f"{reverse('portal:licence_detail', args=[pk])}#shipments")
        return licence_page(request, licence, form=form, status=400)


class LicencePdfView(PortalView):
    """The issued licence as PDF (or "being prepared" while Celery renders it)."""

    def get(self, request: HttpRequest, pk: int) -> HttpResponseBase:
        return licence_document_response(request, licence_get_for(user=request.user, pk=pk))
