"""Reads of objection cases (bezwaar), scoped like applications: exporters their own organisation's, officers
all; missing and forbidden both 404."""

from __future__ import annotations

from typing import Any

from django.db.models import Case, IntegerField, QuerySet, Value, When
from django.http import Http404

from audit.models import AuditEvent
from core.access import can

from .models import OPEN_OBJECTION_STATUSES, Application, DecisionObjection


def _scope(user: Any, qs: QuerySet[DecisionObjection]) -> QuerySet[DecisionObjection]:
    if can(user, "casework.use"):
        return qs
    if can(user, "portal.use"):
        return qs.filter(application__organisation_id=user.organisation_id)
    return qs.none()


def objection_list_for(*, user: Any) -> QuerySet[DecisionObjection]:
    """Open objections first, soonest term first; then decided and withdrawn ones, latest first."""
    return (
        _scope(user, DecisionObjection.objects.all())
        .select_related("application", "application__organisation", "decision")
        .annotate(
            closed=Case(
                When(status__in=sorted(OPEN_OBJECTION_STATUSES), then=Value(0)),
                default=Value(1),
                output_field=IntegerField(),
            )
        )
        .order_by("closed", "decision_deadline", "id")
    )


def objection_get_for(*, user: Any, pk: int) -> DecisionObjection:
    qs = _scope(user, DecisionObjection.objects.all()).select_related(
        "application",
        "application__organisation",
        "decision",
        "decision__proposed_by",
        "decision__countersigned_by",
        "filed_by",
        "decided_by",
    )
    try:
        return qs.get(pk=pk)
    except DecisionObjection.DoesNotExist as exc:
        raise Http404("No such objection") from exc


def objections_of(application: Application) -> list[DecisionObjection]:
    """Objections against the decisions on one application (one query), latest first."""
    return list(DecisionObjection.objects.filter(application=application).order_by("-filed_on", "-id"))


def objection_history_of(objection: DecisionObjection) -> list[AuditEvent]:
    return list(
        AuditEvent.objects.filter(target_type="licensing.decisionobjection", target_id=str(objection.pk)).order_by(
            "sequence"
        )
    )
