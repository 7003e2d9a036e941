"""Factories for the case file around an application: end-user certificates and their use, Awb delay notices
and objections against a final decision."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import factory
from django.utils import timezone

from core.roles import Role
from core.workdays import objection_deadline_awb, objection_decision_deadline_awb
from licensing.models import (
    AmendmentKind,
    ApplicationStatus,
    CertificateUse,
    DecisionObjection,
    DecisionStatus,
    EndUserCertificate,
    IntegrationCertificateRequest,
    LicenceAmendment,
    LicenceVersion,
    ObjectionStatus,
    PartyRole,
    PartyType,
    Product,
    SavedParty,
)
from licensing.models.awb import DelayNotice
from licensing.models.parliament import ParliamentInformation, ParliamentInformationRule

from .licensing import ApplicationFactory, DecisionFactory, LicenceFactory, MLCategoryFactory
from .parties import CountryFactory, OrganisationFactory, UserFactory


class EndUserCertificateFactory(factory.django.DjangoModelFactory):
    """A valid certificate signed by the Norwegian Ministry of Defence; (organisation, issuer, number) is unique,
    so the number is a sequence. Valid for two years from its issue (valid_until >= issued_on)."""

    class Meta:
        model = EndUserCertificate

    organisation = factory.SubFactory(OrganisationFactory)
    issuer = "Norwegian Ministry of Defence"
    number = factory.Sequence(lambda n: f"NO-MOD-EUC-2026-{n:05d}")
    issued_on = factory.LazyFunction(lambda: timezone.localdate() - timedelta(days=30))
    valid_until = factory.LazyAttribute(lambda o: o.issued_on + timedelta(days=730))
    re_export_clause = True
    end_user_name = "Royal Norwegian Navy"
    end_user_country = factory.SubFactory(CountryFactory, iso2="NO")
    created_by = factory.SubFactory(UserFactory, organisation=factory.SelfAttribute("..organisation"))


class CertificateUseFactory(factory.django.DjangoModelFactory):
    """A draft application relying on a certificate of its own organisation (one use per application)."""

    class Meta:
        model = CertificateUse

    application = factory.SubFactory(ApplicationFactory)
    certificate = factory.SubFactory(
        EndUserCertificateFactory, organisation=factory.SelfAttribute("..application.organisation")
    )
    attached_by = factory.SelfAttribute("application.created_by")


class DelayNoticeFactory(factory.django.DjangoModelFactory):
    """Awb 4:14(3): the applicant is told today that the decision now comes four weeks after the legal term
    (new_expected_on must lie after legal_deadline)."""

    class Meta:
        model = DelayNotice

    application = factory.SubFactory(ApplicationFactory, status=ApplicationStatus.UNDER_REVIEW)
    sent_on = factory.LazyFunction(timezone.localdate)
    legal_deadline = factory.LazyAttribute(lambda o: o.sent_on + timedelta(days=5))
    new_expected_on = factory.LazyAttribute(lambda o: o.legal_deadline + timedelta(weeks=4))
    reason = "Awaiting the advice of the Ministry of Foreign Affairs on criterion 7."
    sent_by = factory.SubFactory(UserFactory, roles=[Role.OFFICER])


class DecisionObjectionFactory(factory.django.DjangoModelFactory):
    """An objection filed today by the exporter against the final, countersigned approval of its application,
    sent a week ago; the terms follow core.workdays as licensing.services.objections computes them."""

    class Meta:
        model = DecisionObjection

    decision = factory.SubFactory(
        DecisionFactory,
        status=DecisionStatus.FINAL,
        application__status=ApplicationStatus.APPROVED,
        countersigned_by=factory.SubFactory(UserFactory, roles=[Role.SENIOR_OFFICER]),
        countersigned_at=factory.LazyFunction(timezone.now),
    )
    application = factory.SelfAttribute("decision.application")
    status = ObjectionStatus.FILED
    grounds = "The licence conditions exclude spare parts that the contract with the end user covers."
    filed_by = factory.SelfAttribute("application.created_by")
    filed_on = factory.LazyFunction(timezone.localdate)
    decision_sent_on = factory.LazyAttribute(lambda o: o.filed_on - timedelta(days=7))
    objection_term_end = factory.LazyAttribute(lambda o: objection_deadline_awb(o.decision_sent_on))
    advisory_committee = False
    postponed_weeks = 0
    decision_deadline = factory.LazyAttribute(
        lambda o: objection_decision_deadline_awb(
            o.objection_term_end, advisory_committee=o.advisory_committee, postponed_weeks=o.postponed_weeks
        )
    )


class ParliamentInformationRuleFactory(factory.django.DjangoModelFactory):
    """The accelerated-information rule as data/reference/parliament_information_rules.csv has it; the name is
    unique, so it is a sequence."""

    class Meta:
        model = ParliamentInformationRule

    name = factory.Sequence(lambda n: f"Accelerated information rule {n}")
    value_threshold_eur = Decimal("2000000.00")
    outside_blocs = "EU NATO"
    equivalent_states = "AU JP NZ CH"
    complete_systems_only = True
    letter_due_days = 14
    valid_from = date(2000, 1, 1)
    source = "Test fixture (sources.md [S26])."


class ParliamentInformationFactory(factory.django.DjangoModelFactory):
    """A final approval to India above the threshold, decided today, its letter due in fourteen days."""

    class Meta:
        model = ParliamentInformation

    decision = factory.SubFactory(
        DecisionFactory, status=DecisionStatus.FINAL, application__status=ApplicationStatus.APPROVED
    )
    application = factory.SelfAttribute("decision.application")
    rule = factory.SubFactory(ParliamentInformationRuleFactory)
    decided_on = factory.LazyFunction(timezone.localdate)
    value_eur = Decimal("2000001.00")
    destinations = factory.LazyFunction(lambda: ["IN"])
    due_on = factory.LazyAttribute(lambda o: o.decided_on + timedelta(days=14))


class ProductFactory(factory.django.DjangoModelFactory):
    """A product in an organisation's catalogue: thermal imaging sights (ML15)."""

    class Meta:
        model = Product

    organisation = factory.SubFactory(OrganisationFactory)
    description = "Thermal imaging sight TIS-400"
    ml_category = factory.SubFactory(MLCategoryFactory, code="ML15")
    ml_sub_item = "ML15.c"
    part_numbers = "TIS-400-01"
    created_by = factory.SubFactory(UserFactory, organisation=factory.SelfAttribute("..organisation"))


