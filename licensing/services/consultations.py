"""Consultations with other states drive the case's status (issue 12).

A case with an open consultation that must conclude before the decision (an Art. 4 consultation after a
confirmed denial match, a high-level consultation after a partner's objection) waits in `consultation_pending`
(a partner's emergency-brake window on our export holds only the approval, in the decision gate, not the
case); concluding the last one brings it back to `under_review`. The opening and concluding services
(licensing/services/check_resolution.py for Art. 4, consultations/services for the treaty) call
`case_follow_consultations` in their own transaction, so the status and the consultation change together, and
the case history says why.

A refusal or a withdrawal closes what is still open with the case (decision_gate: a refusal never empties
another state's right, so it may be taken while a consultation runs).
"""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from audit.models import Verb
from audit.services import record
from core.texts import REASON_WORDS, Words

from ..models import Application, ApplicationStatus
from ..models.consultation import Consultation, ConsultationKind, ConsultationOutcome, ConsultationStatus
from ..transitions import Action
from .workflow import application_transition, lock_application


def has_open_consultation(application_id: int) -> bool:
    """An open consultation that the case waits for. A partner's brake window does not move the case: the officer
    keeps working it for the two months, and the decision gate holds the approval until the window closes."""
    return (
        Consultation.objects.filter(application_id=application_id, status=ConsultationStatus.OPEN)
        .exclude(kind=ConsultationKind.BRAKE_WINDOW)
        .exists()
    )


def case_follow_consultations(*, application_id: int, actor: Any, reason: str | Words) -> Application:
    """Move the case into or out of `consultation_pending` to match its open consultations.

    Not durable: call it inside the service that opened or concluded the consultation. The case row is locked,
    so two consultations concluding at the same moment cannot both leave the case waiting (or both release it).
    """
    application = lock_application(pk=application_id)
    waiting = has_open_consultation(application_id)
    # A reason in Words is stored in English and beside it as words the history shows in the reader's language.
    text, payload = (reason.english(), {REASON_WORDS: reason.as_json()}) if isinstance(reason, Words) else (reason, {})
    if waiting and application.status == ApplicationStatus.UNDER_REVIEW:
        application_transition(
            application=application, action=Action.OPEN_CONSULTATION, actor=actor, reason=text, payload=payload
        )
    elif not waiting and application.status == ApplicationStatus.CONSULTATION_PENDING:
        application_transition(
            application=application, action=Action.CONCLUDE_CONSULTATION, actor=actor, reason=text, payload=payload
        )
    return application


def consultations_close_with_case(*, application: Application, actor: Any, reason: str) -> list[Consultation]:
    """The case was refused or withdrawn: close what is still open, saying so. Not durable."""
    return consultations_close(
        consultations=Consultation.objects.filter(application=application),
        actor=actor,
        reason=reason,
        outcome_text=reason,
        payload={"application": application.pk},
    )


def consultations_close(
    *, consultations: QuerySet[Consultation], actor: Any, reason: str, outcome_text: str, payload: dict[str, Any]
) -> list[Consultation]:
    """Close the open ones of `consultations` because what they were about ended (a case, a change of a licence):
    outcome CASE_CLOSED, with an audit event each. Not durable."""
    closed = []
    # Lock the open consultations: a partner's answer recorded at this moment must see them closed.
    for consultation in consultations.select_for_update().filter(status=ConsultationStatus.OPEN):
        consultation.status = ConsultationStatus.CONCLUDED
        consultation.outcome = ConsultationOutcome.CASE_CLOSED
        consultation.outcome_text = outcome_text
        consultation.concluded_on = timezone.localdate()
        consultation.version += 1
        consultation._change_reason = _("closed with the case")  # type: ignore[attr-defined]
        consultation.save(update_fields=["status", "outcome", "outcome_text", "concluded_on", "version"])
        record(
            actor=actor,
            verb=Verb.CONSULTATION_CONCLUDED,
            target=consultation,
            reason=reason,
            payload={"kind": consultation.kind, "outcome": consultation.outcome, **payload},
        )
        closed.append(consultation)
    return closed
