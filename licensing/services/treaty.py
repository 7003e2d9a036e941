"""Treaty component transfers: the exporter's details, the de minimis computation, and the treaty parameters.

The rule is licensing/treaty_rules.py (source cited there); this module feeds it the case's values in EUR, the
parameter versions in force on the application date, the exclusion list and the parties on that date, and
stores the result with what it used. "Application date" is the day the complete application was received
(`received_on`); a draft is computed as of today, and recomputed on submission.
"""

from __future__ import annotations

import csv
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
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
from core.workdays import add_working_days
from parties.memberships import is_member
from parties.models import Bloc, Country

from ..models import OPEN_STATUSES, Application, ApplicationStatus, LicenceType, MLCategory
from ..models.treaty import ExclusionListEntry, FinalSystem, TreatyParameter, TreatyParameterName, TreatyTransfer
from ..treaty_rules import (
    COMPONENT_EXCEEDS_TOTAL,
    REASON_EXCLUDED,
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

ERR_PARAMETER_MISSING = (
    "No treaty parameter “{name}” is in force on {day}. An administrator must load or add it "
    "(data/reference/treaty_parameters.csv)."
)
ERR_NOT_TREATY = "Treaty transfer details belong to a treaty component transfer application."
ERR_NOT_DRAFT = "A submitted application cannot be changed."
ERR_NOT_EXPORTER = "Only the exporter enters the treaty transfer details."
ERR_NO_TRANSFER = "Enter the treaty transfer details (final system and values) before submitting."
ERR_INTEGRATOR_HOME = "The integrating company must be in another treaty party, not in the Netherlands."
ERR_FOLLOW_ON = "Choose an earlier case of your company to which the de minimis rule applied."
ERR_EXCLUSION_ENTRY = "Choose an entry of the exclusion list in force, or none."
ERR_REQUIRED = "This field is required."
ERR_SYSTEM_BELOW_COMPONENTS = (
    "The final system's value excluding maintenance, spare parts, training and repairs (EUR {total}) is below the "
    "value of the Dutch components in it (EUR {components}: this application's goods{earlier})."
)
ERR_SYSTEM_BELOW_EARLIER = " plus EUR {earlier} of earlier approved transfers into the same system"
REASON_EARLIER_DECIDED = (
    "Dutch components already approved for this final system count towards the share: EUR {earlier} in {count} "
    "earlier transfer(s), plus EUR {this} in this application."
)
REASON_EXCLUDED_DECLARED = "The exporter declared the item on the exclusion annex: {entry}."
REASON_EXCLUDED_RATING = "Goods line {position}, rated {rating}, is on the exclusion annex: {entry}."
REASON_PENDING_WARNING = (
    "Warning: {count} other pending transfer(s) into this final system (EUR {pending}) would bring the share "
    "to {share} % if approved as well."
)

# Which form field a rule-module error belongs to.
_RULE_ERROR_FIELDS = {
    TOTAL_NOT_POSITIVE: "gross_total_value",
    SERVICES_NEGATIVE: "maintenance_value",
    SERVICES_EXCEED_GROSS: "maintenance_value",
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
            values["ml_sub_items"] = " ".join(row.get("ml_sub_items", "").split())
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
    final_system_identifier: str,
    final_system_ml_category_id: str,
    integrator_name: str,
    integrator_country_id: str,
    end_destination_ids: Sequence[str],
    gross_total_value: Decimal,
    system_currency: str = "EUR",
    maintenance_value: Decimal = Decimal(0),
    spares_value: Decimal = Decimal(0),
    training_value: Decimal = Decimal(0),
    repairs_value: Decimal = Decimal(0),
    follow_on_of_id: int | None = None,
    exclusion_entry_id: int | None = None,
    expected_version: int | None = None,
) -> TreatyTransfer:
    """The exporter enters or changes a draft's treaty details; the share is computed as of today and shown.

    The final system is found by its integrator's state and identifier, or registered with this first transfer
    into it. The value of the Dutch components is not asked: it is the draft's goods in EUR.

    `expected_version` is the version of the details the form showed (0 for none yet): two colleagues editing at
    once get a conflict instead of overwriting each other.
    """
    application = _lock_treaty_draft(actor=actor, application_id=application_id)
    existing = TreatyTransfer.objects.filter(application=application).first()
    if expected_version is not None and (existing.version if existing else 0) != expected_version:
        raise StaleVersion(ERR_STALE)
    today = timezone.localdate()
    details = TreatyDetails(
        final_system_name=final_system_name,
        final_system_identifier=final_system_identifier,
        final_system_ml_category_id=final_system_ml_category_id,
        integrator_name=integrator_name,
        integrator_country_id=integrator_country_id,
        end_destination_ids=tuple(end_destination_ids),
        gross_total_value=gross_total_value,
        system_currency=system_currency,
        maintenance_value=maintenance_value,
        spares_value=spares_value,
        training_value=training_value,
        repairs_value=repairs_value,
        follow_on_of_id=follow_on_of_id,
        exclusion_entry_id=exclusion_entry_id,
    )
    details_validate(details, application=application, on=today)
    transfer = existing or TreatyTransfer(application=application)
    details_apply(transfer, details, actor=actor)
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
            "final_system": transfer.final_system_id,
            "share_percent": transfer.share_percent,
            "de_minimis": transfer.de_minimis,
            "threshold_percent": transfer.threshold_percent,
            "as_of": today,
        },
    )
    return transfer


