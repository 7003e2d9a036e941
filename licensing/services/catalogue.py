"""Reuse: keep an organisation's products and parties, to fill a draft's goods and party forms from them."""

from __future__ import annotations

from typing import Any

from django.db import transaction

from audit.models import Verb
from audit.services import record
from core.access import require
from core.exceptions import DomainValidationError
from core.i18n import gettext_lazy as _

from ..models import Document, DocumentKind, Product, SavedParty

ERR_TECHNICAL_FILE = _("Choose a technical specification your organisation uploaded.")
ERR_REQUIRED = _("This field is required.")


def _err(field: str, message: str) -> DomainValidationError:
    return DomainValidationError(str(message), field_errors={field: [str(message)]})


@transaction.atomic(durable=True)
def product_save(
    *,
    actor: Any,
    description: str,
    ml_category_id: str,
    ml_sub_item: str = "",
    part_numbers: str = "",
    is_component: bool = False,
    technical_file_id: int | None = None,
) -> Product:
    require(actor, "portal.use")
    if not description.strip():
        raise _err("description", ERR_REQUIRED)
    if (
        technical_file_id is not None
        and not Document.objects.filter(
            pk=technical_file_id, kind=DocumentKind.TECHNICAL, application__organisation_id=actor.organisation_id
        ).exists()
    ):
        raise _err("technical_file", ERR_TECHNICAL_FILE)
    product = Product(
        organisation_id=actor.organisation_id,
        description=description.strip(),
        ml_category_id=ml_category_id,
        ml_sub_item=ml_sub_item.strip(),
        part_numbers=part_numbers.strip(),
        is_component=is_component,
        technical_file_id=technical_file_id,
        created_by=actor,
    )
    product._history_user = actor  # type: ignore[attr-defined]
    product._change_reason = "product saved"  # type: ignore[attr-defined]
    product.save()
    record(actor=actor, verb=Verb.PRODUCT_SAVED, target=product,
           payload={"description": product.description, "ml_category": ml_category_id})  # fmt: skip
    return product


@transaction.atomic(durable=True)
def saved_party_save(*, actor: Any, role: str, name: str, address: str, country_id: str, party_type: str) -> SavedParty:
    require(actor, "portal.use")
    for field, value in (("name", name), ("address", address)):
        if not value.strip():
            raise _err(field, ERR_REQUIRED)
    party = SavedParty(
        organisation_id=actor.organisation_id, role=role, name=name.strip(), address=address.strip(),
        country_id=country_id, party_type=party_type, created_by=actor,
    )  # fmt: skip
    party._history_user = actor  # type: ignore[attr-defined]
    party._change_reason = "party saved for reuse"  # type: ignore[attr-defined]
    party.save()
    record(actor=actor, verb=Verb.SAVED_PARTY_SAVED, target=party, payload={"role": role, "name": party.name})
    return party
