"""Treaty component transfers: the exporter's details and the registered final systems. The computation is in
licensing/services/treaty_share.py, the parameters in licensing/services/treaty_parameters.py.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils import timezone

from audit.models import Verb
from audit.services import record
from core.access import can
from core.exceptions import DomainValidationError, NotAllowed, StaleVersion, TransitionNotAllowed
from core.i18n import gettext_lazy
from parties.models import HOME_STATE, Country

from ..models import Application, ApplicationStatus, LicenceType, MLCategory
from ..models.treaty import FinalSystem, TreatyTransfer
from .treaty_parameters import exclusion_entries_on
from .treaty_share import share_compute
from .workflow import ERR_STALE, lock_application

ERR_NOT_TREATY = gettext_lazy("Treaty transfer details belong to a treaty component transfer application.")
ERR_NOT_DRAFT = gettext_lazy("A submitted application cannot be changed.")
ERR_NOT_EXPORTER = gettext_lazy("Only the exporter enters the treaty transfer details.")
ERR_INTEGRATOR_HOME = gettext_lazy("The integrating company must be in another treaty party, not in the Netherlands.")
ERR_FOLLOW_ON = gettext_lazy("Choose an earlier case of your company to which the de minimis rule applied.")
ERR_EXCLUSION_ENTRY = gettext_lazy("Choose an entry of the exclusion list in force, or none.")
ERR_REQUIRED = gettext_lazy("This field is required.")


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
    share_compute(transfer, on=today)
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
