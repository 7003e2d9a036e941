from __future__ import annotations

import hashlib
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

import factory
from django.utils import timezone

from core.roles import Role
from licensing.models import (
    Application,
    ApplicationParty,
    ApplicationStatus,
    CaseNote,
    Criterion,
    Decision,
    Document,
    GoodsLine,
    InformationRequest,
    Licence,
    LicenceType,
    LicensedGoods,
    LicensedParty,
    MLCategory,
    PartyRole,
    PartyType,
    Shipment,
    UNRegisterCategory,
)
from licensing.models.application import DocumentKind, ScanStatus
from licensing.models.decision import DecisionOutcome, DecisionStatus
from licensing.models.reference import DenyType, ExchangeRate, ProcessingTarget
from licensing.services.clock import recompute_deadlines

from .parties import CountryFactory, OrganisationFactory, UserFactory


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
    criteria_cleared_by=None,
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
    if criteria_cleared_by is not None:
        criteria_clear(application, assessor=criteria_cleared_by)
    return application


def criteria_clear(application: Application, *, assessor) -> None:  # type: ignore[no-untyped-def]
    """All eight criteria assessed with no concerns, through the officer's own service (the real step the
    decision gate asks for before an ordinary approval)."""
    from licensing.assessment_rules import ALL_CRITERIA, AssessmentOutcome, CriterionVerdict
    from licensing.services.assessment import criteria_assess

    criteria_assess(
        actor=assessor,
        application_id=application.pk,
        verdicts=[CriterionVerdict(criterion=n, outcome=AssessmentOutcome.NO_CONCERNS) for n in ALL_CRITERIA],
    )


# --- Reference rows (loaded from data/reference/*.csv): get-or-create on the loader's natural key ---


class MLCategoryFactory(factory.django.DjangoModelFactory):
    """ML15 (imaging and countermeasure equipment) unless another code is given; number follows the code."""

    class Meta:
        model = MLCategory
        django_get_or_create = ("code",)

    code = "ML15"
    number = factory.LazyAttribute(lambda o: int(o.code[2:]))
    short_title = factory.LazyAttribute(lambda o: f"Military List category {o.code}")
    title = factory.LazyAttribute(lambda o: f"EU Common Military List, entry {o.code} (Commission notice C/2024/1945)")


class CriterionFactory(factory.django.DjangoModelFactory):
    """Criterion 7 of Common Position 2008/944/CFSP (risk of diversion) unless another number is given."""

    class Meta:
        model = Criterion
        django_get_or_create = ("number",)

    number = 7
    short_title = factory.LazyAttribute(lambda o: f"Criterion {o.number}")
    summary = "Council Common Position 2008/944/CFSP, Art. 2, as amended by Council Decision (CFSP) 2019/1560"
    deny_type = DenyType.TAKE_INTO_ACCOUNT


class UNRegisterCategoryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = UNRegisterCategory
        django_get_or_create = ("code",)

    code = "I"
    title = "Battle tanks"
    definition = "Tracked or wheeled self-propelled armoured fighting vehicles (GA resolution 46/36 L)"


class ExchangeRateFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ExchangeRate
        django_get_or_create = ("currency", "valid_on")

    currency = "USD"
    valid_on = date(2024, 1, 2)
    eur_per_unit = Decimal("0.906000")
    source = "ECB reference rate (rounded)"


class ProcessingTargetFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ProcessingTarget
        django_get_or_create = ("licence_type",)

    licence_type = LicenceType.INDIVIDUAL_EXPORT
    working_days = 20
    source = "UK SIEL target (70 % within 20 working days)"


# --- Case work ---

PDF_BYTES = b"%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"
PDF_SHA256 = hashlib.sha256(PDF_BYTES).hexdigest()


class DocumentFactory(factory.django.DjangoModelFactory):
    """A scanned, clean end-user certificate uploaded by the applicant."""

    class Meta:
        model = Document

    application = factory.SubFactory(ApplicationFactory)
    kind = DocumentKind.END_USER_CERTIFICATE
    file = factory.django.FileField(filename="end-user-certificate.pdf", data=PDF_BYTES)
    original_name = "end-user-certificate.pdf"
    content_type = "application/pdf"
    size = len(PDF_BYTES)
    sha256 = PDF_SHA256
    scan_status = ScanStatus.CLEAN
    uploaded_by = factory.SelfAttribute("application.created_by")


