"""Reads of licence changes (amendments, extensions) and earlier licence versions, scoped like licences:
exporters their own organisation's, officers all; missing and forbidden both 404."""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet
from django.http import Http404

from audit.models import AuditEvent
from core.access import can

from .decision_gate import change_summary
from .models import OPEN_AMENDMENT_STATUSES, Licence, LicenceAmendment, LicenceVersion, PartyRole
from .models.consultation import Consultation
from .models.denials import ChangeDenialDismissal
from .services.checks import checks_for_change


def _scope(user: Any, qs: QuerySet[LicenceAmendment]) -> QuerySet[LicenceAmendment]:
    if can(user, "casework.use"):
        return qs
    if can(user, "portal.use"):
        return qs.filter(licence__organisation_id=user.organisation_id)
    return qs.none()


def amendment_list_for(*, user: Any) -> QuerySet[LicenceAmendment]:
    """Open requests, oldest first (the officer's work list)."""
    return (
        _scope(user, LicenceAmendment.objects.filter(status__in=sorted(OPEN_AMENDMENT_STATUSES)))
        .select_related("licence", "licence__organisation")
        .order_by("requested_at", "id")
    )


def amendment_get_for(*, user: Any, pk: int) -> LicenceAmendment:
    qs = _scope(user, LicenceAmendment.objects.all()).select_related(
        "licence",
        "licence__organisation",
        "licence__destination",
        "licence__application",
        "new_destination",
        "requested_by",
        "proposed_by",
        "countersigned_by",
        "objection",
        "end_user_certificate",
    )
    try:
        return qs.get(pk=pk)
    except LicenceAmendment.DoesNotExist as exc:
        raise Http404("No such change request") from exc


def amendments_of(licence: Licence) -> list[LicenceAmendment]:
    """Every change asked for on one licence (one query), latest first."""
    return list(LicenceAmendment.objects.filter(licence=licence).order_by("-requested_at", "-id"))


def versions_of(licence: Licence) -> list[LicenceVersion]:
    """The earlier versions of one licence (one query), latest first; the version in force is the licence."""
    return list(LicenceVersion.objects.filter(licence=licence).select_related("destination").order_by("-number"))


def version_get_for(*, licence: Licence, number: int) -> LicenceVersion:
    """An earlier version of a licence the caller already reached through licence_get_for (so scoped)."""
    try:
        return LicenceVersion.objects.get(licence=licence, number=number)
    except LicenceVersion.DoesNotExist as exc:
        raise Http404("No such licence version") from exc


def amendment_consultations_of(amendment: LicenceAmendment) -> list[Consultation]:
    """The Art. 4 consultations opened on a change (one query), oldest first."""
    return list(Consultation.objects.filter(amendment=amendment).select_related("counterpart", "denial").order_by("pk"))


def amendment_dismissals_of(amendment: LicenceAmendment) -> list[ChangeDenialDismissal]:
    """The officer's findings that the change is not essentially identical to a proposed denial (one query)."""
    return list(
        ChangeDenialDismissal.objects.filter(amendment=amendment)
        .select_related("denial__issuing_state", "decided_by")
        .order_by("pk")
    )


def amendment_history_of(amendment: LicenceAmendment) -> list[AuditEvent]:
    """The change's own events and those of the consultations opened on it, in order (two queries)."""
    consultations = [str(pk) for pk in Consultation.objects.filter(amendment=amendment).values_list("pk", flat=True)]
    return list(
        AuditEvent.objects.filter(
            Q(target_type="licensing.licenceamendment", target_id=str(amendment.pk))
            | Q(target_type=Consultation._meta.label_lower, target_id__in=consultations)
        ).order_by("sequence")
    )


def amendment_rows(amendment: LicenceAmendment) -> list[dict[str, Any]]:
    """Before and after, per goods line that changes, for the pages."""
    lines = {g.pk: g for g in amendment.licence.goods.all()}
    rows = []
    for change in amendment.goods_changes:
        line = lines.get(change["goods"])
        if line is not None:
            rows.append({"line": line, "quantity": change["quantity"], "value_eur": change["value_eur"]})
    return rows


def change_findings(amendment: LicenceAmendment) -> list[dict[str, Any]]:
    """The checks on what a change brings into play, as of today (read-only): none when the change only narrows
    the licence (licensing.amendment_rules). The decision keeps them on the amendment; the page previews them."""
    if not change_summary(amendment).needs_checks:
        return []
    licence = amendment.licence
    destination = amendment.new_destination_id or licence.destination_id
    changing = {change["role"] for change in amendment.party_changes}
    parties = [
        (party.role, party.name, party.country_id) for party in licence.parties.all() if party.role not in changing
    ]
    parties += [(change["role"], change["name"], change["country"]) for change in amendment.party_changes]
    new_end_users = [
        (change["name"], change["country"])
        for change in amendment.party_changes
        if change["role"] == PartyRole.END_USER
    ]
    categories = {g.ml_category_id for g in licence.goods.all()} | {a["ml_category"] for a in amendment.goods_additions}
    return checks_for_change(
        destination_id=destination, parties=parties, categories=categories, new_end_users=new_end_users
    )


def party_rows(amendment: LicenceAmendment) -> list[dict[str, Any]]:
    """Before and after, per party role that changes, for the pages."""
    current = {party.role: party for party in amendment.licence.parties.all()}
    return [
        {"role": PartyRole(change["role"]).label, "before": current.get(change["role"]), "after": change}
        for change in amendment.party_changes
    ]
