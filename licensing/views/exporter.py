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
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View

from core.access import can
from core.exceptions import DomainError
from core.views.mixins import CapabilityRequiredMixin
from parties.models import HOME_STATE

from ..assessment_selectors import refusal_letter_of
from ..catalogue_selectors import product_get_for, product_list_for, saved_party_get_for, saved_party_list_for
from ..forms.portal import (
    LICENCE_TYPE_HELP,
    ApplicationCreateForm,
    ApplicationDetailsForm,
    DocumentUploadForm,
    GoodsLineForm,
    InformationAnswerForm,
    PartyForm,
    StatusFilterForm,
    SubmitForm,
    WithdrawForm,
    apply_errors,
    country_choices,
    ml_category_choices,
)
from ..models import (
    OPEN_STATUSES,
    Application,
    ApplicationStatus,
    DecisionStatus,
    InformationRequest,
    Licence,
    LicenceType,
    PartyRole,
)
from ..selectors import application_get_for, application_list_for, delay_notices_of
from ..services.applications import application_create, submission_problems

PAGE_SIZE = 25
# The order in which the parties section lists roles: who receives, who uses, who else is involved.
PARTY_ROLE_ORDER = [PartyRole.CONSIGNEE, PartyRole.END_USER, PartyRole.ULTIMATE_END_USER, PartyRole.THIRD_PARTY]


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
                    _("Draft %(reference)s created. Fill in the sections below; your changes are saved as you go.")
                    % {"reference": application.reference},
                )
                return redirect("portal:application_detail", pk=application.pk)
        return render(request, self.template_name, {"form": form}, status=400)


class ApplicationDetailView(PortalView):
    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        return application_page(request, application_get_for(user=request.user, pk=pk))


def application_page(
    request: HttpRequest, application: Application, *, status: int = 200, **bound: forms.Form
) -> HttpResponse:
    """The application page: a step-by-step editor for a draft, a read-only case view once submitted.

    `bound` carries a form the exporter just posted, with its errors, to show in place of the empty one.
    """
    if application.is_editable:
        context = _draft_context(request, application, bound)
        template = "licensing/portal/application_draft.html"
    else:
        context = _case_context(request, application, bound)
        template = "licensing/portal/application_case.html"
    context["error_summary"] = _error_summary(bound)
    return render(request, template, context, status=status)


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
    "details_form": ("details", gettext_lazy("Details")),
    "goods_form": ("goods-form", gettext_lazy("Goods line")),
    "party_form": ("party-form", gettext_lazy("Party")),
    "document_form": ("documents", gettext_lazy("Document")),
    "submit_form": ("submit", gettext_lazy("Submission")),
    "answer_form": ("request", gettext_lazy("Your answer")),
    "withdraw_form": ("withdraw", gettext_lazy("Withdrawal")),
}


def _int_param(request: HttpRequest, name: str) -> int | None:
    value = request.GET.get(name, "")
    return int(value) if value.isdigit() else None


def _from_product(request: HttpRequest) -> dict[str, Any] | None:
    """Reuse: the goods form filled from one of the organisation's products (?product=<id>; 404 if not theirs)."""
    pk = _int_param(request, "product")
    if pk is None:
        return None
    product = product_get_for(user=request.user, pk=pk)
    return {
        "description": product.description,
        "ml_category": product.ml_category_id,
        "ml_sub_item": product.ml_sub_item,
        "is_component": product.is_component,
        "part_numbers": product.part_numbers,
    }


def _from_saved_party(request: HttpRequest) -> dict[str, Any] | None:
    """Reuse: the party form filled from one of the organisation's saved parties (?saved_party=<id>)."""
    pk = _int_param(request, "saved_party")
    if pk is None:
        return None
    party = saved_party_get_for(user=request.user, pk=pk)
    return {
        "role": party.role,
        "name": party.name,
        "address": party.address,
        "country": party.country_id,
        "party_type": party.party_type,
    }


