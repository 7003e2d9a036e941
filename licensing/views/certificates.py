"""Certificate screens: the exporter enters or reuses the end-user certificate of a draft and answers a request
for a certificate of integration; the officer asks for one on a treaty component transfer (case-page panel).
Thin: forms parse, licensing.services.certificates decides, reads go through scoped selectors."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views import View

from core.exceptions import DomainError, DomainValidationError
from core.views.mixins import CapabilityRequiredMixin

from ..certificate_selectors import certificate_use_of, integration_requests_of, reusable_certificates_for
from ..forms.certificates import EndUserCertificateForm, IntegrationCertificateForm
from ..forms.portal import apply_errors, country_choices
from ..models import Application, PartyRole
from ..selectors import application_get_for
from ..selectors_queue import case_get_for
from ..services.certificates import (
    end_user_certificate_attach,
    end_user_certificate_register,
    integration_certificate_receive,
    integration_certificate_request,
)
from .exporter import PortalView


def _page(
    request: HttpRequest, application: Application, *, euc_form: Any = None, integration_form: Any = None,
    status: int = 200,
) -> HttpResponse:  # fmt: skip
    end_user = application.parties.filter(role=PartyRole.END_USER).order_by("id").first()
    initial = {"end_user_name": end_user.name, "end_user_country": end_user.country_id} if end_user else {}
    context = {
        "application": application,
        "end_user": end_user,
        "use": certificate_use_of(application),
        "reusable": reusable_certificates_for(application) if application.is_editable else [],
        "euc_form": euc_form or EndUserCertificateForm(country_choices=country_choices(), initial=initial),
        "requests": integration_requests_of(application),
        "integration_form": integration_form or IntegrationCertificateForm(),
    }
    return render(request, "licensing/portal/certificates.html", context, status=status)


class CertificatesView(PortalView):
    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        return _page(request, application_get_for(user=request.user, pk=pk))


class CertificateAttachView(PortalView):
    """Reuse: rely on a certificate the organisation registered before (same end user, still valid)."""

    http_method_names = ["post"]

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        application = application_get_for(user=request.user, pk=pk)
        certificate = get_object_or_404(reusable_certificates_for(application), pk=request.POST.get("certificate", 0))
        try:
            end_user_certificate_attach(
                actor=request.user, application_id=application.pk, certificate_id=certificate.pk
            )
        except DomainError as exc:
            messages.error(request, exc.message)
            return _page(request, application, status=exc.status_code)
        messages.success(request, _("Certificate %(number)s is attached.") % {"number": certificate.number})
        return redirect("portal:certificates", pk=application.pk)


class CertificateRegisterView(PortalView):
    """Enter a new end-user certificate as data and attach it to this draft."""

    http_method_names = ["post"]

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        application = application_get_for(user=request.user, pk=pk)
        form = EndUserCertificateForm(request.POST, country_choices=country_choices())
        if not form.is_valid():
            return _page(request, application, euc_form=form, status=400)
        d = form.cleaned_data
        try:
            certificate = end_user_certificate_register(
                actor=request.user, issuer=d["issuer"], number=d["number"], issued_on=d["issued_on"],
                valid_until=d["valid_until"], re_export_clause=d["re_export_clause"],
                end_user_name=d["end_user_name"], end_user_country_id=d["end_user_country"],
            )  # fmt: skip
            end_user_certificate_attach(
                actor=request.user, application_id=application.pk, certificate_id=certificate.pk
            )
        except DomainValidationError as exc:
            apply_errors(form, exc, renamed={"certificate": "__all__"})
            return _page(request, application, euc_form=form, status=400)
        except DomainError as exc:
            messages.error(request, exc.message)
            return _page(request, application, euc_form=form, status=exc.status_code)
        messages.success(
            request, _("Certificate %(number)s is registered and attached.") % {"number": certificate.number}
        )
        return redirect("portal:certificates", pk=application.pk)


class IntegrationCertificateReceiveView(PortalView):
    http_method_names = ["post"]

    def post(self, request: HttpRequest, pk: int, request_id: int) -> HttpResponse:
        application = application_get_for(user=request.user, pk=pk)
        asked = next((r for r in integration_requests_of(application) if r.pk == request_id), None)
        if asked is None:
            return _page(request, application, status=404)
        form = IntegrationCertificateForm(request.POST, request.FILES)
        if not form.is_valid():
            return _page(request, application, integration_form=form, status=400)
        d = form.cleaned_data
        try:
            integration_certificate_receive(
                actor=request.user, request_id=asked.pk, issuer=d["issuer"], number=d["number"],
                issued_on=d["issued_on"], upload=d.get("file"),
            )  # fmt: skip
        except DomainValidationError as exc:
            apply_errors(form, exc)
            return _page(request, application, integration_form=form, status=400)
        except DomainError as exc:
            messages.error(request, exc.message)
            return _page(request, application, integration_form=form, status=exc.status_code)
        messages.success(request, _("The certificate of integration is sent to the licensing officer."))
        return redirect("portal:certificates", pk=application.pk)


class IntegrationCertificateRequestView(CapabilityRequiredMixin, View):
    capability = "casework.use"
    http_method_names = ["post"]

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        application = case_get_for(user=request.user, pk=pk)
        try:
            integration_certificate_request(
                actor=request.user, application_id=application.pk, note=request.POST.get("note", "")
            )
        except DomainError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, _("The exporter is asked for a certificate of integration."))
        return redirect(f"{reverse('casework:case_detail', args=[application.pk])}#panel-certificates")
