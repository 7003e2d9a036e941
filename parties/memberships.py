"""The one answer to "was country X a member of bloc Y on date D?".

Source: ../shared/domain/README.md "Memberships are dated" and data/reference/countries.csv.
A membership row covers the closed interval [since, until]: `until` is the last day of membership
(the UK was an EU member on 2020-01-31 and a third country from 2020-02-01). Every rule and report
asks about the date of the event, never today.

The rule itself is membership_on_q; the functions below all ask it: for one country or bloc (is_member,
members_on, blocs_on), and for querysets per row as an EXISTS (member_on, member_exists). Licences and final
refusals keep the answer for their destination on their decision date (licensing.destination_flags), asked
through blocs_on and member_on.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import Any

from django.db.models import BooleanField, Case, DateField, Exists, OuterRef, Q, QuerySet, Value, When
from django.db.models.expressions import Combinable

from .models import Bloc, Membership


def membership_on_q(*, on: date | Combinable | OuterRef, prefix: str = "") -> Q:
    """A Q on Membership (optionally through `prefix`) that holds for rows in force on `on`."""
    return Q(**{f"{prefix}since__lte": on}) & (Q(**{f"{prefix}until__isnull": True}) | Q(**{f"{prefix}until__gte": on}))


def is_member(country: str, bloc: Bloc | str, on: date) -> bool:
    return Membership.objects.filter(membership_on_q(on=on), country_id=country, bloc=bloc).exists()


def membership_in_force(country: str, bloc: Bloc | str, on: date) -> Membership | None:
    """The membership row in force on `on` (e.g. the home state's treaty accession, with its start date)."""
    return Membership.objects.filter(membership_on_q(on=on), country_id=country, bloc=bloc).order_by("-since").first()


def members_on(bloc: Bloc | str, on: date) -> set[str]:
    return set(Membership.objects.filter(membership_on_q(on=on), bloc=bloc).values_list("country_id", flat=True))


def blocs_on(country: str | None, on: date) -> set[str]:
    """The blocs `country` was a member of on `on` (none for no country), in one statement."""
    if country is None:
        return set()
    return set(Membership.objects.filter(membership_on_q(on=on), country_id=country).values_list("bloc", flat=True))


def member_on(*, bloc: Bloc | str, country: Any, on: Any, memberships: QuerySet[Any] | None = None) -> Exists:
    """An Exists(): was `country` (an expression such as OuterRef("destination_id")) a `bloc` member on `on`
    (an expression of the row's date)? Also usable in UPDATE ... SET (licensing.destination_flags); a data
    migration passes its historical model's rows as `memberships`."""
    rows = Membership.objects.all() if memberships is None else memberships
    return Exists(rows.filter(membership_on_q(on=on), bloc=bloc, country_id=country))


def member_exists(*, bloc: Bloc | str, country_ref: str, date_ref: str) -> Exists:
    """An Exists() for querysets: was the row's country (`country_ref`) a member on the row's date (`date_ref`)?

    Lets reports group by membership in the database (GROUP BY) on the date of each decision.
    """
    return member_on(bloc=bloc, country=OuterRef(country_ref), on=OuterRef(date_ref))


def member_case(*, bloc: Bloc | str, country_ref: str, date_ref: str) -> Case | Value:
    """The same answer as member_exists, as a CASE over the bloc's membership rows read now (one query).

    For GROUP BY over millions of rows (the production country of every goods line): a few dozen WHENs on the
    row's own columns cost less than an index probe per row. Each WHEN is membership_on_q of one row, turned
    around: the row's date between that membership's `since` and `until` (closed interval, open `until`).
    """
    whens = []
    for country, since, until in Membership.objects.filter(bloc=bloc).values_list("country_id", "since", "until"):
        # The country first: a row's date (a time zone conversion when `date_ref` is a local day) is then computed
        # only in the WHEN of its own country, not in every WHEN (Q sorts keyword arguments, which put it first).
        in_force = Q(**{country_ref: country}) & Q(**{f"{date_ref}__gte": since})
        if until is not None:
            in_force &= Q(**{f"{date_ref}__lte": until})
        whens.append(When(in_force, then=Value(True)))
    if not whens:  # no member at all: a constant, still a boolean expression
        return Value(False, output_field=BooleanField())
    return Case(*whens, default=Value(False), output_field=BooleanField())


def memberships_overlap() -> bool:
    """Whether some country has two memberships of one bloc in force on a common day (a data error).

    Two closed intervals overlap exactly when one is in force on the day the other starts."""
    in_force_when_it_starts = Membership.objects.filter(
        membership_on_q(on=OuterRef("since")), country_id=OuterRef("country_id"), bloc=OuterRef("bloc")
    ).exclude(pk=OuterRef("pk"))
    return Membership.objects.filter(Exists(in_force_when_it_starts)).exists()


def members_among(bloc: Bloc | str, pairs: Iterable[tuple[str, date]]) -> set[tuple[str, date]]:
    """Which of the (country, date) `pairs` were `bloc` members on that date, in one statement (blocs_among)."""
    return {(country, on) for country, _bloc, on in blocs_among([bloc], pairs)}


def blocs_among(blocs: Iterable[Bloc | str], pairs: Iterable[tuple[str, date]]) -> set[tuple[str, Bloc, date]]:
    """(country, bloc, date) for each of the (country, date) `pairs` and `blocs` where the country was a member of
    the bloc on that date, in one statement.

    For listings that ask about a few countries each on its own date (the end destinations of treaty
    transfers, on their licence's decision date): one SELECT per distinct date, joined with UNION ALL."""
    wanted = sorted(str(b) for b in blocs)
    by_day: dict[date, set[str]] = {}
    for country, on in pairs:
        by_day.setdefault(on, set()).add(country)
    queries: list[Any] = [
        Membership.objects.filter(membership_on_q(on=on), bloc__in=wanted, country_id__in=sorted(countries))
        .order_by()
        .annotate(on=Value(on, output_field=DateField()))
        .values_list("country_id", "bloc", "on")
        for on, countries in sorted(by_day.items())
    ]
    if not queries:  # still one statement, so a report's statement count never depends on its data
        queries = [
            Membership.objects.filter(bloc__in=wanted, country_id__isnull=True).values_list(
                "country_id", "bloc", "since"
            )
        ]
    statement = queries[0].union(*queries[1:], all=True) if len(queries) > 1 else queries[0]
    return {(country, Bloc(bloc), on) for country, bloc, on in statement}
