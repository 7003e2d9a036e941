"""Builders for the assessment tests: cases in review, verdicts on all eight criteria, received denials."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.utils import timezone

from licensing.assessment_rules import CriterionVerdict
from licensing.models import Application, ApplicationStatus, Criterion, PartyRole
from licensing.models.denials import DenialDirection, DenialNotification, DenialSource
from licensing.services.assessment import criteria_assess
from tests.factories import PartyFactory, submitted_application


def case_in_review(
    *,
    officer: Any,
    organisation: Any = None,
    destination: str = "NO",
    end_user: str = "Royal Norwegian Navy",
    goods: str = "Thermal imaging camera module",
    ml: str = "ML15",
    consignee_country: str | None = None,
) -> Application:
    """An application under review, assigned to `officer`: goods `ml`/`goods`, end user and consignee in
    `destination` (the consignee in `consignee_country` if given)."""
    kwargs = {"organisation": organisation} if organisation is not None else {}
    application = submitted_application(status=ApplicationStatus.UNDER_REVIEW, assigned_to=officer, **kwargs)
    application.destination_id = destination
    application.save(update_fields=["destination"])
    application.goods.update(description=goods, ml_category_id=ml)
    application.parties.filter(role=PartyRole.END_USER).update(name=end_user, country_id=destination)
    application.parties.filter(role=PartyRole.CONSIGNEE).update(country_id=consignee_country or destination)
    return application


def add_party(application: Application, *, role: str, name: str, country: str) -> None:
    PartyFactory(application=application, role=role, name=name, country_id=country)


def assess_all(application: Application, officer: Any, **overrides: tuple[str, str] | tuple[str, str, str]) -> None:
    """All eight criteria "no concerns", except overrides like c3=("concerns", "why") or c2=("grounds_to_refuse",
    "why", "2a")."""
    verdicts = []
    for n in range(1, 9):
        outcome, justification, *rest = overrides.get(f"c{n}", ("no_concerns", ""))
        verdicts.append(CriterionVerdict(n, outcome, justification, rest[0] if rest else ""))
    criteria_assess(actor=officer, application_id=application.pk, verdicts=verdicts)


def received_denial(
    *,
    reference: str = "FR-2023-0001",
    state: str = "FR",
    on: date,
    destination: str = "NO",
    ml: str = "ML15",
    end_user: str = "Royal Norwegian Navy",
    goods: str = "Thermal imaging camera module",
    criteria: tuple[int, ...] = (2,),
    direction: str = DenialDirection.INCOMING,
    **extra: Any,
) -> DenialNotification:
    denial = DenialNotification.objects.create(
        direction=direction,
        reference=reference,
        issuing_state_id=state,
        notified_on=on,
        destination_id=destination,
        ml_category_id=ml,
        goods_description=goods,
        end_user=end_user,
        source=DenialSource.MANUAL,
        recorded_at=timezone.now(),
        **extra,
    )
    denial.criteria.set(Criterion.objects.filter(number__in=criteria))
    return denial
