"""Exporter portal actions: each posts one form to one service, then redirects back to the application page.

Errors are answered in one place (ApplicationActionView.post): a field problem re-renders the page with the
message on the field (400); a conflict (someone else changed the case, or its status no longer allows the
action) shows the current page with a message (409); a role problem 403. Never a 500.
"""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.exceptions import DomainValidationError, NotAllowed, StaleVersion, TransitionNotAllowed
from core.formatting import format_money

from ..forms.portal import (
    ApplicationDetailsForm,
    DocumentUploadForm,
    GoodsLineForm,
    InformationAnswerForm,
    PartyForm,
    SubmitForm,
    WithdrawForm,
    apply_errors,
    country_choices,
    ml_category_choices,
)
from ..models import Application, DocumentKind
from ..selectors import application_get_for, document_get_for
from ..services import applications as services
from ..virus_scan import download_refusal
from .exporter import PortalView, application_page
from .exporter_draft import draft_page, next_step_url, step_url

ERR_NOT_SUBMITTED = gettext_lazy(
    "The application is not submitted yet. Complete the points marked below, then submit again."
)


class ApplicationActionView(PortalView):
    """POST only. Subclasses name the form, where it sits, and the one service call.

    On a draft, `step` is the step page the form belongs to: success returns there, or goes on to the next step
    when the exporter pressed "continue" (a submit button of the same form, so what was typed is saved first);
    a form left blank with "continue" just moves on. On a submitted case, `anchor` is the section to return to.
    """

    form_slot = ""  # the context name under which the page shows this form
    anchor = ""  # the section of the case page to return to
    step = ""  # the draft step this form belongs to
    blank_fields: tuple[str, ...] = ()  # all empty: nothing typed, "continue" moves on without saving
    renamed: dict[str, str] = {}  # service field name -> form field name

    def build_form(self, request: HttpRequest, application: Application) -> forms.Form:
        raise NotImplementedError

    def perform(self, request: HttpRequest, application: Application, form: forms.Form) -> str:
        """Call the service; return the success message."""
        raise NotImplementedError

    def post(self, request: HttpRequest, pk: int, **kwargs: Any) -> HttpResponse:
        application = application_get_for(user=request.user, pk=pk)
        continuing = "continue" in request.POST and bool(self.step)
        if continuing and application.is_editable and self._left_blank(request):
            return redirect(next_step_url(application, self.step))
        form = self.build_form(request, application)
        if form.is_valid():
            try:
                message = self.perform(request, application, form)
            except (DomainValidationError, ValidationError) as exc:
                apply_errors(form, exc, renamed=self.renamed)
            except (StaleVersion, TransitionNotAllowed, NotAllowed) as exc:
                messages.error(request, exc.message)
                fresh = application_get_for(user=request.user, pk=pk)
                return self.page(request, fresh, status=exc.status_code)
            else:
                messages.success(request, message)
                return redirect(self.success_url(application, continuing=continuing))
        return self.page(request, application, status=400, **{self.form_slot: form})

    def _left_blank(self, request: HttpRequest) -> bool:
        return bool(self.blank_fields) and not any(
            str(request.POST.get(name, "")).strip() or request.FILES.get(name) for name in self.blank_fields
        )

    def page(self, request: HttpRequest, application: Application, *, status: int, **bound: forms.Form) -> HttpResponse:
        if application.is_editable and self.step:
            return draft_page(request, application, self.step, status=status, **bound)
        if not application.is_editable and self.step:
            # A draft's form posted to a submitted case: the case page has no place for it, only the message.
            messages.error(request, _("This application has been submitted: it can no longer be changed here."))
            return application_page(request, application, status=status)
        return application_page(request, application, status=status, **bound)

    def success_url(self, application: Application, *, continuing: bool) -> str:
        if self.step:
            return next_step_url(application, self.step) if continuing else step_url(application.pk, self.step)
        return f"{reverse('portal:application_detail', args=[application.pk])}#{self.anchor}"


class ApplicationUpdateView(ApplicationActionView):
    form_slot, step = "details_form", "end-use"

    def build_form(self, request: HttpRequest, application: Application) -> forms.Form:
        return ApplicationDetailsForm(request.POST)

    def perform(self, request: HttpRequest, application: Application, form: forms.Form) -> str:
        data = form.cleaned_data
        services.application_update(
            actor=request.user,
            application_id=application.pk,
            expected_version=data["version"],
            title=data["title"],
            end_use=data["end_use"],
            intended_shipment_date=data["intended_shipment_date"],
            related_licences=data["related_licences"],
        )
        return _("The details are saved.")


class GoodsSaveView(ApplicationActionView):
    form_slot, step = "goods_form", "goods"
    blank_fields = ("line_id", "description", "ml_category", "ml_sub_item", "quantity", "unit_value", "part_numbers")
    renamed = {"ml_category_id": "ml_category"}

    def build_form(self, request: HttpRequest, application: Application) -> forms.Form:
        return GoodsLineForm(
            request.POST, ml_choices=ml_category_choices(), line_ids={g.pk for g in application.goods.all()}
        )

    def perform(self, request: HttpRequest, application: Application, form: forms.Form) -> str:
        line = services.goods_line_save(
            actor=request.user, application_id=application.pk, **cast(GoodsLineForm, form).service_kwargs()
        )
        return _("Goods line %(position)s is saved: %(value)s.") % {
            "position": line.position,
            "value": format_money(line.value_eur),
        }


class _RemoveForm(forms.Form):
    """Removal needs no input; the id comes from the URL and must belong to this application."""


