"""Objection against a decision (bezwaar, Awb chapters 6 and 7): file, hear, advise, set the term, decide.

The rules (shared/domain/README.md "Clarifications"): six weeks to object (Awb 6:7), counted from the day after
the decision was sent (6:8); the authority decides within six weeks, or twelve with an advisory committee,
counted from the day after the objection term ended (7:10(1)), and may postpone by at most six weeks (7:10(3)).
The dates come from core.workdays; the status table is OBJECTION_TRANSITIONS in licensing.transitions.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext

from audit.models import Verb
from audit.services import record
from core.access import roles_of
from core.exceptions import DomainValidationError, NotAllowed, StaleVersion, TransitionNotAllowed
from core.i18n import gettext_lazy
from core.notifications import notify
from core.workdays import (
    AWB_OBJECTION_MAX_POSTPONEMENT_WEEKS,
    objection_deadline_awb,
    objection_decision_deadline_awb,
)

from .. import events
from ..models import (
    Application,
    ApplicationStatus,
    Decision,
    DecisionObjection,
    DecisionOutcome,
    DecisionStatus,
    LicenceStatus,
    ObjectionOutcome,
    ObjectionStatus,
)
from ..models.denials import DenialDirection, DenialNotification, DenialStatus
from ..transitions import ERR_REASON, ERR_ROLE, OBJECTION_TRANSITIONS, Action, ObjectionAction, find
from .amendments import amendment_open_for_objection
from .clock import equated_holidays, recompute_deadlines
from .workflow import application_transition, lock_application

ERR_NOT_DECIDED = gettext_lazy("Only a decided application (approved or refused) can be objected to.")
ERR_TOO_LATE = gettext_lazy("The six-week objection term (Awb 6:7) ended on {deadline}; this objection is too late.")
ERR_ALREADY_OBJECTED = gettext_lazy("An objection against this decision is already being handled; add to it by letter.")
ERR_GROUNDS = gettext_lazy("Give the grounds of your objection (Awb 6:5).")
ERR_OBJECTION_STATUS = gettext_lazy("This objection is {status}; “{action}” is not possible now.")
ERR_OTHER_ORGANISATION = gettext_lazy("This decision concerns another organisation.")
ERR_HEARING = gettext_lazy(
    "Give the date and the record of the hearing, or the reason why no hearing is held (Awb 7:3)."
)
ERR_HEARING_DATE = gettext_lazy("The hearing cannot be before the objection was filed or in the future.")
ERR_ADVICE = gettext_lazy("Write down the advisory committee's advice.")
ERR_ADVICE_NO_COMMITTEE = gettext_lazy("Refer the objection to an advisory committee first (set the term).")
ERR_POSTPONEMENT = gettext_lazy("Postpone by zero to six weeks (Awb 7:10(3)).")
ERR_POSTPONEMENT_REASON = gettext_lazy("Give the reason for postponing: the objector is told (Awb 7:10(3)).")
ERR_OUTCOME = gettext_lazy("Choose whether the decision is upheld, changed or revoked.")
ERR_INVOLVED = gettext_lazy(
    "You took part in the decision objected to; someone who did not must handle the objection (Awb 7:5(1)(a))."
)
ERR_STALE = gettext_lazy("Someone else changed this objection while you were looking at it. Reload the page and check.")
ERR_NO_REVOKING_APPROVAL = gettext_lazy(
    "An objection cannot leave the objector worse off: a licence granted is not revoked on its holder's objection. "
    "Uphold the decision, or change the licence."
)
ERR_CHANGE_REQUIRED = gettext_lazy("Say how the licence changes: a new end of validity, quantities or values.")
ERR_LICENCE_NOT_IN_FORCE = gettext_lazy("The licence is not in force any more: it cannot be changed on the objection.")


def _err(field: str, message: str) -> DomainValidationError:
    return DomainValidationError(message, field_errors={field: [message]})


def _decision_sent_on(application: Application) -> date:
    """The day the decision was sent: the day it was taken (the letter goes out the same day)."""
    assert application.decided_at is not None  # noqa: S101 - only decided applications get here
    return timezone.localdate(application.decided_at)


def objection_term_end_for(application: Application) -> date | None:
    """The last day to object to the decision on `application` (Awb 6:7, 6:8, Atw), or None if undecided."""
    if application.status not in (ApplicationStatus.APPROVED, ApplicationStatus.REFUSED):
        return None
    return objection_deadline_awb(_decision_sent_on(application), extra=equated_holidays())


def _lock(*, objection_id: int, expected_version: int | None) -> DecisionObjection:
    # Lock: two officers recording on the same objection at once must not overwrite each other.
    objection = (
        DecisionObjection.objects.select_for_update(of=("self",))
        .select_related("application", "decision", "filed_by")
        .get(pk=objection_id)
    )
    if expected_version is not None and objection.version != expected_version:
        raise StaleVersion(ERR_STALE)
    return objection


def _transition(
    *,
    objection: DecisionObjection,
    action: ObjectionAction,
    actor: Any,
    reason: str = "",
    fields: tuple[str, ...] = (),
    payload: dict[str, Any] | None = None,
) -> None:
    """The only writer of an objection's status: check the table, save, write history and the audit event."""
    transition = find(OBJECTION_TRANSITIONS, objection.status, action)
    if transition is None:
        raise TransitionNotAllowed(
            ERR_OBJECTION_STATUS.format(status=ObjectionStatus(objection.status).label.lower(), action=action)
        )
    if not roles_of(actor) & {r.value for r in transition.roles}:
        raise NotAllowed(ERR_ROLE.format(action=action))
    if transition.reason_required and not reason.strip():
        raise _err("reason", ERR_REASON)
    previous = objection.status
    if transition.target:
        objection.status = transition.target
    objection.version += 1
    objection._change_reason = reason or str(action)  # type: ignore[attr-defined]
    objection.save(update_fields=["status", "version", *fields])
    record(
        actor=actor,
        verb=transition.verb,
        target=objection,
        reason=reason,
        payload={"action": str(action), "from": previous, "to": objection.status, **(payload or {})},
    )


