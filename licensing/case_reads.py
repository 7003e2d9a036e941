"""The rows about one case that the decision gate and the case-page panels all need, each read once.

The case page asks the decision gate what blocks an approval and then shows the panels for checks, denial
matches and criteria: before, each of them read the criterion assessments, the criteria, the latest check results
and the denial matches itself (three reads of the assessments, three of the matches, per page). `CaseReads` reads
each of them the first time one asks, and hands the same rows to the others.

Shared only for one request: the case page attaches one to its application (`share_case_reads`), and every other
caller (a service's gate, the assessment pages) gets a fresh one from `case_reads`, so a service that has just
changed the case never sees rows read before the change.
"""

from __future__ import annotations

from functools import cached_property

from .models import Application, Criterion, DecisionStatus
from .models.assessment import CheckResult, CheckRun, CriterionAssessment
from .models.denials import DenialMatch
from .models.treaty import TreatyTransfer

_SHARED = "_case_reads"


class CaseReads:
    def __init__(self, application: Application, *, shared: bool = False) -> None:
        self.application = application
        self.shared = shared

    @cached_property
    def assessments(self) -> list[CriterionAssessment]:
        """The criterion assessments, by criterion number, with their assessor."""
        return list(
            CriterionAssessment.objects.filter(application=self.application)
            .select_related("assessor")
            .order_by("criterion_id")
        )

    @cached_property
    def criteria(self) -> list[Criterion]:
        """The eight criteria of the Common Position (reference data), by number."""
        return list(Criterion.objects.order_by("number"))

    @cached_property
    def latest_run(self) -> CheckRun | None:
        """The latest run of the automatic checks, or None when they never ran."""
        return (
            CheckRun.objects.filter(application=self.application).select_related("ran_by").order_by("-number").first()
        )

    @cached_property
    def latest_results(self) -> list[CheckResult]:
        """The latest run's results, by kind (the model's order), with who resolved them and the criterion."""
        if self.latest_run is None:
            return []
        return list(self.latest_run.results.select_related("resolved_by", "criterion").order_by("kind", "pk"))

    @cached_property
    def treaty_transfers(self) -> list[TreatyTransfer]:
        """The case's treaty transfers, by id: none for most cases (only what the gate reads of them)."""
        return list(
            TreatyTransfer.objects.filter(application_id=self.application.pk)
            .only("de_minimis", "final_system_id", "earlier_decided_eur", "follow_on_of_id")
            .order_by("pk")
        )

    @cached_property
    def denial_matches(self) -> list[DenialMatch]:
        """Proposed and decided matches with other states' denials, the ones still matching first, best first."""
        return list(
            DenialMatch.objects.filter(application=self.application)
            .select_related("denial__issuing_state", "denial__destination", "consultation", "decided_by")
            .order_by("-still_matches", "-score", "pk")
        )

    def has_proposed_decision(self) -> bool:
        """A decision waiting for its countersignature. The case page has the decisions prefetched already."""
        if self.shared and "decisions" in getattr(self.application, "_prefetched_objects_cache", {}):
            return any(d.status == DecisionStatus.PROPOSED for d in self.application.decisions.all())
        return self.application.decisions.filter(status=DecisionStatus.PROPOSED).exists()


def share_case_reads(application: Application) -> CaseReads:
    """Attach one CaseReads to the application for the rest of this request (the case page's render)."""
    reads = CaseReads(application, shared=True)
    setattr(application, _SHARED, reads)
    return reads


def case_reads(application: Application) -> CaseReads:
    """The reads shared on this request's case page, or fresh ones for any other caller."""
    shared = getattr(application, _SHARED, None)
    return shared if isinstance(shared, CaseReads) else CaseReads(application)
