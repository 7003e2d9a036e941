"""The exporter's treaty details for a treaty component transfer application, with the de minimis computation.

Only the exporter's own organisation's treaty applications (404 for anything else); editable while a draft.
"""

from __future__ import annotations

from dataclasses import asdict
from decimal import Decimal
from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views import View

from core.exceptions import DomainError
from core.views.mixins import CapabilityRequiredMixin
from licensing.models import Application, ApplicationStatus
from licensing.models.treaty import TreatyTransfer
from licensing.services.treaty import treaty_transfer_save
from licensing.services.treaty_parameters import exclusion_entries_on

from ..forms import TreatyTransferForm
from ..selectors import follow_on_candidates, treaty_application_for_exporter, treaty_transfer_of
from .officer import apply_errors


def initial_details(application: Application, transfer: TreatyTransfer | None) -> dict[str, Any]:
    if transfer is None:
        return {
            "system_currency": "EUR",
            "maintenance_value": Decimal(0),
            "spares_value": Decimal(0),
            "training_value": Decimal(0),
            "repairs_value": Decimal(0),
            "expected_version": 0,
        }
    system = transfer.final_system
    return {
        "final_system_name": system.name,
        "final_system_identifier": system.identifier,
        "final_system_ml_category": system.ml_category_id,
        "integrator_name": system.integrator_name,
        "integrator_country": system.integrator_country_id,
        "end_destinations": list(transfer.end_destinations.all()),
        "system_currency": transfer.system_currency,
        "gross_total_value": transfer.gross_total_value,
        "maintenance_value": transfer.maintenance_value,
        "spares_value": transfer.spares_value,
        "training_value": transfer.training_value,
        "repairs_value": transfer.repairs_value,
        "exclusion_entry": transfer.exclusion_entry_id,
        "follow_on_of": transfer.follow_on_of_id,
        "expected_version": transfer.version,
    }


class TreatyTransferView(CapabilityRequiredMixin, View):
    capability = "portal.use"
    template_name = "consultations/exporter_transfer.html"

    def _form(self, application: Application, data: Any = None, initial: Any = None) -> TreatyTransferForm:
        return TreatyTransferForm(
            data,
            initial=initial,
            exclusions=exclusion_entries_on(timezone.localdate()),
            follow_on=follow_on_candidates(application=application),
        )

    def _render(
        self, request: HttpRequest, application: Application, form: TreatyTransferForm | None, status: int = 200
    ) -> HttpResponse:
        context = {
            "application": application,
            "transfer": treaty_transfer_of(application),
            "form": form,
            "editable": application.status == ApplicationStatus.DRAFT,
        }
        return render(request, self.template_name, context, status=status)

    def get(self, request: HttpRequest, application_pk: int) -> HttpResponse:
        application = treaty_application_for_exporter(user=request.user, pk=application_pk)
        transfer = treaty_transfer_of(application)
        form = self._form(application, initial=initial_details(application, transfer))
        return self._render(request, application, form if application.status == ApplicationStatus.DRAFT else None)

    def post(self, request: HttpRequest, application_pk: int) -> HttpResponse:
        application = treaty_application_for_exporter(user=request.user, pk=application_pk)
        form = self._form(application, data=request.POST)
        if form.is_valid():
            try:
                transfer = treaty_transfer_save(
                    actor=request.user,
                    application_id=application.pk,
                    expected_version=form.cleaned_data["expected_version"],
                    **asdict(form.details()),
                )
            except DomainError as exc:
                apply_errors(form, exc)
                return self._render(request, application, form, status=exc.status_code)
            messages.success(
                request,
                _("Treaty details saved. Share of the Dutch components: %(share)s %%.")
                % {"share": f"{transfer.share_percent:.2f}"},
            )
            return redirect("consultations:exporter_transfer", application_pk=application.pk)
        return self._render(request, application, form, status=400)
