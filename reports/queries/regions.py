"""Grouping by EU, NATO and treaty membership ON THE DATE OF EACH DECISION, in the database.

Source: ../shared/domain/README.md "Memberships are dated" and "Reporting to parliament" (motion Nordkamp,
36 410-X-47: NATO membership on the date of each decision). parties.memberships is the one answer to "was
this country a member then?"; these helpers only name its results for reports.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db.models import BooleanField, ExpressionWrapper, F, Q, QuerySet
from django.utils.translation import gettext_lazy as _

from parties.memberships import member_exists, member_join, memberships_overlap
from parties.models import Bloc

from .base import Part, Rows

MEMBER = "member"
NON_MEMBER = "non_member"
UNATTRIBUTED = "unattributed"

BUCKET_LABELS = {
    MEMBER: _("Member on the decision date"),
    NON_MEMBER: _("Not a member on the decision date"),
    UNATTRIBUTED: _("No single destination"),
}

BLOC_LABELS = {Bloc.NATO: _("NATO"), Bloc.EU: _("EU"), Bloc.TREATY: _("Treaty")}


def is_member(bloc: Bloc | str, *, country_ref: str, date_ref: str) -> ExpressionWrapper:
    """True when the row's country (`country_ref`) was a `bloc` member on the row's date (`date_ref`)."""
    return ExpressionWrapper(
        member_exists(bloc=bloc, country_ref=country_ref, date_ref=date_ref), output_field=BooleanField()
    )


def bucket(*, dest: str | None, member: bool) -> str:
    """The bucket of a group of rows with destination `dest` whose membership flag is `member`."""
    if dest is None:
        return UNATTRIBUTED
    return MEMBER if member else NON_MEMBER


def flag(bloc: Bloc | str) -> str:
    """The annotation with_flags gives the membership of `bloc`: is_eu, is_nato, is_treaty."""
    return f"is_{Bloc(bloc).value.lower()}"


def joins_exact() -> bool:
    """Whether with_flags may join the memberships: only while none overlap (parties.memberships.member_join)."""
    return not memberships_overlap()


def with_flags(rows: Rows, blocs: Iterable[Bloc | str], *, join: bool) -> Rows:
    """Annotate `flag(bloc)` per bloc: was the row's destination (`dest`) a member on the row's `day`?

    With `join` (see joins_exact) live rows are joined to the memberships (one hash join); rows computed
    from history, or all rows without `join`, ask per row. Both go through parties.memberships.
    """
    wanted = [Bloc(b) for b in blocs]

    def annotate(part: Part) -> QuerySet[Any]:
        qs = part.rows
        for bloc in wanted:
            if join and part.country:
                relation = f"{flag(bloc)}_membership"
                qs = qs.alias(**{relation: member_join(bloc=bloc, country_path=part.country, on=F("day"))})
                qs = qs.annotate(**{flag(bloc): Q(**{f"{relation}__id__isnull": False})})
            else:
                qs = qs.annotate(**{flag(bloc): is_member(bloc, country_ref="dest", date_ref="day")})
        return qs

    return rows.each(annotate)
