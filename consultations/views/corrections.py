"""An officer corrects a submitted treaty transfer: a goods line's rating, or the transfer's details. Each with a
reason; the de minimis rule is applied again (licensing.services.corrections)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views import View

from core.exceptions import DomainError
from core.views.mixins import CapabilityRequiredMixin
from licensing.models import Application
from licensing.selectors import application_get_for
from licensing.services.corrections import goods_line_reclassify, treaty_transfer_correct
from licensing.services.treaty_parameters import exclusion_entries_on

from ..forms import GoodsRatingForm, TreatyCorrectionForm
from ..selectors import follow_on_candidates, treaty_transfer_of
from .exporter import initial_details
from .officer import apply_errors


class TreatyCorrectionView(CapabilityRequiredMixin, View):
    capability = "casework.use"
    template_name = "consultations/treaty_correction.html"

    def _forms(self, application: Application, data: Any = None, which: str = "") -> dict[str, Any]:
        transfer = treaty_transfer_of(application)
        rating = GoodsRatingForm(
            data if which == "rating" else None,
            lines=application.goods.select_related("ml_category"),
            initial={"expected_version": application.version},
            prefix="rating",
        )
        details = TreatyCorrectionForm(
            data if which == "details" else None,
            initial={**initial_details(application, transfer), "expected_version": application.version},
            exclusions=exclusion_entries_on(application.received_on or timezone.localdate()),
            follow_on=follow_on_candidates(application=application),
            prefix="details",
        )
        return {"application": application, "transfer": transfer, "rating_form": rating, "details_form": details}

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        application = application_get_for(user=request.user, pk=pk)
        return render(request, self.template_name, self._forms(application))

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        application = application_get_for(user=request.user, pk=pk)
        which = request.POST.get("which", "")
        context = self._forms(application, request.POST, which)
        form = context["rating_form"] if which == "rating" else context["details_form"]
        if not form.is_valid():
            return render(request, self.template_name, context, status=400)
        data = form.cleaned_data
        try:
            if which == "rating":
                goods_line_reclassify(
                    actor=request.user,
                    application_id=application.pk,
                    line_id=data["line"].pk,
                    ml_category_id=data["ml_category"].pk,
                    ml_sub_item=data["ml_sub_item"],
                    reason=data["reason"],
                    expected_version=data["expected_version"],
                    **form.origin_kwargs(),
                )
            else:
                treaty_transfer_correct(
                    actor=request.user,
                    application_id=application.pk,
                    details=form.details(),
                    reason=data["reason"],
                    expected_version=data["expected_version"],
                )
        except DomainError as exc:
            apply_errors(form, exc)
            return render(request, self.template_name, context, status=exc.status_code)
        messages.success(request, _("Correction saved; the de minimis rule was applied again."))
        return redirect("casework:case_detail", pk=application.pk)
