"""Officer pages of the denial register (list with filters and CSV import, entry by hand, detail, withdrawal),
the refusal letter download and the revocation that cites criteria. Shared helpers: licensing/views/assessment.py."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import FileResponse, HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views import View

from core.enqueue import enqueue
from core.exceptions import DomainValidationError
from core.views.mixins import CapabilityRequiredMixin

from ..assessment_selectors import denial_get_for, denial_list_for, refusal_letter_get_for
from ..forms.assessment import DenialFilterForm, DenialForm, DenialImportForm, RevokeForm, WithdrawForm, errors_onto
from ..selectors import licence_get_for
from ..services import denials
from ..tasks import refusal_letter_render
from .assessment import OfficerView, attempt, case_url

DENIALS_PER_PAGE = 25

# --- denial register ------------------------------------------------------------------------------------------


class DenialListView(OfficerView):
    def _page(
        self, request: HttpRequest, import_form: DenialImportForm, status: int = 200, result: Any = None
    ) -> HttpResponse:
        filter_form = DenialFilterForm(request.GET or None)
        qs = denial_list_for(user=request.user, **filter_form.filters())
        page = Paginator(qs, DENIALS_PER_PAGE).get_page(request.GET.get("page"))
        return render(
            request,
            "licensing/casework/assessment/denial_list.html",
            {"page": page, "filter_form": filter_form, "import_form": import_form, "result": result},
            status=status,
        )

    def get(self, request: HttpRequest) -> HttpResponse:
        return self._page(request, DenialImportForm())

    def post(self, request: HttpRequest) -> HttpResponse:
        """The CSV import form, posted to the register page itself."""
        form = DenialImportForm(request.POST, request.FILES)
        if not form.is_valid():
            return self._page(request, form, 400)
        try:
            result = denials.denials_import_csv(actor=request.user, lines=form.lines())
        except DomainValidationError as exc:
            errors_onto(form, exc)
            return self._page(request, form, 400)
        messages.success(
            request,
            _("%(created)s denial notifications imported, %(skipped)s already in the register.")
            % {"created": len(result.created), "skipped": len(result.skipped)},
        )
        return redirect("casework:denial_list")


class DenialCreateView(OfficerView):
    def get(self, request: HttpRequest) -> HttpResponse:
        return render(request, "licensing/casework/assessment/denial_form.html", {"form": DenialForm()})

    def post(self, request: HttpRequest) -> HttpResponse:
        form = DenialForm(request.POST)

        def page(status: int) -> HttpResponse:
            return render(request, "licensing/casework/assessment/denial_form.html", {"form": form}, status=status)

        if not form.is_valid():
            return page(400)
        try:
            denial = denials.denial_record_incoming(actor=request.user, row=form.as_row())
        except DomainValidationError as exc:
            errors_onto(form, exc)
            return page(400)
        messages.success(request, _("Denial notification recorded."))
        return redirect("casework:denial_detail", pk=denial.pk)


class DenialDetailView(OfficerView):
    def _page(self, request: HttpRequest, pk: int, form: WithdrawForm, status: int = 200) -> HttpResponse:
        denial = denial_get_for(user=request.user, pk=pk)
        return render(
            request,
            "licensing/casework/assessment/denial_detail.html",
            {"denial": denial, "withdraw_form": form},
            status=status,
        )

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        return self._page(request, pk, WithdrawForm())

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        """Withdraw the notification (e.g. the issuing state revoked its denial)."""
        denial = denial_get_for(user=request.user, pk=pk)
        form = WithdrawForm(request.POST)
        if not form.is_valid():
            return self._page(request, pk, form, 400)

        def perform() -> str:
            denials.denial_withdraw(actor=request.user, denial_id=denial.pk, reason=form.cleaned_data["reason"])
            return _("Denial notification withdrawn.")

        return attempt(
            request,
            form=form,
            perform=perform,
            success_url=reverse("casework:denial_detail", args=[pk]),
            render_page=lambda status: self._page(request, pk, form, status),
        )


# --- refusal letter and revocation ---------------------------------------------------------------------------


def _letter_response(request: HttpRequest, pk: int) -> HttpResponseBase:
    """The letter as sent, or "being prepared" (202) while Celery renders it: never rendered in the request."""
    letter = refusal_letter_get_for(user=request.user, pk=pk)
    response: HttpResponseBase
    if letter.document:
        response = FileResponse(
            letter.document.open("rb"),
            as_attachment=True,
            content_type="application/pdf",
            filename=f"{letter.application.reference}-refusal.pdf",
        )
    else:
        enqueue(refusal_letter_render, letter.pk)  # idempotent: a render under way finds the file stored
        response = render(request, "licensing/refusal_letter_preparing.html", {"letter": letter}, status=202)
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


class RefusalLetterDownloadView(OfficerView):
    """An officer downloads the refusal letter as sent."""

    def get(self, request: HttpRequest, pk: int) -> HttpResponseBase:
        return _letter_response(request, pk)


class ExporterRefusalLetterDownloadView(CapabilityRequiredMixin, View):
    """The exporter downloads the refusal letter of their own organisation's application (404 for others).
    Mounted in the portal's URLs."""

    capability = "portal.use"

    def get(self, request: HttpRequest, pk: int) -> HttpResponseBase:
        return _letter_response(request, pk)


class LicenceRevokeView(OfficerView):
    def _page(self, request: HttpRequest, licence: Any, form: RevokeForm, status: int = 200) -> HttpResponse:
        return render(
            request,
            "licensing/casework/assessment/licence_revoke.html",
            {"licence": licence, "form": form},
            status=status,
        )

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        return self._page(request, licence_get_for(user=request.user, pk=pk), RevokeForm())

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        licence = licence_get_for(user=request.user, pk=pk)
        form = RevokeForm(request.POST)
        if not form.is_valid():
            return self._page(request, licence, form, 400)
        data = form.cleaned_data

        def perform() -> str:
            _revoked, notified = denials.licence_revoke_with_criteria(
                actor=request.user,
                licence_id=licence.pk,
                reason=data["reason"],
                criteria=[c.number for c in data["criteria"]],
                sub_criteria=data["sub_criteria"],
            )
            return _("Licence %(number)s revoked; denial notification %(refs)s recorded.") % {
                "number": licence.number,
                "refs": ", ".join(d.reference for d in notified),
            }

        return attempt(
            request,
            form=form,
            perform=perform,
            success_url=case_url(licence.application_id),
            render_page=lambda status: self._page(request, licence, form, status),
        )
