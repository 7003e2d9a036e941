"""Exporter portal: object to a decision (bezwaar) and follow the objection. Thin: forms parse, services in
licensing.services.objections decide, selectors scope every read to the exporter's own organisation."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from core.exceptions import DomainError, DomainValidationError

from ..forms.objections import ObjectionFileForm, ObjectionWithdrawForm
from ..models import OPEN_OBJECTION_STATUSES, Application
from ..objection_selectors import objection_get_for, objection_history_of, objections_of
from ..selectors import application_get_for
from ..services.objections import (
    decision_objection_file,
    decision_objection_withdraw,
    objection_term_end_for,
)
from .exporter import PortalView


def _field_errors(form: forms.Form, exc: DomainValidationError) -> None:
    for field, errors in exc.field_errors.items():
        form.add_error(field if field in form.fields else None, errors)


def _start_page(request: HttpRequest, application: Application, form: forms.Form, status: int = 200) -> HttpResponse:
    term_end = objection_term_end_for(application)
    context: dict[str, Any] = {
        "application": application,
        "form": form,
        "term_end": term_end,
        "in_time": term_end is not None and timezone.localdate() <= term_end,
        "objections": objections_of(application),
    }
    return render(request, "licensing/portal/objection_start.html", context, status=status)


class ObjectionStartView(PortalView):
    """The objection form for a decided application, with the last day to object."""

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        application = application_get_for(user=request.user, pk=pk)
        return _start_page(request, application, ObjectionFileForm())

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        application = application_get_for(user=request.user, pk=pk)
        form = ObjectionFileForm(request.POST)
        if not form.is_valid():
            return _start_page(request, application, form, status=400)
        try:
            objection = decision_objection_file(
                actor=request.user, application_id=application.pk, grounds=form.cleaned_data["grounds"]
            )
        except DomainValidationError as exc:
            _field_errors(form, exc)
            return _start_page(request, application, form, status=400)
        except DomainError as exc:
            messages.error(request, exc.message)
            return _start_page(request, application, form, status=exc.status_code)
        messages.success(
            request,
            _("Your objection is filed. We decide on it by %(date)s.")
            % {"date": date_format(objection.decision_deadline, "j F Y")},
        )
        return redirect("portal:objection_detail", pk=objection.pk)


def _detail_page(request: HttpRequest, pk: int, *, form: forms.Form | None = None, status: int = 200) -> HttpResponse:
    objection = objection_get_for(user=request.user, pk=pk)
    context = {
        "objection": objection,
        "application": objection.application,
        "is_open": objection.status in OPEN_OBJECTION_STATUSES,
        "withdraw_form": form or ObjectionWithdrawForm(),
        "history": objection_history_of(objection),
    }
    return render(request, "licensing/portal/objection_detail.html", context, status=status)


class ObjectionDetailView(PortalView):
    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        return _detail_page(request, pk)


class ObjectionWithdrawView(PortalView):
    http_method_names = ["post"]

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        objection = objection_get_for(user=request.user, pk=pk)
        form = ObjectionWithdrawForm(request.POST)
        if not form.is_valid():
            return _detail_page(request, pk, form=form, status=400)
        try:
            decision_objection_withdraw(
                actor=request.user, objection_id=objection.pk, reason=form.cleaned_data["reason"]
            )
        except DomainValidationError as exc:
            _field_errors(form, exc)
            return _detail_page(request, pk, form=form, status=400)
        except DomainError as exc:
            messages.error(request, exc.message)
            return _detail_page(request, pk, status=exc.status_code)
        messages.success(request, _("Your objection is withdrawn."))
        return redirect("portal:objection_detail", pk=objection.pk)
