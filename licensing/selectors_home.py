"""What each role's home worklist shows (core.home): counts and the nearest deadlines first, each in a fixed
number of queries whatever the size of the register."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from django.db.models import Count, Q

from .models import (
    OPEN_STATUSES,
    Application,
    ApplicationStatus,
    Decision,
    DecisionStatus,
    InformationRequest,
    Licence,
    LicenceStatus,
)
from .models.assessment import AdviceRequest, AdviceStatus
from .selectors_queue import CLOCK_RUNNING_STATUSES, answered_q, case_queue_counts, due_soon_q, overdue_q

WORKLIST_ROWS = 5
# Licences whose validity ends within this many days are "expiring" on the exporter's home page.
EXPIRING_DAYS = 60


def officer_worklist(*, user: Any, today: date) -> dict[str, Any]:
    """My open cases by counts (due soon, overdue, answered), the unassigned count, my nearest deadlines
    (4 queries: holidays, my counts, the queue counts, the rows)."""
    mine = Application.objects.filter(status__in=sorted(OPEN_STATUSES), assigned_to=user).order_by()
    counts = mine.aggregate(
        mine=Count("pk"),
        due_soon=Count("pk", filter=due_soon_q(today=today)),
        overdue=Count("pk", filter=overdue_q(today=today)),
        answered=Count("pk", filter=answered_q(today=today)),
    )
    counts["unassigned"] = case_queue_counts(user=user)["unassigned"] or 0
    nearest = list(
        mine.filter(status__in=sorted(CLOCK_RUNNING_STATUSES))
        .select_related("organisation")
        .order_by("legal_deadline", "pk")[:WORKLIST_ROWS]
    )
    return {"counts": counts, "nearest": nearest}


def countersign_worklist(*, user: Any) -> dict[str, Any]:
    """Decisions proposed by others waiting for this senior officer's countersignature, oldest first (2 queries)."""
    pending = Decision.objects.filter(status=DecisionStatus.PROPOSED).exclude(proposed_by=user)
    rows = list(pending.select_related("application", "proposed_by").order_by("proposed_at", "pk")[:WORKLIST_ROWS])
    return {"count": pending.count(), "rows": rows}


def advice_worklist(*, user: Any) -> dict[str, Any]:
    """Advice asked of this adviser, the earliest wanted first (2 queries)."""
    asked = AdviceRequest.objects.filter(adviser=user, status=AdviceStatus.OPEN)
    rows = list(
        asked.select_related("application", "requested_by").order_by("respond_by", "requested_at")[:WORKLIST_ROWS]
    )
    return {"count": asked.count(), "rows": rows}


def exporter_worklist(*, user: Any, today: date) -> dict[str, Any]:
    """Questions the authority asked the exporter's organisation, its drafts and its licences that expire soon
    (3 queries)."""
    organisation_id: int = user.organisation_id  # shown only with portal.use, which needs an organisation
    questions = list(
        InformationRequest.objects.filter(
            application__organisation_id=organisation_id,
            application__status=ApplicationStatus.INFORMATION_REQUESTED,
            answered_at__isnull=True,
        )
        .select_related("application")
        .order_by("respond_by", "pk")[:WORKLIST_ROWS]
    )
    drafts = Application.objects.filter(organisation_id=organisation_id, status=ApplicationStatus.DRAFT).aggregate(
        n=Count("pk")
    )["n"]
    expiring = list(
        Licence.objects.filter(
            Q(organisation_id=organisation_id, status=LicenceStatus.ISSUED),
            valid_until__gte=today,
            valid_until__lte=today + timedelta(days=EXPIRING_DAYS),
        ).order_by("valid_until", "pk")[:WORKLIST_ROWS]
    )
    return {"questions": questions, "drafts": drafts, "expiring": expiring}
