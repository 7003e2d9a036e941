"""The officer's side: assignment, requests for information, notes, decisions with four eyes, licences."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_noop

from audit.models import Verb
from audit.services import record
from core.access import ERR_NOT_OFFICER, can, require, require_officer, require_second_person
from core.enqueue import enqueue_on_commit
from core.exceptions import DecisionBlocked, DomainValidationError, NotAllowed, StaleVersion, TransitionNotAllowed
from core.i18n import gettext_lazy
from core.notifications import notice, notify
from core.roles import Role
from core.texts import REASON_WORDS, Words, date_param
from core.workdays import add_working_days
from parties.selectors import users_with_roles

from .. import events
from ..decision_gate import Stage, decision_gate
from ..destination_flags import decision_flags_fix, licence_flags_fix
from ..models import (
    OPEN_STATUSES,
    Application,
    ApplicationStatus,
    CaseNote,
    Criterion,
    Decision,
    DecisionOutcome,
    DecisionStatus,
    InformationRequest,
    Licence,
    LicenceStatus,
    LicensedGoods,
    LicensedParty,
    Shipment,
    licence_total,
)
from ..models.assessment import CheckTrigger
from ..transitions import LICENCE_TRANSITIONS, Action, LicenceAction
from .checks import checks_run
from .clock import equated_holidays
from .consultations import consultations_close_with_case
from .denials import art4_grant_notify, refusal_record
from .numbering import licence_number
from .parliament import parliament_information_flag
from .workflow import ERR_STALE, application_transition, licence_transition, lock_application

ERR_ASSIGNEE_NOT_OFFICER = gettext_lazy("Cases can only be assigned to licensing officers.")
ERR_ASSIGN_STATUS = gettext_lazy("This case is {status}; only open cases can be assigned.")
ERR_QUESTION_REQUIRED = gettext_lazy("Write the question for the exporter.")
ERR_NOTE_REQUIRED = gettext_lazy("Write the note.")
ERR_JUSTIFICATION = gettext_lazy(
    "Write the justification for the decision: it is recorded and shown in the case history."
)
ERR_VALIDITY = gettext_lazy("The licence must end after it starts.")
ERR_VALIDITY_REQUIRED = gettext_lazy("Give the licence's validity period.")
ERR_CRITERIA_REQUIRED = gettext_lazy("A refusal cites the criteria it rests on.")
ERR_NO_PENDING_DECISION = gettext_lazy("There is no decision waiting for countersignature.")
ERR_NOT_SENIOR = gettext_lazy("Only a senior licensing officer can countersign.")
ERR_RETURN_REASON = gettext_lazy("Say why you send the decision back.")
RESPOND_BY_WORKING_DAYS = 10
REASON_TAKEN_TO_DECIDE = "took the case to decide it"


def _case_link(application: Application) -> str:
    return f"/portal/applications/{application.pk}/"


@transaction.atomic(durable=True)
def application_assign(
    *, actor: Any, application_id: int, assignee: Any | None, reason: str = "", expected_version: int | None = None
) -> Application:
    """Assign (or unassign) a case; the first assignment starts the review."""
    require_officer(actor)
    if assignee is not None and not can(assignee, "casework.use"):
        raise DomainValidationError(ERR_ASSIGNEE_NOT_OFFICER, field_errors={"assignee": [ERR_ASSIGNEE_NOT_OFFICER]})
    application = lock_application(pk=application_id, expected_version=expected_version)
    if application.status not in OPEN_STATUSES:
        # Drafts are not cases yet, and decided cases never change again.
        status = ApplicationStatus(application.status).label.lower()
        raise TransitionNotAllowed(ERR_ASSIGN_STATUS.format(status=status))
    previous = application.assigned_to
    application.assigned_to = assignee
    application.version += 1
    application._change_reason = reason or "assigned"  # type: ignore[attr-defined]
    application.save(update_fields=["assigned_to", "version", "updated_at"])
    record(
        actor=actor,
        verb=Verb.APPLICATION_ASSIGNED,
        target=application,
        reason=reason,
        payload={"from": previous.pk if previous else None, "to": assignee.pk if assignee else None},
    )
    if application.status == ApplicationStatus.SUBMITTED and assignee is not None:
        application_transition(application=application, action=Action.START_REVIEW, actor=actor)
    if assignee is not None and assignee != actor:
        notify(
            users=[assignee],
            title=notice(gettext_lazy("{reference} assigned to you"), reference=application.reference),
            body=application.title,
            link=f"/casework/cases/{application.pk}/",
            key=f"assign:{application.pk}:{application.version}",
        )
    return application


@transaction.atomic(durable=True)
def information_request(
    *,
    actor: Any,
    application_id: int,
    question: str,
    expected_version: int | None = None,
    respond_by: date | None = None,
) -> InformationRequest:
    """Ask the exporter; the Awb decision term is suspended until they answer (Awb 4:15)."""
    require_officer(actor)
    if not question.strip():
        raise DomainValidationError(ERR_QUESTION_REQUIRED, field_errors={"question": [ERR_QUESTION_REQUIRED]})
    application = lock_application(pk=application_id, expected_version=expected_version)
    today = timezone.localdate()
    application_transition(
        application=application, action=Action.REQUEST_INFORMATION, actor=actor, reason=question.strip()
    )
    request = InformationRequest(
        application=application,
        question=question.strip(),
        requested_by=actor,
        requested_on=today,
        respond_by=respond_by or add_working_days(today, RESPOND_BY_WORKING_DAYS, extra=equated_holidays()),
    )
    request._change_reason = "information requested"  # type: ignore[attr-defined]
    request.save()
    events.information_requested(request)
    notify(
        users=application.organisation.members.filter(is_active=True),
        title=notice(
            gettext_lazy("{reference}: the licensing authority asks for information"), reference=application.reference
        ),
        body=question.strip()[:500],
        link=_case_link(application),
        key=f"rfi:{request.pk}",
    )
    return request


@transaction.atomic(durable=True)
def note_add(*, actor: Any, application_id: int, text: str) -> CaseNote:
    require(actor, "casework.view_case", ERR_NOT_OFFICER)
    if not text.strip():
        raise DomainValidationError(ERR_NOTE_REQUIRED, field_errors={"text": [ERR_NOTE_REQUIRED]})
    application = Application.objects.get(pk=application_id)
    note = CaseNote(application=application, author=actor, text=text.strip())
    note._change_reason = "note added"  # type: ignore[attr-defined]
    note.save()
    record(actor=actor, verb=Verb.APPLICATION_NOTE_ADDED, target=application, payload={"note": note.pk})
    return note


def _validate_decision(
    *,
    outcome: str,
    justification: str,
    valid_from: date | None,
    valid_until: date | None,
    criteria: list[int],
    refusal_ground: str = "",
) -> None:
    errors: dict[str, list[str]] = {}
    if not justification.strip():
        errors["justification"] = [ERR_JUSTIFICATION]
    if outcome == DecisionOutcome.APPROVE:
        if valid_from is None or valid_until is None:
            errors["valid_until"] = [ERR_VALIDITY_REQUIRED]
        elif valid_until <= valid_from:
            errors["valid_until"] = [ERR_VALIDITY]
    elif outcome == DecisionOutcome.REFUSE:
        # A refusal rests on the criteria, or (de minimis treaty transfers only, checked by the decision gate) on
        # the treaty's ground of direct interests or national security.
        if not criteria and not refusal_ground:
            errors["criteria"] = [ERR_CRITERIA_REQUIRED]
    else:
        errors["outcome"] = ["Choose approve or refuse."]
    if errors:
        raise DomainValidationError(next(iter(errors.values()))[0], field_errors=errors)


@transaction.atomic(durable=True)
def decision_propose(
    *,
    actor: Any,
    application_id: int,
    outcome: str,
    justification: str,
    expected_version: int | None = None,
    conditions: str = "",
    valid_from: date | None = None,
    valid_until: date | None = None,
    criteria: list[int] | None = None,
    sub_criteria: str = "",
    refusal_ground: str = "",
) -> Decision:
    """Propose a decision. Where four eyes apply it waits for a senior officer; otherwise it takes effect."""
    require_officer(actor)
    criteria = criteria or []
    _validate_decision(
        outcome=outcome,
        justification=justification,
        valid_from=valid_from,
        valid_until=valid_until,
        criteria=criteria,
        refusal_ground=refusal_ground,
    )
    application = lock_application(pk=application_id, expected_version=expected_version)
    _take_case_to_decide(application=application, actor=actor)
    # The gate reads the checks as of today: run them first, in this transaction (a denial notified or an
    # embargo imposed since submission must count).
    checks_run(application=application, actor=None, trigger=CheckTrigger.BEFORE_DECISION)
    answer = decision_gate(application, outcome=outcome, refusal_ground=refusal_ground, stage=Stage.PROPOSE)
    if not answer.allowed:
        raise DecisionBlocked(answer.blockers)
    reasons = list(answer.countersignature_reasons)
    decision = Decision(
        application=application,
        outcome=outcome,
        justification=justification.strip(),
        conditions=conditions,
        valid_from=valid_from,
        valid_until=valid_until,
        sub_criteria=sub_criteria,
        refusal_ground=refusal_ground,
        needs_countersignature=bool(reasons),
        proposed_by=actor,
        proposed_at=timezone.now(),
        status=DecisionStatus.PROPOSED if reasons else DecisionStatus.FINAL,
    )
    decision_flags_fix(decision, destination=application.destination_id)  # a final refusal's, in its transaction
    decision._change_reason = justification.strip()  # type: ignore[attr-defined]
    decision.save()
    if criteria:
        decision.criteria.set(Criterion.objects.filter(number__in=criteria))
    # The proposal changes the case: bump its version so a stale form elsewhere is refused.
    Application.objects.filter(pk=application.pk).update(version=F("version") + 1)
    application.version += 1
    record(
        actor=actor,
        verb=Verb.DECISION_PROPOSED,
        target=application,
        reason=justification.strip(),
        payload={"decision": decision.pk, "outcome": outcome, "criteria": criteria, "four_eyes": reasons},
    )
    if reasons:
        notify(
            users=users_with_roles(Role.SENIOR_OFFICER, exclude=actor),
            title=notice(gettext_lazy("{reference}: decision to countersign"), reference=application.reference),
            body=notice(
                "{outcome}: {text}", outcome=DecisionOutcome(decision.outcome).label, text=justification.strip()[:300]
            ),
            link=f"/casework/cases/{application.pk}/",
            key=f"countersign:{decision.pk}",
        )
    else:
        _take_effect(decision=decision, application=application, actor=actor)
    return decision


@transaction.atomic(durable=True)
def decision_countersign(
    *, actor: Any, decision_id: int, reason: str = "", expected_version: int | None = None
) -> Decision:
    if not can(actor, "casework.countersign"):
        raise NotAllowed(ERR_NOT_SENIOR)
    decision = Decision.objects.select_for_update().get(pk=decision_id)
    application = lock_application(pk=decision.application_id, expected_version=expected_version)
    if decision.status != DecisionStatus.PROPOSED:
        raise TransitionNotAllowed(ERR_NO_PENDING_DECISION)
    require_second_person(proposer_id=decision.proposed_by_id, actor=actor)
    checks_run(application=application, actor=None, trigger=CheckTrigger.BEFORE_DECISION)
    # The gate itself is asked by the status machine when the decision takes effect (_take_effect below).
    decision.status = DecisionStatus.FINAL
    decision.countersigned_by = actor
    decision.countersigned_at = timezone.now()
    flags = decision_flags_fix(decision, destination=application.destination_id)
    decision._change_reason = reason or "countersigned"  # type: ignore[attr-defined]
    decision.save(update_fields=["status", "countersigned_by", "countersigned_at", *flags])
    record(
        actor=actor,
        verb=Verb.DECISION_COUNTERSIGNED,
        target=application,
        reason=reason,
        payload={"decision": decision.pk, "outcome": decision.outcome},
    )
    _take_effect(decision=decision, application=application, actor=actor)
    return decision


@transaction.atomic(durable=True)
def decision_return(*, actor: Any, decision_id: int, reason: str, expected_version: int | None = None) -> Decision:
    if not can(actor, "casework.countersign"):
        raise NotAllowed(ERR_NOT_SENIOR)
    if not reason.strip():
        raise DomainValidationError(ERR_RETURN_REASON, field_errors={"reason": [ERR_RETURN_REASON]})
    decision = Decision.objects.select_for_update().get(pk=decision_id)
    # Lock the case too: a countersignature racing this return must see one or the other, never both.
    lock_application(pk=decision.application_id, expected_version=expected_version)
    if decision.status != DecisionStatus.PROPOSED:
        raise TransitionNotAllowed(ERR_NO_PENDING_DECISION)
    require_second_person(proposer_id=decision.proposed_by_id, actor=actor)
    decision.status = DecisionStatus.RETURNED
    decision.returned_by = actor
    decision.return_reason = reason.strip()
    decision._change_reason = reason.strip()  # type: ignore[attr-defined]
    decision.save(update_fields=["status", "returned_by", "return_reason"])
    record(
        actor=actor,
        verb=Verb.DECISION_RETURNED,
        target=decision.application,
        reason=reason.strip(),
        payload={"decision": decision.pk},
    )
    notify(
        users=[decision.proposed_by],
        title=notice(gettext_lazy("{reference}: decision sent back"), reference=decision.application.reference),
        body=reason.strip(),
        link=f"/casework/cases/{decision.application_id}/",
        key=f"returned:{decision.pk}",
    )
    return decision


def _take_case_to_decide(*, application: Application, actor: Any) -> None:
    """Whoever decides a case holds it: an officer deciding a case assigned to someone else takes it first, and
    the history says so."""
    if application.assigned_to_id == actor.pk:
        return
    previous = application.assigned_to_id
    application.assigned_to = actor
    application.version += 1
    application._change_reason = REASON_TAKEN_TO_DECIDE  # type: ignore[attr-defined]
    application.save(update_fields=["assigned_to", "version", "updated_at"])
    record(
        actor=actor,
        verb=Verb.APPLICATION_ASSIGNED,
        target=application,
        reason=REASON_TAKEN_TO_DECIDE,
        payload={"from": previous, "to": actor.pk},
    )


def _take_effect(*, decision: Decision, application: Application, actor: Any) -> None:
    """A final decision changes the case (through the gate, in the status machine) and produces what follows
    from it: the licence, or the refusal letter and denial notification; each called by name, in order."""
    action = Action.APPROVE if decision.outcome == DecisionOutcome.APPROVE else Action.REFUSE
    application_transition(
        application=application,
        action=action,
        actor=actor,
        reason=decision.justification,
        payload={"decision": decision.pk},
        decision=decision,
    )
    events.decision_taken(decision, application=application)
    if decision.outcome == DecisionOutcome.APPROVE:
        licence = _licence_issue(decision=decision, application=application, actor=actor)
        art4_grant_notify(decision=decision, application=application, actor=actor)
        parliament_information_flag(decision=decision, application=application, licence=licence, actor=actor)
        title = notice(
            gettext_lazy("{reference}: licence {number} issued"), reference=application.reference, number=licence.number
        )
    else:
        consultations_close_with_case(application=application, actor=actor, reason=decision.justification)
        refusal_record(decision=decision, application=application, actor=actor)
        title = notice(gettext_lazy("{reference}: your application was refused"), reference=application.reference)
    notify(
        users=application.organisation.members.filter(is_active=True),
        title=title,
        body=decision.justification[:500] if decision.outcome == DecisionOutcome.REFUSE else "",
        link=_case_link(application),
        key=f"decided:{decision.pk}",
    )


def _licence_issue(*, decision: Decision, application: Application, actor: Any) -> Licence:
    issued_at = timezone.now()
    assert decision.valid_from is not None and decision.valid_until is not None  # noqa: S101 - validated above
    licence = Licence(
        number=licence_number(timezone.localdate().year),
        application=application,
        organisation_id=application.organisation_id,
        licence_type=application.licence_type,
        destination_id=application.destination_id,
        valid_from=decision.valid_from,
        valid_until=decision.valid_until,
        conditions=decision.conditions,
        issued_by=actor,
        issued_at=issued_at,
    )
    goods = [LicensedGoods.copied_from(line, licence=licence) for line in application.goods.all()]
    licence.total_value_eur = licence_total(goods)
    licence_flags_fix(licence)
    licence._change_reason = "licence issued"  # type: ignore[attr-defined]
    licence.save()
    LicensedGoods.objects.bulk_create(goods)
    LicensedParty.objects.bulk_create(
        [LicensedParty.copied_from(party, licence=licence) for party in application.parties.all()]
    )
    record(
        actor=actor,
        verb=Verb.LICENCE_ISSUED,
        target=licence,
        payload={
            "number": licence.number,
            "application": application.reference,
            "valid_from": licence.valid_from,
            "valid_until": licence.valid_until,
            "total_value_eur": licence.total_value_eur,
        },
    )
    events.licence_issued(licence, application=application)
    from ..tasks import licence_render_pdf

    enqueue_on_commit(licence_render_pdf, licence.pk)
    return licence


@transaction.atomic(durable=True)
def licence_change_status(
    *, actor: Any, licence_id: int, action: str, reason: str, expected_version: int | None = None
) -> Licence:
    """Suspend, reinstate or revoke a licence (with a reason, audited, exporter told)."""
    return change_licence_status_in_transaction(
        actor=actor, licence_id=licence_id, action=action, reason=reason, expected_version=expected_version
    )


def change_licence_status_in_transaction(
    *, actor: Any, licence_id: int, action: str, reason: str, expected_version: int | None = None
) -> Licence:
    """The body of licence_change_status, for services that do more in the same transaction (revocation with
    criteria records its denial notification in it too). Not durable: call it inside a service's transaction."""
    require_officer(actor)
    # Lock the licence: a shipment being recorded at the same moment must see the new status.
    licence = Licence.objects.select_for_update().get(pk=licence_id)
    if expected_version is not None and licence.version != expected_version:
        raise StaleVersion(ERR_STALE)
    licence_transition(licence=licence, action=action, actor=actor, reason=reason)
    notify(
        users=licence.organisation.members.filter(is_active=True),
        title=notice(
            gettext_lazy("Licence {number}: {status}"),
            number=licence.number,
            status=LicenceStatus(licence.status).label,
        ),
        body=reason,
        link=f"/portal/licences/{licence.pk}/",
        key=f"licence:{licence.pk}:{licence.version}",
    )
    return licence


