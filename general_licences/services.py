"""Writes for general licences: publish and change a licence (officers), register to use it (companies; an
officer approves where the licence says so), and file usage returns per reporting period (holders). Each service
is one durable transaction that writes its audit event; scope checks follow Directive 2009/43/EC art. 5 and 8."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone

from audit.models import Verb
from audit.services import record
from core.access import require, require_officer, roles_of
from core.exceptions import DomainValidationError, NotAllowed, StaleVersion, TransitionNotAllowed
from core.i18n import gettext_lazy as _
from core.notifications import notice, notify
from licensing.models import MLCategory
from licensing.transitions import ERR_ROLE, find
from parties.models import Country

from .models import (
    GeneralLicence,
    GeneralLicenceRegistration,
    GeneralLicenceStatus,
    RegistrationStatus,
    UsageReturn,
    UsageReturnLine,
)
from .periods import PERIOD_MONTHS, period_containing
from .transitions import REGISTRATION_TRANSITIONS, RegistrationAction

ERR_DATES = _("The licence cannot end before it starts.")
ERR_NO_CATEGORIES = _("Choose at least one Military List category.")
ERR_NO_DESTINATIONS = _("Choose at least one destination.")
ERR_PERIOD = _("Choose a reporting period of 1, 3, 6 or 12 months.")
ERR_REFERENCE_TAKEN = _("Another general licence has this reference.")
ERR_STALE = _("Someone else changed this general licence while you were editing it. Reload and try again.")
ERR_NOT_IN_FORCE = _("This general licence is not in force today; you cannot register for it.")
ERR_ALREADY_REGISTERED = _("Your organisation is already registered for this licence, or its request is pending.")
ERR_NOT_PENDING = _("This registration has already been decided.")
ERR_REASON = _("Give the reason for rejecting the registration.")
ERR_NOT_REGISTERED = _("Your organisation is not registered for this licence.")
ERR_PERIOD_BEFORE = _("Your registration took effect on {day}; there is nothing to report before then.")
ERR_PERIOD_FUTURE = _("This period has not started yet.")
ERR_PERIOD_FILED = _("A return for this period is already filed.")
ERR_NO_LINES = _("Report what you exported under the licence, or tick that it was not used in this period.")
ERR_LINES_AND_NIL = _("A return that says the licence was not used cannot list goods.")
ERR_CATEGORY_OUT_OF_SCOPE = _("{category} is not covered by this general licence.")
ERR_COUNTRY_OUT_OF_SCOPE = _("{country} is not a destination of this general licence.")
ERR_QUANTITY = _("The quantity must be more than zero.")
ERR_VALUE = _("The value cannot be negative.")
ERR_RECIPIENT = _("Name the recipient.")
ERR_DESCRIPTION = _("Describe the goods.")
ERR_SUSPENDED = _(
    "Your registration for this licence is suspended: you may not use the licence or file returns until it is "
    "reinstated. Reason: {reason}"
)
ERR_TRANSITION = _("This registration is {status}; “{action}” is not possible now.")
ERR_REGISTRATION_STALE = _("Someone else changed this registration while you were looking at it. Reload and try again.")


def _err(field: str, message: str) -> DomainValidationError:
    return DomainValidationError(str(message), field_errors={field: [str(message)]})


@dataclass(frozen=True)
class LicenceData:
    reference: str
    title: str
    kind: str
    transfer_ground: str
    ml_category_codes: list[str]
    destination_codes: list[str]
    conditions: str
    valid_from: date
    valid_until: date | None
    requires_approval: bool
    return_period_months: int
    return_due_days: int
    status: str = GeneralLicenceStatus.PUBLISHED


def _check_licence_data(data: LicenceData) -> None:
    if data.valid_until is not None and data.valid_until < data.valid_from:
        raise _err("valid_until", ERR_DATES)
    if not data.ml_category_codes:
        raise _err("ml_categories", ERR_NO_CATEGORIES)
    if not data.destination_codes:
        raise _err("destinations", ERR_NO_DESTINATIONS)
    if data.return_period_months not in PERIOD_MONTHS:
        raise _err("return_period_months", ERR_PERIOD)


def _apply(licence: GeneralLicence, data: LicenceData) -> None:
    for field in (
        "reference", "title", "kind", "transfer_ground", "conditions", "valid_from", "valid_until",
        "requires_approval", "return_period_months", "return_due_days", "status",
    ):  # fmt: skip
        setattr(licence, field, getattr(data, field))


def _save_scope(licence: GeneralLicence, data: LicenceData) -> None:
    # The primary keys are the codes (MLCategory.code, Country.iso2).
    licence.ml_categories.set(MLCategory.objects.filter(pk__in=data.ml_category_codes))
    licence.destinations.set(Country.objects.filter(pk__in=data.destination_codes))


@transaction.atomic(durable=True)
def general_licence_publish(*, actor: Any, data: LicenceData, reason: str) -> GeneralLicence:
    """An officer publishes a general licence with its scope, conditions and reporting period."""
    require_officer(actor)
    _check_licence_data(data)
    licence = GeneralLicence(created_by=actor)
    _apply(licence, data)
    licence._history_user = actor  # type: ignore[attr-defined]
    licence._change_reason = reason or "published"  # type: ignore[attr-defined]
    try:
        # Savepoint: the unique reference answers two officers publishing the same reference at once.
        with transaction.atomic():
            licence.save()
    except IntegrityError as exc:
        raise _err("reference", ERR_REFERENCE_TAKEN) from exc
    _save_scope(licence, data)
    record(
        actor=actor,
        verb=Verb.GENERAL_LICENCE_SAVED,
        target=licence,
        payload={"reference": licence.reference, "categories": sorted(data.ml_category_codes),
                 "destinations": sorted(data.destination_codes), "version": licence.version},
        reason=reason,
    )  # fmt: skip
    return licence


@transaction.atomic(durable=True)
def general_licence_update(
    *, actor: Any, licence_id: int, version: int, data: LicenceData, reason: str
) -> GeneralLicence:
    """Change a published licence (scope, conditions, validity, or withdraw it); the version guards against two
    officers overwriting each other."""
    require_officer(actor)
    _check_licence_data(data)
    # Row lock: two officers saving the same licence are serialised and the second sees the bumped version.
    licence = GeneralLicence.objects.select_for_update().get(pk=licence_id)
    if licence.version != version:
        raise StaleVersion(str(ERR_STALE))
    before = {"categories": sorted(licence.ml_categories.values_list("pk", flat=True)),
              "destinations": sorted(licence.destinations.values_list("pk", flat=True))}  # fmt: skip
    _apply(licence, data)
    licence.version += 1
    licence._history_user = actor  # type: ignore[attr-defined]
    licence._change_reason = reason  # type: ignore[attr-defined]
    try:
        with transaction.atomic():
            licence.save()
    except IntegrityError as exc:
        raise _err("reference", ERR_REFERENCE_TAKEN) from exc
    _save_scope(licence, data)
    record(
        actor=actor,
        verb=Verb.GENERAL_LICENCE_SAVED,
        target=licence,
        payload={"reference": licence.reference, "before": before, "categories": sorted(data.ml_category_codes),
                 "destinations": sorted(data.destination_codes), "status": licence.status,
                 "version": licence.version},
        reason=reason,
    )  # fmt: skip
    return licence


def _in_force(licence: GeneralLicence, today: date) -> bool:
    return (
        licence.status == GeneralLicenceStatus.PUBLISHED
        and licence.valid_from <= today
        and (licence.valid_until is None or today <= licence.valid_until)
    )


@transaction.atomic(durable=True)
def general_licence_register(*, actor: Any, licence_id: int, intended_use: str = "") -> GeneralLicenceRegistration:
    """A company registers before first use (art. 8(1)); where the licence asks for it, an officer approves."""
    require(actor, "portal.submit")
    licence = GeneralLicence.objects.get(pk=licence_id)
    today = timezone.localdate()
    if not _in_force(licence, today):
        raise TransitionNotAllowed(str(ERR_NOT_IN_FORCE))
    approved_now = not licence.requires_approval
    registration = GeneralLicenceRegistration(
        licence=licence,
        organisation_id=actor.organisation_id,
        status=RegistrationStatus.APPROVED if approved_now else RegistrationStatus.PENDING,
        intended_use=intended_use.strip(),
        registered_by=actor,
        active_from=today if approved_now else None,
    )
    registration._history_user = actor  # type: ignore[attr-defined]
    registration._change_reason = "registered"  # type: ignore[attr-defined]
    try:
        # Savepoint: the partial unique constraint answers two colleagues registering at once.
        with transaction.atomic():
            registration.save()
    except IntegrityError as exc:
        raise TransitionNotAllowed(str(ERR_ALREADY_REGISTERED)) from exc
    record(
        actor=actor,
        verb=Verb.GENERAL_LICENCE_REGISTRATION_FILED,
        target=registration,
        payload={"licence": licence.reference, "status": registration.status},
    )
    return registration


def _registration_transition(
    *,
    registration: GeneralLicenceRegistration,
    action: RegistrationAction,
    actor: Any,
    reason: str,
    fields: tuple[str, ...] = (),
) -> None:
    """The only writer of a registration's status (general_licences.transitions): check the table, save with
    history, write the audit event. Inside the caller's transaction, with the registration locked."""
    transition = find(REGISTRATION_TRANSITIONS, registration.status, action)
    if transition is None:
        status = RegistrationStatus(registration.status).label.lower()
        raise TransitionNotAllowed(str(ERR_TRANSITION).format(status=status, action=action))
    if not roles_of(actor) & {r.value for r in transition.roles}:
        raise NotAllowed(str(ERR_ROLE).format(action=action))
    if transition.reason_required and not reason.strip():
        raise _err("reason", ERR_REASON)
    previous = registration.status
    registration.status = transition.target
    registration.version += 1
    registration._history_user = actor  # type: ignore[attr-defined]
    registration._change_reason = reason.strip() or str(action)  # type: ignore[attr-defined]
    registration.save(update_fields=["status", "version", *fields])
    record(
        actor=actor,
        verb=transition.verb,
        target=registration,
        payload={"licence_id": registration.licence_id, "organisation": registration.organisation_id,
                 "action": str(action), "from": previous, "to": registration.status, "status": registration.status},
        reason=reason.strip(),
    )  # fmt: skip


