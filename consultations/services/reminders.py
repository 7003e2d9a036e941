"""The consultations' deadlines for the reminder engine (core.reminders): the reply dates of Art. 4 denial
consultations (Common Position 2008/944/CFSP Art. 4; response period configurable) and the partners' emergency-brake
windows on our exports (services/brake.py: the case can be decided the day after the closing day). Our own objection
deadlines on incoming notifications still keep their own sweep (consultations.services.sweep), which also sends
each reminder once; folding them in here is left to do (see the issue)."""

from __future__ import annotations

from datetime import date, timedelta

from core.models import ReminderKind
from core.reminders import Deadline
from licensing.models.consultation import Consultation, ConsultationKind, ConsultationStatus
from licensing.services.reminders import AHEAD_DAYS, BEHIND_DAYS


def art4_reply_deadlines(today: date) -> list[Deadline]:
    rows = Consultation.objects.filter(
        kind=ConsultationKind.ART4_DENIAL,
        status=ConsultationStatus.OPEN,
        respond_by__range=(today - timedelta(days=BEHIND_DAYS), today + timedelta(days=AHEAD_DAYS)),
    ).values_list("pk", "application_id", "application__reference", "counterpart_id", "respond_by",
                  "application__assigned_to_id")  # fmt: skip
    return [
        Deadline(
            kind=ReminderKind.ART4_REPLY,
            subject=f"consultation:{pk}",
            deadline=respond_by,
            title=f"{reference or pk}: {counterpart}'s reply to the Art. 4 consultation is due",
            link=f"/casework/cases/{application_id}/" if application_id else "/consultations/",
            recipient_ids=(assigned,) if assigned else (),
            acted=assigned is not None,
            points=(3, 0, -1),
        )
        for pk, application_id, reference, counterpart, respond_by, assigned in rows
        if respond_by is not None
    ]


def brake_window_deadlines(today: date) -> list[Deadline]:
    """A partner's window on our export closes: the case officer is reminded before, on the closing day, and the
    day after, when the approval is no longer held by it (an unassigned case is escalated)."""
    rows = Consultation.objects.filter(
        kind=ConsultationKind.BRAKE_WINDOW,
        status=ConsultationStatus.OPEN,
        respond_by__range=(today - timedelta(days=BEHIND_DAYS), today + timedelta(days=AHEAD_DAYS)),
    ).values_list("pk", "application_id", "application__reference", "counterpart_id", "respond_by",
                  "application__assigned_to_id")  # fmt: skip
    return [
        Deadline(
            kind=ReminderKind.TREATY_WINDOW,
            subject=f"consultation:{pk}",
            deadline=respond_by,
            title=(
                f"{reference}: {counterpart}'s window to object closes on {respond_by.isoformat()}; "
                f"the case can be decided from {(respond_by + timedelta(days=1)).isoformat()}"
            ),
            link=f"/casework/cases/{application_id}/",
            recipient_ids=(assigned,) if assigned else (),
            acted=assigned is not None,
            points=(7, 0, -1),
        )
        for pk, application_id, reference, counterpart, respond_by, assigned in rows
        if respond_by is not None
    ]
