"""Case-page panel: earlier final decisions on the same product, consignee or end user, so the officer decides
consistently (Common Position 2008/944/CFSP art. 4 and the User's Guide ask for consistent assessment).

Same party: the same role, country and name (ignoring case); same product: the same Military List category
and description (ignoring case).

One query, whatever the size of the case, driven from the matches (issue 19): the parties and goods lines that
match the case (functional indexes on the lowered names and descriptions) give the applications, their final
decisions are read by application (the unique index on the final decision), and only the ten shown get their
reference, company and which of the three they share (subqueries PostgreSQL computes after the LIMIT). The
earlier form scanned every final decision newest first and probed each against the matches, which on a real
register (a name shared by a handful of cases) would read every decision ever taken.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any, cast

from django.db.models import Exists, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Lower
from django.utils.translation import gettext_lazy as _

from .case_panels import CasePanel, register_panel
from .models import Application, ApplicationParty, Decision, DecisionOutcome, DecisionStatus, GoodsLine, PartyRole

EARLIER_DECISIONS_SHOWN = 10


@dataclass(frozen=True)
class EarlierDecision:
    """One row of the panel."""

    application_id: int
    reference: str
    organisation: str
    outcome: str
    proposed_at: dt.datetime
    same_end_user: bool
    same_consignee: bool
    same_product: bool

    @property
    def outcome_label(self) -> str:
        """As Decision.get_outcome_display."""
        return str(dict(DecisionOutcome.choices).get(self.outcome, self.outcome))


def _matching_parties(application: Application, role: str) -> QuerySet[ApplicationParty] | None:
    parties = [p for p in application.parties.all() if p.role == role]
    if not parties:
        return None
    match = Q()
    for party in parties:
        match |= Q(name_lower=party.name.lower(), country_id=party.country_id)
    return ApplicationParty.objects.annotate(name_lower=Lower("name")).filter(match, role=role)


def _matching_goods(application: Application) -> QuerySet[GoodsLine] | None:
    # One condition per Military List category with the case's descriptions in it, not one per goods line: a case
    # of 50 lines made a 50-way OR that cost more to compile than the whole rest of the page (issue 19).
    descriptions: dict[str, set[str]] = {}
    for line in application.goods.all():
        descriptions.setdefault(line.ml_category_id, set()).add(line.description.lower())
    if not descriptions:
        return None
    product = Q()
    for ml_category, lowered in sorted(descriptions.items()):
        product |= Q(ml_category_id=ml_category, description_lower__in=sorted(lowered))
    return GoodsLine.objects.annotate(description_lower=Lower("description")).filter(product)


def earlier_decisions_of(application: Application) -> list[EarlierDecision]:
    """Final decisions on other applications sharing the end user, the consignee or a product (at most 10),
    newest first. Reads the application's parties and goods (prefetched on the case page)."""
    matches: dict[str, QuerySet[Any] | None] = {
        "same_end_user": _matching_parties(application, PartyRole.END_USER),
        "same_consignee": _matching_parties(application, PartyRole.CONSIGNEE),
        "same_product": _matching_goods(application),
    }
    found = {key: qs.order_by() for key, qs in matches.items() if qs is not None}
    if not found:
        return []
    ids = [qs.values("application_id") for qs in found.values()]
    applications = ids[0].union(*ids[1:], all=True) if len(ids) > 1 else ids[0]
    flags = {key: Exists(qs.filter(application_id=OuterRef("application_id"))) for key, qs in found.items()}
    of_application = Application.objects.filter(pk=OuterRef("application_id")).order_by()
    rows = (
        Decision.objects.filter(status=DecisionStatus.FINAL, application_id__in=applications)
        .exclude(application_id=application.pk)
        .order_by("-proposed_at", "-id")
        .values("application_id", "outcome", "proposed_at")
        .annotate(
            reference=Subquery(of_application.values("reference")),
            organisation=Subquery(of_application.values("organisation__name")),
            **flags,
        )[:EARLIER_DECISIONS_SHOWN]
    )
    return [
        EarlierDecision(
            application_id=row["application_id"],
            reference=row["reference"],
            organisation=row["organisation"],
            outcome=row["outcome"],
            proposed_at=row["proposed_at"],
            same_end_user=bool(row.get("same_end_user", False)),
            same_consignee=bool(row.get("same_consignee", False)),
            same_product=bool(row.get("same_product", False)),
        )
        for row in rows
    ]


def _panel(application: Application, user: Any) -> dict[str, Any]:
    return {"decisions": earlier_decisions_of(application)}


register_panel(
    CasePanel(
        "earlier_decisions",
        cast(str, _("Earlier decisions on the same product or parties")),
        "licensing/casework/case/_earlier_decisions_panel.html",
        _panel,
        order=15,
        # Read after the page (issue 19): its query grows with the register, the page's own reads do not.
        deferred_url="casework:case_earlier_decisions",
    )
)
