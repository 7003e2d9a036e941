"""Exporter portal: the published general licences, registering for one, and filing usage returns. Thin: forms
parse, general_licences.services decides, selectors scope every read to the exporter's own organisation."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from core.exceptions import DomainError, DomainValidationError
from licensing.forms.portal import apply_errors
from licensing.views.exporter import PortalView

from ..forms import RegisterForm, UsageLineFormSet, UsageReturnForm, apply_line_errors
from ..models import RegistrationStatus
from ..selectors import (
    general_licence_get_for,
    general_licence_list_for,
    history_of,
    open_periods_for_filing,
    periods_of,
    registration_get_for,
    registration_list_for,
)
from ..services import general_licence_register, usage_return_file


class GeneralLicenceListView(PortalView):
    def get(self, request: HttpRequest) -> HttpResponse:
        registrations = {
            r.licence_id: r
            for r in registration_list_for(user=request.user).exclude(status=RegistrationStatus.REJECTED)
        }
        licences = [(licence, registrations.get(licence.pk)) for licence in general_licence_list_for(user=request.user)]
        return render(request, "general_licences/portal/list.html", {"licences": licences})


def _licence_page(request: HttpRequest, pk: int, form: RegisterForm | None = None, status: int = 200) -> HttpResponse:
    licence = general_licence_get_for(user=request.user, pk=pk)
    registrations = registration_list_for(user=request.user).filter(licence=licence)
    context = {
        "licence": licence,
        "registrations": registrations,
        "live": next((r for r in registrations if r.status != RegistrationStatus.REJECTED), None),
        "form": form or RegisterForm(),
    }
    return render(request, "general_licences/portal/detail.html", context, status=status)


class GeneralLicenceDetailView(PortalView):
    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        return _licence_page(request, pk)


class GeneralLicenceRegisterView(PortalView):
    http_method_names = ["post"]

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        licence = general_licence_get_for(user=request.user, pk=pk)
        form = RegisterForm(request.POST)
        if not form.is_valid():
            return _licence_page(request, pk, form, status=400)
        try:
            registration = general_licence_register(
                actor=request.user, licence_id=licence.pk, intended_use=form.cleaned_data["intended_use"]
            )
        except DomainError as exc:
            apply_errors(form, exc)
            return _licence_page(request, pk, form, status=exc.status_code)
        if registration.status == RegistrationStatus.APPROVED:
            messages.success(request, _("You are registered for %(ref)s.") % {"ref": licence.reference})
        else:
            messages.success(
                request,
                _("Your registration for %(ref)s is sent; an officer approves it before you may use the licence.")
                % {"ref": licence.reference},
            )
        return redirect("gl_portal:registration_detail", pk=registration.pk)


def _period_choices(registration: Any) -> list[tuple[str, str]]:
    return [
        (p.start.isoformat(), f"{date_format(p.start, 'j M Y')} – {date_format(p.end, 'j M Y')}")
        for p in open_periods_for_filing(registration)
    ]


def _registration_page(
    request: HttpRequest, pk: int, *, form: Any = None, formset: Any = None, status: int = 200
) -> HttpResponse:
    registration = registration_get_for(user=request.user, pk=pk)
    periods = _period_choices(registration)
    context = {
        "registration": registration,
        "licence": registration.licence,
        "periods": periods_of(registration),
        "can_file": bool(periods),
        "form": form or UsageReturnForm(periods=periods),
        "formset": formset or UsageLineFormSet(prefix="lines", form_kwargs={"licence": registration.licence}),
        "history": history_of(registration),
    }
    return render(request, "general_licences/portal/registration.html", context, status=status)


class RegistrationDetailView(PortalView):
    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        return _registration_page(request, pk)


class UsageReturnFileView(PortalView):
    http_method_names = ["post"]

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        registration = registration_get_for(user=request.user, pk=pk)
        form = UsageReturnForm(request.POST, periods=_period_choices(registration))
        formset = UsageLineFormSet(request.POST, prefix="lines", form_kwargs={"licence": registration.licence})
        if not (form.is_valid() and formset.is_valid()):
            return _registration_page(request, pk, form=form, formset=formset, status=400)
        filled = [f for f in formset.forms if f.has_changed() and f.cleaned_data]
        lines = [f.line() for f in filled]
        try:
            usage = usage_return_file(
                actor=request.user,
                registration_id=registration.pk,
                period_start=date.fromisoformat(form.cleaned_data["period_start"]),
                nil_return=form.cleaned_data["nil_return"],
                lines=lines,
            )
        except DomainValidationError as exc:
            apply_line_errors(form, filled, exc)
            return _registration_page(request, pk, form=form, formset=formset, status=400)
        except DomainError as exc:
            messages.error(request, exc.message)
            return _registration_page(request, pk, form=form, formset=formset, status=exc.status_code)
        messages.success(
            request,
            _("Your usage return for %(start)s – %(end)s is filed.")
            % {"start": date_format(usage.period_start, "j M Y"), "end": date_format(usage.period_end, "j M Y")},
        )
        return redirect("gl_portal:registration_detail", pk=registration.pk)
