"""Review of company registrations: a company may submit applications only once an officer approved it."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views import View

from core.exceptions import DomainError, DomainValidationError
from core.views.mixins import CapabilityRequiredMixin
from parties.models import OrganisationStatus
from parties.services import organisation_approve, organisation_reject

from ..forms.casework import OrganisationApproveForm, OrganisationRejectForm
from ..selectors_queue import (
    organisation_get_for_review,
    organisation_history_of,
    organisation_list_for_review,
    organisation_members_of,
)

ORGANISATION_PAGE_SIZE = 25


class OrganisationListView(CapabilityRequiredMixin, View):
    capability = "organisations.review"

    def get(self, request: HttpRequest) -> HttpResponse:
        page = Paginator(organisation_list_for_review(user=request.user), ORGANISATION_PAGE_SIZE).get_page(
            request.GET.get("page")
        )
        return render(request, "licensing/casework/organisations/list.html", {"page": page})


def organisation_page(
    request: HttpRequest, pk: int, *, bound: dict[str, forms.Form] | None = None, status: int = 200
) -> HttpResponse:
    organisation = organisation_get_for_review(user=request.user, pk=pk)
    context: dict[str, Any] = {
        "organisation": organisation,
        "members": organisation_members_of(organisation),
        "history": organisation_history_of(organisation),
        "is_pending": organisation.status == OrganisationStatus.PENDING,
        "approve_form": OrganisationApproveForm(),
        "reject_form": OrganisationRejectForm(),
        **(bound or {}),
    }
    return render(request, "licensing/casework/organisations/detail.html", context, status=status)


class OrganisationDetailView(CapabilityRequiredMixin, View):
    capability = "organisations.review"

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        return organisation_page(request, pk)


class _RegistrationDecisionView(CapabilityRequiredMixin, View):
    capability = "organisations.review"
    http_method_names = ["post"]
    form_class: type[forms.Form]
    form_name: str

    def decide(self, *, actor: Any, organisation_id: int, reason: str) -> str:
        raise NotImplementedError

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        organisation = organisation_get_for_review(user=request.user, pk=pk)
        form = self.form_class(request.POST)
        if not form.is_valid():
            return organisation_page(request, pk, bound={self.form_name: form}, status=400)
        try:
            message = self.decide(
                actor=request.user, organisation_id=organisation.pk, reason=form.cleaned_data["reason"]
            )
        except DomainValidationError as exc:
            for field, errors in exc.field_errors.items():
                form.add_error(field if field in form.fields else None, errors)
            return organisation_page(request, pk, bound={self.form_name: form}, status=400)
        except DomainError as exc:
            messages.error(request, exc.message)
            return organisation_page(request, pk, status=exc.status_code)
        messages.success(request, message)
        return redirect("casework:organisation_detail", pk=organisation.pk)


class OrganisationApproveView(_RegistrationDecisionView):
    form_class = OrganisationApproveForm
    form_name = "approve_form"

    def decide(self, *, actor: Any, organisation_id: int, reason: str) -> str:
        organisation = organisation_approve(actor=actor, organisation_id=organisation_id, reason=reason)
        return _("%(name)s is approved: its people can now submit applications.") % {"name": organisation.name}


class OrganisationRejectView(_RegistrationDecisionView):
    form_class = OrganisationRejectForm
    form_name = "reject_form"

    def decide(self, *, actor: Any, organisation_id: int, reason: str) -> str:
        organisation = organisation_reject(actor=actor, organisation_id=organisation_id, reason=reason)
        return _("%(name)s is rejected.") % {"name": organisation.name}
