"""Treaty component transfers: the exporter's details, the de minimis computation, and the treaty parameters.

The rule is licensing/treaty_rules.py (source cited there); this module feeds it the case's values in EUR, the
parameter versions in force on the application date, the exclusion list and the parties on that date, and
stores the result with what it used. "Application date" is the day the complete application was received
(`received_on`); a draft is computed as of today, and recomputed on submission.
"""

from __future__ import annotations

import csv
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone

from audit.models import Verb
from audit.services import record
from core.access import can
from core.exceptions import DomainValidationError, NotAllowed, StaleVersion, TransitionNotAllowed
from core.i18n import gettext_lazy
from core.workdays import add_working_days
from parties.memberships import is_member
from parties.models import Bloc, Country

from ..models import Application, ApplicationStatus, LicenceType, MLCategory
from ..models.treaty import ExclusionListEntry, TreatyParameter, TreatyParameterName, TreatyTransfer
from ..treaty_rules import (
    COMPONENT_EXCEEDS_TOTAL,
    COMPONENT_NEGATIVE,
    SERVICES_EXCEED_GROSS,
    SERVICES_NEGATIVE,
    TOTAL_NOT_POSITIVE,
    DeMinimisInput,
    assess_de_minimis,
    system_total_excluding_services,
)
from .applications import HOME_STATE, convert_to_eur
from .clock import equated_holidays
from .workflow import ERR_STALE, lock_application

PARAMETERS_CSV = Path(settings.BASE_DIR) / "data" / "reference" / "treaty_parameters.csv"

ERR_PARAMETER_MISSING = gettext_lazy(
    "No treaty parameter “{name}” is in force on {day}. An administrator must load or add it "
    "(data/reference/treaty_parameters.csv)."
)
ERR_NOT_TREATY = gettext_lazy("Treaty transfer details belong to a treaty component transfer application.")
ERR_NOT_DRAFT = gettext_lazy("A submitted application cannot be changed.")
ERR_NOT_EXPORTER = gettext_lazy("Only the exporter enters the treaty transfer details.")
ERR_NO_TRANSFER = gettext_lazy("Enter the treaty transfer details (final system and values) before submitting.")
ERR_INTEGRATOR_HOME = gettext_lazy("The integrating company must be in another treaty party, not in the Netherlands.")
ERR_FOLLOW_ON = gettext_lazy("Choose an earlier case of your company to which the de minimis rule applied.")
ERR_EXCLUSION_ENTRY = gettext_lazy("Choose an entry of the exclusion list in force, or none.")
ERR_REQUIRED = gettext_lazy("This field is required.")

# Which form field a rule-module error belongs to.
_RULE_ERROR_FIELDS = {
    TOTAL_NOT_POSITIVE: "gross_total_value",
    SERVICES_NEGATIVE: "maintenance_value",
    SERVICES_EXCEED_GROSS: "maintenance_value",
    COMPONENT_NEGATIVE: "component_value",
    COMPONENT_EXCEEDS_TOTAL: "component_value",
}


def _err(field: str, message: str) -> DomainValidationError:
    return DomainValidationError(message, field_errors={field: [message]})


def _in_force_q(on: date) -> Q:
    return Q(valid_from__lte=on) & (Q(valid_until__isnull=True) | Q(valid_until__gte=on))


def parameter_on(name: str, on: date) -> TreatyParameter:
    """The version of treaty parameter `name` in force on `on` (the latest start on or before that day)."""
    parameter = TreatyParameter.objects.filter(_in_force_q(on), name=name).order_by("-valid_from").first()
    if parameter is None:
        raise DomainValidationError(ERR_PARAMETER_MISSING.format(name=name, day=on.isoformat()))
    return parameter


def exclusion_entries_on(on: date) -> QuerySet[ExclusionListEntry]:
    return ExclusionListEntry.objects.filter(_in_force_q(on)).select_related("ml_category")


# --- Loading the parameters --------------------------------------------------------------------------------


def _rows(path: Path) -> list[dict[str, str]]:
    with open(path, newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(line for line in handle if not line.startswith("#")))


