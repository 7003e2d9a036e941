"""Intergovernmental programmes (treaty Art. 1) and recognised industrial cooperation projects (Art. 2 and
Annex 1: recognised by all parties concerned, then licensed operation by operation)."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.db import transaction
from django.utils import timezone

from audit.models import Verb
from audit.services import record
from core.exceptions import DomainValidationError
from core.i18n import gettext_lazy
from licensing.models import Application
from parties.memberships import members_on
from parties.models import Bloc, Country

from ..models.treaty import Programme, ProgrammeKind
from .common import require_officer

ERR_NAME = gettext_lazy("Give the programme a name.")
ERR_NAME_TAKEN = gettext_lazy("A programme with this name is already registered.")
ERR_KIND = gettext_lazy("Choose the kind of programme.")
ERR_PARTICIPANTS = gettext_lazy("Choose at least two participating parties.")
ERR_RECOGNISED_ON = gettext_lazy(
    "A recognised industrial cooperation project needs its recognition date (not in the future)."
)
ERR_NOT_PARTY = gettext_lazy("Not a treaty party on {day}: {countries}.")


@transaction.atomic(durable=True)
def programme_save(
    *,
    actor: Any,
    name: str,
    kind: str,
    participant_ids: list[str],
    description: str = "",
    recognised_on: date | None = None,
    application_ids: list[int] | None = None,
    programme_id: int | None = None,
) -> Programme:
    """Register a programme or project, or change one (programme_id); participants are treaty parties."""
    require_officer(actor)
    errors: dict[str, list[str]] = {}
    if not name.strip():
        errors["name"] = [ERR_NAME]
    elif Programme.objects.filter(name__iexact=name.strip()).exclude(pk=programme_id or 0).exists():
        errors["name"] = [ERR_NAME_TAKEN]
    if kind not in ProgrammeKind.values:
        errors["kind"] = [ERR_KIND]
    if len(set(participant_ids)) < 2:
        errors["participants"] = [ERR_PARTICIPANTS]
    today = timezone.localdate()
    if kind == ProgrammeKind.INDUSTRIAL_COOPERATION and (recognised_on is None or recognised_on > today):
        errors["recognised_on"] = [ERR_RECOGNISED_ON]
    # Parties on the recognition date (or today): the home state may take part from its accession on.
    on = recognised_on or today
    outside = sorted(set(participant_ids) - members_on(Bloc.TREATY, on))
    if outside and "participants" not in errors:
        errors["participants"] = [ERR_NOT_PARTY.format(day=on.isoformat(), countries=", ".join(outside))]
    if errors:
        raise DomainValidationError(next(iter(errors.values()))[0], field_errors=errors)
    programme = Programme.objects.select_for_update().get(pk=programme_id) if programme_id else Programme()
    programme.name = name.strip()
    programme.kind = kind
    programme.description = description.strip()
    programme.recognised_on = recognised_on
    programme._change_reason = "programme saved"  # type: ignore[attr-defined]
    programme.save()
    programme.participants.set(Country.objects.filter(pk__in=participant_ids))
    if application_ids is not None:
        programme.applications.set(Application.objects.filter(pk__in=application_ids))
    record(
        actor=actor,
        verb=Verb.PROGRAMME_SAVED,
        target=programme,
        payload={
            "name": programme.name,
            "kind": kind,
            "participants": sorted(participant_ids),
            "recognised_on": recognised_on,
            "applications": sorted(application_ids or []),
        },
    )
    return programme
