from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import factory
from django.utils import timezone

from licensing.models import (
    Application,
    ApplicationParty,
    ApplicationStatus,
    GoodsLine,
    LicenceType,
    PartyRole,
    PartyType,
)
from licensing.services.clock import recompute_deadlines

from .parties import OrganisationFactory, UserFactory


class ApplicationFactory(factory.django.DjangoModelFactory):
    """A draft application; use `submitted_application()` for one that is in the officer's queue."""

    class Meta:
        model = Application

    reference = factory.Sequence(lambda n: f"APP-2026-{n + 900000:06d}")
    organisation = factory.SubFactory(OrganisationFactory)
    created_by = factory.SubFactory(UserFactory, organisation=factory.SelfAttribute("..organisation"))
    licence_type = LicenceType.INDIVIDUAL_EXPORT
    title = factory.Sequence(lambda n: f"Contract {n}")
    end_use = "Coastal surveillance by the navy"
    destination_id = "NO"


class GoodsLineFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = GoodsLine

    application = factory.SubFactory(ApplicationFactory)
    description = factory.Sequence(lambda n: f"Thermal imaging camera module type {n}")
    ml_category_id = "ML15"
    quantity = Decimal("10")
    unit = "pcs"
    unit_value = Decimal("1000.00")
    currency = "EUR"
    exchange_rate = Decimal("1")
    value_eur = factory.LazyAttribute(lambda o: o.quantity * o.unit_value)


class PartyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ApplicationParty

    application = factory.SubFactory(ApplicationFactory)
    role = PartyRole.END_USER
    name = factory.Sequence(lambda n: f"Royal Norwegian Navy unit {n}")
    address = "Haakonsvern, Bergen"
    country_id = "NO"
    party_type = PartyType.ARMED_FORCES


def complete_draft(*, organisation=None, created_by=None, goods: int = 1, **kwargs) -> Application:  # type: ignore[no-untyped-def]
    """A draft with goods, consignee and end user (no document), ready except for the end-user certificate."""
    params = {k: v for k, v in {"organisation": organisation, "created_by": created_by}.items() if v is not None}
    application = ApplicationFactory(**params, **kwargs)
    for _ in range(goods):
        GoodsLineFactory(application=application)
    PartyFactory(
        application=application,
        role=PartyRole.CONSIGNEE,
        name="Kongsberg Logistics AS",
        party_type=PartyType.COMMERCIAL,
    )
    PartyFactory(application=application, role=PartyRole.END_USER)
    application.total_value_eur = sum((g.value_eur for g in application.goods.all()), Decimal("0"))
    application.save()
    return application


def submitted_application(
    *,
    status: str = ApplicationStatus.SUBMITTED,
    assigned_to=None,
    days_ago: int = 0,  # type: ignore[no-untyped-def]
    **kwargs,
) -> Application:
    """An application as it stands after submission (set directly, for tests of case work and lists)."""
    application = complete_draft(**kwargs)
    application.status = status
    application.submitted_at = timezone.now() - timedelta(days=days_ago)
    application.received_on = timezone.localdate() - timedelta(days=days_ago)
    application.assigned_to = assigned_to
    recompute_deadlines(application)
    application.save()
    return application
