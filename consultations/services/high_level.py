"""High-level consultations under the treaty's emergency brake: meetings, alternatives and the conclusion.

Source: Agreement on Export Controls in the Field of Defence (Paris, 2021-09-17), emergency brake: after an
objection the parties immediately hold high-level consultations, the objecting party does its utmost to propose
alternatives, and a solution is reached by consensus. No time limit was found, so the duration is recorded.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_noop

from audit.models import Verb
from audit.services import record
from core.exceptions import DomainValidationError, StaleVersion, TransitionNotAllowed
from core.i18n import gettext_lazy
from core.notifications import notice, notify
from core.texts import Words, label_param
from licensing.models.consultation import Consultation, ConsultationOutcome, ConsultationStatus
from licensing.services.consultations import case_follow_consultations

from ..models.treaty import ConsultationMeeting, NotificationStatus, Objection, TreatyNotification
from .common import ERR_STALE, bump, lock_notification, notification_link, require_officer

ERR_NOT_TREATY_CONSULTATION = gettext_lazy("This is not a consultation under the treaty's emergency brake.")
ERR_CONSULTATION_CONCLUDED = gettext_lazy("This consultation has already been concluded.")
ERR_OUTCOME = gettext_lazy("Choose the outcome: consensus, objection withdrawn, export abandoned or export modified.")
ERR_OUTCOME_TEXT = gettext_lazy("Describe the solution reached.")
ERR_CONCLUDED_ON = gettext_lazy("The conclusion date must lie between the opening of the consultation and today.")
ERR_MEETING_DATE = gettext_lazy("The meeting date must lie between the opening of the consultation and today.")
ERR_PARTICIPANTS = gettext_lazy("Name the participants.")

TREATY_OUTCOMES = frozenset(
    {
        ConsultationOutcome.CONSENSUS,
        ConsultationOutcome.OBJECTION_WITHDRAWN,
        ConsultationOutcome.EXPORT_ABANDONED,
        ConsultationOutcome.EXPORT_MODIFIED,
    }
)


def _lock_treaty_consultation(consultation_id: int) -> tuple[Consultation, TreatyNotification]:
    objection = Objection.objects.filter(consultation_id=consultation_id).only("notification_id").first()
    if objection is None:
        raise TransitionNotAllowed(ERR_NOT_TREATY_CONSULTATION)
    notification = lock_notification(pk=objection.notification_id)
    consultation = Consultation.objects.select_for_update().get(pk=consultation_id)
    return consultation, notification


@transaction.atomic(durable=True)
def consultation_meeting_record(
    *,
    actor: Any,
    consultation_id: int,
    held_on: date,
    participants: str,
    notes: str = "",
    alternatives_proposed: str = "",
) -> ConsultationMeeting:
    require_officer(actor)
    consultation, notification = _lock_treaty_consultation(consultation_id)
    if consultation.status != ConsultationStatus.OPEN:
        raise TransitionNotAllowed(ERR_CONSULTATION_CONCLUDED)
    errors: dict[str, list[str]] = {}
    if not consultation.opened_on <= held_on <= timezone.localdate():
        errors["held_on"] = [ERR_MEETING_DATE]
    if not participants.strip():
        errors["participants"] = [ERR_PARTICIPANTS]
    if errors:
        raise DomainValidationError(next(iter(errors.values()))[0], field_errors=errors)
    meeting = ConsultationMeeting(
        consultation=consultation,
        held_on=held_on,
        participants=participants.strip(),
        notes=notes.strip(),
        alternatives_proposed=alternatives_proposed.strip(),
        recorded_by=actor,
    )
    meeting._change_reason = "meeting recorded"  # type: ignore[attr-defined]
    meeting.save()
    consultation.version += 1
    consultation.save(update_fields=["version"])
    record(
        actor=actor,
        verb=Verb.CONSULTATION_MEETING_RECORDED,
        target=notification,
        payload={
            "consultation": consultation.pk,
            "meeting": meeting.pk,
            "held_on": held_on,
            "alternatives_proposed": bool(meeting.alternatives_proposed),
        },
    )
    return meeting


@transaction.atomic(durable=True)
def consultation_conclude(
    *,
    actor: Any,
    consultation_id: int,
    outcome: str,
    outcome_text: str,
    concluded_on: date | None = None,
    expected_version: int | None = None,
) -> Consultation:
    """Record the consensus reached and the consultation's duration; the notification is closed."""
    require_officer(actor)
    consultation, notification = _lock_treaty_consultation(consultation_id)
    if expected_version is not None and consultation.version != expected_version:
        raise StaleVersion(ERR_STALE)
    if consultation.status != ConsultationStatus.OPEN:
        raise TransitionNotAllowed(ERR_CONSULTATION_CONCLUDED)
    today = timezone.localdate()
    concluded_on = concluded_on or today
    errors: dict[str, list[str]] = {}
    if outcome not in TREATY_OUTCOMES:
        errors["outcome"] = [ERR_OUTCOME]
    if not outcome_text.strip():
        errors["outcome_text"] = [ERR_OUTCOME_TEXT]
    if not consultation.opened_on <= concluded_on <= today:
        errors["concluded_on"] = [ERR_CONCLUDED_ON]
    if errors:
        raise DomainValidationError(next(iter(errors.values()))[0], field_errors=errors)
    consultation.status = ConsultationStatus.CONCLUDED
    consultation.outcome = outcome
    consultation.outcome_text = outcome_text.strip()
    consultation.concluded_on = concluded_on
    consultation.version += 1
    consultation._change_reason = outcome_text.strip()  # type: ignore[attr-defined]
    consultation.save(update_fields=["status", "outcome", "outcome_text", "concluded_on", "version"])
    notification.status = NotificationStatus.CLOSED
    bump(notification, "status", reason="consultation concluded")
    record(
        actor=actor,
        verb=Verb.CONSULTATION_CONCLUDED,
        target=notification,
        reason=outcome_text.strip(),
        payload={
            "consultation": consultation.pk,
            "outcome": outcome,
            "concluded_on": concluded_on,
            "duration_days": consultation.duration_days,
        },
    )
    if consultation.application_id is not None:
        case_follow_consultations(
            application_id=consultation.application_id,
            actor=actor,
            reason=Words(
                gettext_noop("consultation concluded: {outcome}"),
                {"outcome": label_param(ConsultationOutcome(outcome).label)},
            ),
        )
    application = notification.application
    if application is not None and application.assigned_to_id and application.assigned_to_id != actor.pk:
        notify(
            users=[application.assigned_to],
            title=notice(
                gettext_lazy("{reference}: the treaty consultation with {party} is concluded"),
                reference=application.reference,
                party=notification.counterpart_id,
            ),
            body=notice(
                "{outcome}: {text}", outcome=ConsultationOutcome(outcome).label, text=outcome_text.strip()[:300]
            ),
            link=notification_link(notification.pk),
            key=f"consultation-concluded:{consultation.pk}",
        )
    return consultation