def _draft_context(request: HttpRequest, application: Application, bound: dict[str, forms.Form]) -> dict[str, Any]:
    goods = list(application.goods.all())
    parties = list(application.parties.all())
    problems = submission_problems(application)
    ml_choices = ml_category_choices()
    countries = country_choices()

    editing_line = next((g for g in goods if g.pk == _int_param(request, "goods")), None)
    goods_form = bound.get("goods_form") or GoodsLineForm(
        ml_choices=ml_choices,
        countries=countries,
        initial=(
            {
                "line_id": editing_line.pk,
                "description": editing_line.description,
                "ml_category": editing_line.ml_category_id,
                "ml_sub_item": editing_line.ml_sub_item,
                "quantity": editing_line.quantity.normalize(),
                "unit": editing_line.unit,
                "unit_value": editing_line.unit_value,
                "currency": editing_line.currency,
                "is_component": editing_line.is_component,
                "part_numbers": editing_line.part_numbers,
                "un_register_category": editing_line.un_register_category_id or "",
                "production_country": editing_line.production_country_id or HOME_STATE,
            }
            if editing_line
            else _from_product(request)
        ),
    )
    editing_party = next((p for p in parties if p.pk == _int_param(request, "party")), None)
    wanted_role = request.GET.get("role") if request.GET.get("role") in PartyRole.values else None
    party_form = bound.get("party_form") or PartyForm(
        country_choices=countries,
        initial=(
            {
                "party_id": editing_party.pk,
                "role": editing_party.role,
                "name": editing_party.name,
                "address": editing_party.address,
                "country": editing_party.country_id,
                "party_type": editing_party.party_type,
                "third_party_role": editing_party.third_party_role,
            }
            if editing_party
            else _from_saved_party(request) or {"role": wanted_role or _first_missing_role(parties)}
        ),
    )
    details_form = bound.get("details_form") or ApplicationDetailsForm(
        initial={
            "version": application.version,
            "title": application.title,
            "end_use": application.end_use,
            "intended_shipment_date": application.intended_shipment_date,
            "related_licences": application.related_licences,
        }
    )
    documents = list(application.documents.all())
    steps = [
        {"anchor": "details", "title": _("Details"), "problems": problems.get("end_use", [])},
        {"anchor": "goods", "title": _("Goods"), "problems": problems.get("goods", [])},
        {"anchor": "parties", "title": _("Parties"), "problems": problems.get("parties", [])},
        {"anchor": "documents", "title": _("Documents"), "problems": problems.get("documents", [])},
    ]
    if application.licence_type == LicenceType.TREATY_COMPONENT:
        # Treaty details are entered on the treaty work's own page (consultations:exporter_transfer).
        steps.append(
            {
                "anchor": "treaty",
                "title": _("Treaty transfer details"),
                "problems": problems.get("treaty", []),
                "url": reverse("consultations:exporter_transfer", args=[application.pk]),
            }
        )
    editing_bound_line = bound.get("goods_form") is not None and bound["goods_form"].data.get("line_id")
    editing_bound_party = bound.get("party_form") is not None and bound["party_form"].data.get("party_id")
    return {
        "application": application,
        "licence_type_help": LICENCE_TYPE_HELP.get(application.licence_type, ""),  # type: ignore[call-overload]
        "goods": goods,
        "parties_by_role": [
            (role.label, role.value, [p for p in parties if p.role == role]) for role in PARTY_ROLE_ORDER
        ],
        "has_parties": bool(parties),
        # Reuse: the organisation's products and saved parties to fill the forms from.
        "my_products": list(product_list_for(user=request.user)),
        "my_parties": list(saved_party_list_for(user=request.user)),
        "documents": documents,
        "problems": problems,
        "all_problems": [message for messages_ in problems.values() for message in messages_],
        "steps": steps,
        "details_form": details_form,
        "goods_form": goods_form,
        "editing_line": editing_line or editing_bound_line,
        "party_form": party_form,
        "editing_party": editing_party or editing_bound_party,
        "document_form": bound.get("document_form") or DocumentUploadForm(),
        "submit_form": bound.get("submit_form") or SubmitForm(initial={"version": application.version}),
        "can_submit": can(request.user, "portal.submit"),
        "organisation": application.organisation,
    }


def _first_missing_role(parties: list[Any]) -> str:
    present = {p.role for p in parties}
    for role in (PartyRole.CONSIGNEE, PartyRole.END_USER):
        if role not in present:
            return role.value
    return PartyRole.ULTIMATE_END_USER.value


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