# The statuses in which a licence's validity can run out: the sources of EXPIRE in the one status table.
EXPIRABLE_STATUSES = tuple(sorted(next(t.source for t in LICENCE_TRANSITIONS if t.action == LicenceAction.EXPIRE)))


def licences_expire(*, today: date | None = None) -> int:
    """Expire licences whose validity has ended (system action, run by Celery beat). Safe to run twice.

    One short transaction per licence, so the sweep never holds more than one licence row at a time however
    many expire on the same day (issue 8: no task holds a lock on a case for more than a moment)."""
    today = today or timezone.localdate()
    due = Licence.objects.filter(status__in=EXPIRABLE_STATUSES, valid_until__lt=today).order_by("pk")
    return sum(_licence_expire_one(licence_id=pk, today=today) for pk in list(due.values_list("pk", flat=True)))


@transaction.atomic(durable=True)
def _licence_expire_one(*, licence_id: int, today: date) -> bool:
    # skip_locked: a licence an officer is changing right now is picked up by the next sweep instead of
    # making the sweep wait; the status and date are checked again under the lock.
    licence = (
        Licence.objects.select_for_update(skip_locked=True)
        .filter(pk=licence_id, status__in=EXPIRABLE_STATUSES, valid_until__lt=today)
        .first()
    )
    if licence is None:
        return False
    reason = Words(gettext_noop("validity ended on {day}"), {"day": date_param(licence.valid_until)})
    licence_transition(
        licence=licence,
        action=LicenceAction.EXPIRE,
        actor=None,
        reason=reason.english(),
        payload={REASON_WORDS: reason.as_json()},
    )
    return True


