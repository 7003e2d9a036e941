"""Officer case work on objections (bezwaar): the list of objection cases by their term, and one case page
where the officer sets the term, records the hearing and the advice, and decides. Each action posts one form
to one service (licensing.services.objections) and returns to the case page."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views import View

from core.exceptions import DomainError, DomainValidationError
from core.views.mixins import CapabilityRequiredMixin

from ..forms.objections import ObjectionAdviceForm, ObjectionDecideForm, ObjectionHearingForm, ObjectionTermForm
from ..models import OPEN_OBJECTION_STATUSES, DecisionObjection, ObjectionStatus
from ..objection_selectors import objection_get_for, objection_history_of, objection_list_for
from ..services import objections as services

OBJECTION_PAGE_SIZE = 25


class ObjectionListView(CapabilityRequiredMixin, View):
    capability = "casework.use"

    def get(self, request: HttpRequest) -> HttpResponse:
        page = Paginator(objection_list_for(user=request.user), OBJECTION_PAGE_SIZE).get_page(request.GET.get("page"))
        return render(request, "licensing/casework/objections/list.html", {"page": page, "today": timezone.localdate()})


def objection_page(
    request: HttpRequest, pk: int, *, bound: dict[str, forms.Form] | None = None, status: int = 200
) -> HttpResponse:
    objection = objection_get_for(user=request.user, pk=pk)
    initial = {"version": objection.version}
    context: dict[str, Any] = {
        "objection": objection,
        "application": objection.application,
        "is_open": objection.status in OPEN_OBJECTION_STATUSES,
        "can_hear": objection.status in (ObjectionStatus.FILED, ObjectionStatus.HEARD),
        "can_advise": objection.advisory_committee and objection.status != ObjectionStatus.FILED,
        "can_decide": objection.status in (ObjectionStatus.HEARD, ObjectionStatus.ADVISED),
        "today": timezone.localdate(),
        "term_form": ObjectionTermForm(
            initial={
                **initial,
                "advisory_committee": objection.advisory_committee,
                "postponed_weeks": objection.postponed_weeks,
            }
        ),
        "hearing_form": ObjectionHearingForm(initial=initial),
        "advice_form": ObjectionAdviceForm(initial=initial),
        "decide_form": ObjectionDecideForm(initial=initial),
        "history": objection_history_of(objection),
        **(bound or {}),
    }
    return render(request, "licensing/casework/objections/detail.html", context, status=status)


class ObjectionDetailView(CapabilityRequiredMixin, View):
    capability = "casework.use"

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        return objection_page(request, pk)


class _ObjectionActionView(CapabilityRequiredMixin, View):
    capability = "casework.use"
    http_method_names = ["post"]
    form_class: type[forms.Form]
    form_name: str

    def perform(self, *, actor: Any, objection: DecisionObjection, data: dict[str, Any]) -> str:
        raise NotImplementedError

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        objection = objection_get_for(user=request.user, pk=pk)
        form = self.form_class(request.POST)
        if not form.is_valid():
            return objection_page(request, pk, bound={self.form_name: form}, status=400)
        try:
            message = self.perform(actor=request.user, objection=objection, data=form.cleaned_data)
        except DomainValidationError as exc:
            for field, errors in exc.field_errors.items():
                form.add_error(field if field in form.fields else None, errors)
            return objection_page(request, pk, bound={self.form_name: form}, status=400)
        except DomainError as exc:
            messages.error(request, exc.message)
            return objection_page(request, pk, status=exc.status_code)
        messages.success(request, message)
        return redirect("casework:objection_detail", pk=pk)


class ObjectionTermView(_ObjectionActionView):
    form_class, form_name = ObjectionTermForm, "term_form"

    def perform(self, *, actor: Any, objection: DecisionObjection, data: dict[str, Any]) -> str:
        objection = services.decision_objection_set_term(
            actor=actor,
            objection_id=objection.pk,
            advisory_committee=data["advisory_committee"],
            postponed_weeks=data["postponed_weeks"],
            reason=data["reason"],
            expected_version=data["version"],
        )
        return _("The term is set.")


class ObjectionHearingView(_ObjectionActionView):
    form_class, form_name = ObjectionHearingForm, "hearing_form"

    def perform(self, *, actor: Any, objection: DecisionObjection, data: dict[str, Any]) -> str:
        services.decision_objection_record_hearing(
            actor=actor,
            objection_id=objection.pk,
            held_on=data["held_on"],
            record_text=data["record_text"],
            waived_reason=data["waived_reason"],
            expected_version=data["version"],
        )
        return _("The hearing is recorded.")


class ObjectionAdviceView(_ObjectionActionView):
    form_class, form_name = ObjectionAdviceForm, "advice_form"

    def perform(self, *, actor: Any, objection: DecisionObjection, data: dict[str, Any]) -> str:
        services.decision_objection_record_advice(
            actor=actor,
            objection_id=objection.pk,
            advice=data["advice"],
            given_on=data["given_on"],
            expected_version=data["version"],
        )
        return _("The advice is recorded.")


class ObjectionDecideView(_ObjectionActionView):
    form_class, form_name = ObjectionDecideForm, "decide_form"

    def perform(self, *, actor: Any, objection: DecisionObjection, data: dict[str, Any]) -> str:
        services.decision_objection_decide(
            actor=actor,
            objection_id=objection.pk,
            outcome=data["outcome"],
            reasons=data["reasons"],
            expected_version=data["version"],
            licence_change={"new_valid_until": data["new_valid_until"]} if data.get("new_valid_until") else None,
        )
        return _("The objection is decided; the objector is told.")