def _deadline(objection: DecisionObjection) -> date:
    return objection_decision_deadline_awb(
        objection.objection_term_end,
        advisory_committee=objection.advisory_committee,
        postponed_weeks=objection.postponed_weeks,
        extra=equated_holidays(),
    )


@transaction.atomic(durable=True)
def decision_objection_file(*, actor: Any, application_id: int, grounds: str) -> DecisionObjection:
    """The exporter objects to the final decision on its application, within the objection term."""
    if not grounds.strip():
        raise _err("grounds", ERR_GROUNDS)
    # Lock the application: two colleagues filing at once must not open two objection cases.
    application = Application.objects.select_for_update().get(pk=application_id)
    if application.organisation_id != getattr(actor, "organisation_id", None):
        raise NotAllowed(ERR_OTHER_ORGANISATION)
    if application.status not in (ApplicationStatus.APPROVED, ApplicationStatus.REFUSED):
        raise TransitionNotAllowed(ERR_NOT_DECIDED)
    decision = Decision.objects.get(application=application, status=DecisionStatus.FINAL)
    if DecisionObjection.objects.filter(decision=decision).exclude(status=ObjectionStatus.WITHDRAWN).exists():
        raise TransitionNotAllowed(ERR_ALREADY_OBJECTED)
    sent_on = _decision_sent_on(application)
    term_end = objection_deadline_awb(sent_on, extra=equated_holidays())
    today = timezone.localdate()
    if today > term_end:
        # Awb 6:11 (excusable lateness) is for the officer to weigh on a late letter, not for the portal.
        raise _err("grounds", ERR_TOO_LATE.format(deadline=date_format(term_end)))
    objection = DecisionObjection(
        application=application,
        decision=decision,
        grounds=grounds.strip(),
        filed_by=actor,
        filed_on=today,
        decision_sent_on=sent_on,
        objection_term_end=term_end,
    )
    objection.decision_deadline = _deadline(objection)
    objection._change_reason = "objection filed"  # type: ignore[attr-defined]
    objection.save()
    record(
        actor=actor,
        verb=Verb.DECISION_OBJECTION_FILED,
        target=objection,
        payload={
            "application": application.reference,
            "decision": decision.pk,
            "decision_sent_on": sent_on,
            "objection_term_end": term_end,
            "decision_deadline": objection.decision_deadline,
        },
    )
    if application.assigned_to_id:
        notify(
            users=[application.assigned_to],
            title=gettext("%(reference)s: the exporter objects to the decision") % {"reference": application.reference},
            body=grounds.strip()[:500],
            link=f"/casework/objections/{objection.pk}/",
            key=f"objection-filed:{objection.pk}",
        )
    return objection