def _optional_date(value: str) -> date | None:
    return date.fromisoformat(value) if value.strip() else None


@transaction.atomic(durable=True)
def treaty_parameters_load(*, actor: Any = None, path: Path | None = None) -> dict[str, int]:
    """Load the parameters and the exclusion list; a row is written only when new or different (idempotent)."""
    counts = {"created": 0, "updated": 0, "unchanged": 0}
    changes: list[str] = []
    for row in _rows(path or PARAMETERS_CSV):
        valid_from = date.fromisoformat(row["valid_from"])
        values: dict[str, Any] = {"valid_until": _optional_date(row["valid_until"]), "source": row["source"]}
        obj: TreatyParameter | ExclusionListEntry | None
        if row["kind"] == "parameter":
            TreatyParameterName(row["name"])  # an unknown name is a data error: fail loudly
            lookup: dict[str, Any] = {"name": row["name"], "valid_from": valid_from}
            values["value"] = row["value"].strip()
            obj = TreatyParameter.objects.filter(**lookup).first()
            model: type[TreatyParameter] | type[ExclusionListEntry] = TreatyParameter
        elif row["kind"] == "exclusion":
            lookup = {
                "ml_category_id": row["ml_category"] or None,
                "description": row["description"].strip(),
                "valid_from": valid_from,
            }
            obj = ExclusionListEntry.objects.filter(**lookup).first()
            model = ExclusionListEntry
        else:
            raise ValueError(f"Unknown kind {row['kind']!r} in {PARAMETERS_CSV.name}")
        if obj is None:
            obj = model(**lookup, **values)
            obj._change_reason = "treaty parameters loaded"  # type: ignore[union-attr]
            obj.save()
            counts["created"] += 1
            changes.append(str(obj))
            continue
        changed = [field for field, value in values.items() if getattr(obj, field) != value]
        if not changed:
            counts["unchanged"] += 1
            continue
        for field in changed:
            setattr(obj, field, values[field])
        obj._change_reason = "treaty parameters reloaded"  # type: ignore[union-attr]
        obj.save(update_fields=changed)
        counts["updated"] += 1
        changes.append(str(obj))
    if changes:
        record(actor=actor, verb=Verb.TREATY_PARAMETERS_LOADED, target=("treaty_parameters", "csv"), payload=counts)
    return counts


# --- The exporter's details --------------------------------------------------------------------------------


def _lock_treaty_draft(*, actor: Any, application_id: int) -> Application:
    if not can(actor, "portal.use"):
        raise NotAllowed(ERR_NOT_EXPORTER)
    # Lock the case: the treaty details and the draft's goods change together, never half of each.
    application = lock_application(pk=application_id)
    if application.organisation_id != actor.organisation_id:
        raise NotAllowed("This case belongs to another organisation.")
    if application.licence_type != LicenceType.TREATY_COMPONENT:
        raise TransitionNotAllowed(ERR_NOT_TREATY)
    if application.status != ApplicationStatus.DRAFT:
        raise TransitionNotAllowed(ERR_NOT_DRAFT)
    return application


