"""Where Dutch content in treaty transfers ends up: the intended end destinations of the final system.

A treaty component transfer goes to an integrator in another treaty party (the licence's destination), but
the final system may leave the parties' territory for a third country. The TreatyTransfer records the final
system's intended end destinations (`end_destinations`); the reports show them, so Dutch content in a French
system sold to a third country is visible (Kamerstuk 22 054 nr. 401: the cabinet "houdt zicht op transacties
onder het verdrag"; ../shared/domain/README.md "Reporting to parliament").

Membership of each end destination is taken on the licence's decision date, through parties.memberships
(one answer to "member on the date"). A "third country" is a country that was not a treaty party on that
date. The Dutch content's value is the licence's goods (LicensedGoods, EUR), never a second typed figure.

A listing: treaty transfers are few (tens a year), so the rows are read per licence in a few statements; the
goods are read as queries.base.issued reads them (live rows with plain joins, history only for licences touched
since the moment), so a report run costs about what the live report does.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from django.db.models import BooleanField, Count, ExpressionWrapper, F, Q, QuerySet, Sum
from django.db.models.functions import ExtractYear

from licensing.models import Licence, LicenceType
from licensing.models.treaty import TreatyTransfer
from parties.memberships import blocs_among
from parties.models import Bloc

from ..tables import eur
from . import base
from .snapshot import Snapshot

BLOCS = (Bloc.EU, Bloc.NATO, Bloc.TREATY)


@dataclass
class EndDestination:
    country: str
    members: frozenset[Bloc]  # the blocs it belonged to on the decision date

    @property
    def third_country(self) -> bool:
        """Outside the treaty parties' territory on the decision date."""
        return Bloc.TREATY not in self.members


@dataclass
class TreatyTransferRow:
    licence_id: int
    application_id: int
    integrator_country: str | None  # the licence's destination
    day: date
    value_eur: Decimal
    de_minimis: bool
    end_destinations: list[EndDestination] = field(default_factory=list)

    def goes_outside(self, bloc: Bloc) -> bool:
        """Some intended end destination was outside `bloc` on the decision date."""
        return any(bloc not in d.members for d in self.end_destinations)


def treaty_goods(snap: Snapshot, *, start: datetime, end: datetime) -> base.Rows:
    """The goods lines of treaty component licences issued in [start, end) (base.issued), each with its licence's
    `application`. The licence type is written once, at issue, like issued_at (queries.base.issued_goods): the
    live column narrows the rows to the few treaty transfers before any as-of column is computed for them."""

    def narrow(part: base.Part) -> QuerySet[Any]:
        rows = part.rows.filter(licence__licence_type=LicenceType.TREATY_COMPONENT)
        if part.live:
            return rows.annotate(application=F("licence__application_id"))
        return rows.filter(licence_kind=LicenceType.TREATY_COMPONENT).annotate(
            application=snap.value(Licence, "application_id", ref="licence_id")
        )

    return base.issued(snap, start=start, end=end).each(narrow)


def treaty_totals(snap: Snapshot, *, start: datetime, end: datetime) -> list[dict[str, Any]]:
    """Treaty component licences issued in [start, end) per (`year`, `dest`, `de_minimis`): the number of licences
    `n` and their Dutch content `v`. De minimis follows the rule's result recorded on the case as it stood (a
    licence without recorded treaty details counts as not de minimis). One statement."""
    applies = snap.rows(TreatyTransfer).filter(de_minimis=True).values("application_id")
    return (
        treaty_goods(snap, start=start, end=end)
        .annotate(
            year=ExtractYear("day"),
            de_minimis=ExpressionWrapper(Q(application__in=applies), output_field=BooleanField()),
        )
        .grouped(["year", "dest", "de_minimis"], n=Count("licence_id", distinct=True), v=Sum("amount"))
    )


def treaty_transfers(snap: Snapshot, *, start: datetime, end: datetime) -> list[TreatyTransferRow]:
    """The treaty component licences issued in [start, end) whose treaty details record intended end destinations
    (as they stood), with their Dutch content value and the end destinations' memberships: where the content ends
    up. A licence without recorded end destinations goes nowhere beyond its integrator (treaty_totals counts it)."""
    recorded = snap.rows(TreatyTransfer).filter(
        id__in=snap.m2m(TreatyTransfer, "end_destinations").values("treatytransfer_id")
    )
    applications = recorded.values("application_id")
    licences = (
        treaty_goods(snap, start=start, end=end)
        .each(lambda part: part.rows.filter(application__in=applications))
        .grouped(["licence_id", "application", "dest", "day"], v=Sum("amount"))
    )
    licences.sort(key=lambda r: (r["day"], r["licence_id"]))
    details = transfer_details(snap, application_ids=applications)
    rows = []
    for r in licences:
        if r["application"] not in details:  # details recorded between the two statements: left for the next run
            continue
        de_minimis, countries = details[r["application"]]
        rows.append(
            TreatyTransferRow(
                licence_id=r["licence_id"],
                application_id=r["application"],
                integrator_country=r["dest"],
                day=r["day"],
                value_eur=eur(r["v"]),
                de_minimis=de_minimis,
                end_destinations=[EndDestination(c, frozenset()) for c in countries],
            )
        )
    _attach_memberships(rows)
    return rows


def _attach_memberships(rows: list[TreatyTransferRow]) -> None:
    members = blocs_among(BLOCS, {(d.country, r.day) for r in rows for d in r.end_destinations})
    for r in rows:
        r.end_destinations = [
            EndDestination(d.country, frozenset(b for b in BLOCS if (d.country, b, r.day) in members))
            for d in r.end_destinations
        ]


def transfer_details(snap: Snapshot, *, application_ids: Any) -> dict[int, tuple[bool, list[str]]]:
    """Application id -> (de minimis applies, ISO codes of the intended end destinations), for the applications
    (ids or a subquery of ids) with treaty details, as they stood. Two statements (one when none has details)."""
    rows = snap.rows(TreatyTransfer).filter(application_id__in=application_ids)
    transfers: dict[int, int] = {}
    de_minimis: dict[int, bool] = {}
    for transfer_id, application_id, applies in rows.values_list("id", "application_id", "de_minimis"):
        transfers[transfer_id] = application_id
        de_minimis[application_id] = applies
    if not transfers:
        return {}
    countries: dict[int, list[str]] = defaultdict(list)
    for transfer_id, country in (
        snap.m2m(TreatyTransfer, "end_destinations")
        .filter(treatytransfer_id__in=rows.values("id"))
        .order_by("treatytransfer_id", "country_id")
        .values_list("treatytransfer_id", "country_id")
    ):
        if transfer_id in transfers:  # a transfer recorded between the two statements is left for the next run
            countries[transfers[transfer_id]].append(country)
    return {app: (de_minimis[app], countries[app]) for app in transfers.values()}


def per_destination(rows: list[TreatyTransferRow]) -> dict[tuple[int, str, frozenset[Bloc]], dict[str, Any]]:
    """(year, end destination, its blocs on the decision date) -> transfers and Dutch content value. A transfer
    naming several destinations counts under each: its value is not split, so the rows do not add up."""
    out: dict[tuple[int, str, frozenset[Bloc]], dict[str, Any]] = defaultdict(
        lambda: {"transfers": 0, "value_eur": Decimal(0)}
    )
    for r in rows:
        for d in r.end_destinations:
            cell = out[(r.day.year, d.country, d.members)]
            cell["transfers"] += 1
            cell["value_eur"] += r.value_eur
    return out
