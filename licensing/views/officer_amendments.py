"""Officer case work on licence changes: the list of open requests and one page per request, where the officer
sees what changes (before and after), the checks on the change and the decision gate's words, decides, and a
senior officer countersigns or sends it back. Each action posts one form to one service."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views import View

from core.access import can
from core.exceptions import DomainError, DomainValidationError
from core.views.mixins import CapabilityRequiredMixin

from ..amendment_denials import ChangeDenial, change_denials
from ..amendment_selectors import (
    amendment_consultations_of,
    amendment_dismissals_of,
    amendment_get_for,
    amendment_history_of,
    amendment_list_for,
    amendment_rows,
    amendments_of,
    change_findings,
    party_rows,
    versions_of,
)
from ..decision_gate import Stage, amendment_gate
from ..forms.amendments import (
    AmendmentConsultForm,
    AmendmentCountersignForm,
    AmendmentDecideForm,
    AmendmentDismissDenialForm,
    AmendmentReturnForm,
)
from ..models import AmendmentStatus
from ..selectors import licence_get_for
from ..services import amendment_consultations
from ..services import amendments as services
from .exporter_amendments import version_document_response

PAGE_SIZE = 25


class AmendmentListView(CapabilityRequiredMixin, View):
    capability = "casework.use"

    def get(self, request: HttpRequest) -> HttpResponse:
        page = Paginator(amendment_list_for(user=request.user), PAGE_SIZE).get_page(request.GET.get("page"))
        return render(request, "licensing/casework/amendments/list.html", {"page": page})


def amendment_page(
    request: HttpRequest, pk: int, *, bound: dict[str, forms.Form] | None = None, status: int = 200
) -> HttpResponse:
    amendment = amendment_get_for(user=request.user, pk=pk)
    initial = {"version": amendment.version}
    gate = None
    undecided: list[ChangeDenial] = []
    if amendment.status == AmendmentStatus.REQUESTED:
        # A preview: the checks as of now, in memory only; deciding runs them again and keeps them.
        amendment.check_findings = change_findings(amendment)
        gate = amendment_gate(amendment, outcome="approve", stage=Stage.PROPOSE)
        undecided = [found for found in change_denials(amendment) if found.undecided]
    forms_on_page: dict[str, forms.Form] = {
        "decide_form": AmendmentDecideForm(initial=initial),
        "countersign_form": AmendmentCountersignForm(initial=initial),
        "return_form": AmendmentReturnForm(initial=initial),
        "consult_form": AmendmentConsultForm(initial=initial),
        "dismiss_form": AmendmentDismissDenialForm(initial=initial),
        **(bound or {}),
    }
    forms_on_page["dismiss_form"].denials_offer(undecided)  # type: ignore[attr-defined]
    context: dict[str, Any] = {
        "amendment": amendment,
        "licence": amendment.licence,
        "rows": amendment_rows(amendment),
        "party_rows": party_rows(amendment),
        "gate": gate,
        "can_decide": amendment.status == AmendmentStatus.REQUESTED,
        "can_countersign": amendment.status == AmendmentStatus.PROPOSED
        and can(request.user, "casework.countersign")
        and amendment.proposed_by_id != request.user.pk,
        "can_consult": bool(undecided),
        "dismissals": amendment_dismissals_of(amendment),
        "consultations": amendment_consultations_of(amendment),
        "history": amendment_history_of(amendment),
        **forms_on_page,
    }
    return render(request, "licensing/casework/amendments/detail.html", context, status=status)


class AmendmentDetailView(CapabilityRequiredMixin, View):
    capability = "casework.use"

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        return amendment_page(request, pk)


class _AmendmentActionView(CapabilityRequiredMixin, View):
    capability = "casework.use"
    http_method_names = ["post"]
    form_class: type[forms.Form]
    form_name: str

    def perform(self, *, actor: Any, pk: int, data: dict[str, Any]) -> str:
        raise NotImplementedError

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        amendment_get_for(user=request.user, pk=pk)
        form = self.form_class(request.POST)
        if not form.is_valid():
            return amendment_page(request, pk, bound={self.form_name: form}, status=400)
        try:
            message = self.perform(actor=request.user, pk=pk, data=form.cleaned_data)
        except DomainValidationError as exc:
            for field, errors in exc.field_errors.items():
                form.add_error(field if field in form.fields else None, errors)
            return amendment_page(request, pk, bound={self.form_name: form}, status=400)
        except DomainError as exc:
            messages.error(request, exc.message)
            return amendment_page(request, pk, status=exc.status_code)
        messages.success(request, message)
        return redirect("casework:amendment_detail", pk=pk)


class AmendmentDecideView(_AmendmentActionView):
    form_class, form_name = AmendmentDecideForm, "decide_form"

    def perform(self, *, actor: Any, pk: int, data: dict[str, Any]) -> str:
        amendment = services.licence_amendment_decide(
            actor=actor,
            amendment_id=pk,
            outcome=data["outcome"],
            reasons=data["reasons"],
            expected_version=data["version"],
        )
        if amendment.status == AmendmentStatus.PROPOSED:
            return _("The decision waits for a senior officer's countersignature.")
        return _("The change is approved: version %(version)s of the licence is issued.") % {
            "version": amendment.resulting_version
        }


class AmendmentCountersignView(_AmendmentActionView):
    capability = "casework.countersign"
    form_class, form_name = AmendmentCountersignForm, "countersign_form"

    def perform(self, *, actor: Any, pk: int, data: dict[str, Any]) -> str:
        services.licence_amendment_countersign(
            actor=actor, amendment_id=pk, reason=data["reason"], expected_version=data["version"]
        )
        return _("Countersigned: the decision on the change takes effect.")


class AmendmentReturnView(_AmendmentActionView):
    capability = "casework.countersign"
    form_class, form_name = AmendmentReturnForm, "return_form"

    def perform(self, *, actor: Any, pk: int, data: dict[str, Any]) -> str:
        services.licence_amendment_return(
            actor=actor, amendment_id=pk, reason=data["reason"], expected_version=data["version"]
        )
        return _("The decision is sent back.")


class AmendmentConsultView(_AmendmentActionView):
    form_class, form_name = AmendmentConsultForm, "consult_form"

    def perform(self, *, actor: Any, pk: int, data: dict[str, Any]) -> str:
        opened = amendment_consultations.amendment_art4_consultation_open(
            actor=actor, amendment_id=pk, reason=data["reason"], expected_version=data["version"]
        )
        return _("Article 4 consultation opened with %(states)s.") % {
            "states": ", ".join(sorted({c.counterpart.name for c in opened}))
        }


class AmendmentDismissDenialView(_AmendmentActionView):
    form_class, form_name = AmendmentDismissDenialForm, "dismiss_form"

    def perform(self, *, actor: Any, pk: int, data: dict[str, Any]) -> str:
        dismissal = amendment_consultations.amendment_denial_dismiss(
            actor=actor,
            amendment_id=pk,
            denial_id=data["denial"],
            reason=data["reason"],
            expected_version=data["version"],
        )
        return _("Recorded: the change is not essentially identical to denial %(reference)s.") % {
            "reference": dismissal.denial.reference
        }


class LicenceVersionsView(CapabilityRequiredMixin, View):
    """A licence's versions and changes, for officers (the licence's own page lives with its case)."""

    capability = "casework.use"

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        licence = licence_get_for(user=request.user, pk=pk)
        context = {"licence": licence, "versions": versions_of(licence), "amendments": amendments_of(licence)}
        return render(request, "licensing/casework/amendments/licence_versions.html", context)


class LicenceVersionPdfView(CapabilityRequiredMixin, View):
    capability = "casework.use"

    def get(self, request: HttpRequest, pk: int, number: int) -> HttpResponseBase:
        return version_document_response(request, licence_get_for(user=request.user, pk=pk), number)
