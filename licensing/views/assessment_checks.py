"""Officer pages for the automatic checks: run them again, resolve a flag, decide on a denial match, record the
answer of an Article 4 consultation. Shared helpers: licensing/views/assessment.py."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from licensing.models.consultation import Consultation

from ..assessment_rules import ART4_RESPONSE_PERIOD_CONFIRMED
from ..assessment_selectors import art4_consultation_get_for, check_result_get_for, denial_match_get_for
from ..forms.assessment import Art4ConcludeForm, MatchDecideForm, ResolveForm
from ..selectors import application_get_for
from ..services import check_resolution, checks
from .assessment import OfficerView, attempt, case_url

# --- checks -------------------------------------------------------------------------------------------------


class ChecksRunView(OfficerView):
    http_method_names = ["post"]

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        application = application_get_for(user=request.user, pk=pk)

        def perform() -> str:
            run = checks.checks_rerun(actor=request.user, application_id=application.pk)
            return _("Checks run again (run %(n)s).") % {"n": run.number}

        return attempt(
            request,
            form=None,
            perform=perform,
            success_url=case_url(pk) + "#panel-checks",
            render_page=lambda status: redirect(case_url(pk)),
        )


class CheckResolveView(OfficerView):
    def _page(self, request: HttpRequest, result: Any, form: ResolveForm, status: int = 200) -> HttpResponse:
        return render(
            request,
            "licensing/casework/assessment/resolve.html",
            {"result": result, "application": result.application, "form": form},
            status=status,
        )

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        return self._page(request, check_result_get_for(user=request.user, pk=pk), ResolveForm())

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        result = check_result_get_for(user=request.user, pk=pk)
        form = ResolveForm(request.POST)
        if not form.is_valid():
            return self._page(request, result, form, 400)
        data = form.cleaned_data

        def perform() -> str:
            check_resolution.check_resolve(
                actor=request.user,
                result_id=result.pk,
                resolution=data["resolution"],
                reason=data["reason"],
                exemption_note=data["exemption_note"],
            )
            return _("Flag resolved.")

        return attempt(
            request,
            form=form,
            perform=perform,
            success_url=case_url(result.application_id) + "#panel-checks",
            render_page=lambda status: self._page(request, result, form, status),
        )


class DenialMatchDecideView(OfficerView):
    def _page(self, request: HttpRequest, match: Any, form: MatchDecideForm, status: int = 200) -> HttpResponse:
        return render(
            request,
            "licensing/casework/assessment/match_decide.html",
            {"match": match, "application": match.application, "form": form},
            status=status,
        )

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        return self._page(request, denial_match_get_for(user=request.user, pk=pk), MatchDecideForm())

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        match = denial_match_get_for(user=request.user, pk=pk)
        form = MatchDecideForm(request.POST)
        if not form.is_valid():
            return self._page(request, match, form, 400)

        def perform() -> str:
            decided = check_resolution.denial_match_decide(
                actor=request.user,
                match_id=match.pk,
                decision=form.cleaned_data["decision"],
                reason=form.cleaned_data["reason"],
            )
            if decided.consultation_id:
                return _(
                    "Match confirmed. An Article 4 consultation with the denying state is open; the case "
                    "cannot be approved until it is concluded."
                )
            return _("Match dismissed.")

        return attempt(
            request,
            form=form,
            perform=perform,
            success_url=case_url(match.application_id) + "#panel-denial_matches",
            render_page=lambda status: self._page(request, match, form, status),
        )


class Art4ConcludeView(OfficerView):
    def _page(
        self, request: HttpRequest, consultation: Consultation, form: Art4ConcludeForm, status: int = 200
    ) -> HttpResponse:
        return render(
            request,
            "licensing/casework/assessment/art4_conclude.html",
            {
                "consultation": consultation,
                "application": consultation.application,
                "form": form,
                "period_confirmed": ART4_RESPONSE_PERIOD_CONFIRMED,
            },
            status=status,
        )

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        consultation = art4_consultation_get_for(user=request.user, pk=pk)
        return self._page(request, consultation, Art4ConcludeForm(initial={"version": consultation.version}))

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        consultation = art4_consultation_get_for(user=request.user, pk=pk)
        form = Art4ConcludeForm(request.POST)
        if not form.is_valid():
            return self._page(request, consultation, form, 400)
        data = form.cleaned_data

        def perform() -> str:
            check_resolution.art4_consultation_conclude(
                actor=request.user,
                consultation_id=consultation.pk,
                outcome=data["outcome"],
                outcome_text=data["outcome_text"],
                concluded_on=data["concluded_on"],
                expected_version=data["version"],
            )
            return _("Consultation concluded.")

        return attempt(
            request,
            form=form,
            perform=perform,
            success_url=(
                reverse("casework:amendment_detail", args=[consultation.amendment_id])
                if consultation.amendment_id
                else case_url(consultation.application_id or 0) + "#panel-denial_matches"
            ),
            render_page=lambda status: self._page(request, consultation, form, status),
        )
