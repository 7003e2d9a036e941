"""Case work on general licences: publish and change them, decide registrations, and see usage per licence and
per company. Thin: forms parse, general_licences.services decides, selectors read."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views import View

from core.exceptions import DomainError
from core.views.mixins import CapabilityRequiredMixin
from licensing.forms.portal import apply_errors
from licensing.selectors_queue import organisation_get_for_review

from ..forms import GeneralLicenceForm, RegistrationDecideForm, RegistrationStatusForm
from ..models import RegistrationStatus
from ..selectors import (
    general_licence_get_for,
    general_licence_list_for,
    history_of,
    overdue_count,
    periods_of,
    registration_get_for,
    registration_list_for,
    registrations_of_organisation,
    usage_by_category_and_country,
    usage_by_company,
)
from ..services import (
    general_licence_publish,
    general_licence_registration_decide,
    general_licence_registration_reinstate,
    general_licence_registration_suspend,
    general_licence_update,
)


class OfficerView(CapabilityRequiredMixin, View):
    capability = "casework.use"


class GeneralLicenceListView(OfficerView):
    def get(self, request: HttpRequest) -> HttpResponse:
        licences = general_licence_list_for(user=request.user)
        pending = registration_list_for(user=request.user).filter(status=RegistrationStatus.PENDING)
        return render(request, "general_licences/casework/list.html", {"licences": licences, "pending": pending})


def _form_page(request: HttpRequest, form: GeneralLicenceForm, licence: Any = None, status: int = 200) -> HttpResponse:
    return render(request, "general_licences/casework/form.html", {"form": form, "licence": licence}, status=status)


class GeneralLicenceCreateView(OfficerView):
    def get(self, request: HttpRequest) -> HttpResponse:
        return _form_page(request, GeneralLicenceForm())

    def post(self, request: HttpRequest) -> HttpResponse:
        form = GeneralLicenceForm(request.POST)
        if not form.is_valid():
            return _form_page(request, form, status=400)
        try:
            licence = general_licence_publish(
                actor=request.user, data=form.data_for_service(), reason=form.cleaned_data["reason"]
            )
        except DomainError as exc:
            apply_errors(form, exc)
            return _form_page(request, form, status=exc.status_code)
        messages.success(request, _("General licence %(ref)s is published.") % {"ref": licence.reference})
        return redirect("gl_casework:licence_detail", pk=licence.pk)


class GeneralLicenceUpdateView(OfficerView):
    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        licence = general_licence_get_for(user=request.user, pk=pk)
        return _form_page(request, GeneralLicenceForm(initial=GeneralLicenceForm.initial_for(licence)), licence)

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        licence = general_licence_get_for(user=request.user, pk=pk)
        form = GeneralLicenceForm(request.POST)
        if not form.is_valid():
            return _form_page(request, form, licence, status=400)
        try:
            general_licence_update(
                actor=request.user,
                licence_id=licence.pk,
                version=form.cleaned_data["version"] or 0,
                data=form.data_for_service(),
                reason=form.cleaned_data["reason"],
            )
        except DomainError as exc:
            apply_errors(form, exc)
            return _form_page(request, form, licence, status=exc.status_code)
        messages.success(request, _("General licence %(ref)s is changed.") % {"ref": licence.reference})
        return redirect("gl_casework:licence_detail", pk=licence.pk)


class GeneralLicenceDetailView(OfficerView):
    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        licence = general_licence_get_for(user=request.user, pk=pk)
        registrations = list(
            registration_list_for(user=request.user).filter(licence=licence).prefetch_related("returns")
        )
        context = {
            "licence": licence,
            "registrations": [(r, overdue_count(r)) for r in registrations],
            "by_company": usage_by_company(licence),
            "by_scope": usage_by_category_and_country(licence),
            "history": history_of(licence),
        }
        return render(request, "general_licences/casework/detail.html", context)


def _registration_page(
    request: HttpRequest,
    pk: int,
    form: RegistrationDecideForm | None = None,
    status: int = 200,
    status_form: RegistrationStatusForm | None = None,
) -> HttpResponse:
    registration = registration_get_for(user=request.user, pk=pk)
    context = {
        "registration": registration,
        "licence": registration.licence,
        "periods": periods_of(registration),
        "form": form or RegistrationDecideForm(),
        "status_form": status_form or RegistrationStatusForm(initial={"version": registration.version}),
        "history": history_of(registration),
    }
    return render(request, "general_licences/casework/registration.html", context, status=status)


class RegistrationDetailView(OfficerView):
    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        return _registration_page(request, pk)


class RegistrationDecideView(OfficerView):
    http_method_names = ["post"]

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        registration = registration_get_for(user=request.user, pk=pk)
        form = RegistrationDecideForm(request.POST)
        if not form.is_valid():
            return _registration_page(request, pk, form, status=400)
        try:
            decided = general_licence_registration_decide(
                actor=request.user,
                registration_id=registration.pk,
                approve=form.cleaned_data["decision"] == "approve",
                reason=form.cleaned_data["reason"],
            )
        except DomainError as exc:
            apply_errors(form, exc)
            return _registration_page(request, pk, form, status=exc.status_code)
        messages.success(
            request,
            _("%(company)s's registration is %(status)s.")
            % {"company": decided.organisation.name, "status": decided.get_status_display().lower()},
        )
        return redirect("gl_casework:registration_detail", pk=registration.pk)


class RegistrationStatusView(OfficerView):
    """Suspend or reinstate a holder's registration (general_licences.transitions)."""

    http_method_names = ["post"]
    action = "suspend"

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        registration = registration_get_for(user=request.user, pk=pk)
        form = RegistrationStatusForm(request.POST)
        if not form.is_valid():
            return _registration_page(request, pk, status=400, status_form=form)
        service = (
            general_licence_registration_suspend if self.action == "suspend" else general_licence_registration_reinstate
        )
        try:
            changed = service(
                actor=request.user,
                registration_id=registration.pk,
                reason=form.cleaned_data["reason"],
                expected_version=form.cleaned_data["version"],
            )
        except DomainError as exc:
            apply_errors(form, exc)
            return _registration_page(request, pk, status=exc.status_code, status_form=form)
        messages.success(
            request,
            _("%(company)s's registration is %(status)s.")
            % {"company": changed.organisation.name, "status": changed.get_status_display().lower()},
        )
        return redirect("gl_casework:registration_detail", pk=registration.pk)


class OrganisationUsageView(OfficerView):
    """One company's general licences: each registration with its returns, value reported and overdue periods."""

    def get(self, request: HttpRequest, organisation_id: int) -> HttpResponse:
        registrations = list(registrations_of_organisation(user=request.user, organisation_id=organisation_id))
        organisation = organisation_get_for_review(user=request.user, pk=organisation_id)
        context = {"organisation": organisation, "registrations": [(r, overdue_count(r)) for r in registrations]}
        return render(request, "general_licences/casework/organisation.html", context)