def _lock_registration(registration_id: int, expected_version: int | None) -> GeneralLicenceRegistration:
    # Row lock: two officers acting on the same registration (or a holder filing while it is suspended); the
    # second sees the first's status.
    registration = (
        GeneralLicenceRegistration.objects.select_for_update().select_related("licence").get(pk=registration_id)
    )
    if expected_version is not None and registration.version != expected_version:
        raise StaleVersion(str(ERR_REGISTRATION_STALE))
    return registration


@transaction.atomic(durable=True)
def general_licence_registration_decide(
    *, actor: Any, registration_id: int, approve: bool, reason: str = ""
) -> GeneralLicenceRegistration:
    require_officer(actor)
    registration = _lock_registration(registration_id, None)
    if registration.status != RegistrationStatus.PENDING:
        raise TransitionNotAllowed(str(ERR_NOT_PENDING))
    registration.decided_by = actor
    registration.decided_at = timezone.now()
    registration.decision_reason = reason.strip()
    registration.active_from = timezone.localdate() if approve else None
    _registration_transition(
        registration=registration,
        action=RegistrationAction.APPROVE if approve else RegistrationAction.REJECT,
        actor=actor,
        reason=reason,
        fields=("decided_by", "decided_at", "decision_reason", "active_from"),
    )
    return registration


