"""Reuse: copy an earlier application of the organisation as a new draft (its goods and parties; not its
documents, whose certificates and contracts must be current, nor anything of its case)."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext
from simple_history.utils import bulk_create_with_history

from audit.models import Verb
from audit.services import record
from core.access import can
from core.exceptions import NotAllowed
from core.i18n import gettext_lazy

from ..models import Application, ApplicationParty, GoodsLine
from .applications import _refresh_search_document, _touch, convert_to_eur
from .numbering import application_reference

ERR_COPY_OTHER_ORGANISATION = gettext_lazy("This application belongs to another organisation.")


@transaction.atomic(durable=True)
def application_copy(*, actor: Any, application_id: int) -> Application:
    """A new draft with the source's type, end use, goods and parties. Foreign-currency values are converted
    again at today's rate (the register's rule for every goods line), so the copy is never priced on old rates."""
    if not can(actor, "portal.use"):
        raise NotAllowed("Only exporters create applications.")
    source = Application.objects.prefetch_related("goods", "parties").get(pk=application_id)
    if source.organisation_id != actor.organisation_id:
        raise NotAllowed(ERR_COPY_OTHER_ORGANISATION)
    copy = Application(
        reference=application_reference(timezone.localdate().year),
        organisation=source.organisation,
        created_by=actor,
        licence_type=source.licence_type,
        title=(gettext("Copy of %(title)s") % {"title": source.title})[:200],
        end_use=source.end_use,
        related_licences=source.related_licences,
    )
    _refresh_search_document(copy)
    copy._change_reason = f"draft copied from {source.reference}"  # type: ignore[attr-defined]
    copy.save()
    record(
        actor=actor,
        verb=Verb.APPLICATION_CREATED,
        target=copy,
        payload={"licence_type": copy.licence_type, "reference": copy.reference, "copied_from": source.reference},
    )
    today = timezone.localdate()
    lines = []
    for line in source.goods.all():
        money = convert_to_eur(amount=line.quantity * line.unit_value, currency=line.currency, on=today)
        lines.append(
            GoodsLine(
                application=copy,
                position=line.position,
                description=line.description,
                ml_category_id=line.ml_category_id,
                ml_sub_item=line.ml_sub_item,
                quantity=line.quantity,
                unit=line.unit,
                unit_value=line.unit_value,
                currency=line.currency,
                exchange_rate=money.rate,
                rate_date=money.rate_date,
                value_eur=money.value_eur,
                is_component=line.is_component,
                part_numbers=line.part_numbers,
            )
        )
    parties = [
        ApplicationParty(
            application=copy,
            role=p.role,
            name=p.name,
            address=p.address,
            country_id=p.country_id,
            party_type=p.party_type,
            third_party_role=p.third_party_role,
        )
        for p in source.parties.all()
    ]
    # The *_with_history helpers write the history rows that plain bulk_create would skip.
    bulk_create_with_history(lines, GoodsLine, default_user=actor, default_change_reason="copied")
    bulk_create_with_history(parties, ApplicationParty, default_user=actor, default_change_reason="copied")
    _touch(copy, actor=actor, what="goods and parties copied", payload={"from": source.reference})
    return copy