class GoodsRemoveView(ApplicationActionView):
    form_slot, step = "goods_form", "goods"

    def build_form(self, request: HttpRequest, application: Application) -> forms.Form:
        if self.kwargs["line_id"] not in {g.pk for g in application.goods.all()}:
            raise Http404("No such goods line")
        return _RemoveForm(request.POST)

    def perform(self, request: HttpRequest, application: Application, form: forms.Form) -> str:
        services.goods_line_remove(actor=request.user, application_id=application.pk, line_id=self.kwargs["line_id"])
        return _("The goods line is removed.")


class PartySaveView(ApplicationActionView):
    form_slot, step = "party_form", "parties"
    blank_fields = ("party_id", "name", "address", "country", "third_party_role")
    renamed = {"country_id": "country"}

    def build_form(self, request: HttpRequest, application: Application) -> forms.Form:
        return PartyForm(
            request.POST, country_choices=country_choices(), party_ids={p.pk for p in application.parties.all()}
        )

    def perform(self, request: HttpRequest, application: Application, form: forms.Form) -> str:
        party = services.party_save(
            actor=request.user, application_id=application.pk, **cast(PartyForm, form).service_kwargs()
        )
        return _("%(role)s %(name)s is saved.") % {"role": party.get_role_display(), "name": party.name}


class PartyRemoveView(ApplicationActionView):
    form_slot, step = "party_form", "parties"

    def build_form(self, request: HttpRequest, application: Application) -> forms.Form:
        if self.kwargs["party_id"] not in {p.pk for p in application.parties.all()}:
            raise Http404("No such party")
        return _RemoveForm(request.POST)

    def perform(self, request: HttpRequest, application: Application, form: forms.Form) -> str:
        services.party_remove(actor=request.user, application_id=application.pk, party_id=self.kwargs["party_id"])
        return _("The party is removed.")


class DocumentUploadView(ApplicationActionView):
    form_slot, step = "document_form", "documents"
    blank_fields = ("file",)

    def build_form(self, request: HttpRequest, application: Application) -> forms.Form:
        return DocumentUploadForm(request.POST, request.FILES)

    def perform(self, request: HttpRequest, application: Application, form: forms.Form) -> str:
        document = services.document_upload(
            actor=request.user,
            application_id=application.pk,
            kind=form.cleaned_data["kind"],
            upload=form.cleaned_data["file"],
        )
        return _("%(name)s is uploaded.") % {"name": document.original_name}


class ApplicationSubmitView(PortalView):
    """Submit a draft from "check and submit". Whatever the answer, the browser returns to a page's own address,
    never stays on .../submit/: on success the case page, otherwise check and submit with what stopped it (the
    points still open are listed next to their step there)."""

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        application = application_get_for(user=request.user, pk=pk)
        form = SubmitForm(request.POST)
        check_url = reverse("portal:application_detail", args=[pk])
        if not form.is_valid():
            messages.error(request, _("The page was incomplete. Check the application and submit again."))
            return redirect(check_url)
        try:
            submitted = services.application_submit(
                actor=request.user, application_id=application.pk, expected_version=form.cleaned_data["version"]
            )
        except DomainValidationError:
            messages.error(request, ERR_NOT_SUBMITTED)
            return redirect(f"{check_url}#check-heading")
        except (StaleVersion, TransitionNotAllowed, NotAllowed) as exc:
            messages.error(request, exc.message)
            return redirect(check_url)
        message = _("Application %(reference)s is submitted.") % {"reference": submitted.reference}
        if submitted.legal_deadline:
            message += " " + _("The licensing authority decides by %(deadline)s at the latest.") % {
                "deadline": date_format(submitted.legal_deadline, "j F Y")
            }
        messages.success(request, message)
        return redirect(f"{check_url}#status")


class InformationProvideView(ApplicationActionView):
    form_slot, anchor = "answer_form", "request"
    renamed = {"file": "document"}

    def build_form(self, request: HttpRequest, application: Application) -> forms.Form:
        return InformationAnswerForm(request.POST, request.FILES)

    def perform(self, request: HttpRequest, application: Application, form: forms.Form) -> str:
        upload = form.cleaned_data.get("document")
        services.information_provide(
            actor=request.user,
            application_id=application.pk,
            answer=form.cleaned_data["answer"],
            uploads=[(DocumentKind.INFORMATION, upload)] if upload else None,
        )
        return _("Your answer is sent. The decision term runs again from today.")


class ApplicationWithdrawView(ApplicationActionView):
    form_slot, anchor = "withdraw_form", "status"

    def build_form(self, request: HttpRequest, application: Application) -> forms.Form:
        return WithdrawForm(request.POST)

    def perform(self, request: HttpRequest, application: Application, form: forms.Form) -> str:
        services.application_withdraw(
            actor=request.user, application_id=application.pk, reason=form.cleaned_data["reason"]
        )
        return _("The application is withdrawn.")


class DocumentDownloadView(PortalView):
    """Permission is checked on every request (the files live outside the web root)."""

    def get(self, request: HttpRequest, pk: int) -> HttpResponseBase:
        document = document_get_for(user=request.user, pk=pk)
        if refusal := download_refusal(document.scan_status):
            raise PermissionDenied(refusal)
        response = FileResponse(
            document.file.open("rb"),
            as_attachment=True,
            filename=document.original_name,
            content_type=document.content_type,
        )
        response["X-Content-Type-Options"] = "nosniff"
        response["Cache-Control"] = "private, no-store"
        return response
