"""Officer and adviser pages of the assessment: the eight criteria and policy advice, plus the helpers shared with
assessment_checks.py (checks, denial matches, Art. 4 answers) and assessment_denials.py (denial register, refusal
letters, revocation).

Each view validates one form and calls one service. Domain errors: a DomainValidationError re-renders the form
with its field errors (400); TransitionNotAllowed/StaleVersion (409) and NotAllowed (403) re-render the page with
the service's message.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django import forms
from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views import View

from core.exceptions import DomainError, DomainValidationError
from core.views.mixins import CapabilityRequiredMixin

from ..assessment_rules import ALL_CRITERIA
from ..assessment_selectors import (
    advice_request_get_for,
    advice_request_list_for,
    advice_requests_for_case,
    criteria_rows,
    latest_run_with_results,
)
from ..forms.assessment import (
    AdviceCriterionForm,
    AdviceRequestForm,
    AdviceSummaryForm,
    CriterionForm,
    errors_onto,
)
from ..models import OPEN_STATUSES
from ..selectors import application_get_for
from ..services import assessment

ADVICE_PER_PAGE = 25


def case_url(pk: int) -> str:
    return reverse("casework:case_detail", kwargs={"pk": pk})


def attempt(
    request: HttpRequest,
    *,
    form: forms.Form | None,
    perform: Callable[[], str],
    success_url: str,
    render_page: Callable[[int], HttpResponse],
    prefix: str = "",
) -> HttpResponse:
    """Call the service; on success redirect with its message, otherwise re-render with the errors."""
    try:
        message = perform()
    except DomainValidationError as exc:
        if form is not None:
            errors_onto(form, exc, prefix=prefix)
        else:
            messages.error(request, exc.message)
        return render_page(400)
    except DomainError as exc:
        messages.error(request, exc.message)
        return render_page(exc.status_code)
    messages.success(request, message)
    return redirect(success_url)


def _spread_errors(criterion_forms: list[Any], exc: DomainValidationError) -> bool:
    """Put errors keyed "<criterion>-<field>" on each criterion's form; False when none was for a criterion."""
    placed = False
    for form in criterion_forms:
        mine = {k: v for k, v in exc.field_errors.items() if k.startswith(f"{form.criterion}-")}
        if mine:
            errors_onto(form, DomainValidationError(exc.message, field_errors=mine), prefix=f"{form.criterion}-")
            placed = True
    return placed


class OfficerView(CapabilityRequiredMixin, View):
    capability = "casework.use"


# --- criteria assessment ------------------------------------------------------------------------------------


class AssessmentView(OfficerView):
    """All eight criteria on one page, each with its one-line test and the form that enforces the rules."""

    def _page(self, request: HttpRequest, pk: int, bound: list[CriterionForm] | None, status: int) -> HttpResponse:
        application = application_get_for(user=request.user, pk=pk)
        rows = criteria_rows(application)
        requests = advice_requests_for_case(application)
        advice_by_criterion: dict[int, list[Any]] = {}
        for advice_request in requests:
            for advice in advice_request.advice.all():
                advice_by_criterion.setdefault(advice.criterion_id, []).append(advice)
        bound_by = {f.criterion: f for f in bound or []}
        for row in rows:
            current = row["assessment"]
            initial = (
                {
                    "outcome": current.outcome,
                    "sub_criteria": current.sub_criteria,
                    "justification": current.justification,
                    "version": current.version,
                }
                if current
                else {}
            )
            number = row["criterion"].number
            row["form"] = bound_by.get(number) or CriterionForm(criterion=number, initial=initial)
            row["advice"] = advice_by_criterion.get(number, [])
        run, results = latest_run_with_results(application)
        context = {
            "application": application,
            "rows": rows,
            "run": run,
            "flags": [r for r in results if r.is_flag],
            "requests": requests,
            "is_open": application.status in OPEN_STATUSES,
        }
        return render(request, "licensing/casework/assessment/assessment.html", context, status=status)

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        return self._page(request, pk, None, 200)

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        application = application_get_for(user=request.user, pk=pk)
        bound = [CriterionForm(request.POST, criterion=n) for n in ALL_CRITERIA]
        # A criterion left without an outcome is simply not (re)assessed now; the rest is saved.
        filled = [f for f in bound if request.POST.get(f"c{f.criterion}-outcome")]
        valid = all(f.is_valid() for f in filled)
        if not filled:
            messages.error(request, _("Choose an outcome for at least one criterion."))
            return self._page(request, pk, bound, 400)
        if not valid:
            return self._page(request, pk, bound, 400)

        def perform() -> str:
            saved = assessment.criteria_assess(
                actor=request.user,
                application_id=application.pk,
                verdicts=[f.verdict() for f in filled],
                expected_versions={f.criterion: f.cleaned_data["version"] for f in filled if f.cleaned_data["version"]},
            )
            return _("Assessment saved (%(n)s criteria).") % {"n": len(saved)}

        try:
            message = perform()
        except DomainValidationError as exc:
            if not _spread_errors(filled, exc):
                messages.error(request, exc.message)
            return self._page(request, pk, bound, 400)
        except DomainError as exc:
            messages.error(request, exc.message)
            return self._page(request, pk, None, exc.status_code)
        messages.success(request, message)
        return redirect("casework:assessment", pk=application.pk)