class InformationRequestFactory(factory.django.DjangoModelFactory):
    """An open request for information (Awb 4:15 suspends the clock until it is answered)."""

    class Meta:
        model = InformationRequest

    application = factory.SubFactory(ApplicationFactory, status=ApplicationStatus.INFORMATION_REQUESTED)
    question = "Please upload the end-user certificate signed by the Norwegian Ministry of Defence."
    requested_by = factory.SubFactory(UserFactory, roles=[Role.OFFICER])
    requested_on = factory.LazyFunction(timezone.localdate)
    respond_by = factory.LazyAttribute(lambda o: o.requested_on + timedelta(weeks=4))


class CaseNoteFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CaseNote

    application = factory.SubFactory(ApplicationFactory, status=ApplicationStatus.UNDER_REVIEW)
    author = factory.SubFactory(UserFactory, roles=[Role.OFFICER])
    text = "Called the exporter: the cameras are for the Skjold-class corvettes."


class DecisionFactory(factory.django.DjangoModelFactory):
    """A proposed approval awaiting countersignature (four eyes: countersigned_by stays empty)."""

    class Meta:
        model = Decision
        skip_postgeneration_save = True

    application = factory.SubFactory(ApplicationFactory, status=ApplicationStatus.UNDER_REVIEW)
    outcome = DecisionOutcome.APPROVE
    status = DecisionStatus.PROPOSED
    justification = "End user is the armed forces of a NATO ally; no concerns under the eight criteria."
    valid_from = factory.LazyFunction(timezone.localdate)
    valid_until = factory.LazyAttribute(lambda o: o.valid_from + timedelta(days=365))
    needs_countersignature = True
    proposed_by = factory.SubFactory(UserFactory, roles=[Role.OFFICER])
    proposed_at = factory.LazyFunction(timezone.now)

    @factory.post_generation
    def criteria(self, create: bool, extracted: list[Criterion] | None, **kwargs: Any) -> None:
        if create and extracted:
            self.criteria.set(extracted)


class LicenceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Licence

    number = factory.Sequence(lambda n: f"NL-ML-2026-{n + 900000:06d}")
    application = factory.SubFactory(ApplicationFactory, status=ApplicationStatus.APPROVED)
    organisation = factory.SelfAttribute("application.organisation")
    licence_type = factory.SelfAttribute("application.licence_type")
    destination = factory.SubFactory(CountryFactory, iso2="NO")
    valid_from = factory.LazyFunction(timezone.localdate)
    valid_until = factory.LazyAttribute(lambda o: o.valid_from + timedelta(days=365))
    conditions = "No re-export without prior written consent of the Netherlands."
    total_value_eur = Decimal("10000.00")
    issued_by = factory.SubFactory(UserFactory, roles=[Role.OFFICER])
    issued_at = factory.LazyFunction(timezone.now)


class LicensedGoodsFactory(factory.django.DjangoModelFactory):
    """What the licence covers, copied from a goods line of the licensed application."""

    class Meta:
        model = LicensedGoods

    licence = factory.SubFactory(LicenceFactory)
    goods_line = factory.SubFactory(GoodsLineFactory, application=factory.SelfAttribute("..licence.application"))
    description = factory.SelfAttribute("goods_line.description")
    ml_category = factory.SelfAttribute("goods_line.ml_category")
    quantity = factory.SelfAttribute("goods_line.quantity")
    unit = factory.SelfAttribute("goods_line.unit")
    value_eur = factory.SelfAttribute("goods_line.value_eur")


class LicensedPartyFactory(factory.django.DjangoModelFactory):
    """A party the licence names (the version in force), here its end user: the Royal Norwegian Navy."""

    class Meta:
        model = LicensedParty

    licence = factory.SubFactory(LicenceFactory)
    role = PartyRole.END_USER
    name = "Royal Norwegian Navy"
    address = "Haakonsvern, Bergen"
    country = factory.SubFactory(CountryFactory, iso2="NO")
    party_type = PartyType.ARMED_FORCES


class ShipmentFactory(factory.django.DjangoModelFactory):
    """A first shipment of one piece, recorded by an exporter of the licence holder (the goods row's shipped
    totals are not updated here: licensing's shipment service does that)."""

    class Meta:
        model = Shipment

    licensed_goods = factory.SubFactory(LicensedGoodsFactory)
    licence = factory.SelfAttribute("licensed_goods.licence")
    shipped_on = factory.LazyFunction(timezone.localdate)
    quantity = Decimal("1")
    value_eur = Decimal("1000.00")
    recorded_by = factory.SubFactory(UserFactory, organisation=factory.SelfAttribute("..licence.organisation"))