@dataclass(frozen=True)
class TreatyDetails:
    """What the exporter states about a transfer (and an officer may correct after submission)."""

    final_system_name: str
    final_system_identifier: str
    final_system_ml_category_id: str
    integrator_name: str
    integrator_country_id: str
    end_destination_ids: tuple[str, ...]
    gross_total_value: Decimal
    system_currency: str = "EUR"
    maintenance_value: Decimal = Decimal(0)
    spares_value: Decimal = Decimal(0)
    training_value: Decimal = Decimal(0)
    repairs_value: Decimal = Decimal(0)
    follow_on_of_id: int | None = None
    exclusion_entry_id: int | None = None


def details_validate(details: TreatyDetails, *, application: Application, on: date) -> None:
    """Field errors in the details of `application`'s transfer (raises DomainValidationError)."""
    errors: dict[str, list[str]] = {}
    for field, text in (
        ("final_system_name", details.final_system_name),
        ("final_system_identifier", details.final_system_identifier),
        ("integrator_name", details.integrator_name),
    ):
        if not text.strip():
            errors[field] = [ERR_REQUIRED]
    if details.integrator_country_id == HOME_STATE:
        errors["integrator_country"] = [ERR_INTEGRATOR_HOME]
    if not MLCategory.objects.filter(pk=details.final_system_ml_category_id).exists():
        errors["final_system_ml_category"] = [ERR_REQUIRED]
    if (
        details.follow_on_of_id is not None
        and not TreatyTransfer.objects.filter(
            application_id=details.follow_on_of_id,
            application__organisation_id=application.organisation_id,
            de_minimis=True,
        )
        .exclude(application_id=application.pk)
        .exists()
    ):
        errors["follow_on_of"] = [ERR_FOLLOW_ON]
    if (
        details.exclusion_entry_id is not None
        and not exclusion_entries_on(on).filter(pk=details.exclusion_entry_id).exists()
    ):
        errors["exclusion_entry"] = [ERR_EXCLUSION_ENTRY]
    if errors:
        raise DomainValidationError(next(iter(errors.values()))[0], field_errors=errors)


def details_apply(transfer: TreatyTransfer, details: TreatyDetails, *, actor: Any) -> None:
    """Set validated details on `transfer` (not saved), registering the final system if it is new."""
    for name, value in {
        "final_system": _final_system_register(
            actor=actor,
            name=details.final_system_name,
            identifier=details.final_system_identifier,
            ml_category_id=details.final_system_ml_category_id,
            integrator_name=details.integrator_name,
            integrator_country_id=details.integrator_country_id,
        ),
        "system_currency": details.system_currency,
        "gross_total_value": details.gross_total_value,
        "maintenance_value": details.maintenance_value,
        "spares_value": details.spares_value,
        "training_value": details.training_value,
        "repairs_value": details.repairs_value,
        "follow_on_of_id": details.follow_on_of_id,
        "exclusion_entry_id": details.exclusion_entry_id,
        "updated_by": actor,
    }.items():
        setattr(transfer, name, value)


def normalise_identifier(identifier: str) -> str:
    """One spelling per identifier, so "nh-90 " and "NH-90" are the same final system."""
    return " ".join(identifier.split()).upper()


