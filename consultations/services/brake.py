"""The partners' emergency-brake windows on a Dutch export (issue 13, item 5: "the brake binds").

Source: Agreement on Export Controls in the Field of Defence (Paris, 2021-09-17), emergency brake: a party whose
products are in another party's export may oppose it only exceptionally (direct interests or national security),
informing the others "at the latest within two months" of becoming aware of the export project
(../shared/domain/README.md, "Outgoing brake notifications hold the decision": deciding before the window closes,
or before the partner answers "no objection", would empty its right).

- Each outgoing notification opens one consultation of kind BRAKE_WINDOW with that partner, whose `respond_by` is
  the notification's objection deadline (consultations.deadlines.objection_deadline, calendar months, the closing
  day itself still in time).
- The decision gate (licensing/decision_gate.py) holds an approval while a window is open and its closing day has
  not passed; it reads the stored closing day on every call, so the day after the window the case can be decided
  whether or not the sweep has run yet. The window does not move the case to `consultation_pending`: the officer
  keeps assessing the case while the partner has its two months.
- A window ends early when the partner answers "no objection" (`brake_window_no_objection`) or objects
  (objections.objection_receive: the high-level consultation then holds the case), and is closed by the deadline
  sweep with "no objection within the two months" once its closing day has passed.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any

from django.db import transaction
from django.db.models import Exists, F, OuterRef
from django.utils import timezone

from audit.models import Verb
from audit.services import record
from core.exceptions import TransitionNotAllowed
from core.i18n import gettext_lazy
from licensing.models.consultation import Consultation, ConsultationKind, ConsultationOutcome, ConsultationStatus

from ..models.treaty import NotificationDirection, NotificationStatus, TreatyNotification
from .common import bump, field_error, lock_notification, require_officer

ERR_NOT_OUTGOING_ANSWER = gettext_lazy("Only a party we notified (outgoing) can answer that it has no objection.")
ERR_ANSWER_STATUS = gettext_lazy("This notification is {status}; its window is no longer open.")
ERR_ANSWERED_ON = gettext_lazy(
    "The answer cannot have arrived before the party received the notification, or in the future."
)
ERR_ANSWERED_LATE = gettext_lazy(
    "The window closed on {deadline}: record it as no objection in time (the deadline sweep does so)."
)


def brake_window_open(*, actor: Any, notification: TreatyNotification) -> Consultation:
    """Open the partner's window for an outgoing notification, in the caller's transaction."""
    consultation = Consultation(
        kind=ConsultationKind.BRAKE_WINDOW,
        application_id=notification.application_id,
        counterpart_id=notification.counterpart_id,
        subject=notification.subject,
        opened_by=actor,
        opened_on=notification.received_on,
        respond_by=notification.objection_deadline,
    )
    consultation._change_reason = "partner notified: its window to object runs"  # type: ignore[attr-defined]
    consultation.save()
    record(
        actor=actor,
        verb=Verb.CONSULTATION_OPENED,
        target=consultation,
        payload={
            "kind": ConsultationKind.BRAKE_WINDOW,
            "notification": notification.pk,
            "counterpart": notification.counterpart_id,
            "opened_on": notification.received_on,
            "respond_by": notification.objection_deadline,
        },
    )
    return consultation


def _windows_of(notification: TreatyNotification) -> Any:
    if notification.application_id is None:  # an incoming notification: no window of ours
        return Consultation.objects.none()
    return Consultation.objects.select_for_update().filter(
        kind=ConsultationKind.BRAKE_WINDOW,
        status=ConsultationStatus.OPEN,
        application_id=notification.application_id,
        counterpart_id=notification.counterpart_id,
    )


def brake_window_conclude(
    *, actor: Any, notification: TreatyNotification, outcome: str, on: date, text: str
) -> list[Consultation]:
    """End the partner's open window on this notification's case, in the caller's transaction."""
    concluded = []
    for consultation in _windows_of(notification):
        consultation.status = ConsultationStatus.CONCLUDED
        consultation.outcome = outcome
        consultation.outcome_text = text
        consultation.concluded_on = on
        consultation.version += 1
        consultation._change_reason = text  # type: ignore[attr-defined]
        consultation.save(update_fields=["status", "outcome", "outcome_text", "concluded_on", "version"])
        record(
            actor=actor,
            verb=Verb.CONSULTATION_CONCLUDED,
            target=consultation,
            reason=text,
            payload={"kind": consultation.kind, "outcome": outcome, "notification": notification.pk},
        )
        concluded.append(consultation)
    return concluded


def brake_windows_close_passed(*, notification_ids: Sequence[int], today: date) -> int:
    """The deadline sweep: close the windows of outgoing notifications whose deadline passed without an objection.

    One set-based UPDATE in the sweep's claim transaction (the notifications are locked by it), so a batch of
    thousands costs one statement; the audit event is the sweep's "no objection recorded" on each notification."""
    notified = TreatyNotification.objects.filter(
        pk__in=notification_ids,
        direction=NotificationDirection.OUTGOING,
        application_id=OuterRef("application_id"),
        counterpart_id=OuterRef("counterpart_id"),
    )
    return (
        Consultation.objects.filter(
            kind=ConsultationKind.BRAKE_WINDOW, status=ConsultationStatus.OPEN, respond_by__lt=today
        )
        .filter(Exists(notified))
        .update(
            status=ConsultationStatus.CONCLUDED,
            outcome=ConsultationOutcome.NO_OBJECTION_IN_TIME,
            outcome_text="No objection by the closing day of the window.",
            concluded_on=today,
            version=F("version") + 1,
        )
    )


@transaction.atomic(durable=True)
def brake_window_no_objection(
    *, actor: Any, notification_id: int, answered_on: date, note: str = "", expected_version: int | None = None
) -> TreatyNotification:
    """A party we notified answers that it has no objection: its window ends, and with it its hold on the case."""
    require_officer(actor)
    notification = lock_notification(pk=notification_id, expected_version=expected_version)
    if notification.direction != NotificationDirection.OUTGOING:
        raise TransitionNotAllowed(ERR_NOT_OUTGOING_ANSWER)
    if notification.status != NotificationStatus.OPEN:
        raise TransitionNotAllowed(
            ERR_ANSWER_STATUS.format(status=NotificationStatus(notification.status).label.lower())
        )
    today = timezone.localdate()
    if answered_on > today or answered_on < notification.received_on:
        raise field_error("answered_on", ERR_ANSWERED_ON)
    if answered_on > notification.objection_deadline:
        raise field_error("answered_on", ERR_ANSWERED_LATE.format(deadline=notification.objection_deadline))
    text = f"{notification.counterpart_id} answered on {answered_on.isoformat()} that it has no objection."
    if note.strip():
        text = f"{text} {note.strip()}"
    notification.status = NotificationStatus.CLOSED
    bump(notification, "status", reason=text)
    record(actor=actor, verb=Verb.NOTIFICATION_CLOSED, target=notification, reason=text,
           payload={"answer": "no_objection", "answered_on": answered_on})  # fmt: skip
    brake_window_conclude(
        actor=actor, notification=notification, outcome=ConsultationOutcome.PARTNER_NO_OBJECTION, on=answered_on,
        text=text,
    )  # fmt: skip
    return notification
