"""The emergency brake: objections (proposed, approved with four eyes, sent; or received from another party) and
the high-level consultations they open.

Source: Agreement on Export Controls in the Field of Defence (Paris, 2021-09-17), emergency brake: a party may
oppose an export to a third country only exceptionally, where its direct interests or national security are
compromised, informing the others at the latest within two months of becoming aware; the parties then hold
high-level consultations immediately, the objecting party proposes alternatives, and a solution is reached by
consensus. No time limit for the consultations was found, so their duration is recorded.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_noop

from audit.models import Verb
from audit.services import record
from core.access import can
from core.exceptions import DomainValidationError, NotAllowed, TransitionNotAllowed
from core.i18n import gettext_lazy
from core.notifications import notice, notify
from core.texts import Words
from licensing.models.consultation import Consultation, ConsultationKind, ConsultationOutcome
from licensing.models.treaty import TreatyRefusalGround
from licensing.services.consultations import case_follow_consultations
from parties.memberships import is_member
from parties.models import HOME_STATE, Bloc

from ..models.treaty import (
    NotificationDirection,
    NotificationStatus,
    Objection,
    ObjectionStatus,
    TreatyNotification,
)
from .brake import brake_window_conclude
from .common import bump, field_error, lock_notification, notification_link, require_officer, senior_officers
from .notifications import ERR_HOME_NOT_PARTY

ERR_DEADLINE_PASSED = gettext_lazy(
    "The objection deadline was {deadline} and has passed: an objection can no longer be {action}. "
    "The treaty allows an objection at the latest within {months} calendar months of becoming aware."
)
ERR_NOT_INCOMING = gettext_lazy("Objections are raised against notifications from other parties (incoming).")
ERR_NOT_OUTGOING = gettext_lazy("Objections are received on notifications we sent (outgoing).")
ERR_OBJECTION_EXISTS = gettext_lazy("This notification already has an objection ({status}).")
ERR_NOTIFICATION_STATUS = gettext_lazy("This notification is {status}; an objection is not possible now.")
ERR_GROUND = gettext_lazy("Choose the ground: direct interests or national security.")
ERR_REASONS = gettext_lazy("Write the reasons for the objection.")
ERR_NOT_SENIOR = gettext_lazy("Only a senior licensing officer can approve an objection.")
ERR_OWN_OBJECTION = gettext_lazy("You proposed this objection; a different senior officer must approve it (four eyes).")
ERR_OBJECTION_STATUS = gettext_lazy("This objection is {status}; “{action}” is not possible now.")
ERR_RETURN_REASON = gettext_lazy("Say why you send the objection back.")
ERR_RECEIVED_ON = gettext_lazy("The objection cannot have arrived before the notification or in the future.")
ERR_RECEIVED_LATE = gettext_lazy(
    "The objection arrived on {received}, after the deadline of {deadline}: it is out of time under the treaty."
)


def _refuse_if_late(notification: TreatyNotification, *, today: date, action: str) -> None:
    """The deadline day itself is still in time (consultations.deadlines.is_objection_in_time)."""
    if today > notification.objection_deadline:
        raise TransitionNotAllowed(
            ERR_DEADLINE_PASSED.format(
                deadline=notification.objection_deadline.isoformat(),
                action=action,
                months=notification.objection_period_months,
            )
        )


def _require_home_party(*, on: date, field: str) -> None:
    """Objections, ours and theirs, bind only while the Netherlands is a treaty party on the date
    (parties/memberships.py: an acceding state's membership is dated data)."""
    if not is_member(HOME_STATE, Bloc.TREATY, on):
        raise field_error(field, ERR_HOME_NOT_PARTY.format(day=on.isoformat()))


def _validate_grounds(ground: str, reasons: str) -> None:
    errors: dict[str, list[str]] = {}
    if ground not in TreatyRefusalGround.values:
        errors["ground"] = [ERR_GROUND]
    if not reasons.strip():
        errors["reasons"] = [ERR_REASONS]
    if errors:
        raise DomainValidationError(next(iter(errors.values()))[0], field_errors=errors)


def _lock_objection(objection_id: int) -> tuple[Objection, TreatyNotification]:
    # Lock the notification first, then the objection, in the same order as every other writer.
    notification_id = Objection.objects.values_list("notification_id", flat=True).get(pk=objection_id)
    notification = lock_notification(pk=notification_id)
    objection = Objection.objects.select_for_update().get(pk=objection_id)
    return objection, notification


def _require_objection_status(objection: Objection, status: str, action: str) -> None:
    if objection.status != status:
        raise TransitionNotAllowed(
            ERR_OBJECTION_STATUS.format(status=ObjectionStatus(objection.status).label.lower(), action=action)
        )


@transaction.atomic(durable=True)
def objection_propose(
    *, actor: Any, notification_id: int, ground: str, reasons: str, expected_version: int | None = None
) -> Objection:
    require_officer(actor)
    notification = lock_notification(pk=notification_id, expected_version=expected_version)
    if notification.direction != NotificationDirection.INCOMING:
        raise TransitionNotAllowed(ERR_NOT_INCOMING)
    _refuse_if_late(notification, today=timezone.localdate(), action="proposed")
    _require_home_party(on=timezone.localdate(), field="ground")
    if notification.status != NotificationStatus.OPEN:
        raise TransitionNotAllowed(
            ERR_NOTIFICATION_STATUS.format(status=NotificationStatus(notification.status).label.lower())
        )
    _validate_grounds(ground, reasons)
    objection = Objection(
        notification=notification,
        ground=ground,
        reasons=reasons.strip(),
        status=ObjectionStatus.PROPOSED,
        proposed_by=actor,
        proposed_at=timezone.now(),
    )
    objection._change_reason = "objection proposed"  # type: ignore[attr-defined]
    objection.save()
    notification.status = NotificationStatus.OBJECTION_PROPOSED
    bump(notification, "status", reason="objection proposed")
    record(
        actor=actor,
        verb=Verb.OBJECTION_PROPOSED,
        target=notification,
        reason=reasons.strip(),
        payload={"objection": objection.pk, "ground": ground},
    )
    notify(
        users=senior_officers(exclude=actor),
        title=notice(
            gettext_lazy("Objection to approve: notification from {party}"), party=notification.counterpart_id
        ),
        body=notice(
            gettext_lazy("{ground}. Deadline {day}."),
            ground=TreatyRefusalGround(objection.ground).label,
            day=notification.objection_deadline,
        ),
        link=notification_link(notification.pk),
        key=f"objection-proposed:{objection.pk}",
    )
    return objection


@transaction.atomic(durable=True)
def objection_approve(*, actor: Any, objection_id: int, reason: str = "") -> Objection:
    """A senior officer other than the proposer approves (four eyes; the database refuses it too)."""
    if not can(actor, "consultations.approve_objection"):
        raise NotAllowed(ERR_NOT_SENIOR)
    objection, notification = _lock_objection(objection_id)
    if objection.proposed_by_id == actor.pk:
        raise NotAllowed(ERR_OWN_OBJECTION)
    _refuse_if_late(notification, today=timezone.localdate(), action="approved")
    _require_objection_status(objection, ObjectionStatus.PROPOSED, "approve")
    objection.status = ObjectionStatus.APPROVED
    objection.approved_by = actor
    objection.approved_at = timezone.now()
    objection._change_reason = reason or "objection approved"  # type: ignore[attr-defined]
    objection.save(update_fields=["status", "approved_by", "approved_at"])
    bump(notification, reason="objection approved")
    record(
        actor=actor,
        verb=Verb.OBJECTION_APPROVED,
        target=notification,
        reason=reason,
        payload={"objection": objection.pk},
    )
    notify(
        users=[objection.proposed_by],
        title=notice(
            gettext_lazy("Objection approved: notification from {party}"),
            party=notification.counterpart_id,
        ),
        body=notice(gettext_lazy("Send it before {day}."), day=notification.objection_deadline),
        link=notification_link(notification.pk),
        key=f"objection-approved:{objection.pk}",
    )
    return objection


@transaction.atomic(durable=True)
def objection_return(*, actor: Any, objection_id: int, reason: str) -> Objection:
    if not can(actor, "consultations.approve_objection"):
        raise NotAllowed(ERR_NOT_SENIOR)
    if not reason.strip():
        raise field_error("reason", ERR_RETURN_REASON)
    objection, notification = _lock_objection(objection_id)
    if objection.proposed_by_id == actor.pk:
        raise NotAllowed(ERR_OWN_OBJECTION)
    _require_objection_status(objection, ObjectionStatus.PROPOSED, "send back")
    objection.status = ObjectionStatus.RETURNED
    objection.returned_by = actor
    objection.return_reason = reason.strip()
    objection._change_reason = reason.strip()  # type: ignore[attr-defined]
    objection.save(update_fields=["status", "returned_by", "return_reason"])
    notification.status = NotificationStatus.OPEN
    bump(notification, "status", reason="objection sent back")
    record(
        actor=actor,
        verb=Verb.OBJECTION_RETURNED,
        target=notification,
        reason=reason.strip(),
        payload={"objection": objection.pk},
    )
    notify(
        users=[objection.proposed_by],
        title=notice(
            gettext_lazy("Objection sent back: notification from {party}"),
            party=notification.counterpart_id,
        ),
        body=reason.strip(),
        link=notification_link(notification.pk),
        key=f"objection-returned:{objection.pk}",
    )
    return objection


def _consultation_open(*, actor: Any, notification: TreatyNotification, objection: Objection, on: date) -> None:
    """The treaty: "the parties then immediately hold high-level consultations"."""
    consultation = Consultation(
        kind=ConsultationKind.HIGH_LEVEL,
        application=notification.application,
        counterpart=notification.counterpart,
        subject=notification.subject[:300],
        opened_by=actor,
        opened_on=on,
    )
    consultation._change_reason = "emergency brake: objection made"  # type: ignore[attr-defined]
    consultation.save()
    objection.consultation = consultation
    objection.save(update_fields=["consultation"])
    record(
        actor=actor,
        verb=Verb.CONSULTATION_OPENED,
        target=notification,
        payload={"consultation": consultation.pk, "kind": ConsultationKind.HIGH_LEVEL, "opened_on": on},
    )
    if consultation.application_id is not None:
        # Our export met a partner's objection: the decision waits for the high-level consultation.
        case_follow_consultations(
            application_id=consultation.application_id,
            actor=actor,
            reason=Words(gettext_noop("emergency brake: high-level consultation")),
        )


@transaction.atomic(durable=True)
def objection_send(*, actor: Any, objection_id: int) -> Objection:
    """Send an approved objection today; a high-level consultation opens at once. Refused after the deadline."""
    require_officer(actor)
    objection, notification = _lock_objection(objection_id)
    today = timezone.localdate()
    _refuse_if_late(notification, today=today, action="sent")
    _require_objection_status(objection, ObjectionStatus.APPROVED, "send")
    objection.status = ObjectionStatus.SENT
    objection.sent_by = actor
    objection.sent_on = today
    objection._change_reason = "objection sent"  # type: ignore[attr-defined]
    objection.save(update_fields=["status", "sent_by", "sent_on"])
    notification.status = NotificationStatus.OBJECTED
    bump(notification, "status", reason="objection sent")
    record(
        actor=actor,
        verb=Verb.OBJECTION_SENT,
        target=notification,
        payload={"objection": objection.pk, "sent_on": today, "deadline": notification.objection_deadline},
    )
    _consultation_open(actor=actor, notification=notification, objection=objection, on=today)
    return objection


@transaction.atomic(durable=True)
def objection_receive(
    *,
    actor: Any,
    notification_id: int,
    ground: str,
    reasons: str,
    received_on: date,
    expected_version: int | None = None,
) -> Objection:
    """Another party objects to an export we notified: the licence decision waits for the consultation."""
    require_officer(actor)
    notification = lock_notification(pk=notification_id, expected_version=expected_version)
    if notification.direction != NotificationDirection.OUTGOING:
        raise TransitionNotAllowed(ERR_NOT_OUTGOING)
    today = timezone.localdate()
    if received_on > today or received_on < notification.received_on:
        raise field_error("received_on", ERR_RECEIVED_ON)
    _require_home_party(on=received_on, field="received_on")
    if received_on > notification.objection_deadline:
        raise TransitionNotAllowed(
            ERR_RECEIVED_LATE.format(
                received=received_on.isoformat(), deadline=notification.objection_deadline.isoformat()
            )
        )
    if notification.status != NotificationStatus.OPEN:
        raise TransitionNotAllowed(
            ERR_NOTIFICATION_STATUS.format(status=NotificationStatus(notification.status).label.lower())
        )
    _validate_grounds(ground, reasons)
    objection = Objection(
        notification=notification,
        ground=ground,
        reasons=reasons.strip(),
        status=ObjectionStatus.RECEIVED,
        proposed_by=actor,  # who recorded it; the other party's officials are not users of the register
        proposed_at=timezone.now(),
        received_on=received_on,
    )
    objection._change_reason = "objection received"  # type: ignore[attr-defined]
    objection.save()
    notification.status = NotificationStatus.OBJECTED
    bump(notification, "status", reason="objection received")
    record(
        actor=actor,
        verb=Verb.OBJECTION_RECEIVED,
        target=notification,
        reason=reasons.strip(),
        payload={"objection": objection.pk, "ground": ground, "received_on": received_on},
    )
    # The partner used its window: it ends here, and the high-level consultation holds the case instead.
    brake_window_conclude(
        actor=actor,
        notification=notification,
        outcome=ConsultationOutcome.OBJECTION_RAISED,
        on=received_on,
        text=f"{notification.counterpart_id} objected on {received_on.isoformat()}.",
    )
    _consultation_open(actor=actor, notification=notification, objection=objection, on=received_on)
    application = notification.application
    if application is not None and application.assigned_to_id and application.assigned_to_id != actor.pk:
        notify(
            users=[application.assigned_to],
            title=notice(
                gettext_lazy("{reference}: {party} objects under the treaty"),
                reference=application.reference,
                party=notification.counterpart_id,
            ),
            body=gettext_lazy("The licence decision waits until the high-level consultation is concluded."),
            link=notification_link(notification.pk),
            key=f"objection-received:{objection.pk}",
        )
    return objection