def _final_system_register(
    *, actor: Any, name: str, identifier: str, ml_category_id: str, integrator_name: str, integrator_country_id: str
) -> FinalSystem:
    """The registered final system with this identifier in the integrator's state, registered now if new.

    A later transfer refers to the system as first registered; its name and integrator stay as registered (an
    officer corrects them), so that a differently spelled name cannot start a second system.
    """
    key = normalise_identifier(identifier)
    # The unique constraint on (state, identifier) settles two exporters registering the same system at once:
    # the second insert fails and that request is retried by the user; get_or_create reads the winner.
    system, created = FinalSystem.objects.get_or_create(
        integrator_country_id=integrator_country_id,
        identifier=key,
        defaults={
            "name": name.strip(),
            "ml_category_id": ml_category_id,
            "integrator_name": integrator_name.strip(),
            "registered_by": actor,
        },
    )
    if created:
        record(
            actor=actor,
            verb=Verb.FINAL_SYSTEM_REGISTERED,
            target=system,
            payload={"registered": key, "integrator_country": integrator_country_id, "name": system.name},
        )
    return system


# --- The computation ---------------------------------------------------------------------------------------


def _rated_in(sub_item: str, covered: str) -> bool:
    """Whether a goods line's sub-item ("ML4.a.1") lies within a listed one ("ML4.a"); case and spaces ignored."""
    rating, listed = "".join(sub_item.split()).lower(), "".join(covered.split()).lower()
    return bool(listed) and (rating == listed or rating.startswith(listed + "."))


def _exclusion_hits(transfer: TreatyTransfer, on: date) -> list[str]:
    """Why the transfer is on the exclusion annex in force on `on` (empty: it is not).

    The goods' own rating decides, not only the exporter's tick (issue 13): an entry that names Military List
    sub-items excludes every goods line rated in one of them, and an entry naming a whole category excludes every
    line in that category. The entry the exporter chose excludes as well.
    """
    entries = list(exclusion_entries_on(on))
    hits: list[str] = []
    if transfer.exclusion_entry_id and any(entry.pk == transfer.exclusion_entry_id for entry in entries):
        hits.append(REASON_EXCLUDED_DECLARED.format(entry=transfer.exclusion_entry))
    lines = list(transfer.application.goods.all()) if transfer.application_id else []
    for line in lines:
        for entry in entries:
            whole_category = not entry.description and entry.ml_category_id == line.ml_category_id
            sub_item = line.ml_sub_item and any(_rated_in(line.ml_sub_item, s) for s in entry.ml_sub_items.split())
            if whole_category or sub_item:
                hits.append(
                    REASON_EXCLUDED_RATING.format(
                        position=line.position, rating=line.ml_sub_item or line.ml_category_id, entry=entry
                    )
                )
                break
    return hits


def _goods_value_eur(transfer: TreatyTransfer, on: date) -> Decimal:
    """The Dutch components: the application's goods lines in EUR at the stored rates in force on `on`."""
    if not transfer.application_id:
        return Decimal(0)
    total = Decimal(0)
    for line in transfer.application.goods.all():
        total += convert_to_eur(amount=line.quantity * line.unit_value, currency=line.currency, on=on).value_eur
    return total


def _other_transfers(transfer: TreatyTransfer) -> tuple[list[dict[str, Any]], Decimal, Decimal]:
    """The other transfers of Dutch components into the same final system: (listing, decided EUR, pending EUR).

    Approved transfers count towards the share; submitted, undecided ones only warn (they may yet be refused or
    withdrawn). Follow-on maintenance, spares, training and repairs are not part of the system's value, as the
    share's denominator leaves them out too, so they are not added. Drafts, refusals and withdrawals never count.
    """
    others = (
        TreatyTransfer.objects.filter(
            final_system_id=transfer.final_system_id,
            follow_on_of__isnull=True,
            application__status__in=[ApplicationStatus.APPROVED, *OPEN_STATUSES],
        )
        .exclude(application_id=transfer.application_id)
        .select_related("application")
        .order_by("application__submitted_at", "application_id")
    )
    listing: list[dict[str, Any]] = []
    decided = pending = Decimal(0)
    for other in others:
        approved = other.application.status == ApplicationStatus.APPROVED
        if approved:
            decided += other.component_value_eur
        else:
            pending += other.component_value_eur
        listing.append(
            {
                "application_id": other.application_id,
                "reference": other.application.reference,
                "organisation_id": other.application.organisation_id,
                "value_eur": str(other.component_value_eur),
                "status": other.application.status,
                "counts": approved,
            }
        )
    return listing, decided, pending


