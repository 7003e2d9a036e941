"""Exporter portal: a draft, filled in step by step, each step on its own page.

The steps are goods, parties, end use and documents (plus the treaty details for a treaty component transfer,
entered on the treaty work's own page), then "check and submit", which is the draft's own address
(portal:application_detail). Each step page holds one form; its "continue" button belongs to that form, so what
was typed is saved (or answered with field errors) before the next step opens, never dropped. What is typed
but not yet saved survives leaving the page another way too: static/js/draft-keep.js keeps it in the browser's
session storage and puts it back when the exporter returns.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django import forms
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from core.access import can
from parties.models import HOME_STATE

from ..catalogue_selectors import product_get_for, product_list_for, saved_party_get_for, saved_party_list_for
from ..forms.portal import (
    LICENCE_TYPE_HELP,
    ApplicationDetailsForm,
    DocumentUploadForm,
    GoodsLineForm,
    PartyForm,
    SubmitForm,
    country_choices,
    ml_category_choices,
)
from ..models import Application, LicenceType, PartyRole
from ..services.applications import submission_problems

# The order in which the parties step lists roles: who receives, who uses, who else is involved.
PARTY_ROLE_ORDER = [PartyRole.CONSIGNEE, PartyRole.END_USER, PartyRole.ULTIMATE_END_USER, PartyRole.THIRD_PARTY]


@dataclass(frozen=True)
class Step:
    slug: str  # in the step's address, .../draft/<slug>/
    title: Promise
    problem_key: str  # the key under which submission_problems() names what this step still lacks
    template: str


STEPS = [
    Step("goods", _("Goods"), "goods", "licensing/portal/draft/step_goods.html"),
    Step("parties", _("Parties"), "parties", "licensing/portal/draft/step_parties.html"),
    Step("end-use", _("End use"), "end_use", "licensing/portal/draft/step_end_use.html"),
    Step("documents", _("Documents"), "documents", "licensing/portal/draft/step_documents.html"),
]
STEP_BY_SLUG = {step.slug: step for step in STEPS}
CHECK = "check"  # the last step: the summary with the submit button (the draft's own page)


def step_url(application_id: int, slug: str) -> str:
    if slug == CHECK:
        return reverse("portal:application_detail", args=[application_id])
    return reverse("portal:draft_step", args=[application_id, slug])


def next_step_url(application: Application, slug: str) -> str:
    """Where "continue" leads from a step: the next step, or the treaty details, or check and submit."""
    slugs = [step.slug for step in STEPS]
    index = slugs.index(slug)
    if index + 1 < len(slugs):
        return step_url(application.pk, slugs[index + 1])
    if application.licence_type == LicenceType.TREATY_COMPONENT:
        return reverse("consultations:exporter_transfer", args=[application.pk])
    return step_url(application.pk, CHECK)


def previous_step_url(application: Application, slug: str) -> str | None:
    slugs = [step.slug for step in STEPS]
    index = slugs.index(slug)
    return step_url(application.pk, slugs[index - 1]) if index > 0 else None


def _int_param(request: HttpRequest, name: str) -> int | None:
    value = request.GET.get(name, "")
    return int(value) if value.isdigit() else None


def step_navigation(application: Application, problems: dict[str, list[str]], current: str) -> list[dict[str, Any]]:
    """The steps as the navigation on top of every draft page shows them: title, address, what is left."""
    items = [
        {
            "slug": step.slug,
            "title": step.title,
            "url": step_url(application.pk, step.slug),
            "problems": problems.get(step.problem_key, []),
            "current": step.slug == current,
        }
        for step in STEPS
    ]
    if application.licence_type == LicenceType.TREATY_COMPONENT:
        items.append(
            {
                "slug": "treaty",
                "title": _("Treaty transfer details"),
                "url": reverse("consultations:exporter_transfer", args=[application.pk]),
                "problems": problems.get("treaty", []),
                "current": False,
            }
        )
    all_problems = [message for messages_ in problems.values() for message in messages_]
    items.append(
        {
            "slug": CHECK,
            "title": _("Check and submit"),
            "url": step_url(application.pk, CHECK),
            "problems": all_problems,
            "current": current == CHECK,
            "is_check": True,
        }
    )
    return items


def _error_summary(bound: dict[str, forms.Form]) -> list[dict[str, str]]:
    """Each error of the form just posted, linked to its field, for the summary on top of the page."""
    items = []
    for form in bound.values():
        for field, errors in form.errors.items():
            visible = field in form.fields and not form.fields[field].widget.is_hidden
            if visible:
                label = form.fields[field].label or field
                items += [{"href": f"#{form[field].auto_id}", "text": f"{label}: {error}"} for error in errors]
            else:
                items += [{"href": "#step-form", "text": str(error)} for error in errors]
    return items


def draft_page(
    request: HttpRequest, application: Application, slug: str, *, status: int = 200, **bound: forms.Form
) -> HttpResponse:
    """One page of a draft: a step (goods, parties, end use, documents) or check and submit (slug CHECK).

    `bound` carries a form the exporter just posted, with its errors, to show in place of the empty one.
    """
    problems = submission_problems(application)
    context: dict[str, Any] = {
        "application": application,
        "steps": step_navigation(application, problems, slug),
        "problems": problems,
        "all_problems": [message for messages_ in problems.values() for message in messages_],
        "can_submit": can(request.user, "portal.submit"),
        "organisation": application.organisation,
        "error_summary": _error_summary(bound),
        "licence_type_help": LICENCE_TYPE_HELP.get(application.licence_type, ""),  # type: ignore[call-overload]
    }
    if slug == CHECK:
        context.update(_check_context(application, bound))
        template = "licensing/portal/application_draft.html"
    else:
        step = STEP_BY_SLUG[slug]
        context.update(
            {
                "step": step,
                "step_number": STEPS.index(step) + 1,
                "step_problems": problems.get(step.problem_key, []),
                "next_url": next_step_url(application, slug),
                "previous_url": previous_step_url(application, slug),
            }
        )
        context.update(_STEP_CONTEXT[slug](request, application, bound))
        template = step.template
    return render(request, template, context, status=status)


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


def _goods_context(request: HttpRequest, application: Application, bound: dict[str, forms.Form]) -> dict[str, Any]:
    goods = list(application.goods.all())
    editing_line = next((g for g in goods if g.pk == _int_param(request, "goods")), None)
    goods_form = bound.get("goods_form") or GoodsLineForm(
        ml_choices=ml_category_choices(),
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
    editing_bound_line = bound.get("goods_form") is not None and bound["goods_form"].data.get("line_id")
    return {
        "goods": goods,
        "goods_form": goods_form,
        "editing_line": editing_line or editing_bound_line,
        # Reuse: the organisation's products to fill the form from.
        "my_products": list(product_list_for(user=request.user)),
    }


def _parties_context(request: HttpRequest, application: Application, bound: dict[str, forms.Form]) -> dict[str, Any]:
    parties = list(application.parties.all())
    editing_party = next((p for p in parties if p.pk == _int_param(request, "party")), None)
    wanted_role = request.GET.get("role") if request.GET.get("role") in PartyRole.values else None
    party_form = bound.get("party_form") or PartyForm(
        country_choices=country_choices(),
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
            else _from_saved_party(request) or {"role": wanted_role or first_missing_role(parties)}
        ),
    )
    editing_bound_party = bound.get("party_form") is not None and bound["party_form"].data.get("party_id")
    return {
        "parties_by_role": [
            (role.label, role.value, [p for p in parties if p.role == role]) for role in PARTY_ROLE_ORDER
        ],
        "party_form": party_form,
        "editing_party": editing_party or editing_bound_party,
        # Reuse: the organisation's saved parties to fill the form from.
        "my_parties": list(saved_party_list_for(user=request.user)),
    }


def _end_use_context(request: HttpRequest, application: Application, bound: dict[str, forms.Form]) -> dict[str, Any]:
    details_form = bound.get("details_form") or ApplicationDetailsForm(
        initial={
            "version": application.version,
            "title": application.title,
            "end_use": application.end_use,
            "intended_shipment_date": application.intended_shipment_date,
            "related_licences": application.related_licences,
        }
    )
    return {"details_form": details_form}


def _documents_context(request: HttpRequest, application: Application, bound: dict[str, forms.Form]) -> dict[str, Any]:
    return {
        "documents": list(application.documents.all()),
        "document_form": bound.get("document_form") or DocumentUploadForm(),
    }


_STEP_CONTEXT = {
    "goods": _goods_context,
    "parties": _parties_context,
    "end-use": _end_use_context,
    "documents": _documents_context,
}


def _check_context(application: Application, bound: dict[str, forms.Form]) -> dict[str, Any]:
    parties = list(application.parties.all())
    return {
        "goods": list(application.goods.all()),
        "parties": sorted(parties, key=lambda p: PARTY_ROLE_ORDER.index(PartyRole(p.role))),
        "documents": list(application.documents.all()),
        "submit_form": bound.get("submit_form") or SubmitForm(initial={"version": application.version}),
        "is_treaty": application.licence_type == LicenceType.TREATY_COMPONENT,
    }


def first_missing_role(parties: list[Any]) -> str:
    present = {p.role for p in parties}
    for role in (PartyRole.CONSIGNEE, PartyRole.END_USER):
        if role not in present:
            return role.value
    return PartyRole.ULTIMATE_END_USER.value