class SavedPartyFactory(factory.django.DjangoModelFactory):
    """A saved end user: the Royal Norwegian Navy."""

    class Meta:
        model = SavedParty

    organisation = factory.SubFactory(OrganisationFactory)
    role = PartyRole.END_USER
    name = "Royal Norwegian Navy"
    address = "Haakonsvern, 5886 Bergen"
    country = factory.SubFactory(CountryFactory, iso2="NO")
    party_type = PartyType.ARMED_FORCES
    created_by = factory.SubFactory(UserFactory, organisation=factory.SelfAttribute("..organisation"))


class IntegrationCertificateRequestFactory(factory.django.DjangoModelFactory):
    """An open request for a certificate of integration on a treaty component transfer."""

    class Meta:
        model = IntegrationCertificateRequest

    application = factory.SubFactory(ApplicationFactory, licence_type="treaty_component")
    note = "Certify that the sights are integrated into the Leopard 2A8 turret."
    requested_by = factory.SubFactory(UserFactory, roles=[Role.OFFICER])


class LicenceAmendmentFactory(factory.django.DjangoModelFactory):
    """An exporter's open request to extend a licence by three months."""

    class Meta:
        model = LicenceAmendment

    licence = factory.SubFactory(LicenceFactory)
    kind = AmendmentKind.EXTENSION
    based_on_version = 1
    reason = "The integrator's delivery schedule moved by a quarter."
    new_valid_until = factory.LazyAttribute(lambda o: o.licence.valid_until + timedelta(days=92))
    requested_by = factory.SubFactory(UserFactory, organisation=factory.SelfAttribute("..licence.organisation"))
    requested_at = factory.LazyFunction(timezone.now)


class LicenceVersionFactory(factory.django.DjangoModelFactory):
    """Version 1 of a licence, frozen when a change replaced it."""

    class Meta:
        model = LicenceVersion

    licence = factory.SubFactory(LicenceFactory)
    number = 1
    valid_from = factory.SelfAttribute("licence.valid_from")
    valid_until = factory.SelfAttribute("licence.valid_until")
    destination = factory.SelfAttribute("licence.destination")
    total_value_eur = Decimal("10000.00")
    goods = factory.LazyFunction(lambda: [{"description": "Night vision goggles", "quantity": "10"}])
    issued_at = factory.LazyFunction(timezone.now)
    superseded_at = factory.LazyFunction(timezone.now)
