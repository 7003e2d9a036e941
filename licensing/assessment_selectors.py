"""Reads for the assessment: checks, criteria, advice, the denial register and refusal letters.

Scoped to the user; missing and forbidden both raise Http404 (as licensing.selectors). Each function owns its
select_related/prefetch_related, so pages and case panels use a fixed number of queries.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.db.models import Prefetch, QuerySet
from django.http import Http404

from core.access import can
from licensing.models.consultation import Consultation, ConsultationKind
from licensing.models.denials import DenialMatch, DenialNotification

from .assessment_rules import CRITERION_GUIDANCE
from .case_reads import case_reads
from .models import Application
from .models.assessment import (
    Advice,
    AdviceRequest,
    CheckResult,
    CheckRun,
    FlagLevel,
    RefusalLetter,
)


def _get(qs: QuerySet[Any], pk: int, what: str) -> Any:
    try:
        return qs.get(pk=pk)
    except qs.model.DoesNotExist as exc:
        raise Http404(f"No such {what}") from exc


def latest_run_with_results(application: Application) -> tuple[CheckRun | None, list[CheckResult]]:
    """The latest run and its results, blocking first (2 queries, none when the case page read them already)."""
    reads = case_reads(application)
    if reads.latest_run is None:
        return None, []
    order = {FlagLevel.BLOCKING: 0, FlagLevel.WARNING: 1, FlagLevel.INFO: 2}
    results = sorted(reads.latest_results, key=lambda r: (order[FlagLevel(r.level)], r.kind, r.pk))
    return reads.latest_run, results


def criteria_rows(application: Application) -> list[dict[str, Any]]:
    """One row per criterion: the criterion, its one-line guidance and the current assessment (2 queries, none
    when the case page read them already)."""
    reads = case_reads(application)
    assessments = {a.criterion_id: a for a in reads.assessments}
    return [
        {"criterion": c, "guidance": CRITERION_GUIDANCE[c.number], "assessment": assessments.get(c.number)}
        for c in reads.criteria
    ]


def advice_requests_for_case(application: Application) -> list[AdviceRequest]:
    """Advice requests on a case with their advice per criterion (3 queries)."""
    return list(
        AdviceRequest.objects.filter(application=application)
        .select_related("adviser", "requested_by")
        .prefetch_related(Prefetch("advice", queryset=Advice.objects.order_by("criterion_id")), "criteria")
        .order_by("-requested_at")
    )


def denial_matches_for_case(application: Application) -> list[DenialMatch]:
    """Proposed and decided denial matches of a case, still matching first, best first (1 query, none when the
    case page read them already)."""
    return case_reads(application).denial_matches


# --- advice -----------------------------------------------------------------------------------------------


def _scope_advice(user: Any) -> QuerySet[AdviceRequest]:
    qs = AdviceRequest.objects.all()
    if can(user, "casework.use"):
        return qs
    if can(user, "casework.advise"):
        # An adviser sees only the cases they were asked about.
        return qs.filter(adviser=user)
    return qs.none()


def advice_request_list_for(*, user: Any) -> QuerySet[AdviceRequest]:
    return (
        _scope_advice(user)
        .filter(adviser=user)
        .select_related("application__destination", "application__organisation", "requested_by")
        .order_by("status", "-requested_at")
    )


def advice_request_get_for(*, user: Any, pk: int) -> AdviceRequest:
    qs = (
        _scope_advice(user)
        .select_related("application__destination", "application__organisation", "requested_by", "adviser")
        .prefetch_related(
            "criteria",
            Prefetch("advice", queryset=Advice.objects.select_related("criterion").order_by("criterion_id")),
            "application__goods__ml_category",
            "application__parties__country",
        )
    )
    return _get(qs, pk, "advice request")


# --- denial register ----------------------------------------------------------------------------------------


def denial_list_for(
    *,
    user: Any,
    direction: str = "",
    issuing_state: str = "",
    destination: str = "",
    ml_category: str = "",
    status: str = "",
    date_from: date | None = None,
    date_to: date | None = None,
) -> QuerySet[DenialNotification]:
    """The denial register, filtered; one query for the rows, one for their criteria."""
    if not can(user, "casework.use"):
        return DenialNotification.objects.none()
    qs = DenialNotification.objects.select_related("issuing_state", "destination", "ml_category").prefetch_related(
        "criteria"
    )
    filters = {
        "direction": direction,
        "issuing_state_id": issuing_state,
        "destination_id": destination,
        "ml_category_id": ml_category,
        "status": status,
        "notified_on__gte": date_from,
        "notified_on__lte": date_to,
    }
    return qs.filter(**{k: v for k, v in filters.items() if v})


def denial_get_for(*, user: Any, pk: int) -> DenialNotification:
    qs = (
        DenialNotification.objects.select_related(
            "issuing_state", "destination", "ml_category", "application", "revoked_licence", "recorded_by"
        ).prefetch_related(
            "criteria",
            Prefetch("matches", queryset=DenialMatch.objects.select_related("application", "consultation")),
        )
        if can(user, "casework.use")
        else DenialNotification.objects.none()
    )
    return _get(qs, pk, "denial notification")


def denial_match_get_for(*, user: Any, pk: int) -> DenialMatch:
    qs = DenialMatch.objects.all() if can(user, "casework.use") else DenialMatch.objects.none()
    return _get(qs.select_related("application"), pk, "denial match")


def check_result_get_for(*, user: Any, pk: int) -> CheckResult:
    qs = CheckResult.objects.all() if can(user, "casework.use") else CheckResult.objects.none()
    return _get(qs.select_related("application", "run"), pk, "check result")


def refusal_letter_get_for(*, user: Any, pk: int) -> RefusalLetter:
    """Officers see every refusal letter; an exporter only their own organisation's."""
    qs = RefusalLetter.objects.select_related("application")
    if can(user, "casework.use"):
        pass
    elif can(user, "portal.use"):
        qs = qs.filter(application__organisation_id=user.organisation_id)
    else:
        qs = qs.none()
    return _get(qs, pk, "refusal letter")


def refusal_letter_of(application: Application) -> RefusalLetter | None:
    return RefusalLetter.objects.filter(application=application).order_by("-created_at").first()


def art4_consultation_get_for(*, user: Any, pk: int) -> Consultation:
    qs = Consultation.objects.filter(kind=ConsultationKind.ART4_DENIAL).select_related("counterpart", "application")
    return _get(qs if can(user, "casework.use") else qs.none(), pk, "consultation")
