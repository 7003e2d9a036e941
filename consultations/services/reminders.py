"""The consultations' deadlines for the reminder engine (core.reminders): the reply dates of Art. 4 denial
consultations (Common Position 2008/944/CFSP Art. 4; response period configurable). The treaty's objection windows
keep their own sweep (consultations.services.sweep), which also sends each reminder once."""

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
