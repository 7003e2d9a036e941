"""Factories for consultations: Art. 4 consultations, denial notifications and proposed denial matches."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import factory
from django.utils import timezone

from core.roles import Role
from licensing.models import ApplicationStatus, Criterion
from licensing.models.consultation import Consultation, ConsultationKind
from licensing.models.denials import (
    ChangeDenialDismissal,
    DenialDirection,
    DenialMatch,
    DenialNotification,
    DenialSource,
)
from parties.models import HOME_STATE

from .licensing import ApplicationFactory, CriterionFactory, MLCategoryFactory
from .parties import CountryFactory, UserFactory


class ConsultationFactory(factory.django.DjangoModelFactory):
    """An open Art. 4 consultation (Common Position 2008/944/CFSP) with Germany on one of our applications."""

    class Meta:
        model = Consultation

    kind = ConsultationKind.ART4_DENIAL
    application = factory.SubFactory(ApplicationFactory, status=ApplicationStatus.CONSULTATION_PENDING)
    counterpart = factory.SubFactory(CountryFactory, iso2="DE")
    subject = factory.Sequence(lambda n: f"Essentially identical transaction: denial DE-2025-{n:04d}")
    opened_by = factory.SubFactory(UserFactory, roles=[Role.OFFICER])
    opened_on = factory.LazyFunction(timezone.localdate)
    respond_by = factory.LazyAttribute(lambda o: o.opened_on + timedelta(weeks=3))


class DenialNotificationFactory(factory.django.DjangoModelFactory):
    """A denial received from Germany; the reference is unique per issuing state, so it is a sequence.

    Criteria invoked default to criterion 7; pass `criteria=[...]` for others. `outgoing=True` builds one of
    our own refusals instead: outgoing notifications are issued by the home state, incoming ones by another
    Member State (a CheckConstraint).
    """

    class Meta:
        model = DenialNotification
        skip_postgeneration_save = True

    direction = DenialDirection.INCOMING
    reference = factory.Sequence(lambda n: f"DE-2025-{n:04d}")
    issuing_state = factory.SubFactory(CountryFactory, iso2="DE")
    notified_on = factory.LazyFunction(lambda: timezone.localdate() - timedelta(days=90))
    destination = factory.SubFactory(CountryFactory, iso2="SA")
    ml_category = factory.SubFactory(MLCategoryFactory)
    goods_description = "Thermal imaging sights for armoured vehicles"
    quantity = "40 pcs"
    consignee = "Gulf Optics Trading Est."
    end_user = "Royal Saudi Land Forces"
    end_use = "Upgrade of armoured vehicles"
    sub_criteria = ""
    reason = "Clear risk of diversion within the buyer country."
    source = DenialSource.MANUAL
    recorded_by = factory.SubFactory(UserFactory, roles=[Role.OFFICER])
    recorded_at = factory.LazyFunction(timezone.now)

    class Params:
        outgoing = factory.Trait(
            direction=DenialDirection.OUTGOING,
            reference=factory.Sequence(lambda n: f"NL-2025-{n:04d}"),
            issuing_state=factory.SubFactory(CountryFactory, iso2=HOME_STATE),
        )

    @factory.post_generation
    def criteria(self, create: bool, extracted: list[Criterion] | None, **kwargs: Any) -> None:
        if create:
            self.criteria.set(extracted if extracted is not None else [CriterionFactory(number=7)])


class DenialMatchFactory(factory.django.DjangoModelFactory):
    """A match the checks propose and nobody has decided yet."""

    class Meta:
        model = DenialMatch

    application = factory.SubFactory(ApplicationFactory, status=ApplicationStatus.SUBMITTED)
    denial = factory.SubFactory(DenialNotificationFactory)
    score = 92.0
    matched_fields = factory.LazyFunction(lambda: {"end_user": 92.0, "goods": 81.5})
    found_at = factory.LazyFunction(timezone.now)


class ChangeDenialDismissalFactory(factory.django.DjangoModelFactory):
    """An officer's finding that a change of a licence is not essentially identical to a denial."""

    class Meta:
        model = ChangeDenialDismissal

    amendment = factory.SubFactory("tests.factories.casework.LicenceAmendmentFactory")
    denial = factory.SubFactory(DenialNotificationFactory)
    reason = "The denial concerned weapon sights; the change adds ship-mounted cameras."
    decided_by = factory.SubFactory(UserFactory, roles=[Role.OFFICER])
    decided_at = factory.LazyFunction(timezone.now)