@transaction.atomic(durable=True)
def treaty_transfer_save(
    *,
    actor: Any,
    application_id: int,
    final_system_name: str,
    final_system_ml_category_id: str,
    integrator_name: str,
    integrator_country_id: str,
    end_destination_ids: list[str],
    gross_total_value: Decimal,
    component_value: Decimal,
    system_currency: str = "EUR",
    component_currency: str = "EUR",
    maintenance_value: Decimal = Decimal(0),
    spares_value: Decimal = Decimal(0),
    training_value: Decimal = Decimal(0),
    repairs_value: Decimal = Decimal(0),
    follow_on_of_id: int | None = None,
    exclusion_entry_id: int | None = None,
    expected_version: int | None = None,
) -> TreatyTransfer:
    """The exporter enters or changes a draft's treaty details; the share is computed as of today and shown.

    `expected_version` is the version of the details the form showed (0 for none yet): two colleagues editing at
    once get a conflict instead of overwriting each other.
    """
    application = _lock_treaty_draft(actor=actor, application_id=application_id)
    existing = TreatyTransfer.objects.filter(application=application).first()
    if expected_version is not None and (existing.version if existing else 0) != expected_version:
        raise StaleVersion(ERR_STALE)
    today = timezone.localdate()
    errors: dict[str, list[str]] = {}
    for field, text in (("final_system_name", final_system_name), ("integrator_name", integrator_name)):
        if not text.strip():
            errors[field] = [ERR_REQUIRED]
    if integrator_country_id == HOME_STATE:
        errors["integrator_country"] = [ERR_INTEGRATOR_HOME]
    if not MLCategory.objects.filter(pk=final_system_ml_category_id).exists():
        errors["final_system_ml_category"] = [ERR_REQUIRED]
    if (
        follow_on_of_id is not None
        and not TreatyTransfer.objects.filter(
            application_id=follow_on_of_id,
            application__organisation_id=application.organisation_id,
            de_minimis=True,
        )
        .exclude(application_id=application.pk)
        .exists()
    ):
        errors["follow_on_of"] = [ERR_FOLLOW_ON]
    if exclusion_entry_id is not None and not exclusion_entries_on(today).filter(pk=exclusion_entry_id).exists():
        errors["exclusion_entry"] = [ERR_EXCLUSION_ENTRY]
    if errors:
        raise DomainValidationError(next(iter(errors.values()))[0], field_errors=errors)

    transfer = existing or TreatyTransfer(application=application)
    for name, value in {
        "final_system_name": final_system_name.strip(),
        "final_system_ml_category_id": final_system_ml_category_id,
        "integrator_name": integrator_name.strip(),
        "integrator_country_id": integrator_country_id,
        "system_currency": system_currency,
        "gross_total_value": gross_total_value,
        "maintenance_value": maintenance_value,
        "spares_value": spares_value,
        "training_value": training_value,
        "repairs_value": repairs_value,
        "component_value": component_value,
        "component_currency": component_currency,
        "follow_on_of_id": follow_on_of_id,
        "exclusion_entry_id": exclusion_entry_id,
        "updated_by": actor,
    }.items():
        setattr(transfer, name, value)
    _assess(transfer, on=today)
    is_new = transfer.pk is None
    if not is_new:
        transfer.version += 1
    transfer._change_reason = "treaty details saved"  # type: ignore[attr-defined]
    transfer.save()
    transfer.end_destinations.set(Country.objects.filter(pk__in=end_destination_ids))
    record(
        actor=actor,
        verb=Verb.TREATY_TRANSFER_SAVED,
        target=application,
        payload={
            "share_percent": transfer.share_percent,
            "de_minimis": transfer.de_minimis,
            "threshold_percent": transfer.threshold_percent,
            "as_of": today,
        },
    )
    return transfer


# --- The computation ---------------------------------------------------------------------------------------


def _excluded(transfer: TreatyTransfer, on: date) -> bool:
    """On the exclusion annex in force on `on`: the entry the exporter chose, or a whole excluded category."""
    entries = exclusion_entries_on(on)
    if transfer.exclusion_entry_id and entries.filter(pk=transfer.exclusion_entry_id).exists():
        return True
    whole_categories = entries.filter(description="", ml_category__isnull=False).values("ml_category_id")
    return (
        bool(transfer.application_id)
        and transfer.application.goods.filter(ml_category_id__in=whole_categories).exists()
    )


