"""The only code that writes an application's or a licence's status (licensing.transitions holds the table)."""

from __future__ import annotations

from typing import Any

from django.utils import timezone

from audit.services import record
from core.access import roles_of
from core.exceptions import DecisionBlocked, DomainValidationError, NotAllowed, StaleVersion, TransitionNotAllowed
from core.i18n import gettext_lazy
from core.roles import Role

from .. import events
from ..decision_gate import Stage, decision_gate
from ..models import DECIDED_STATUSES, Application, ApplicationStatus, Decision, DecisionOutcome, Licence, LicenceStatus
from ..transitions import (
    APPLICATION_TRANSITIONS,
    ERR_LICENCE_TRANSITION,
    ERR_REASON,
    ERR_ROLE,
    ERR_TRANSITION,
    LICENCE_TRANSITIONS,
    Action,
    Transition,
    find,
)

ERR_STALE = gettext_lazy(
    "Someone else changed this case while you were looking at it. Reload the page and check their change."
)
ERR_OTHER_ORGANISATION = gettext_lazy("This case belongs to another organisation.")
DECISION_ACTIONS: dict[str, str] = {Action.APPROVE: DecisionOutcome.APPROVE, Action.REFUSE: DecisionOutcome.REFUSE}


def lock_application(*, pk: int, expected_version: int | None = None) -> Application:
    """Lock the application row for the rest of the transaction.

    select_for_update: two officers acting on the same case at once are serialised here; the second then
    sees the first one's change (a new status or version) and gets a conflict instead of overwriting it.
    """
    application = Application.objects.select_for_update().get(pk=pk)
    if expected_version is not None and application.version != expected_version:
        raise StaleVersion(ERR_STALE)
    return application


def _check_actor(transition: Transition, actor: Any, organisation_id: int | None, action: str) -> None:
    if actor is None:
        if not transition.system_allowed:
            raise NotAllowed(ERR_ROLE.format(action=action))
        return
    roles = roles_of(actor)
    if not roles & {r.value for r in transition.roles}:
        raise NotAllowed(ERR_ROLE.format(action=action))
    exporter_action = Role.EXPORTER.value in roles and transition.roles == {Role.EXPORTER}
    if exporter_action and actor.organisation_id != organisation_id:
        raise NotAllowed(ERR_OTHER_ORGANISATION)


def application_transition(
    *,
    application: Application,
    action: str,
    actor: Any,
    reason: str = "",
    payload: dict[str, Any] | None = None,
    extra_fields: tuple[str, ...] = (),
    decision: Decision | None = None,
) -> Transition:
    """Move a locked application along the table. Call inside the service's transaction, after lock_application.

    An approval or a refusal passes the decision gate first, with the decision that takes effect: no path to a
    decided case walks around it."""
    outcome = DECISION_ACTIONS.get(action)
    if outcome is not None:
        answer = decision_gate(application, outcome=outcome, stage=Stage.TAKE_EFFECT, decision=decision)
        if not answer.allowed:
            raise DecisionBlocked(answer.blockers)
    transition = find(APPLICATION_TRANSITIONS, application.status, action)
    if transition is None:
        raise TransitionNotAllowed(
            ERR_TRANSITION.format(status=ApplicationStatus(application.status).label.lower(), action=action)
        )
    _check_actor(transition, actor, application.organisation_id, action)
    if transition.reason_required and not reason.strip():
        raise DomainValidationError(ERR_REASON, field_errors={"reason": [ERR_REASON]})
    previous = application.status
    application.status = transition.target
    application.version += 1
    if transition.target in DECIDED_STATUSES:
        application.decided_at = timezone.now()
        extra_fields = (*extra_fields, "decided_at")
    application._change_reason = reason or f"{action}"  # type: ignore[attr-defined]
    application.save(update_fields=["status", "version", "updated_at", *extra_fields])
    record(
        actor=actor,
        verb=transition.verb,
        target=application,
        reason=reason,
        payload={"action": action, "from": previous, "to": transition.target, **(payload or {})},
    )
    return transition


def licence_transition(
    *, licence: Licence, action: str, actor: Any, reason: str = "", payload: dict[str, Any] | None = None
) -> Transition:
    """Move a locked licence along the table (suspend, reinstate, revoke, expire; amend, extend, surrender)."""
    transition = find(LICENCE_TRANSITIONS, licence.status, action)
    if transition is None:
        raise TransitionNotAllowed(
            ERR_LICENCE_TRANSITION.format(status=LicenceStatus(licence.status).label.lower(), action=action)
        )
    _check_actor(transition, actor, licence.organisation_id, action)
    if transition.reason_required and not reason.strip():
        raise DomainValidationError(ERR_REASON, field_errors={"reason": [ERR_REASON]})
    previous = licence.status
    licence.status = transition.target
    licence.status_reason = reason
    licence.version += 1
    licence._change_reason = reason or action  # type: ignore[attr-defined]
    licence.save(update_fields=["status", "status_reason", "version"])
    record(
        actor=actor,
        verb=transition.verb,
        target=licence,
        reason=reason,
        payload={"action": action, "from": previous, "to": transition.target, **(payload or {})},
    )
    events.licence_changed(licence, previous=previous)
    return transition