@transaction.atomic(durable=True)
def decision_objection_set_term(
    *,
    actor: Any,
    objection_id: int,
    advisory_committee: bool,
    postponed_weeks: int,
    reason: str,
    expected_version: int | None = None,
) -> DecisionObjection:
    """Refer to an advisory committee (twelve weeks, Awb 7:10(1)) and/or postpone (at most six weeks, 7:10(3))."""
    if not 0 <= postponed_weeks <= AWB_OBJECTION_MAX_POSTPONEMENT_WEEKS:
        raise _err("postponed_weeks", ERR_POSTPONEMENT)
    objection = _lock(objection_id=objection_id, expected_version=expected_version)
    if postponed_weeks > objection.postponed_weeks and not reason.strip():
        raise _err("reason", ERR_POSTPONEMENT_REASON)
    before = objection.decision_deadline
    objection.advisory_committee, objection.postponed_weeks = advisory_committee, postponed_weeks
    if postponed_weeks:
        objection.postponement_reason = reason.strip()
    objection.decision_deadline = _deadline(objection)
    _transition(
        objection=objection,
        action=ObjectionAction.SET_TERM,
        actor=actor,
        reason=reason.strip(),
        fields=("advisory_committee", "postponed_weeks", "postponement_reason", "decision_deadline"),
        payload={
            "advisory_committee": advisory_committee,
            "postponed_weeks": postponed_weeks,
            "decision_deadline": {"from": before, "to": objection.decision_deadline},
        },
    )
    if objection.decision_deadline != before:
        notify(
            users=[objection.filed_by],
            title=gettext("%(reference)s: new date for the decision on your objection")
            % {"reference": objection.application.reference},
            body=gettext("We will decide on your objection by %(date)s. Reason: %(reason)s")
            % {"date": objection.decision_deadline.isoformat(), "reason": reason.strip()},
            link=f"/portal/objections/{objection.pk}/",
            key=f"objection-term:{objection.pk}:{objection.version}",
        )
    return objection


@transaction.atomic(durable=True)
def decision_objection_record_hearing(
    *,
    actor: Any,
    objection_id: int,
    held_on: date | None,
    record_text: str,
    waived_reason: str = "",
    expected_version: int | None = None,
) -> DecisionObjection:
    """Awb 7:2: the objector is heard before the decision, with a record of the hearing; Awb 7:3 names when
    the hearing may be left out (then the reason is recorded instead)."""
    objection = _lock(objection_id=objection_id, expected_version=expected_version)
    if held_on is None:
        if not waived_reason.strip():
            raise _err("record_text", ERR_HEARING)
    else:
        if not record_text.strip():
            raise _err("record_text", ERR_HEARING)
        if held_on < objection.filed_on or held_on > timezone.localdate():
            raise _err("held_on", ERR_HEARING_DATE)
    objection.hearing_on = held_on
    objection.hearing_record = record_text.strip() if held_on else ""
    objection.hearing_waived_reason = "" if held_on else waived_reason.strip()
    _transition(
        objection=objection,
        action=ObjectionAction.RECORD_HEARING,
        actor=actor,
        fields=("hearing_on", "hearing_record", "hearing_waived_reason"),
        payload={"held_on": held_on, "waived": held_on is None},
    )
    return objection


@transaction.atomic(durable=True)
def decision_objection_record_advice(
    *, actor: Any, objection_id: int, advice: str, given_on: date, expected_version: int | None = None
) -> DecisionObjection:
    """Awb 7:13: the advisory committee's advice, kept with the case."""
    objection = _lock(objection_id=objection_id, expected_version=expected_version)
    if not objection.advisory_committee:
        raise TransitionNotAllowed(ERR_ADVICE_NO_COMMITTEE)
    if not advice.strip():
        raise _err("advice", ERR_ADVICE)
    objection.advice, objection.advice_on = advice.strip(), given_on
    _transition(
        objection=objection,
        action=ObjectionAction.RECORD_ADVICE,
        actor=actor,
        fields=("advice", "advice_on"),
        payload={"given_on": given_on},
    )
    return objection


