"""Reads for general licences, scoped to the user: officers see every licence, registration and return;
exporters see the published licences and only their own organisation's registrations and returns (in the
query; anything else is a 404, missing or forbidden alike)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from django.db.models import Count, DecimalField, Prefetch, Q, QuerySet, Sum, Value
from django.db.models.functions import Coalesce
from django.http import Http404
from django.utils import timezone

from core.access import can

from .models import (
    GeneralLicence,
    GeneralLicenceRegistration,
    GeneralLicenceStatus,
    RegistrationStatus,
    UsageReturn,
    UsageReturnLine,
)
from .periods import Period, ended_periods

_ZERO = Value(Decimal("0"), output_field=DecimalField(max_digits=16, decimal_places=2))


def general_licence_list_for(*, user: Any) -> QuerySet[GeneralLicence]:
    qs = GeneralLicence.objects.prefetch_related("ml_categories", "destinations").order_by("reference")
    if can(user, "casework.use"):
        return qs.annotate(
            pending=Count("registrations", filter=Q(registrations__status=RegistrationStatus.PENDING), distinct=True),
            holders=Count("registrations", filter=Q(registrations__status=RegistrationStatus.APPROVED), distinct=True),
        )
    if can(user, "portal.use"):
        return qs.filter(status=GeneralLicenceStatus.PUBLISHED)
    return qs.none()


def general_licence_get_for(*, user: Any, pk: int) -> GeneralLicence:
    try:
        return general_licence_list_for(user=user).get(pk=pk)
    except GeneralLicence.DoesNotExist as exc:
        raise Http404("No such general licence") from exc


def registration_list_for(*, user: Any) -> QuerySet[GeneralLicenceRegistration]:
    qs = GeneralLicenceRegistration.objects.select_related("licence", "organisation", "registered_by")
    if can(user, "casework.use"):
        return qs
    if can(user, "portal.use"):
        return qs.filter(organisation_id=user.organisation_id)
    return qs.none()


def registration_get_for(*, user: Any, pk: int) -> GeneralLicenceRegistration:
    try:
        return (
            registration_list_for(user=user)
            .prefetch_related(
                Prefetch(
                    "returns", queryset=UsageReturn.objects.prefetch_related("lines__country", "lines__ml_category")
                )
            )
            .get(pk=pk)
        )
    except GeneralLicenceRegistration.DoesNotExist as exc:
        raise Http404("No such registration") from exc


def usage_return_get_for(*, user: Any, pk: int) -> UsageReturn:
    qs = UsageReturn.objects.select_related("registration__licence", "registration__organisation")
    if can(user, "casework.use"):
        pass
    elif can(user, "portal.use"):
        qs = qs.filter(registration__organisation_id=user.organisation_id)
    else:
        qs = qs.none()
    try:
        return qs.prefetch_related("lines").get(pk=pk)
    except UsageReturn.DoesNotExist as exc:
        raise Http404("No such return") from exc


@dataclass(frozen=True)
class PeriodState:
    period: Period
    usage_return: UsageReturn | None
    overdue: bool


def periods_of(registration: GeneralLicenceRegistration, *, today: date | None = None) -> list[PeriodState]:
    """Every ended period of an approved registration, newest first, with its return (from prefetched returns)
    and whether it is overdue (periods.py)."""
    if registration.status != RegistrationStatus.APPROVED or registration.active_from is None:
        return []
    today = today or timezone.localdate()
    licence = registration.licence
    filed = {r.period_start: r for r in registration.returns.all()}
    periods = ended_periods(
        registration.active_from,
        today=today,
        last_day=licence.valid_until,
        months=licence.return_period_months,
        due_days=licence.return_due_days,
    )
    states = [
        PeriodState(period=p, usage_return=filed.get(p.start), overdue=p.start not in filed and p.is_overdue(today))
        for p in periods
    ]
    return list(reversed(states))


def overdue_count(registration: GeneralLicenceRegistration, *, today: date | None = None) -> int:
    return sum(1 for state in periods_of(registration, today=today) if state.overdue)


def usage_by_company(licence: GeneralLicence) -> list[Any]:
    """Officers: what each holder reported under one licence (returns filed, lines, total value)."""
    return list(
        UsageReturnLine.objects.filter(usage_return__registration__licence=licence)
        .values("usage_return__registration__organisation__name", "usage_return__registration_id")
        .annotate(lines=Count("pk"), value=Coalesce(Sum("value_eur"), _ZERO))
        .order_by("usage_return__registration__organisation__name")
    )


def usage_by_category_and_country(licence: GeneralLicence) -> list[Any]:
    return list(
        UsageReturnLine.objects.filter(usage_return__registration__licence=licence)
        .values("ml_category_id", "country_id")
        .annotate(lines=Count("pk"), value=Coalesce(Sum("value_eur"), _ZERO))
        .order_by("ml_category__number", "country_id")
    )


def registrations_of_organisation(*, user: Any, organisation_id: int) -> QuerySet[GeneralLicenceRegistration]:
    """Officers: a company's registrations with the value it reported under each."""
    return (
        registration_list_for(user=user)
        .filter(organisation_id=organisation_id)
        .annotate(
            returns_filed=Count("returns", distinct=True),
            value=Coalesce(Sum("returns__lines__value_eur"), _ZERO),
        )
        .prefetch_related("returns")
        .order_by("licence__reference")
    )


def history_of(target: Any) -> list[Any]:
    """The audit events about one licence, registration or return, newest first."""
    from audit.models import AuditEvent

    return list(
        AuditEvent.objects.filter(target_type=target._meta.label_lower, target_id=str(target.pk)).order_by("-sequence")
    )


def open_periods_for_filing(registration: GeneralLicenceRegistration, *, today: date | None = None) -> list[Period]:
    """Periods the holder may file now: every period from its registration up to the current one, without a
    return yet (an ended period first, as the reminders ask for it)."""
    from .periods import periods_from

    if registration.status != RegistrationStatus.APPROVED or registration.active_from is None:
        return []
    today = today or timezone.localdate()
    licence = registration.licence
    until = min(today, licence.valid_until) if licence.valid_until else today
    filed = {r.period_start for r in registration.returns.all()}
    return [
        p
        for p in periods_from(
            registration.active_from, until=until, months=licence.return_period_months, due_days=licence.return_due_days
        )
        if p.start not in filed
    ]