def _assess(transfer: TreatyTransfer, *, on: date) -> None:
    """Convert to EUR as of `on`, apply the rule with the parameters and parties of `on`, store the result."""
    try:
        net_total = system_total_excluding_services(
            transfer.gross_total_value,
            transfer.maintenance_value,
            transfer.spares_value,
            transfer.training_value,
            transfer.repairs_value,
        )
    except ValueError as exc:
        raise _err(_RULE_ERROR_FIELDS.get(str(exc), "gross_total_value"), str(exc)) from exc
    system = convert_to_eur(amount=net_total, currency=transfer.system_currency, on=on)
    component = convert_to_eur(amount=transfer.component_value, currency=transfer.component_currency, on=on)
    threshold = parameter_on(TreatyParameterName.DE_MINIMIS_THRESHOLD, on)
    follow_on = (
        transfer.follow_on_of_id is not None
        and TreatyTransfer.objects.filter(application_id=transfer.follow_on_of_id, de_minimis=True).exists()
    )
    inp = DeMinimisInput(
        component_value_eur=component.value_eur,
        system_total_value_eur=system.value_eur,
        excluded_item=_excluded(transfer, on),
        # The recipient's state is the integrator's: both states must be parties on the application date.
        recipient_state_is_party=is_member(transfer.integrator_country_id, Bloc.TREATY, on),
        home_state_is_party=is_member(HOME_STATE, Bloc.TREATY, on),
        follow_on_of_de_minimis=follow_on,
    )
    try:
        result = assess_de_minimis(inp, threshold_percent=threshold.as_decimal)
    except ValueError as exc:
        raise _err(_RULE_ERROR_FIELDS.get(str(exc), "component_value"), str(exc)) from exc
    transfer.system_total_eur = system.value_eur
    transfer.system_exchange_rate = system.rate
    transfer.component_value_eur = component.value_eur
    transfer.component_exchange_rate = component.rate
    transfer.rate_date = component.rate_date or system.rate_date
    transfer.excluded_item = inp.excluded_item
    transfer.assessed_on = on
    transfer.share = result.share
    transfer.share_percent = result.share_percent
    transfer.threshold_percent = result.threshold_percent
    transfer.threshold_parameter = threshold
    transfer.de_minimis = result.applies
    transfer.reasons = result.reasons
    transfer.computed_at = timezone.now()


@transaction.atomic
def treaty_assessment_compute(application: Application, *, on: date) -> TreatyTransfer:
    """Recompute and store the de minimis result of `application` as of `on` (its application date).

    Runs inside the caller's transaction (the submission); the transfer row is locked so two recomputations
    cannot interleave their halves of the result.
    """
    try:
        transfer = TreatyTransfer.objects.select_for_update().get(application=application)
    except TreatyTransfer.DoesNotExist as exc:
        raise _err("treaty", ERR_NO_TRANSFER) from exc
    transfer.application = application
    _assess(transfer, on=on)
    transfer.version += 1
    transfer._change_reason = f"de minimis rule applied as of {on.isoformat()}"  # type: ignore[attr-defined]
    transfer.save()
    return transfer


def treaty_on_submission(*, application: Application, actor: Any) -> None:
    """SUBMISSION_HOOK: apply the rule as of the application date; a de minimis case gets its own target.

    Treaty de minimis: the licence is issued "without delay", taken as a configurable number of working days
    (parameter de_minimis_target_working_days) from receipt.
    """
    if application.licence_type != LicenceType.TREATY_COMPONENT:
        return
    received_on = application.received_on or timezone.localdate()
    transfer = treaty_assessment_compute(application, on=received_on)
    target_days: int | None = None
    if transfer.de_minimis:
        target_days = parameter_on(TreatyParameterName.DE_MINIMIS_TARGET_DAYS, received_on).as_int
        transfer.target_date = add_working_days(received_on, target_days, extra=equated_holidays())
    else:
        transfer.target_date = None
    transfer.save(update_fields=["target_date"])
    # A system action: the register applies the rule, whoever pressed "submit".
    record(
        actor=None,
        verb=Verb.TREATY_TRANSFER_ASSESSED,
        target=application,
        payload={
            "share_percent": transfer.share_percent,
            "threshold_percent": transfer.threshold_percent,
            "threshold_parameter": transfer.threshold_parameter_id,
            "de_minimis": transfer.de_minimis,
            "reasons": transfer.reasons,
            "as_of": received_on,
            "target_date": transfer.target_date,
            "target_working_days": target_days,
            "submitted_by": getattr(actor, "pk", None),
        },
    )