def _assess(transfer: TreatyTransfer, *, on: date) -> None:
    """Convert to EUR as of `on`, add the earlier transfers into the same final system, apply the rule with the
    parameters and parties of `on`, and store the result with what it used."""
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
    goods_eur = _goods_value_eur(transfer, on)
    is_follow_on = transfer.follow_on_of_id is not None
    listing, decided, pending = _other_transfers(transfer) if not is_follow_on else ([], Decimal(0), Decimal(0))
    components = goods_eur + decided
    threshold = parameter_on(TreatyParameterName.DE_MINIMIS_THRESHOLD, on)
    exclusion_hits = _exclusion_hits(transfer, on)
    follow_on = (
        transfer.follow_on_of_id is not None
        and TreatyTransfer.objects.filter(application_id=transfer.follow_on_of_id, de_minimis=True).exists()
    )
    inp = DeMinimisInput(
        component_value_eur=components,
        system_total_value_eur=system.value_eur,
        excluded_item=bool(exclusion_hits),
        # The recipient's state is the integrator's: both states must be parties on the application date.
        recipient_state_is_party=is_member(transfer.final_system.integrator_country_id, Bloc.TREATY, on),
        home_state_is_party=is_member(HOME_STATE, Bloc.TREATY, on),
        follow_on_of_de_minimis=follow_on,
    )
    try:
        result = assess_de_minimis(inp, threshold_percent=threshold.as_decimal)
    except ValueError as exc:
        if str(exc) == COMPONENT_EXCEEDS_TOTAL:
            earlier = ERR_SYSTEM_BELOW_EARLIER.format(earlier=f"{decided:.2f}") if decided else ""
            message = ERR_SYSTEM_BELOW_COMPONENTS.format(
                total=f"{system.value_eur:.2f}", components=f"{components:.2f}", earlier=earlier
            )
            raise _err("gross_total_value", message) from exc
        raise _err(_RULE_ERROR_FIELDS.get(str(exc), "gross_total_value"), str(exc)) from exc
    reasons = list(result.reasons)
    if exclusion_hits:
        after = reasons.index(REASON_EXCLUDED) + 1
        reasons[after:after] = exclusion_hits
    if decided:
        counted = sum(1 for item in listing if item["counts"])
        reasons.insert(
            1,
            REASON_EARLIER_DECIDED.format(earlier=f"{decided:.2f}", count=counted, this=f"{goods_eur:.2f}"),
        )
    if pending:
        with_pending = ((components + pending) * 100 / system.value_eur).quantize(Decimal("0.01"), ROUND_HALF_UP)
        reasons.append(
            REASON_PENDING_WARNING.format(
                count=sum(1 for item in listing if not item["counts"]),
                pending=f"{pending:.2f}",
                share=f"{with_pending:.2f}",
            )
        )
    transfer.system_total_eur = system.value_eur
    transfer.system_exchange_rate = system.rate
    transfer.component_value_eur = goods_eur
    transfer.earlier_decided_eur = decided
    transfer.earlier_pending_eur = pending
    transfer.earlier_transfers = listing
    transfer.rate_date = system.rate_date
    transfer.excluded_item = inp.excluded_item
    transfer.assessed_on = on
    transfer.share = result.share
    transfer.share_percent = result.share_percent
    transfer.threshold_percent = result.threshold_percent
    transfer.threshold_parameter = threshold
    transfer.de_minimis = result.applies
    transfer.reasons = reasons
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
    """SUBMISSION_HOOK: apply the rule as of the application date; a de minimis case gets its own target."""
    if application.licence_type != LicenceType.TREATY_COMPONENT:
        return
    treaty_rule_reapply(application=application, actor=actor)


def treaty_rule_reapply(*, application: Application, actor: Any, reason: str = "") -> TreatyTransfer:
    """Apply the rule as of the application date and store the result, inside the caller's transaction (the
    submission, or an officer's correction); a de minimis case gets its own target.

    Treaty de minimis: the licence is issued "without delay", taken as a configurable number of working days
    (parameter de_minimis_target_working_days) from receipt.
    """
    received_on = application.received_on or timezone.localdate()
    transfer = treaty_assessment_compute(application, on=received_on)
    target_days: int | None = None
    if transfer.de_minimis:
        target_days = parameter_on(TreatyParameterName.DE_MINIMIS_TARGET_DAYS, received_on).as_int
        transfer.target_date = add_working_days(received_on, target_days, extra=equated_holidays())
    else:
        transfer.target_date = None
    transfer.save(update_fields=["target_date"])
    # A system action: the register applies the rule, whoever pressed "submit" or corrected the details.
    record(
        actor=None,
        verb=Verb.TREATY_TRANSFER_ASSESSED,
        target=application,
        reason=reason,
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
    return transfer
