"""Factories for licensing.models.assessment: checks, screening, criteria assessments, advice, refusal letters."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import factory
from django.utils import timezone

from core.roles import Role
from licensing.assessment_rules import AssessmentOutcome
from licensing.models import ApplicationStatus, Criterion
from licensing.models.assessment import (
    Advice,
    AdviceRequest,
    CheckKind,
    CheckResult,
    CheckRun,
    CheckTrigger,
    CriterionAssessment,
    FlagLevel,
    NationalPolicyRule,
    PolicyRuleKind,
    RefusalLetter,
    ScreeningHit,
    WatchListEntry,
)
from licensing.models.decision import DecisionOutcome, DecisionStatus

from .licensing import (
    PDF_BYTES,
    PDF_SHA256,
    ApplicationFactory,
    CriterionFactory,
    DecisionFactory,
    PartyFactory,
)
from .parties import CountryFactory, UserFactory


class CheckRunFactory(factory.django.DjangoModelFactory):
    """The next run of the checks on the application (numbers count up per application)."""

    class Meta:
        model = CheckRun

    application = factory.SubFactory(ApplicationFactory, status=ApplicationStatus.SUBMITTED)
    number = factory.LazyAttribute(lambda o: o.application.check_runs.count() + 1)
    checked_on = factory.LazyFunction(timezone.localdate)
    ran_at = factory.LazyFunction(timezone.now)
    trigger = CheckTrigger.SUBMISSION


class CheckResultFactory(factory.django.DjangoModelFactory):
    """An open screening warning; the key is unique per run, so it comes from a sequence."""

    class Meta:
        model = CheckResult

    run = factory.SubFactory(CheckRunFactory)
    application = factory.SelfAttribute("run.application")
    kind = CheckKind.SCREENING
    level = FlagLevel.WARNING
    key = factory.Sequence(lambda n: f"screening:{n}:1")
    message = "End user name resembles an entry on the watch list."
    inputs = factory.LazyFunction(lambda: {"party": "Royal Norwegian Navy unit 1", "score": 87.5})


class NationalPolicyRuleFactory(factory.django.DjangoModelFactory):
    """Get-or-create on (country, kind, name), the key of load_policy_rules."""

    class Meta:
        model = NationalPolicyRule
        django_get_or_create = ("country", "kind", "name")

    name = factory.Sequence(lambda n: f"Presumption of denial, Yemen conflict (rule {n})")
    description = "Presumption of denial for exports to countries actively engaged in the conflict in Yemen."
    country = factory.SubFactory(CountryFactory, iso2="SA")
    kind = PolicyRuleKind.PRESUMPTION_OF_DENIAL
    valid_from = date(2019, 8, 1)
    valid_until = date(2023, 7, 14)
    dates_confirmed = True
    source = "Government.nl 2019-08-01; Rijksoverheid 2023-10-04"


class WatchListEntryFactory(factory.django.DjangoModelFactory):
    """A FICTITIOUS watch-list name; get-or-create on (source, name), the key of load_watch_list."""

    class Meta:
        model = WatchListEntry
        django_get_or_create = ("source", "name")

    name = factory.Sequence(lambda n: f"Fictitious Trading Company {n} LLC")
    aliases = factory.LazyAttribute(lambda o: f"{o.name.removesuffix(' LLC')} FZE")
    country = factory.SubFactory(CountryFactory, iso2="AE")
    source = "Demo watch list (fictitious)"
    listed_on = date(2024, 3, 1)


class ScreeningHitFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ScreeningHit

    party = factory.SubFactory(PartyFactory)
    entry = factory.SubFactory(WatchListEntryFactory)
    score = 87.5
    matched_name = factory.SelfAttribute("entry.name")
    found_at = factory.LazyFunction(timezone.now)


class CriterionAssessmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CriterionAssessment

    application = factory.SubFactory(ApplicationFactory, status=ApplicationStatus.UNDER_REVIEW)
    criterion = factory.SubFactory(CriterionFactory)
    outcome = AssessmentOutcome.NO_CONCERNS
    justification = "Norway is a NATO ally with effective export controls; no risk of diversion."
    assessor = factory.SubFactory(UserFactory, roles=[Role.OFFICER])
    assessed_at = factory.LazyFunction(timezone.now)


class AdviceRequestFactory(factory.django.DjangoModelFactory):
    """An open request to a Foreign Affairs policy adviser."""

    class Meta:
        model = AdviceRequest
        skip_postgeneration_save = True

    application = factory.SubFactory(ApplicationFactory, status=ApplicationStatus.UNDER_REVIEW)
    adviser = factory.SubFactory(UserFactory, roles=[Role.POLICY_ADVISER])
    requested_by = factory.SubFactory(UserFactory, roles=[Role.OFFICER])
    question = "Is there a risk of diversion under criterion 7 for this end user?"
    requested_at = factory.LazyFunction(timezone.now)
    respond_by = factory.LazyAttribute(lambda o: timezone.localdate() + timedelta(days=10))

    @factory.post_generation
    def criteria(self, create: bool, extracted: list[Criterion] | None, **kwargs: Any) -> None:
        if create and extracted:
            self.criteria.set(extracted)


class AdviceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Advice

    request = factory.SubFactory(AdviceRequestFactory)
    criterion = factory.SubFactory(CriterionFactory)
    outcome = AssessmentOutcome.NO_CONCERNS
    text = "No indications of diversion; the end user has a clean record."
    given_by = factory.SelfAttribute("request.adviser")
    given_at = factory.LazyFunction(timezone.now)


class RefusalLetterFactory(factory.django.DjangoModelFactory):
    """The letter of a final refusal; the objection term is six weeks (Awb 6:7), here without Atw extension."""

    class Meta:
        model = RefusalLetter

    decision = factory.SubFactory(
        DecisionFactory,
        outcome=DecisionOutcome.REFUSE,
        status=DecisionStatus.FINAL,
        justification="Clear risk of diversion to an embargoed end user (criterion 7).",
        valid_from=None,
        valid_until=None,
        application=factory.SubFactory(ApplicationFactory, status=ApplicationStatus.REFUSED),
    )
    application = factory.SelfAttribute("decision.application")
    sent_on = factory.LazyFunction(timezone.localdate)
    objection_deadline = factory.LazyAttribute(lambda o: o.sent_on + timedelta(weeks=6))
    document = factory.django.FileField(filename="refusal-letter.pdf", data=PDF_BYTES)
    sha256 = PDF_SHA256