@transaction.atomic(durable=True)
def decision_objection_decide(
    *,
    actor: Any,
    objection_id: int,
    outcome: str,
    reasons: str,
    expected_version: int | None = None,
    licence_change: dict[str, Any] | None = None,
) -> DecisionObjection:
    """Awb 7:11: reconsider the decision on the grounds of the objection: uphold, change or revoke it.

    The outcome takes effect in the same transaction: a refusal revoked or changed puts the case back under review
    for a new decision, which passes the decision gate like any other (the refusal is marked revoked, its denial
    notification withdrawn); an approval changed on objection becomes a change of the licence (`licence_change`:
    new_valid_until, goods_changes, new_destination), decided through the amendment gate."""
    if outcome not in ObjectionOutcome.values:
        raise _err("outcome", ERR_OUTCOME)
    objection = _lock(objection_id=objection_id, expected_version=expected_version)
    decision = objection.decision
    if actor.pk in (decision.proposed_by_id, decision.countersigned_by_id):
        raise NotAllowed(ERR_INVOLVED)
    approval = decision.outcome == DecisionOutcome.APPROVE
    if approval and outcome == ObjectionOutcome.REVOKED:
        raise _err("outcome", ERR_NO_REVOKING_APPROVAL)
    if approval and outcome == ObjectionOutcome.CHANGED and not licence_change:
        raise _err("licence_change", ERR_CHANGE_REQUIRED)
    objection.outcome, objection.outcome_reasons = outcome, reasons.strip()
    objection.decided_by, objection.decided_on = actor, timezone.localdate()
    _transition(
        objection=objection,
        action=ObjectionAction.DECIDE,
        actor=actor,
        reason=reasons.strip(),
        fields=("outcome", "outcome_reasons", "decided_by", "decided_on"),
        payload={
            "outcome": outcome,
            "decision": decision.pk,
            "within_term": objection.decided_on <= objection.decision_deadline,
        },
    )
    if outcome != ObjectionOutcome.UPHELD:
        if approval:
            licence = objection.application.licence
            if licence.status != LicenceStatus.ISSUED:
                raise _err("licence_change", ERR_LICENCE_NOT_IN_FORCE)
            amendment_open_for_objection(
                objection=objection, licence=licence, actor=actor, reasons=reasons.strip(), change=licence_change or {}
            )
        else:
            _reconsider(objection=objection, decision=decision, actor=actor, reasons=reasons.strip())
    events.objection_decided(objection)
    notify(
        users=[objection.filed_by],
        title=gettext("%(reference)s: decision on your objection") % {"reference": objection.application.reference},
        body=f"{ObjectionOutcome(outcome).label}. {reasons.strip()[:500]}",
        link=f"/portal/objections/{objection.pk}/",
        key=f"objection-decided:{objection.pk}",
    )
    return objection


def _reconsider(*, objection: DecisionObjection, decision: Decision, actor: Any, reasons: str) -> None:
    """Awb 7:11: the refusal is revoked (or changed) on the objection; the case goes back under review for the
    decision that replaces it. Its outgoing denial notifications are withdrawn (Common Position Art. 4(1): a
    Member State notifies the revocation of a denial)."""
    application = lock_application(pk=objection.application_id)
    decision.status = DecisionStatus.REVOKED
    decision._change_reason = f"revoked on objection {objection.pk}"  # type: ignore[attr-defined]
    decision.save(update_fields=["status"])
    for denial in DenialNotification.objects.select_for_update().filter(
        decision=decision, direction=DenialDirection.OUTGOING, status=DenialStatus.ACTIVE
    ):
        denial.status, denial.status_reason = DenialStatus.WITHDRAWN, f"refusal revoked on objection: {reasons}"
        denial._change_reason = denial.status_reason  # type: ignore[attr-defined]
        denial.save(update_fields=["status", "status_reason"])
        record(
            actor=actor,
            verb=Verb.DENIAL_RECORDED,
            target=denial,
            reason=denial.status_reason,
            payload={"status": DenialStatus.WITHDRAWN, "objection": objection.pk},
        )
    application.decided_at = None  # the case is undecided again until the new decision takes effect
    # Awb 7:11(2) with 4:13: the application is pending again, so its decision term runs anew from the day of the
    # decision on the objection (licensing.services.clock.awb_term_start states the reading); the first term's
    # suspensions (Awb 4:15) do not carry over.
    before = {"legal_deadline": application.legal_deadline, "suspended_days": application.suspended_days}
    application.term_restarted_on = objection.decided_on
    application.suspended_days = 0
    recompute_deadlines(application)
    application_transition(
        application=application,
        action=Action.RECONSIDER,
        actor=actor,
        reason=reasons,
        payload={
            "objection": objection.pk,
            "revoked_decision": decision.pk,
            "term_restarted_on": application.term_restarted_on,
            "legal_deadline": {"from": before["legal_deadline"], "to": application.legal_deadline},
            "suspended_days_before": before["suspended_days"],
        },
        extra_fields=("decided_at", "term_restarted_on", "suspended_days", "legal_deadline", "target_date"),
    )


@transaction.atomic(durable=True)
def decision_objection_withdraw(*, actor: Any, objection_id: int, reason: str) -> DecisionObjection:
    """Awb 6:21: the objector may withdraw the objection until it is decided."""
    objection = _lock(objection_id=objection_id, expected_version=None)
    if objection.application.organisation_id != getattr(actor, "organisation_id", None):
        raise NotAllowed(ERR_OTHER_ORGANISATION)
    _transition(objection=objection, action=ObjectionAction.WITHDRAW, actor=actor, reason=reason.strip())
    return objection
