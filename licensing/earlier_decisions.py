"""Case-page panel: earlier final decisions on the same product, consignee or end user, so the officer decides
consistently (Common Position 2008/944/CFSP art. 4 and the User's Guide ask for consistent assessment).

Same party: the same role, country and name (ignoring case); same product: the same Military List category
and description (ignoring case). One query, whatever the size of the case; functional indexes on the lowered
names and descriptions keep it fast on a large register.
"""

from __future__ import annotations

from typing import Any, cast

from django.db.models import Exists, OuterRef, Q
from django.db.models.functions import Lower
from django.utils.translation import gettext_lazy as _

from .case_panels import CasePanel, register_panel
from .models import Application, ApplicationParty, Decision, DecisionStatus, GoodsLine, PartyRole

EARLIER_DECISIONS_SHOWN = 10


def _party_match(application: Application, role: str) -> Q | None:
    parties = [p for p in application.parties.all() if p.role == role]
    if not parties:
        return None
    match = Q()
    for party in parties:
        match |= Q(name_lower=party.name.lower(), country_id=party.country_id)
    return match


def earlier_decisions_of(application: Application) -> list[Decision]:
    """Final decisions on other applications sharing the end user, the consignee or a product (at most 10)."""
    flags: dict[str, Any] = {}
    parties = ApplicationParty.objects.annotate(name_lower=Lower("name")).filter(application=OuterRef("application"))
    for key, role in (("same_end_user", PartyRole.END_USER), ("same_consignee", PartyRole.CONSIGNEE)):
        match = _party_match(application, role)
        if match is not None:
            flags[key] = Exists(parties.filter(match, role=role))
    # One condition per Military List category with the case's descriptions in it, not one per goods line: a case
    # of 50 lines made a 50-way OR that cost more to compile than the whole rest of the page (issue 19).
    descriptions: dict[str, set[str]] = {}
    for line in application.goods.all():
        descriptions.setdefault(line.ml_category_id, set()).add(line.description.lower())
    if descriptions:
        product = Q()
        for ml_category, lowered in sorted(descriptions.items()):
            product |= Q(ml_category_id=ml_category, description_lower__in=sorted(lowered))
        flags["same_product"] = Exists(
            GoodsLine.objects.annotate(description_lower=Lower("description"))
            .filter(application=OuterRef("application"))
            .filter(product)
        )
    if not flags:
        return []
    any_flag = Q()
    for key in flags:
        any_flag |= Q(**{key: True})
    return list(
        Decision.objects.filter(status=DecisionStatus.FINAL)
        .exclude(application=application)
        .annotate(**flags)
        .filter(any_flag)
        .select_related("application", "application__organisation")
        .order_by("-proposed_at", "-id")[:EARLIER_DECISIONS_SHOWN]
    )


def _panel(application: Application, user: Any) -> dict[str, Any]:
    return {"decisions": earlier_decisions_of(application)}


register_panel(
    CasePanel(
        "earlier_decisions",
        cast(str, _("Earlier decisions on the same product or parties")),
        "licensing/casework/case/_earlier_decisions_panel.html",
        _panel,
        order=15,
    )
)