ERR_SHIP_STATUS = gettext_lazy("Licence {number} is {status}: no shipments can be recorded under it.")
ERR_SHIP_EXPIRED = gettext_lazy("Licence {number} was valid until {until}; a shipment on {day} falls outside it.")
ERR_SHIP_BEFORE = gettext_lazy("Licence {number} is valid from {start}; a shipment on {day} falls before it.")
ERR_SHIP_QUANTITY = gettext_lazy("Only {remaining} {unit} of this item remain on the licence.")
ERR_SHIP_VALUE = gettext_lazy("Only EUR {remaining} of this item's licensed value remains.")
ERR_SHIP_POSITIVE = gettext_lazy("The quantity must be more than zero.")
ERR_SHIP_FUTURE = gettext_lazy("A shipment is recorded once it has happened; {day} is still to come.")
ERR_SHIP_VALUE_NEGATIVE = gettext_lazy("The value cannot be negative.")


@transaction.atomic(durable=True)
def shipment_record(
    *, actor: Any, licence_id: int, licensed_goods_id: int, shipped_on: date, quantity: Decimal, value_eur: Decimal
) -> Shipment:
    """The exporter records an actual export; refused beyond the licensed balance, outside the validity, or
    under a suspended/revoked licence."""
    # Lock the licence and the goods row: two shipments recorded at once must not both use the last balance.
    licence = Licence.objects.select_for_update().get(pk=licence_id)
    if licence.organisation_id != getattr(actor, "organisation_id", None):
        raise NotAllowed("This licence belongs to another organisation.")
    goods = LicensedGoods.objects.select_for_update().get(pk=licensed_goods_id, licence=licence)
    if quantity is None or quantity <= 0:
        raise DomainValidationError(ERR_SHIP_POSITIVE, field_errors={"quantity": [ERR_SHIP_POSITIVE]})
    if value_eur is None or value_eur < 0:
        raise DomainValidationError(ERR_SHIP_VALUE_NEGATIVE, field_errors={"value_eur": [ERR_SHIP_VALUE_NEGATIVE]})
    if licence.status != LicenceStatus.ISSUED:
        message = ERR_SHIP_STATUS.format(number=licence.number, status=LicenceStatus(licence.status).label.lower())
        raise TransitionNotAllowed(message)
    if shipped_on > licence.valid_until:
        message = ERR_SHIP_EXPIRED.format(
            number=licence.number, until=date_format(licence.valid_until), day=date_format(shipped_on)
        )
        raise DomainValidationError(message, field_errors={"shipped_on": [message]})
    if shipped_on < licence.valid_from:
        message = ERR_SHIP_BEFORE.format(
            number=licence.number, start=date_format(licence.valid_from), day=date_format(shipped_on)
        )
        raise DomainValidationError(message, field_errors={"shipped_on": [message]})
    if shipped_on > timezone.localdate():
        message = ERR_SHIP_FUTURE.format(day=date_format(shipped_on))
        raise DomainValidationError(message, field_errors={"shipped_on": [message]})
    if quantity > goods.remaining_quantity:
        message = ERR_SHIP_QUANTITY.format(remaining=format(goods.remaining_quantity.normalize(), "f"), unit=goods.unit)
        raise DomainValidationError(message, field_errors={"quantity": [message]})
    if value_eur > goods.remaining_value_eur:
        message = ERR_SHIP_VALUE.format(remaining=goods.remaining_value_eur)
        raise DomainValidationError(message, field_errors={"value_eur": [message]})
    shipment = Shipment(
        licence=licence,
        licensed_goods=goods,
        shipped_on=shipped_on,
        quantity=quantity,
        value_eur=value_eur,
        terms_version=licence.terms_version,
        recorded_by=actor,
    )
    shipment._change_reason = "shipment recorded"  # type: ignore[attr-defined]
    shipment.save()
    goods.shipped_quantity += quantity
    goods.shipped_value_eur += value_eur
    goods._change_reason = "shipment recorded"  # type: ignore[attr-defined]
    goods.save(update_fields=["shipped_quantity", "shipped_value_eur"])
    record(
        actor=actor,
        verb=Verb.SHIPMENT_RECORDED,
        target=licence,
        payload={
            "shipment": shipment.pk,
            "goods": goods.pk,
            "quantity": quantity,
            "value_eur": value_eur,
            "shipped_on": shipped_on,
            "licence_version": licence.terms_version,
        },
    )
    return shipment


def default_validity(today: date | None = None, *, years: int = 2) -> tuple[date, date]:
    start = today or timezone.localdate()
    return start, start + timedelta(days=365 * years)
