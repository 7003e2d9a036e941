"""The Nordkamp share by production: of the goods PRODUCED in a bloc's member states (NATO), the share
licensed to go outside it - by the licence's destination, or, for a treaty transfer to an integrator inside
the bloc, by the final system's intended end destinations.

Motion Nordkamp (Kamerstuk 36 410-X-47) asked for "het aandeel van in NAVO-landen geproduceerde
defensieproducten dat naar buiten de NAVO wordt geëxporteerd"; the reply of 25 April 2024 (nr. 129) said the
data was missing. Each goods line records where it was made (`production_country`, empty = the home state);
membership of the production country and of the destination are both taken on the decision date
(parties.memberships: the destination's kept on the licence, through queries.regions; the production
country's from the bloc's membership rows, parties.memberships.member_case).
Grouped in SQL over the licences' goods lines.
"""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.db.models import BooleanField, Case, CharField, F, IntegerField, QuerySet, Sum, Value, When
from django.db.models.functions import Coalesce
from django.utils.translation import gettext as _

from licensing.models import GoodsLine
from parties.memberships import member_case
from parties.models import Bloc

from ..tables import Column, Kind, Table, eur, pct
from . import base
from .regions import flag, with_flags
from .snapshot import Snapshot, local_year

PRODUCED_IN = "produced_in_bloc"


def production_table(
    snap: Snapshot, *, start: Any, end: Any, years: list[str], bloc: Bloc, bloc_label: str, sold_on: set[int]
) -> Table:
    """`sold_on`: ids of treaty transfer licences to an integrator inside the bloc whose system goes outside."""

    # The few sold-on licences by id, so the groups need not be kept apart per treaty licence.
    sold = (
        Case(When(licence_id__in=sorted(sold_on), then=Value(True)), default=Value(False), output_field=BooleanField())
        if sold_on
        else Value(False, output_field=BooleanField())
    )

    # The production country's membership on the decision date, as a CASE over the bloc's few membership rows
    # (read once here): an EXISTS per goods line was most of the share report's work at 1M (round 3).
    produced_in = member_case(bloc=bloc, country_ref="made_in", date_ref="day")

    def annotate(part: base.Part) -> QuerySet[Any]:
        # Live, the goods line is joined; as of a moment, read as it stood (a licence untouched since the moment
        # may have goods lines that changed: queries.base's untouched parts do not look at them).
        made_in = Coalesce(
            F("goods_line__production_country_id")
            if snap.is_live
            else snap.value(GoodsLine, "production_country_id", ref="goods_line_id"),
            Value(settings.REGISTER_HOME_STATE),
            output_field=CharField(),
        )
        return part.rows.annotate(made_in=made_in, sold_on=sold).annotate(**{PRODUCED_IN: produced_in})

    rows = with_flags(base.issued(snap, start=start, end=end), [bloc]).each(annotate)
    # No years (an empty period): no rows either.
    year_of = local_year("at", first=int(years[0]), last=int(years[-1])) if years else Value(None, IntegerField())
    groups = rows.annotate(year=year_of).grouped(["year", "dest", flag(bloc), PRODUCED_IN, "sold_on"], v=Sum("amount"))
    per_year: dict[str, dict[str, Decimal]] = defaultdict(
        lambda: {
            "produced_eur": Decimal(0),
            "outside_eur": Decimal(0),
            "several_eur": Decimal(0),
            "other_eur": Decimal(0),
        }
    )
    for g in groups:
        figures = per_year[str(g["year"])]
        value = eur(g["v"])
        if not g[PRODUCED_IN]:
            figures["other_eur"] += value
            continue
        figures["produced_eur"] += value
        if g["dest"] is None:
            figures["several_eur"] += value
        elif not g[flag(bloc)] or g["sold_on"]:
            figures["outside_eur"] += value
    labels = {"bloc": bloc_label}
    return Table(
        key="by_production",
        caption=_("Goods produced in %(bloc)s member states licensed to go outside %(bloc)s") % labels,
        columns=[
            Column("year", _("Year")),
            Column("produced_eur", _("Produced in %(bloc)s (EUR)") % labels, Kind.EUR),
            Column("outside_eur", _("Of which going outside %(bloc)s (EUR)") % labels, Kind.EUR),
            Column("share", _("Share going outside"), Kind.PCT),
            Column("several_eur", _("Of which several destinations (EUR)"), Kind.EUR),
            Column("other_eur", _("Produced outside %(bloc)s (EUR)") % labels, Kind.EUR),
        ],
        rows=[
            {"year": y, **per_year[y], "share": pct(per_year[y]["outside_eur"], per_year[y]["produced_eur"])}
            for y in years
        ],
        row_header="year",
        note=_(
            "Where each goods line was produced (empty: the Netherlands) and where it goes, both by membership on "
            "the decision date; a treaty transfer to an integrator inside %(bloc)s goes outside when its final "
            "system's intended end destinations include a state outside %(bloc)s."
        )
        % labels,
    )
