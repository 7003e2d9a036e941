"""Grouping by EU, NATO and treaty membership ON THE DATE OF EACH DECISION, in the database.

Source: ../shared/domain/README.md "Memberships are dated" and "Reporting to parliament" (motion Nordkamp,
36 410-X-47: NATO membership on the date of each decision). parties.memberships.member_exists is the one
answer to "was this country a member then?"; these helpers only name its results for reports.
"""

from __future__ import annotations

from django.db.models import BooleanField, Case, CharField, ExpressionWrapper, Value, When
from django.utils.translation import gettext_lazy as _

from parties.memberships import member_exists
from parties.models import Bloc

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


def bloc_bucket(bloc: Bloc | str, *, country_ref: str, date_ref: str) -> Case:
    """member / non_member / unattributed (licences for several destinations have no single country)."""
    return Case(
        When(**{f"{country_ref}__isnull": True}, then=Value(UNATTRIBUTED)),
        When(member_exists(bloc=bloc, country_ref=country_ref, date_ref=date_ref), then=Value(MEMBER)),
        default=Value(NON_MEMBER),
        output_field=CharField(),
    )