def _tell_holder(registration: GeneralLicenceRegistration, title: Any, reason: str) -> None:
    notify(
        users=registration.organisation.members.filter(is_active=True),
        title=notice(title, reference=registration.licence.reference),
        body=reason[:500],
        link=f"/portal/general-licences/registrations/{registration.pk}/",
        key=f"registration-status:{registration.pk}:{registration.version}",
    )


def _registration_status_change(
    *,
    actor: Any,
    registration_id: int,
    action: RegistrationAction,
    reason: str,
    expected_version: int | None,
    title: Any,
) -> GeneralLicenceRegistration:
    """An officer's change of a registration's status with its reason (general_licences.transitions), the holder
    told why."""
    require_officer(actor)
    registration = _lock_registration(registration_id, expected_version)
    registration.status_reason, registration.status_changed_at = reason.strip(), timezone.now()
    _registration_transition(
        registration=registration,
        action=action,
        actor=actor,
        reason=reason,
        fields=("status_reason", "status_changed_at"),
    )
    _tell_holder(registration, title, reason.strip())
    return registration


@transaction.atomic(durable=True)
def general_licence_registration_suspend(
    *, actor: Any, registration_id: int, reason: str, expected_version: int | None = None
) -> GeneralLicenceRegistration:
    """An officer suspends a holder's registration (general_licences.transitions states the rule): the holder may
    not use the licence nor file returns until it is reinstated, and is told why."""
    return _registration_status_change(
        actor=actor,
        registration_id=registration_id,
        action=RegistrationAction.SUSPEND,
        reason=reason,
        expected_version=expected_version,
        title=_("{reference}: your registration is suspended"),
    )


@transaction.atomic(durable=True)
def general_licence_registration_reinstate(
    *, actor: Any, registration_id: int, reason: str, expected_version: int | None = None
) -> GeneralLicenceRegistration:
    """An officer lifts the suspension: the holder may use the licence and file the open periods again."""
    return _registration_status_change(
        actor=actor,
        registration_id=registration_id,
        action=RegistrationAction.REINSTATE,
        reason=reason,
        expected_version=expected_version,
        title=_("{reference}: your registration is reinstated"),
    )


