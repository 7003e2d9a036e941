"""Exporter portal: the application list, a new draft, and the application page (draft editor or case view).

Thin views: forms parse, services in licensing.services.applications decide, selectors in licensing.selectors
scope every read to the exporter's own organisation (404 for anything else). The actions that change a draft
or a case live in exporter_actions.py; licences and shipments in exporter_licences.py.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View

from core.access import can
from core.exceptions import DomainError
from core.views.mixins import CapabilityRequiredMixin

from ..assessment_selectors import refusal_letter_of
from ..forms.portal import (
    ApplicationCreateForm,
    InformationAnswerForm,
    StatusFilterForm,
    WithdrawForm,
    apply_errors,
)
from ..models import (
    OPEN_STATUSES,
    Application,
    ApplicationStatus,
    DecisionStatus,
    InformationRequest,
    Licence,
    PartyRole,
)
from ..selectors import application_get_for, application_list_for, delay_notices_of
from ..services.applications import application_create
from .exporter_draft import CHECK, PARTY_ROLE_ORDER, STEP_BY_SLUG, STEPS, draft_page, step_url

PAGE_SIZE = 25


class PortalView(CapabilityRequiredMixin, View):
    """Every portal page: exporters of a registered organisation only (staff get 403, see core.access)."""

    capability = "portal.use"


def open_request_of(application: Application) -> InformationRequest | None:
    """From prefetched information requests: the one still waiting for the exporter's answer."""
    return next((r for r in application.information_requests.all() if r.answered_at is None), None)


class ApplicationListView(PortalView):
    def get(self, request: HttpRequest) -> HttpResponse:
        filters = StatusFilterForm(request.GET or None, status_choices=ApplicationStatus.choices)
        applications = (
            application_list_for(user=request.user).prefetch_related("information_requests").order_by("-updated_at")
        )
        if filters.is_valid() and filters.cleaned_data["status"]:
            applications = applications.filter(status=filters.cleaned_data["status"])
        page = Paginator(applications, PAGE_SIZE).get_page(request.GET.get("page"))
        for application in page.object_list:
            application.open_request = open_request_of(application)  # type: ignore[attr-defined]
        # What is asked of the exporter stands out on top, whatever the filter or page shows.
        asked = [
            (application, open_request_of(application))
            for application in application_list_for(user=request.user)
            .filter(status=ApplicationStatus.INFORMATION_REQUESTED)
            .prefetch_related("information_requests")
            .order_by("updated_at")
        ]
        return render(
            request,
            "licensing/portal/application_list.html",
            {
                "page": page,
                "filters": filters,
                "asked": [(a, r) for a, r in asked if r is not None],
                "today": timezone.localdate(),
                "organisation": request.user.organisation,  # type: ignore[union-attr]
                "can_submit": can(request.user, "portal.submit"),
                "can_invite": can(request.user, "portal.invite_colleague"),
                "filtered": bool(filters.is_valid() and filters.cleaned_data["status"]),
            },
        )


class ApplicationCreateView(PortalView):
    template_name = "licensing/portal/application_create.html"

    def get(self, request: HttpRequest) -> HttpResponse:
        return render(request, self.template_name, {"form": ApplicationCreateForm()})

    def post(self, request: HttpRequest) -> HttpResponse:
        form = ApplicationCreateForm(request.POST)
        if form.is_valid():
            try:
                application = application_create(
                    actor=request.user, licence_type=form.cleaned_data["licence_type"], title=form.cleaned_data["title"]
                )
            except DomainError as exc:
                apply_errors(form, exc)
            else:
                messages.success(
                    request,
                    _(
                        "Draft %(reference)s created. Fill in the steps one by one: each step is saved when you "
                        "continue, and you can come back to it until you submit."
                    )
                    % {"reference": application.reference},
                )
                return redirect(step_url(application.pk, STEPS[0].slug))
        return render(request, self.template_name, {"form": form}, status=400)


class ApplicationDetailView(PortalView):
    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        return application_page(request, application_get_for(user=request.user, pk=pk))


def application_page(
    request: HttpRequest, application: Application, *, status: int = 200, **bound: forms.Form
) -> HttpResponse:
    """The application's own page: "check and submit" for a draft, a read-only case view once submitted.

    `bound` carries a form the exporter just posted, with its errors, to show in place of the empty one.
    """
    if application.is_editable:
        return draft_page(request, application, CHECK, status=status, **bound)
    context = _case_context(request, application, bound)
    context["error_summary"] = _error_summary(bound)
    return render(request, "licensing/portal/application_case.html", context, status=status)


class DraftStepView(PortalView):
    """One step of a draft on its own page (goods, parties, end use, documents); see exporter_draft.py."""

    def get(self, request: HttpRequest, pk: int, step: str) -> HttpResponse:
        application = application_get_for(user=request.user, pk=pk)
        if step not in STEP_BY_SLUG:
            raise Http404("No such step")
        if not application.is_editable:
            return redirect("portal:application_detail", pk=pk)
        return draft_page(request, application, step)


def _error_summary(bound: dict[str, forms.Form]) -> list[dict[str, str]]:
    """Each error of the form just posted, linked to its field (or section), for the summary on top of the page."""
    items = []
    for slot, form in bound.items():
        anchor, label = _FORM_SECTIONS[slot]
        for field, errors in form.errors.items():
            visible = field in form.fields and not form.fields[field].widget.is_hidden
            href = f"#{form[field].auto_id}" if visible else f"#{anchor}"
            items += [{"href": href, "text": f"{label}: {error}"} for error in errors]
    return items


_FORM_SECTIONS = {
    "answer_form": ("request", gettext_lazy("Your answer")),
    "withdraw_form": ("withdraw", gettext_lazy("Withdrawal")),
}


def _case_context(request: HttpRequest, application: Application, bound: dict[str, forms.Form]) -> dict[str, Any]:
    requests_ = list(application.information_requests.all())
    documents = list(application.documents.all())
    for request_ in requests_:
        request_.attachments = [d for d in documents if d.information_request_id == request_.pk]  # type: ignore[attr-defined]
    open_request = next((r for r in requests_ if r.answered_at is None), None)
    final = next((d for d in application.decisions.all() if d.status == DecisionStatus.FINAL), None)
    licence = None
    if application.status == ApplicationStatus.APPROVED:
        try:
            licence = application.licence
        except Licence.DoesNotExist:
            licence = None
    parties = list(application.parties.all())
    return {
        "application": application,
        "goods": list(application.goods.all()),
        "parties": sorted(parties, key=lambda p: PARTY_ROLE_ORDER.index(PartyRole(p.role))),
        "documents": [d for d in documents if d.information_request_id is None],
        "open_request": open_request,
        "earlier_requests": [r for r in requests_ if r.answered_at is not None],
        "final_decision": final,
        "refusal_letter": refusal_letter_of(application) if application.status == "refused" else None,
        "licence": licence,
        "is_open": application.status in OPEN_STATUSES,
        "delay_notices": delay_notices_of(application),
        "answer_form": bound.get("answer_form") or InformationAnswerForm(),
        "withdraw_form": bound.get("withdraw_form") or WithdrawForm(),
        "today": timezone.localdate(),
    }
