"""Changes to an issued licence: the holder asks for an amendment or an extension, or surrenders the licence; an
officer decides a change through the decision gate (decision_gate.amendment_gate), with a senior officer's
countersignature where licensing.amendment_rules says so. An approved change makes a new version of the licence:
the version in force stays on the licence row (so shipments always count against it), the one it replaces is
frozen in a LicenceVersion with its PDF, and the new version's PDF is rendered by Celery.

The status tables are AMENDMENT_TRANSITIONS and LICENCE_TRANSITIONS (amend, extend, surrender) in
licensing.transitions; `_amendment_transition` is the only writer of an amendment's status.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

from django.db import transaction
from django.utils import timezone

from audit.models import Verb
from audit.services import record
from core.access import can, require_officer, require_second_person, roles_of
from core.enqueue import enqueue_on_commit
from core.exceptions import DecisionBlocked, DomainValidationError, NotAllowed, StaleVersion, TransitionNotAllowed
from core.i18n import gettext_lazy
from core.notifications import notice, notify
from core.roles import Role
from parties.models import HOME_STATE, Country
from parties.selectors import users_with_roles

from ..amendment_selectors import change_findings
from ..certificate_rules import EndUserNamed, certificate_problems, end_user_certificate_required
from ..decision_gate import Stage, amendment_gate
from ..destination_flags import licence_flags_fix
from ..models import (
    MULTI_DESTINATION_TYPES,
    OPEN_AMENDMENT_STATUSES,
    AmendmentKind,
    AmendmentStatus,
    DecisionObjection,
    EndUserCertificate,
    Licence,
    LicenceAmendment,
    LicenceStatus,
    LicenceVersion,
    LicensedGoods,
    LicensedParty,
    MLCategory,
    PartyRole,
    PartyType,
    Product,
    SavedParty,
    Unit,
    licence_total,
)
from ..models.treaty import TreatyTransfer
from ..transitions import (
    AMENDMENT_TRANSITIONS,
    ERR_REASON,
    ERR_ROLE,
    AmendmentAction,
    LicenceAction,
    find,
)
from .amendment_consultations import change_consultations_close
from .workflow import ERR_STALE, licence_transition

ERR_OTHER_ORGANISATION = gettext_lazy("This licence belongs to another organisation.")
ERR_NOT_IN_FORCE = gettext_lazy("Licence {number} is {status}: only a licence in force can be changed.")
ERR_OPEN_REQUEST = gettext_lazy("A change of this licence is already being decided; withdraw it first.")
ERR_REASON_REQUIRED = gettext_lazy("Say why the licence needs to change.")
ERR_NOTHING_CHANGES = gettext_lazy(
    "Nothing changes: give a new quantity, value, end of validity, destination, consignee, end user or goods line."
)
ERR_EXTENSION_LATER = gettext_lazy("An extension ends later than the licence does now ({until}).")
ERR_EXTENSION_ONLY_VALIDITY = gettext_lazy("An extension changes only the end of validity; request an amendment.")
ERR_UNTIL_PAST = gettext_lazy("The licence must stay valid until at least today.")
ERR_UNTIL_BEFORE_START = gettext_lazy("The licence must end after it starts ({start}).")
ERR_GOODS_UNKNOWN = gettext_lazy("This goods item is not on this licence.")
ERR_QUANTITY = gettext_lazy("Give a quantity of at least what has been shipped ({shipped} {unit}).")
ERR_VALUE = gettext_lazy("Give a value of at least what has been shipped (EUR {shipped}).")
ERR_NUMBER = gettext_lazy("Give a number.")
ERR_OUTCOME = gettext_lazy("Choose approve or refuse.")
ERR_DECISION_REASONS = gettext_lazy("Write the reasons for the decision: the holder is told.")
ERR_STATUS = gettext_lazy("This request is {status}; “{action}” is not possible now.")
ERR_PARTY_ROLE = gettext_lazy("Only the consignee and the end user can be changed.")
ERR_PARTY_TWICE = gettext_lazy("Give one new party per role.")
ERR_SAVED_PARTY_UNKNOWN = gettext_lazy("This party is not among your organisation's saved parties.")
ERR_PARTY_REQUIRED = gettext_lazy("Fill in the name, address, country and type of the new party.")
ERR_PARTY_TYPE = gettext_lazy("Choose the type of party.")
ERR_COUNTRY_UNKNOWN = gettext_lazy("Choose a country from the list.")
ERR_PARTY_HOME = gettext_lazy("The consignee and end user must be outside the Netherlands.")
ERR_PRODUCT_UNKNOWN = gettext_lazy("This product is not in your organisation's catalogue.")
ERR_ADDED_DESCRIPTION = gettext_lazy("Describe the goods to add, or pick a product from your catalogue.")
ERR_ADDED_CATEGORY = gettext_lazy("Choose the Military List category of the goods to add.")
ERR_ADDED_QUANTITY = gettext_lazy("Give a quantity above zero.")
ERR_ADDED_VALUE = gettext_lazy("Give a value above zero.")
ERR_ADDED_UNIT = gettext_lazy("Choose a unit.")
ERR_EUC_REQUIRED = gettext_lazy("A new end user needs a registered end-user certificate that names it.")
ERR_EUC_UNKNOWN = gettext_lazy("This certificate is not among your organisation's end-user certificates.")
ERR_NOT_SENIOR = gettext_lazy("Only a senior licensing officer can countersign.")
REASON_SURRENDERED = "the licence was surrendered"


def _err(field: str, message: Any) -> DomainValidationError:
    return DomainValidationError(message, field_errors={field: [message]})


def _amendment_transition(
    *,
    amendment: LicenceAmendment,
    action: AmendmentAction,
    actor: Any,
    reason: str = "",
    fields: tuple[str, ...] = (),
    payload: dict[str, Any] | None = None,
) -> None:
    """The only writer of an amendment's status: check the table, save with history, write the audit event."""
    transition = find(AMENDMENT_TRANSITIONS, amendment.status, action)
    if transition is None:
        status = AmendmentStatus(amendment.status).label.lower()
        raise TransitionNotAllowed(ERR_STATUS.format(status=status, action=action))
    if not roles_of(actor) & {r.value for r in transition.roles}:
        raise NotAllowed(ERR_ROLE.format(action=action))
    if transition.reason_required and not reason.strip():
        raise _err("reason", ERR_REASON)
    previous = amendment.status
    amendment.status = transition.target
    amendment.version += 1
    amendment._change_reason = reason or str(action)  # type: ignore[attr-defined]
    amendment.save(update_fields=["status", "version", *fields])
    record(
        actor=actor,
        verb=transition.verb,
        target=amendment,
        reason=reason,
        payload={"action": str(action), "from": previous, "to": amendment.status, **(payload or {})},
    )
    if amendment.status in (AmendmentStatus.REFUSED, AmendmentStatus.WITHDRAWN):
        # Nothing is left to consult on (Art. 4): the change's open consultations end with it.
        change_consultations_close(amendment=amendment, actor=actor, reason=reason or str(action))


