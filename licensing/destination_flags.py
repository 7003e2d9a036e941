"""EU, NATO and treaty membership of a licence's (a final refusal's) destination on its decision date, kept on
the row.

The annual and share reports split years of licences and refusals by membership of the destination on the date
of each decision (../shared/domain/README.md "Memberships are dated" and "Reporting to parliament"; motion
Nordkamp, 36 410-X-47). Asking the dated memberships for every licence was the largest part of those reports at
national scale, so the answer is fixed on the row in the transaction that takes the decision: a licence's at
its issue (by its issue date), a refusal's when it becomes final (by coalesce(countersigned_at, proposed_at)).
The rule itself stays in parties.memberships (blocs_on, member_on); these fields only keep its answer, and the
reports read them (reports.queries.regions).

The fields copy an answer, so they are fixed again wherever its inputs change:
- a licence's destination changes only by an amendment (licensing.services.amendments), which fixes them;
- a licence's issue date and a final refusal's date and destination never change;
- a membership row added, changed or removed (admin, reference data) refreshes every licence and final refusal
  with that destination (the Membership signals in licensing.receivers: cache invalidation, in the same
  transaction as the change).
NULL means "not fixed" (rows written by test factories, or by loaders that skip flags_refresh/flags_of): the
reports then ask the rule per row, so a missing flag costs time, never a wrong figure.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from django.db.models import DateField, DateTimeField, ExpressionWrapper, OuterRef, QuerySet, Subquery
from django.db.models.functions import Coalesce, TruncDate
from django.utils import timezone

from parties.memberships import blocs_on, member_on
from parties.models import Bloc

from .models.decision import DecisionOutcome, DecisionStatus

# The field of each bloc, on licensing.Licence and licensing.Decision.
FIELDS = {Bloc.EU: "destination_eu", Bloc.NATO: "destination_nato", Bloc.TREATY: "destination_treaty"}
FLAG_FIELDS = tuple(FIELDS.values())


def flags_on(country: str | None, on: date) -> dict[str, bool]:
    """The flag fields' values for destination `country` on `on` (all False without a single destination)."""
    blocs = blocs_on(country, on)
    return {field: bloc in blocs for bloc, field in FIELDS.items()}


def _local_day(moment: datetime) -> date:
    # The day as the reports take it (TruncDate in the register's time zone).
    return timezone.localdate(moment)


def licence_flags_fix(licence: Any) -> list[str]:
    """Set `licence`'s flags for its destination on its issue date (not saved); the fields set."""
    for field, value in flags_on(licence.destination_id, _local_day(licence.issued_at)).items():
        setattr(licence, field, value)
    return list(FLAG_FIELDS)


def decision_flags_fix(decision: Any, *, destination: str | None) -> list[str]:
    """Set a decision's flags for its application's `destination` on its decision date (not saved) when it is a
    final refusal; the fields set (none for other decisions, which no report splits by membership)."""
    if decision.status != DecisionStatus.FINAL or decision.outcome != DecisionOutcome.REFUSE:
        return []
    decided = decision.countersigned_at or decision.proposed_at
    for field, value in flags_on(destination, _local_day(decided)).items():
        setattr(decision, field, value)
    return list(FLAG_FIELDS)


def _day_of(moment: Any) -> TruncDate:
    """The local day (as the reports' TruncDate) of an outer row's moment, inside a subquery."""
    return TruncDate(ExpressionWrapper(moment, output_field=DateTimeField()), output_field=DateField())


def _flag_expressions(*, country: Any, on: Any, memberships: QuerySet[Any] | None = None) -> dict[str, Any]:
    return {
        field: member_on(bloc=bloc, country=country, on=on, memberships=memberships) for bloc, field in FIELDS.items()
    }


def flags_of(rows: QuerySet[Any], *, country: str, moment: str) -> dict[Any, dict[str, bool]]:
    """Each row's flag values (by primary key) for the country in its field `country` on the local day of its
    field `moment`, in one SELECT: for bulk loaders that write the flags with the rows they insert."""
    expressions = _flag_expressions(country=OuterRef(country), on=_day_of(OuterRef(moment)))
    return {
        pk: dict(zip(FLAG_FIELDS, values, strict=True))
        for pk, *values in rows.order_by().annotate(**expressions).values_list("pk", *FLAG_FIELDS)
    }


def flags_refresh(
    *, licences: QuerySet[Any], decisions: QuerySet[Any], memberships: QuerySet[Any] | None = None
) -> tuple[int, int]:
    """Fix the flags of `licences` and of the final refusals among `decisions` again, one UPDATE each, asking the
    rule (parties.memberships.member_on) per row in the database; the numbers of rows updated. A data
    migration passes its historical models' querysets (and `memberships`)."""
    licence_count = licences.update(
        **_flag_expressions(
            country=OuterRef("destination_id"), on=_day_of(OuterRef("issued_at")), memberships=memberships
        )
    )
    applications = decisions.model._meta.get_field("application").related_model._default_manager
    destination = Subquery(
        applications.filter(pk=OuterRef(OuterRef("application_id"))).order_by().values("destination_id")[:1]
    )
    decided_day = _day_of(Coalesce(OuterRef("countersigned_at"), OuterRef("proposed_at")))
    decision_count = decisions.filter(status=DecisionStatus.FINAL, outcome=DecisionOutcome.REFUSE).update(
        **_flag_expressions(country=destination, on=decided_day, memberships=memberships)
    )
    return licence_count, decision_count
