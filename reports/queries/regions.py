"""Grouping by EU, NATO and treaty membership ON THE DATE OF EACH DECISION, in the database.

Source: ../shared/domain/README.md "Memberships are dated" and "Reporting to parliament" (motion Nordkamp,
36 410-X-47: NATO membership on the date of each decision). parties.memberships is the one answer to "was
this country a member then?"; these helpers only name its results for reports (and read the answers licensing
keeps on licences and final refusals, licensing.destination_flags).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db.models import BooleanField, ExpressionWrapper, F, QuerySet
from django.db.models.functions import Coalesce
from django.utils.translation import gettext_lazy as _

from licensing.destination_flags import FIELDS
from parties.memberships import member_exists
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


def with_flags(rows: Rows, blocs: Iterable[Bloc | str]) -> Rows:
    """Annotate `flag(bloc)` per bloc: was the row's destination (`dest`) a member on the row's `day`?

    Live rows read the answer kept on their licence or decision (licensing.destination_flags: the rule's answer
    fixed on the decision date; `Part.flags` names the path to it), and ask the rule only where it is not fixed
    (NULL: COALESCE evaluates the EXISTS for those rows only). Rows computed from history ask the rule per row
    (parties.memberships): their destination may differ from the live row's.
    """
    wanted = [Bloc(b) for b in blocs]

    def annotate(part: Part) -> QuerySet[Any]:
        qs = part.rows
        for bloc in wanted:
            rule = is_member(bloc, country_ref="dest", date_ref="day")
            if part.flags is not None:
                kept = F(f"{part.flags}{FIELDS[bloc]}")
                qs = qs.annotate(**{flag(bloc): Coalesce(kept, rule, output_field=BooleanField())})
            else:
                qs = qs.annotate(**{flag(bloc): rule})
        return qs

    return rows.each(annotate)
