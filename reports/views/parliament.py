"""Accelerated information to parliament (licensing.parliament_rules) for the ministry's reporting staff: the
decisions flagged when they were taken, each with its draft letter (rendered by Celery), its deadline, and a form
to mark the letter sent (which ends its reminders)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.core.paginator import Paginator
from django.http import FileResponse, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views import View

from core.enqueue import enqueue
from core.exceptions import DomainError, DomainValidationError
from core.views.mixins import CapabilityRequiredMixin
from licensing.models.parliament import ParliamentInformation, ParliamentInformationStatus
from licensing.services.parliament import parliament_information_mark_sent
from licensing.tasks import parliament_letter_render

from ..forms import ParliamentLetterSentForm
from ..selectors import parliament_information_get_for, parliament_information_list_for

CAPABILITY = "reports.parliament"
PAGE_SIZE = 50


class ParliamentInformationListView(CapabilityRequiredMixin, View):
    capability = CAPABILITY

    def get(self, request: HttpRequest) -> HttpResponse:
        page = Paginator(parliament_information_list_for(user=request.user), PAGE_SIZE).get_page(
            request.GET.get("page")
        )
        context = {"page": page, "flags": page.object_list, "today": timezone.localdate()}
        return render(request, "reports/parliament_list.html", context)


def _detail_page(
    request: HttpRequest, flag: ParliamentInformation, form: forms.Form, status: int = 200
) -> HttpResponse:
    context: dict[str, Any] = {
        "flag": flag,
        "form": form,
        "is_due": flag.status == ParliamentInformationStatus.DUE,
        "today": timezone.localdate(),
    }
    return render(request, "reports/parliament_detail.html", context, status=status)


class ParliamentInformationDetailView(CapabilityRequiredMixin, View):
    capability = CAPABILITY

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        flag = parliament_information_get_for(user=request.user, pk=pk)
        form = ParliamentLetterSentForm(initial={"version": flag.version, "sent_on": timezone.localdate()})
        return _detail_page(request, flag, form)

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        flag = parliament_information_get_for(user=request.user, pk=pk)
        form = ParliamentLetterSentForm(request.POST)
        if not form.is_valid():
            return _detail_page(request, flag, form, status=400)
        try:
            parliament_information_mark_sent(
                actor=request.user,
                pk=flag.pk,
                sent_on=form.cleaned_data["sent_on"],
                reference=form.cleaned_data["reference"],
                expected_version=form.cleaned_data["version"],
            )
        except DomainValidationError as exc:
            for field, errors in exc.field_errors.items():
                form.add_error(field if field in form.fields else None, errors)
            return _detail_page(request, flag, form, status=400)
        except DomainError as exc:
            messages.error(request, exc.message)
            return _detail_page(request, flag, form, status=exc.status_code)
        messages.success(request, _("The letter is marked sent; its reminders stop."))
        return redirect("reports:parliament_list")


class ParliamentLetterDownloadView(CapabilityRequiredMixin, View):
    """The stored draft letter, or "being prepared" (202) while Celery renders it (never in the request)."""

    capability = CAPABILITY

    def get(self, request: HttpRequest, pk: int) -> HttpResponseBase:
        flag = parliament_information_get_for(user=request.user, pk=pk)
        response: HttpResponseBase
        if flag.letter:
            response = FileResponse(
                flag.letter.open("rb"),
                as_attachment=True,
                filename=f"concept-kamerbrief-{flag.application.reference}.pdf",
                content_type="application/pdf",
            )
        else:
            enqueue(parliament_letter_render, flag.pk)  # idempotent: a render under way finds the file stored
            response = render(request, "reports/parliament_letter_preparing.html", {"flag": flag}, status=202)
        response["X-Content-Type-Options"] = "nosniff"
        response["Cache-Control"] = "private, no-store"
        return response