@dataclass(frozen=True)
class LineData:
    ml_category_code: str
    description: str
    quantity: Decimal
    unit: str
    value_eur: Decimal
    recipient: str
    country_code: str


def _line_problems(licence: GeneralLicence, lines: list[LineData]) -> dict[str, list[str]]:
    """Field errors per line (`lines.<i>.<field>`): anything outside the licence's scope is refused by name."""
    categories = set(licence.ml_categories.values_list("pk", flat=True))
    countries = set(licence.destinations.values_list("pk", flat=True))
    errors: dict[str, list[str]] = {}
    for i, line in enumerate(lines):
        if line.ml_category_code not in categories:
            errors[f"lines.{i}.ml_category"] = [str(ERR_CATEGORY_OUT_OF_SCOPE).format(category=line.ml_category_code)]
        if line.country_code not in countries:
            errors[f"lines.{i}.country"] = [str(ERR_COUNTRY_OUT_OF_SCOPE).format(country=line.country_code)]
        if line.quantity <= 0:
            errors[f"lines.{i}.quantity"] = [str(ERR_QUANTITY)]
        if line.value_eur < 0:
            errors[f"lines.{i}.value_eur"] = [str(ERR_VALUE)]
        if not line.recipient.strip():
            errors[f"lines.{i}.recipient"] = [str(ERR_RECIPIENT)]
        if not line.description.strip():
            errors[f"lines.{i}.description"] = [str(ERR_DESCRIPTION)]
    return errors


@transaction.atomic(durable=True)
def usage_return_file(
    *, actor: Any, registration_id: int, period_start: date, nil_return: bool, lines: list[LineData]
) -> UsageReturn:
    """A holder reports one period's use: each line's category and destination must be in the licence's scope."""
    require(actor, "portal.submit")
    # Row lock: two colleagues filing the same period; the unique constraint would also catch it.
    registration = (
        GeneralLicenceRegistration.objects.select_for_update().select_related("licence").get(pk=registration_id)
    )
    if registration.organisation_id != actor.organisation_id:
        raise TransitionNotAllowed(str(ERR_NOT_REGISTERED))
    if registration.status == RegistrationStatus.SUSPENDED:
        raise TransitionNotAllowed(str(ERR_SUSPENDED).format(reason=registration.status_reason))
    if registration.status != RegistrationStatus.APPROVED:
        raise TransitionNotAllowed(str(ERR_NOT_REGISTERED))
    licence = registration.licence
    period = period_containing(period_start, months=licence.return_period_months, due_days=licence.return_due_days)
    # Approved registrations are dated (a check constraint); the None test is for the type checker.
    if registration.active_from is None or period.end < registration.active_from:
        raise _err("period_start", str(ERR_PERIOD_BEFORE).format(day=registration.active_from))
    if period.start > timezone.localdate():
        raise _err("period_start", ERR_PERIOD_FUTURE)
    if nil_return and lines:
        raise _err("nil_return", ERR_LINES_AND_NIL)
    if not nil_return and not lines:
        raise _err("lines", ERR_NO_LINES)
    if problems := _line_problems(licence, lines):
        first = next(iter(problems.values()))[0]
        raise DomainValidationError(first, field_errors=problems)
    usage = UsageReturn(
        registration=registration, period_start=period.start, period_end=period.end, nil_return=nil_return,
        filed_by=actor,
    )  # fmt: skip
    usage._history_user = actor  # type: ignore[attr-defined]
    usage._change_reason = "filed"  # type: ignore[attr-defined]
    try:
        with transaction.atomic():
            usage.save()
    except IntegrityError as exc:
        raise _err("period_start", ERR_PERIOD_FILED) from exc
    for line in lines:
        row = UsageReturnLine(
            usage_return=usage,
            ml_category_id=line.ml_category_code,
            description=line.description.strip(),
            quantity=line.quantity,
            unit=line.unit,
            value_eur=line.value_eur,
            recipient=line.recipient.strip(),
            country_id=line.country_code,
        )
        row._history_user = actor  # type: ignore[attr-defined]
        row._change_reason = "filed"  # type: ignore[attr-defined]
        row.save()
    record(
        actor=actor,
        verb=Verb.USAGE_RETURN_FILED,
        target=usage,
        payload={"licence": licence.reference, "period": [period.start, period.end], "nil": nil_return,
                 "lines": len(lines), "value_eur": sum((line.value_eur for line in lines), Decimal("0"))},
    )  # fmt: skip
    return usage
