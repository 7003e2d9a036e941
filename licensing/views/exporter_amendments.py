"""Exporter portal: ask to change a licence (amendment or extension), withdraw the request, surrender the licence,
and download an earlier version's PDF. Thin: forms parse, licensing.services.amendments decides, selectors scope
every read to the exporter's own organisation."""

from __future__ import annotations

from django.contrib import messages
from django.http import FileResponse, HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from core.enqueue import enqueue
from core.exceptions import DomainError, DomainValidationError

from ..amendment_selectors import amendment_get_for, version_get_for
from ..catalogue_selectors import product_list_for, saved_party_list_for
from ..certificate_selectors import certificate_list_for
from ..forms.amendments import AmendmentRequestForm, ChangeChoices, ReasonForm, SurrenderForm
from ..forms.portal import country_choices, ml_category_choices
from ..models import AmendmentKind, Licence
from ..selectors import licence_get_for
from ..services import amendments as services
from ..tasks import licence_version_render_pdf
from .exporter import PortalView


def _errors(form: ReasonForm | AmendmentRequestForm | SurrenderForm, exc: DomainValidationError) -> None:
    for field, errors in exc.field_errors.items():
        form.add_error(field if field in form.fields else None, errors)


def _request_form(request: HttpRequest, licence: Licence, kind: str, data: object = None) -> AmendmentRequestForm:
    if kind != AmendmentKind.AMENDMENT:
        return AmendmentRequestForm(data, licence=licence, kind=kind, countries=[])
    countries = country_choices()
    form = AmendmentRequestForm(data, licence=licence, kind=kind, countries=[("", _("— unchanged —")), *countries])
    form.add_change_fields(
        ChangeChoices(
            saved_parties=[(str(p.pk), str(p)) for p in saved_party_list_for(user=request.user)],
            products=[(str(p.pk), str(p)) for p in product_list_for(user=request.user)],
            certificates=[
                (str(c.pk), f"{c.number} · {c.issuer} · {c.end_user_name} ({c.end_user_country_id})")
                for c in certificate_list_for(user=request.user)
            ],
            countries=countries,
            ml_categories=ml_category_choices(),
        )
    )
    return form


def _request_page(
    request: HttpRequest, licence: Licence, form: AmendmentRequestForm, status: int = 200
) -> HttpResponse:
    context = {"licence": licence, "form": form, "kind": form.kind}
    return render(request, "licensing/portal/amendment_request.html", context, status=status)


class AmendmentRequestView(PortalView):
    """Ask for an amendment (goods, quantities, values, validity, destination) or an extension (validity)."""

    def get(self, request: HttpRequest, pk: int, kind: str) -> HttpResponse:
        licence = licence_get_for(user=request.user, pk=pk)
        return _request_page(request, licence, _request_form(request, licence, _kind(kind)))

    def post(self, request: HttpRequest, pk: int, kind: str) -> HttpResponse:
        licence = licence_get_for(user=request.user, pk=pk)
        form = _request_form(request, licence, _kind(kind), request.POST)
        if not form.is_valid():
            return _request_page(request, licence, form, status=400)
        try:
            services.licence_amendment_request(actor=request.user, licence_id=licence.pk, **form.service_kwargs())
        except DomainValidationError as exc:
            _errors(form, exc)
            return _request_page(request, licence, form, status=400)
        except DomainError as exc:
            messages.error(request, exc.message)
            return _request_page(request, licence, form, status=exc.status_code)
        messages.success(request, _("Your request is sent to the licensing authority."))
        return redirect("portal:licence_detail", pk=licence.pk)


def _kind(kind: str) -> str:
    return AmendmentKind.EXTENSION if kind == AmendmentKind.EXTENSION else AmendmentKind.AMENDMENT


class AmendmentWithdrawView(PortalView):
    http_method_names = ["post"]

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        amendment = amendment_get_for(user=request.user, pk=pk)
        form = ReasonForm(request.POST)
        reason = request.POST.get("reason", "")
        try:
            services.licence_amendment_withdraw(actor=request.user, amendment_id=amendment.pk, reason=reason)
        except DomainValidationError as exc:
            _errors(form, exc)
            messages.error(request, exc.message)
        except DomainError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, _("Your request is withdrawn."))
        return redirect("portal:licence_detail", pk=amendment.licence_id)


class LicenceSurrenderView(PortalView):
    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        licence = licence_get_for(user=request.user, pk=pk)
        return render(request, "licensing/portal/licence_surrender.html", {"licence": licence, "form": SurrenderForm()})

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        licence = licence_get_for(user=request.user, pk=pk)
        form = SurrenderForm(request.POST)
        status = 400
        if form.is_valid():
            try:
                services.licence_surrender(
                    actor=request.user, licence_id=licence.pk, reason=form.cleaned_data["reason"]
                )
            except DomainValidationError as exc:
                _errors(form, exc)
            except DomainError as exc:
                messages.error(request, exc.message)
                status = exc.status_code
            else:
                messages.success(request, _("The licence is surrendered: no more shipments can be made under it."))
                return redirect("portal:licence_detail", pk=licence.pk)
        context = {"licence": licence, "form": form}
        return render(request, "licensing/portal/licence_surrender.html", context, status=status)


def version_document_response(request: HttpRequest, licence: Licence, number: int) -> HttpResponseBase:
    """An earlier version's PDF as it was issued (kept when the change replaced it), or "being prepared" (202)
    while Celery renders it from the version's frozen terms (a version replaced before its PDF was made)."""
    version = version_get_for(licence=licence, number=number)
    response: HttpResponseBase
    if not version.document:
        enqueue(licence_version_render_pdf, version.pk)  # idempotent: a render under way finds the file stored
        response = render(request, "licensing/licence_pdf_preparing.html", {"licence": licence}, status=202)
        response["Cache-Control"] = "private, no-store"
        return response
    response = FileResponse(
        version.document.open("rb"),
        as_attachment=True,
        filename=f"{licence.number}-v{version.number}.pdf",
        content_type="application/pdf",
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


class LicenceVersionPdfView(PortalView):
    def get(self, request: HttpRequest, pk: int, number: int) -> HttpResponseBase:
        return version_document_response(request, licence_get_for(user=request.user, pk=pk), number)