# --- advice ---------------------------------------------------------------------------------------------------


class AdviceRequestView(OfficerView):
    def _page(self, request: HttpRequest, application: Any, form: AdviceRequestForm, status: int = 200) -> HttpResponse:
        return render(
            request,
            "licensing/casework/assessment/advice_request.html",
            {"application": application, "form": form},
            status=status,
        )

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        return self._page(request, application_get_for(user=request.user, pk=pk), AdviceRequestForm())

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        application = application_get_for(user=request.user, pk=pk)
        form = AdviceRequestForm(request.POST)
        if not form.is_valid():
            return self._page(request, application, form, 400)
        data = form.cleaned_data

        def perform() -> str:
            assessment.advice_request(
                actor=request.user,
                application_id=application.pk,
                adviser=data["adviser"],
                question=data["question"],
                criteria=[c.number for c in data["criteria"]],
                respond_by=data["respond_by"],
            )
            return _("Advice requested from %(name)s.") % {"name": data["adviser"]}

        return attempt(
            request,
            form=form,
            perform=perform,
            success_url=case_url(pk) + "#panel-advice",
            render_page=lambda status: self._page(request, application, form, status),
        )


class AdviceListView(CapabilityRequiredMixin, View):
    capability = "casework.advise"

    def get(self, request: HttpRequest) -> HttpResponse:
        page = Paginator(advice_request_list_for(user=request.user), ADVICE_PER_PAGE).get_page(request.GET.get("page"))
        return render(request, "licensing/casework/assessment/advice_list.html", {"page": page})


class AdviceGiveView(CapabilityRequiredMixin, View):
    capability = "casework.advise"

    def _page(
        self,
        request: HttpRequest,
        advice_request: Any,
        criterion_forms: list[AdviceCriterionForm],
        summary_form: AdviceSummaryForm,
        status: int = 200,
    ) -> HttpResponse:
        application = advice_request.application
        asked = {c.number for c in advice_request.criteria.all()}
        rows = [
            {"row": row, "form": form, "asked": row["criterion"].number in asked}
            for row, form in zip(criteria_rows(application), criterion_forms, strict=True)
        ]
        return render(
            request,
            "licensing/casework/assessment/advice_detail.html",
            {
                "advice_request": advice_request,
                "application": application,
                "rows": rows,
                "summary_form": summary_form,
                "goods": list(application.goods.all()),
                "parties": list(application.parties.all()),
            },
            status=status,
        )

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        advice_request = advice_request_get_for(user=request.user, pk=pk)
        forms_ = [AdviceCriterionForm(criterion=n) for n in ALL_CRITERIA]
        return self._page(request, advice_request, forms_, AdviceSummaryForm())

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        advice_request = advice_request_get_for(user=request.user, pk=pk)
        forms_ = [AdviceCriterionForm(request.POST, criterion=n) for n in ALL_CRITERIA]
        summary_form = AdviceSummaryForm(request.POST)
        if not all(f.is_valid() for f in forms_) or not summary_form.is_valid():
            return self._page(request, advice_request, forms_, summary_form, 400)
        verdicts = [f.verdict() for f in forms_ if f.cleaned_data.get("outcome")]

        def perform() -> str:
            assessment.advice_give(
                actor=request.user,
                request_id=advice_request.pk,
                verdicts=verdicts,
                summary=summary_form.cleaned_data["summary"],
            )
            return _("Advice sent to %(name)s.") % {"name": advice_request.requested_by}

        try:
            message = perform()
        except DomainValidationError as exc:
            if not _spread_errors(forms_, exc):
                errors_onto(summary_form, exc)
            return self._page(request, advice_request, forms_, summary_form, 400)
        except DomainError as exc:
            messages.error(request, exc.message)
            return self._page(request, advice_request, forms_, summary_form, exc.status_code)
        messages.success(request, message)
        return redirect("casework:advice_list")
