"""Factories for the treaty (Agreement on Export Controls in the Field of Defence, Paris 2021-09-17):
licensing.models.treaty (parameters, exclusion annex, component transfers) and consultations.models.treaty
(programmes, notifications, emergency-brake objections, high-level meetings)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

import factory
from django.utils import timezone

from consultations.deadlines import EMERGENCY_BRAKE_MONTHS, objection_deadline
from consultations.models.treaty import (
    ConsultationMeeting,
    NotificationDirection,
    NotificationSubject,
    Objection,
    ObjectionStatus,
    Programme,
    ProgrammeKind,
    TreatyNotification,
)
from core.roles import Role
from licensing.models import LicenceType
from licensing.models.consultation import ConsultationKind
from licensing.models.treaty import (
    ExclusionListEntry,
    FinalSystem,
    TreatyParameter,
    TreatyParameterName,
    TreatyRefusalGround,
    TreatyTransfer,
)
from parties.models import Country

from .consultations import ConsultationFactory
from .licensing import ApplicationFactory, MLCategoryFactory
from .parties import CountryFactory, UserFactory

TREATY_SIGNED = date(2021, 9, 17)


class TreatyParameterFactory(factory.django.DjangoModelFactory):
    """The de minimis threshold of 20 % (get-or-create on (name, valid_from), the loader's key)."""

    class Meta:
        model = TreatyParameter
        django_get_or_create = ("name", "valid_from")

    name = TreatyParameterName.DE_MINIMIS_THRESHOLD
    value = "20"
    valid_from = TREATY_SIGNED
    source = "Treaty de minimis provisions: share does not exceed 20 %"


class ExclusionListEntryFactory(factory.django.DjangoModelFactory):
    """Aero-engines (ML10) on the exclusion annex (get-or-create on the loader's key)."""

    class Meta:
        model = ExclusionListEntry
        django_get_or_create = ("ml_category", "description", "valid_from")

    ml_category = factory.SubFactory(MLCategoryFactory, code="ML10")
    description = "Aero-engines"
    valid_from = TREATY_SIGNED
    source = "Treaty exclusion annex (2019 Franco-German list)"


class FinalSystemFactory(factory.django.DjangoModelFactory):
    """A Boxer vehicle integrated in Germany (get-or-create on its registration key)."""

    class Meta:
        model = FinalSystem
        django_get_or_create = ("integrator_country", "identifier")

    name = "Boxer armoured transport vehicle"
    identifier = factory.Sequence(lambda n: f"BOXER-{n}")
    ml_category = factory.SubFactory(MLCategoryFactory, code="ML6")
    integrator_name = "Rheinmetall Landsysteme GmbH"
    integrator_country = factory.SubFactory(CountryFactory, iso2="DE")
    registered_by = factory.SubFactory(UserFactory)


class TreatyTransferFactory(factory.django.DjangoModelFactory):
    """Dutch components (5 %) for a German-integrated system; not yet assessed (no de minimis result)."""

    class Meta:
        model = TreatyTransfer
        skip_postgeneration_save = True

    application = factory.SubFactory(
        ApplicationFactory, licence_type=LicenceType.TREATY_COMPONENT, destination_id="DE", end_use="Integration"
    )
    final_system = factory.SubFactory(
        FinalSystemFactory, registered_by=factory.SelfAttribute("..application.created_by")
    )
    gross_total_value = Decimal("4000000.00")
    system_total_eur = Decimal("4000000.00")
    component_value_eur = Decimal("200000.00")
    rate_date = factory.LazyFunction(timezone.localdate)
    updated_by = factory.SelfAttribute("application.created_by")

    @factory.post_generation
    def end_destinations(self, create: bool, extracted: list[Country] | None, **kwargs: Any) -> None:
        if create and extracted:
            self.end_destinations.set(extracted)


class ProgrammeFactory(factory.django.DjangoModelFactory):
    """An intergovernmental programme; participants default to the Netherlands, Germany and France."""

    class Meta:
        model = Programme
        skip_postgeneration_save = True

    name = factory.Sequence(lambda n: f"Joint tactical radio programme {n}")
    kind = ProgrammeKind.INTERGOVERNMENTAL
    description = "Development and production of a common tactical radio (treaty Art. 1)."

    @factory.post_generation
    def participants(self, create: bool, extracted: list[Country] | None, **kwargs: Any) -> None:
        if create:
            default = [CountryFactory(iso2=iso2) for iso2 in ("NL", "DE", "FR")]
            self.participants.set(extracted if extracted is not None else default)


class TreatyNotificationFactory(factory.django.DjangoModelFactory):
    """France notifies us of an export with Dutch content; the two-month emergency-brake window runs."""

    class Meta:
        model = TreatyNotification

    direction = NotificationDirection.INCOMING
    counterpart = factory.SubFactory(CountryFactory, iso2="FR")
    subject_kind = NotificationSubject.HOME_STATE_CONTENT
    subject = factory.Sequence(lambda n: f"Export of naval radar systems, project {n}")
    their_reference = factory.Sequence(lambda n: f"SGDSN-2026-{n:04d}")
    third_country = factory.SubFactory(CountryFactory, iso2="IN")
    received_on = factory.LazyFunction(timezone.localdate)
    objection_period_months = EMERGENCY_BRAKE_MONTHS
    objection_deadline = factory.LazyAttribute(lambda o: objection_deadline(o.received_on, o.objection_period_months))
    deadline_rule = "Emergency brake: at the latest within two months of becoming aware (same day number)."
    recorded_by = factory.SubFactory(UserFactory, roles=[Role.OFFICER])


class ObjectionFactory(factory.django.DjangoModelFactory):
    """Our proposed objection, awaiting a senior officer (four eyes)."""

    class Meta:
        model = Objection

    notification = factory.SubFactory(TreatyNotificationFactory)
    ground = TreatyRefusalGround.NATIONAL_SECURITY
    reasons = "The radar contains Dutch cryptographic modules whose transfer would compromise national security."
    status = ObjectionStatus.PROPOSED
    proposed_by = factory.SubFactory(UserFactory, roles=[Role.OFFICER])
    proposed_at = factory.LazyFunction(timezone.now)


class ConsultationMeetingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ConsultationMeeting

    consultation = factory.SubFactory(
        ConsultationFactory,
        kind=ConsultationKind.HIGH_LEVEL,
        application=None,
        counterpart=factory.SubFactory(CountryFactory, iso2="FR"),
        subject="High-level consultation on the emergency-brake objection",
    )
    held_on = factory.LazyFunction(timezone.localdate)
    participants = "NL: Ministry of Foreign Affairs; FR: SGDSN"
    notes = "Both parties seek a consensus solution."
    alternatives_proposed = "Export without the cryptographic modules."
    recorded_by = factory.SubFactory(UserFactory, roles=[Role.OFFICER])