def _lock_licence(licence_id: int, expected_version: int | None = None) -> Licence:
    # Lock the licence: a shipment, a status change or a second change recorded at the same moment must wait and
    # then see this one (the version in force and its balance).
    licence = Licence.objects.select_for_update().get(pk=licence_id)
    if expected_version is not None and licence.version != expected_version:
        raise StaleVersion(ERR_STALE)
    return licence


def _lock_amendment(amendment_id: int, expected_version: int | None) -> tuple[LicenceAmendment, Licence]:
    amendment = LicenceAmendment.objects.get(pk=amendment_id)
    licence = _lock_licence(amendment.licence_id)
    # Lock the request too (after the licence, always in this order): two officers deciding it at once.
    amendment = LicenceAmendment.objects.select_for_update().select_related("licence").get(pk=amendment_id)
    if expected_version is not None and amendment.version != expected_version:
        raise StaleVersion(ERR_STALE)
    return amendment, licence


def _decimal(raw: Any, field: str) -> Decimal:
    try:
        value = Decimal(str(raw))
    except (InvalidOperation, ValueError) as exc:
        raise _err(field, ERR_NUMBER) from exc
    if not value.is_finite() or value < 0:
        raise _err(field, ERR_NUMBER)
    return value


def _clean_goods_changes(licence: Licence, goods_changes: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Only the lines that change, as strings (JSON); field errors name the line: goods-<id>-quantity."""
    lines = {g.pk: g for g in LicensedGoods.objects.filter(licence=licence)}
    cleaned = []
    for change in goods_changes:
        line = lines.get(int(change["goods"]))
        if line is None:
            raise _err(f"goods-{change['goods']}-quantity", ERR_GOODS_UNKNOWN)
        quantity = _decimal(change.get("quantity", line.quantity), f"goods-{line.pk}-quantity")
        value = _decimal(change.get("value_eur", line.value_eur), f"goods-{line.pk}-value_eur")
        if quantity < line.shipped_quantity:
            message = ERR_QUANTITY.format(shipped=line.shipped_quantity.normalize(), unit=line.unit)
            raise _err(f"goods-{line.pk}-quantity", message)
        if value < line.shipped_value_eur:
            raise _err(f"goods-{line.pk}-value_eur", ERR_VALUE.format(shipped=line.shipped_value_eur))
        if (quantity, value) != (line.quantity, line.value_eur):
            cleaned.append({"goods": line.pk, "quantity": f"{quantity:.3f}", "value_eur": f"{value:.2f}"})
    return cleaned


def _same_party(current: LicensedParty | None, change: dict[str, Any]) -> bool:
    if current is None:
        return False
    return (
        " ".join(current.name.casefold().split()) == " ".join(str(change["name"]).casefold().split())
        and current.country_id == change["country"]
        and current.address.strip() == str(change["address"]).strip()
    )


def _clean_party_changes(licence: Licence, party_changes: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The consignee or end user that replaces the licence's, from a saved party of the holder or typed in; field
    errors name the role: <role>-name, <role>-saved_party. A party equal to the one in force is no change."""
    current = {party.role: party for party in LicensedParty.objects.filter(licence=licence).order_by("pk")}
    cleaned: list[dict[str, Any]] = []
    for change in party_changes:
        role = change.get("role")
        if role not in (PartyRole.CONSIGNEE, PartyRole.END_USER):
            raise _err("parties", ERR_PARTY_ROLE)
        if any(c["role"] == role for c in cleaned):
            raise _err(f"{role}-name", ERR_PARTY_TWICE)
        saved_id = change.get("saved_party")
        if saved_id:
            saved = SavedParty.objects.filter(pk=saved_id, organisation_id=licence.organisation_id).first()
            if saved is None:
                raise _err(f"{role}-saved_party", ERR_SAVED_PARTY_UNKNOWN)
            fields = {
                "name": saved.name,
                "address": saved.address,
                "country": saved.country_id,
                "party_type": saved.party_type,
            }
        else:
            fields = {key: str(change.get(key) or "").strip() for key in ("name", "address", "country", "party_type")}
            missing = [key for key, value in fields.items() if not value]
            if missing:
                raise DomainValidationError(
                    ERR_PARTY_REQUIRED, field_errors={f"{role}-{key}": [ERR_PARTY_REQUIRED] for key in missing}
                )
            if fields["party_type"] not in PartyType.values:
                raise _err(f"{role}-party_type", ERR_PARTY_TYPE)
            if not Country.objects.filter(pk=fields["country"]).exists():
                raise _err(f"{role}-country", ERR_COUNTRY_UNKNOWN)
        if fields["country"] == HOME_STATE:
            raise _err(f"{role}-country", ERR_PARTY_HOME)
        if _same_party(current.get(role), fields):
            continue
        cleaned.append({"role": role, **fields, "saved_party": saved_id or None})
    return cleaned


def _clean_goods_additions(licence: Licence, goods_additions: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Goods lines to add, from a product of the holder's catalogue or typed in; field errors name the line:
    added-<n>-description, added-<n>-quantity, ..."""
    cleaned = []
    for n, addition in enumerate(goods_additions):
        prefix = f"added-{n}-"
        description = str(addition.get("description") or "").strip()
        category = str(addition.get("ml_category") or "").strip()
        product_id = addition.get("product")
        if product_id:
            product = Product.objects.filter(pk=product_id, organisation_id=licence.organisation_id).first()
            if product is None:
                raise _err(prefix + "product", ERR_PRODUCT_UNKNOWN)
            description, category = description or product.description, product.ml_category_id
        if not description:
            raise _err(prefix + "description", ERR_ADDED_DESCRIPTION)
        if not category or not MLCategory.objects.filter(pk=category).exists():
            raise _err(prefix + "ml_category", ERR_ADDED_CATEGORY)
        quantity = _decimal(addition.get("quantity"), prefix + "quantity")
        if quantity <= 0:
            raise _err(prefix + "quantity", ERR_ADDED_QUANTITY)
        value = _decimal(addition.get("value_eur"), prefix + "value_eur")
        if value <= 0:
            raise _err(prefix + "value_eur", ERR_ADDED_VALUE)
        unit = addition.get("unit") or Unit.PIECES
        if unit not in Unit.values:
            raise _err(prefix + "unit", ERR_ADDED_UNIT)
        cleaned.append(
            {
                "description": description[:500],
                "ml_category": category,
                "quantity": f"{quantity:.3f}",
                "unit": unit,
                "value_eur": f"{value:.2f}",
                "product": product_id or None,
            }
        )
    return cleaned


def _clean_certificate(
    licence: Licence, party_changes: list[dict[str, Any]], certificate_id: int | None
) -> EndUserCertificate | None:
    """A new end user relies on a registered certificate that names it and is valid today (amendment_rules)."""
    new_end_user = next((c for c in party_changes if c["role"] == PartyRole.END_USER), None)
    if new_end_user is None:
        return None
    if not certificate_id:
        de_minimis = TreatyTransfer.objects.filter(application_id=licence.application_id, de_minimis=True).exists()
        if end_user_certificate_required(licence_type=licence.licence_type, de_minimis=de_minimis):
            raise _err("end_user_certificate", ERR_EUC_REQUIRED)
        return None
    certificate = EndUserCertificate.objects.filter(pk=certificate_id, organisation_id=licence.organisation_id).first()
    if certificate is None:
        raise _err("end_user_certificate", ERR_EUC_UNKNOWN)
    named = EndUserNamed(new_end_user["name"], new_end_user["country"])
    if problems := certificate_problems(certificate, named, timezone.localdate()):
        raise DomainValidationError(problems[0], field_errors={"end_user_certificate": problems})
    return certificate


def _new_amendment(
    *,
    licence: Licence,
    requested_by: Any,
    kind: str,
    reason: str,
    new_valid_until: date | None,
    new_destination: str | None,
    goods_changes: list[dict[str, Any]],
    party_changes: list[dict[str, Any]] | None = None,
    goods_additions: list[dict[str, Any]] | None = None,
    end_user_certificate_id: int | None = None,
    objection: DecisionObjection | None = None,
) -> LicenceAmendment:
    """Validate a requested change against the version in force and store it (inside the caller's transaction,
    with the licence locked)."""
    if kind not in AmendmentKind.values:
        raise _err("kind", ERR_NOTHING_CHANGES)
    if not reason.strip():
        raise _err("reason", ERR_REASON_REQUIRED)
    if licence.status != LicenceStatus.ISSUED:
        status = LicenceStatus(licence.status).label.lower()
        raise TransitionNotAllowed(ERR_NOT_IN_FORCE.format(number=licence.number, status=status))
    if LicenceAmendment.objects.filter(licence=licence, status__in=OPEN_AMENDMENT_STATUSES).exists():
        raise TransitionNotAllowed(ERR_OPEN_REQUEST)
    if kind == AmendmentKind.EXTENSION and (goods_changes or new_destination or party_changes or goods_additions):
        raise _err("valid_until", ERR_EXTENSION_ONLY_VALIDITY)
    if new_valid_until == licence.valid_until:
        new_valid_until = None
    if new_valid_until is not None:
        if new_valid_until <= licence.valid_from:
            raise _err("valid_until", ERR_UNTIL_BEFORE_START.format(start=licence.valid_from))
        if new_valid_until < timezone.localdate():
            raise _err("valid_until", ERR_UNTIL_PAST)
    if kind == AmendmentKind.EXTENSION and (new_valid_until is None or new_valid_until <= licence.valid_until):
        raise _err("valid_until", ERR_EXTENSION_LATER.format(until=licence.valid_until))
    parties = _clean_party_changes(licence, party_changes or [])
    additions = _clean_goods_additions(licence, goods_additions or [])
    certificate = _clean_certificate(licence, parties, end_user_certificate_id)
    new_end_user = next((c for c in parties if c["role"] == PartyRole.END_USER), None)
    if not new_destination and new_end_user and licence.licence_type not in MULTI_DESTINATION_TYPES:
        # The destination follows the end user's country (Application.destination); amendment_rules.
        new_destination = new_end_user["country"]
    destination = None
    if new_destination and new_destination != licence.destination_id:
        destination = Country.objects.filter(pk=new_destination).first()
        if destination is None:
            raise _err("destination", ERR_NUMBER)
    cleaned = _clean_goods_changes(licence, goods_changes)
    if new_valid_until is None and destination is None and not cleaned and not parties and not additions:
        raise _err("reason", ERR_NOTHING_CHANGES)
    amendment = LicenceAmendment(
        licence=licence,
        kind=kind,
        based_on_version=licence.terms_version,
        reason=reason.strip(),
        new_valid_until=new_valid_until,
        new_destination=destination,
        goods_changes=cleaned,
        party_changes=parties,
        goods_additions=additions,
        end_user_certificate=certificate,
        objection=objection,
        requested_by=requested_by,
        requested_at=timezone.now(),
    )
    amendment._change_reason = reason.strip()  # type: ignore[attr-defined]
    amendment.save()
    record(
        actor=requested_by,
        verb=Verb.LICENCE_AMENDMENT_REQUESTED,
        target=amendment,
        reason=reason.strip(),
        payload={
            "licence": licence.number,
            "kind": kind,
            "based_on_version": licence.terms_version,
            "new_valid_until": new_valid_until,
            "new_destination": destination.pk if destination else None,
            "goods_changes": cleaned,
            "party_changes": parties,
            "goods_additions": additions,
            "end_user_certificate": certificate.pk if certificate else None,
            "objection": objection.pk if objection else None,
        },
    )
    return amendment


@transaction.atomic(durable=True)
def licence_amendment_request(
    *,
    actor: Any,
    licence_id: int,
    kind: str,
    reason: str,
    new_valid_until: date | None = None,
    new_destination: str | None = None,
    goods_changes: list[dict[str, Any]] | None = None,
    party_changes: list[dict[str, Any]] | None = None,
    goods_additions: list[dict[str, Any]] | None = None,
    end_user_certificate_id: int | None = None,
) -> LicenceAmendment:
    """The holder asks to change the licence (amendment) or to make it last longer (extension): goods and
    quantities, validity, destination, a new consignee or end user (`party_changes`: role and a saved party or the
    party's details; a new end user with its end-user certificate), or goods lines to add (`goods_additions`)."""
    licence = _lock_licence(licence_id)
    if licence.organisation_id != getattr(actor, "organisation_id", None) or not can(actor, "portal.use"):
        raise NotAllowed(ERR_OTHER_ORGANISATION)
    amendment = _new_amendment(
        licence=licence,
        requested_by=actor,
        kind=kind,
        reason=reason,
        new_valid_until=new_valid_until,
        new_destination=new_destination,
        goods_changes=goods_changes or [],
        party_changes=party_changes,
        goods_additions=goods_additions,
        end_user_certificate_id=end_user_certificate_id,
    )
    assigned = licence.application.assigned_to
    notify(
        users=[assigned] if assigned else users_with_roles(Role.OFFICER),
        title=notice(
            gettext_lazy("Licence {number}: {kind} requested"),
            number=licence.number,
            kind=AmendmentKind(kind).label.lower(),
        ),
        body=reason.strip()[:500],
        link=f"/casework/amendments/{amendment.pk}/",
        key=f"amendment-requested:{amendment.pk}",
    )
    return amendment


@transaction.atomic(durable=True)
def licence_amendment_withdraw(*, actor: Any, amendment_id: int, reason: str) -> LicenceAmendment:
    amendment, licence = _lock_amendment(amendment_id, None)
    if licence.organisation_id != getattr(actor, "organisation_id", None):
        raise NotAllowed(ERR_OTHER_ORGANISATION)
    _amendment_transition(amendment=amendment, action=AmendmentAction.WITHDRAW, actor=actor, reason=reason.strip())
    return amendment


@transaction.atomic(durable=True)
def licence_amendment_decide(
    *, actor: Any, amendment_id: int, outcome: str, reasons: str, expected_version: int | None = None
) -> LicenceAmendment:
    """The officer decides a requested change. Where four eyes apply (amendment_rules) it waits for a senior
    officer's countersignature; otherwise an approval takes effect at once."""
    require_officer(actor)
    if outcome not in ("approve", "refuse"):
        raise _err("outcome", ERR_OUTCOME)
    if not reasons.strip():
        raise _err("reasons", ERR_DECISION_REASONS)
    amendment, licence = _lock_amendment(amendment_id, expected_version)
    return _decide(amendment=amendment, licence=licence, actor=actor, outcome=outcome, reasons=reasons.strip())


def _decide(
    *, amendment: LicenceAmendment, licence: Licence, actor: Any, outcome: str, reasons: str
) -> LicenceAmendment:
    amendment.check_findings = change_findings(amendment)
    answer = amendment_gate(amendment, outcome=outcome, stage=Stage.PROPOSE)
    if not answer.allowed:
        raise DecisionBlocked(answer.blockers)
    amendment.four_eyes_reasons = list(answer.countersignature_reasons)
    amendment.proposed_outcome, amendment.decision_reasons = outcome, reasons
    amendment.proposed_by, amendment.proposed_at = actor, timezone.now()
    fields = (
        "check_findings",
        "four_eyes_reasons",
        "proposed_outcome",
        "decision_reasons",
        "proposed_by",
        "proposed_at",
    )
    if answer.needs_countersignature:
        _amendment_transition(
            amendment=amendment,
            action=AmendmentAction.PROPOSE,
            actor=actor,
            reason=reasons,
            fields=fields,
            payload={"outcome": outcome, "four_eyes": amendment.four_eyes_reasons},
        )
        notify(
            users=users_with_roles(Role.SENIOR_OFFICER, exclude=actor),
            title=notice(gettext_lazy("Licence {number}: change to countersign"), number=licence.number),
            body=reasons[:300],
            link=f"/casework/amendments/{amendment.pk}/",
            key=f"amendment-countersign:{amendment.pk}:{amendment.version}",
        )
        return amendment
    # One officer decides: only an approval can get here (a refusal always needs four eyes).
    amendment.decided_at = timezone.now()
    _amendment_transition(
        amendment=amendment,
        action=AmendmentAction.APPROVE,
        actor=actor,
        reason=reasons,
        fields=(*fields, "decided_at"),
        payload={"outcome": outcome},
    )
    _take_effect(amendment=amendment, licence=licence, actor=actor)
    return amendment


@transaction.atomic(durable=True)
def licence_amendment_countersign(
    *, actor: Any, amendment_id: int, reason: str = "", expected_version: int | None = None
) -> LicenceAmendment:
    """A senior officer, not the proposer, countersigns the proposed decision on a change; it then takes effect."""
    if not can(actor, "casework.countersign"):
        raise NotAllowed(ERR_NOT_SENIOR)
    amendment, licence = _lock_amendment(amendment_id, expected_version)
    if amendment.status != AmendmentStatus.PROPOSED:
        raise TransitionNotAllowed(
            ERR_STATUS.format(status=amendment.get_status_display().lower(), action="countersign")
        )  # type: ignore[attr-defined]
    require_second_person(proposer_id=amendment.proposed_by_id, actor=actor)
    amendment.countersigned_by = actor
    answer = amendment_gate(amendment, outcome=amendment.proposed_outcome, stage=Stage.TAKE_EFFECT)
    if not answer.allowed:
        raise DecisionBlocked(answer.blockers)
    amendment.decided_at = timezone.now()
    action = AmendmentAction.APPROVE if amendment.proposed_outcome == "approve" else AmendmentAction.REFUSE
    _amendment_transition(
        amendment=amendment,
        action=action,
        actor=actor,
        reason=reason.strip(),
        fields=("countersigned_by", "decided_at"),
        payload={"outcome": amendment.proposed_outcome, "countersigned": True},
    )
    if action == AmendmentAction.APPROVE:
        _take_effect(amendment=amendment, licence=licence, actor=actor)
    else:
        _tell_holder(amendment, licence, gettext_lazy("Licence {number}: the change you asked for is refused"))
    return amendment


@transaction.atomic(durable=True)
def licence_amendment_return(
    *, actor: Any, amendment_id: int, reason: str, expected_version: int | None = None
) -> LicenceAmendment:
    """The senior officer sends the proposal back to be decided again."""
    if not can(actor, "casework.countersign"):
        raise NotAllowed(ERR_NOT_SENIOR)
    amendment, _licence = _lock_amendment(amendment_id, expected_version)
    if amendment.status == AmendmentStatus.PROPOSED:
        require_second_person(proposer_id=amendment.proposed_by_id, actor=actor)
    _amendment_transition(amendment=amendment, action=AmendmentAction.RETURN, actor=actor, reason=reason.strip())
    return amendment


def _tell_holder(amendment: LicenceAmendment, licence: Licence, title: Any) -> None:
    notify(
        users=licence.organisation.members.filter(is_active=True),
        title=notice(title, number=licence.number),
        body=amendment.decision_reasons[:500],
        link=f"/portal/licences/{licence.pk}/",
        key=f"amendment-decided:{amendment.pk}",
    )


def _take_effect(*, amendment: LicenceAmendment, licence: Licence, actor: Any) -> None:
    """The approved change makes a new version: freeze the version in force (terms, goods as shipped, PDF), apply
    the change to the licence row and its goods, and have Celery render the new version's PDF."""
    now = timezone.now()
    # The version in force was issued with the licence (version 1) or when the change before replaced its version.
    previous = LicenceVersion.objects.filter(licence=licence).order_by("-number").first()
    goods = list(LicensedGoods.objects.select_for_update().filter(licence=licence).order_by("pk"))
    parties = list(LicensedParty.objects.select_for_update().filter(licence=licence).order_by("role", "pk"))
    frozen = LicenceVersion.objects.create(
        licence=licence,
        number=licence.terms_version,
        valid_from=licence.valid_from,
        valid_until=licence.valid_until,
        destination_id=licence.destination_id,
        conditions=licence.conditions,
        total_value_eur=licence.total_value_eur,
        goods=[
            {
                "goods": g.pk,
                "description": g.description,
                "ml_category": g.ml_category_id,
                "quantity": f"{g.quantity:.3f}",
                "unit": g.unit,
                "value_eur": f"{g.value_eur:.2f}",
                "shipped_quantity": f"{g.shipped_quantity:.3f}",
                "shipped_value_eur": f"{g.shipped_value_eur:.2f}",
            }
            for g in goods
        ],
        parties=[party.as_snapshot() for party in parties],
        issued_at=previous.superseded_at if previous else licence.issued_at,
        document=licence.document.name or "",
        document_sha256=licence.document_sha256,
        superseded_at=now,
        superseded_by_amendment=amendment,
    )
    changes = {c["goods"]: c for c in amendment.goods_changes}
    for line in goods:
        change = changes.get(line.pk)
        if change is None:
            continue
        line.quantity, line.value_eur = Decimal(change["quantity"]), Decimal(change["value_eur"])
        line._change_reason = f"amendment {amendment.pk}"  # type: ignore[attr-defined]
        line.save(update_fields=["quantity", "value_eur"])
    _apply_party_changes(amendment, parties)
    for addition in amendment.goods_additions:
        added = LicensedGoods(
            licence=licence,
            goods_line=None,
            description=addition["description"],
            ml_category_id=addition["ml_category"],
            quantity=Decimal(addition["quantity"]),
            unit=addition["unit"],
            value_eur=Decimal(addition["value_eur"]),
        )
        added._change_reason = f"amendment {amendment.pk}: goods line added"  # type: ignore[attr-defined]
        added.save()
        goods.append(added)
    before = {
        "valid_until": licence.valid_until,
        "destination": licence.destination_id,
        "total": licence.total_value_eur,
    }
    if amendment.new_valid_until:
        licence.valid_until = amendment.new_valid_until
    flags: list[str] = []
    if amendment.new_destination_id:
        licence.destination_id = amendment.new_destination_id
        flags = licence_flags_fix(licence)  # membership of the new destination on the issue date
    licence.total_value_eur = licence_total(goods)
    licence.terms_version += 1
    licence._change_reason = f"amendment {amendment.pk}: version {licence.terms_version}"  # type: ignore[attr-defined]
    licence.document, licence.document_sha256 = "", ""  # type: ignore[assignment]
    licence.save(
        update_fields=[
            "valid_until",
            "destination",
            "total_value_eur",
            "terms_version",
            "document",
            "document_sha256",
            *flags,
        ]
    )
    amendment.resulting_version = licence.terms_version
    amendment.save(update_fields=["resulting_version"])
    action = LicenceAction.EXTEND if amendment.kind == AmendmentKind.EXTENSION else LicenceAction.AMEND
    licence_transition(
        licence=licence,
        action=action,
        actor=actor,
        reason=amendment.decision_reasons,
        payload={
            "amendment": amendment.pk,
            "version": {"from": licence.terms_version - 1, "to": licence.terms_version},
            "valid_until": {"from": before["valid_until"], "to": licence.valid_until},
            "destination": {"from": before["destination"], "to": licence.destination_id},
            "total_value_eur": {"from": before["total"], "to": licence.total_value_eur},
            "goods_changes": amendment.goods_changes,
            "party_changes": amendment.party_changes,
            "goods_additions": amendment.goods_additions,
        },
    )
    from ..tasks import licence_render_pdf, licence_version_render_pdf

    enqueue_on_commit(licence_render_pdf, licence.pk)
    if not frozen.document:
        # The replaced version's PDF was never rendered: render it from its frozen terms, goods and parties.
        enqueue_on_commit(licence_version_render_pdf, frozen.pk)
    _tell_holder(amendment, licence, gettext_lazy("Licence {number}: the change is approved, a new version is issued"))


def _apply_party_changes(amendment: LicenceAmendment, parties: list[LicensedParty]) -> None:
    """The new consignee or end user replaces the party in that role; the one replaced stays in the frozen
    version (LicenceVersion.parties) and in the party's history."""
    for change in amendment.party_changes:
        for replaced in [p for p in parties if p.role == change["role"]]:
            replaced._change_reason = f"amendment {amendment.pk}: replaced"  # type: ignore[attr-defined]
            replaced.delete()
        party = LicensedParty(
            licence_id=amendment.licence_id,
            role=change["role"],
            name=change["name"],
            address=change["address"],
            country_id=change["country"],
            party_type=change["party_type"],
        )
        party._change_reason = f"amendment {amendment.pk}"  # type: ignore[attr-defined]
        party.save()


@transaction.atomic(durable=True)
def licence_surrender(*, actor: Any, licence_id: int, reason: str, expected_version: int | None = None) -> Licence:
    """The holder gives the licence back: no more shipments under it; an open change request is withdrawn."""
    licence = _lock_licence(licence_id, expected_version)
    if licence.organisation_id != getattr(actor, "organisation_id", None):
        raise NotAllowed(ERR_OTHER_ORGANISATION)
    open_request = (
        LicenceAmendment.objects.select_for_update().filter(licence=licence, status__in=OPEN_AMENDMENT_STATUSES).first()
    )
    licence_transition(licence=licence, action=LicenceAction.SURRENDER, actor=actor, reason=reason.strip())
    if open_request is not None:
        _amendment_transition(
            amendment=open_request, action=AmendmentAction.WITHDRAW, actor=actor, reason=REASON_SURRENDERED
        )
    assigned = licence.application.assigned_to
    notify(
        users=[assigned] if assigned else users_with_roles(Role.OFFICER),
        title=notice(gettext_lazy("Licence {number} surrendered by the holder"), number=licence.number),
        body=reason.strip()[:500],
        link=f"/casework/licences/{licence.pk}/versions/",
        key=f"licence-surrendered:{licence.pk}",
    )
    return licence


def amendment_open_for_objection(
    *, objection: DecisionObjection, licence: Licence, actor: Any, reasons: str, change: dict[str, Any]
) -> LicenceAmendment:
    """Awb 7:11 on an approval: the decision on the objection changes the licence. The change is recorded as a
    request of the objector and decided at once by the officer deciding the objection, through the same gate (a
    senior officer countersigns where the rule says so). Inside the objection service's transaction."""
    locked = _lock_licence(licence.pk)
    amendment = _new_amendment(
        licence=locked,
        requested_by=objection.filed_by,
        kind=AmendmentKind.AMENDMENT,
        reason=objection.grounds,
        new_valid_until=change.get("new_valid_until"),
        new_destination=change.get("new_destination"),
        goods_changes=change.get("goods_changes") or [],
        party_changes=change.get("party_changes"),
        goods_additions=change.get("goods_additions"),
        end_user_certificate_id=change.get("end_user_certificate"),
        objection=objection,
    )
    return _decide(amendment=amendment, licence=locked, actor=actor, outcome="approve", reasons=reasons)
