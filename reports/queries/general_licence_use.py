"""The use of general licences in a year, for the annual report: per general licence, ML category and country,
the lines and value the holders reported in their usage returns for periods starting in that year
(general_licences.models; Directive 2009/43/EC art. 8 reports). One GROUP BY; returns are never edited once
filed, so an "as of" report counts the returns filed by that moment."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.db.models import Count, Sum
from django.utils.translation import gettext as _

from general_licences.models import UsageReturnLine

from ..tables import Column, Kind, Table, eur
from .names import country_names


def usage_footer(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The total of reported lines and value under a table of usage lines (quantities are in different units)."""
    if not rows:
        return []
    return [
        {
            "licence": _("Total"),
            "lines": sum(r["lines"] for r in rows),
            "value_eur": sum((r["value_eur"] for r in rows), eur(0)),
        }
    ]


def general_licence_use(*, year: int, as_of: datetime | None) -> Table:
    lines = UsageReturnLine.objects.filter(usage_return__period_start__year=year)
    if as_of is not None:
        lines = lines.filter(usage_return__filed_at__lte=as_of)
    grouped = (
        lines.values("usage_return__registration__licence__reference", "ml_category_id", "country_id")
        .annotate(n=Count("pk"), holders=Count("usage_return__registration", distinct=True), v=Sum("value_eur"))
        .order_by("usage_return__registration__licence__reference", "ml_category__number", "country_id")
    )
    groups: list[Any] = list(grouped)
    names = country_names(g["country_id"] for g in groups)
    rows: list[dict[str, Any]] = [
        {
            "licence": g["usage_return__registration__licence__reference"],
            "ml": g["ml_category_id"],
            "country": names.get(g["country_id"], g["country_id"]),
            "holders": g["holders"],
            "lines": g["n"],
            "value_eur": eur(g["v"]),
        }
        for g in groups
    ]
    return Table(
        key="general_licences",
        caption=_("Use of general licences reported by their holders (periods starting in the year)"),
        columns=[
            Column("licence", _("General licence"), Kind.CODE),
            Column("ml", _("ML category"), Kind.CODE),
            Column("country", _("Country")),
            Column("holders", _("Companies"), Kind.INT),
            Column("lines", _("Lines reported"), Kind.INT),
            Column("value_eur", _("Value (EUR)"), Kind.EUR),
        ],
        rows=rows,
        footer=usage_footer(rows),
        note=_("Usage returns of general licences: what, how much and to which country, as filed by the holders."),
        row_header="licence",
    )
