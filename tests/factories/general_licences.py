"""Factories for general licences, their registrations and usage returns (general_licences.models)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import factory

from core.roles import Role
from general_licences.models import (
    GeneralLicence,
    GeneralLicenceKind,
    GeneralLicenceRegistration,
    RegistrationStatus,
    TransferGround,
    UsageReturn,
    UsageReturnLine,
)

from .licensing import MLCategoryFactory
from .parties import CountryFactory, OrganisationFactory, UserFactory


class GeneralLicenceFactory(factory.django.DjangoModelFactory):
    """An EU general transfer licence to the armed forces of Member States (art. 5(2)(a)), ML10 and ML15 to
    Germany and France, half-yearly returns due 30 days after each half-year."""

    class Meta:
        model = GeneralLicence
        skip_postgeneration_save = True

    reference = factory.Sequence(lambda n: f"NL-GTL-2026-{n:03d}")
    title = "Transfers to the armed forces of EU Member States"
    kind = GeneralLicenceKind.EU_GENERAL_TRANSFER
    transfer_ground = TransferGround.ARMED_FORCES
    conditions = "Tell the recipient of the end-use and export limits. Keep records for five years."
    valid_from = date(2026, 1, 1)
    valid_until = date(2028, 12, 31)
    requires_approval = True
    return_period_months = 6
    return_due_days = 30
    created_by = factory.SubFactory(UserFactory, roles=[Role.OFFICER])

    @factory.post_generation
    def scope(self, create: bool, extracted: object, **kwargs: object) -> None:
        if not create:
            return
        self.ml_categories.set([MLCategoryFactory(code="ML10"), MLCategoryFactory(code="ML15")])
        self.destinations.set([CountryFactory(iso2="DE"), CountryFactory(iso2="FR")])


class GeneralLicenceRegistrationFactory(factory.django.DjangoModelFactory):
    """An approved registration, in effect from 1 February 2026."""

    class Meta:
        model = GeneralLicenceRegistration

    licence = factory.SubFactory(GeneralLicenceFactory)
    organisation = factory.SubFactory(OrganisationFactory)
    status = RegistrationStatus.APPROVED
    registered_by = factory.SubFactory(UserFactory, organisation=factory.SelfAttribute("..organisation"))
    active_from = date(2026, 2, 1)


class UsageReturnFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = UsageReturn

    registration = factory.SubFactory(GeneralLicenceRegistrationFactory)
    period_start = date(2026, 1, 1)
    period_end = date(2026, 6, 30)
    filed_by = factory.SelfAttribute("registration.registered_by")


class UsageReturnLineFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = UsageReturnLine

    usage_return = factory.SubFactory(UsageReturnFactory)
    ml_category = factory.SubFactory(MLCategoryFactory, code="ML15")
    description = "Thermal imaging sights"
    quantity = Decimal("12")
    value_eur = Decimal("84000.00")
    recipient = "Bundeswehr, BAAINBw"
    country = factory.SubFactory(CountryFactory, iso2="DE")
