"""The consultations' deadlines for the reminder engine (core.reminders): the reply dates of Art. 4 denial
consultations (Common Position 2008/944/CFSP Art. 4; response period configurable) and the partners' emergency-brake
windows on our exports (services/brake.py: the case can be decided the day after the closing day), and our own
objection deadlines on incoming treaty notifications (the emergency brake: "at the latest within two months" of
becoming aware; reminder points and escalation as the treaty parameters in force on that day say). The sweep
(services/sweep.py) sends them all through the engine, then records "no objection raised in time"."""

from __future__ import annotations

from datetime import date, timedelta

from core.i18n import gettext_lazy
from core.models import ReminderKind
from core.notifications import notice
from core.reminders import Deadline
from licensing.models.consultation import Consultation, ConsultationKind, ConsultationStatus
from licensing.models.treaty import TreatyParameter, TreatyParameterName
from licensing.services.reminders import AHEAD_DAYS, BEHIND_DAYS

from ..models.treaty import DEADLINE_RUNNING, NotificationDirection, NotificationStatus, TreatyNotification
from .common import notification_link

NOTIFICATION_TARGET = TreatyNotification._meta.label_lower


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
            title=notice(
                gettext_lazy("{reference}: {counterpart}'s reply to the Art. 4 consultation is due"),
                reference=reference or pk,
                counterpart=counterpart,
            ),
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
            title=notice(
                gettext_lazy(
                    "{reference}: {counterpart}'s window to object closes on {closes}; the case can be decided "
                    "from {decidable}"
                ),
                reference=reference,
                counterpart=counterpart,
                closes=respond_by,
                decidable=respond_by + timedelta(days=1),
            ),
            link=f"/casework/cases/{application_id}/",
            recipient_ids=(assigned,) if assigned else (),
            acted=assigned is not None,
            points=(7, 0, -1),
        )
        for pk, application_id, reference, counterpart, respond_by, assigned in rows
        if respond_by is not None
    ]


def _versions(name: str) -> list[TreatyParameter]:
    return list(TreatyParameter.objects.filter(name=name).order_by("-valid_from"))


def _version_on(versions: list[TreatyParameter], day: date) -> TreatyParameter:
    """The version in force on `day`, as licensing.services.treaty_parameters.parameter_on picks it."""
    for version in versions:
        if version.valid_from <= day and (version.valid_until is None or version.valid_until >= day):
            return version
    raise LookupError(f"No treaty parameter is in force on {day.isoformat()}.")


# Plain values, not model instances: 100,000 running notifications put thousands within the reminder window.
_OBJECTION_COLUMNS = (
    "pk",
    "status",
    "objection_deadline",
    "received_on",
    "counterpart_id",
    "subject",
    "assignee_id",
    "assignee__is_active",
    "application__assigned_to_id",
    "application__assigned_to__is_active",
)


def objection_deadlines(today: date) -> list[Deadline]:
    """Our objection deadline on each incoming notification whose objection period is still running: the
    assignee (or, if none is active, the officer of the linked case) is reminded at the points in force on the day
    of becoming aware; the seniors as well from the escalation point on, or at once when nobody is assigned. After
    the deadline there is no reminder: the sweep records that no objection was raised in time."""
    # The parameters' few versions are read once; each day of becoming aware picks its own.
    reminder_days = _versions(TreatyParameterName.REMINDER_DAYS)
    escalation_days = _versions(TreatyParameterName.ESCALATION_DAYS)
    points: dict[date, tuple[int, ...]] = {}
    escalation: dict[date, int] = {}
    ahead = max((max(v.as_int_list, default=0) for v in reminder_days), default=0)
    rows = TreatyNotification.objects.filter(
        direction=NotificationDirection.INCOMING,
        status__in=DEADLINE_RUNNING,
        objection_deadline__range=(today, today + timedelta(days=ahead)),
    ).values_list(*_OBJECTION_COLUMNS)
    deadlines = []
    for (
        pk,
        status,
        deadline,
        received_on,
        counterpart,
        subject,
        assignee,
        assignee_active,
        officer,
        officer_active,
    ) in rows:
        if received_on not in points:
            points[received_on] = tuple(_version_on(reminder_days, received_on).as_int_list)
            escalation[received_on] = _version_on(escalation_days, received_on).as_int
        owner = assignee if assignee and assignee_active else officer if officer and officer_active else None
        deadlines.append(
            Deadline(
                kind=ReminderKind.TREATY_OBJECTION,
                subject=f"treaty_notification:{pk}",
                deadline=deadline,
                title=notice(
                    gettext_lazy("Treaty notification from {counterpart}: our objection deadline is {day}"),
                    counterpart=counterpart,
                    day=deadline,
                ),
                detail=notice(
                    gettext_lazy("{subject}. Status: {status}."),
                    subject=subject,
                    status=NotificationStatus(status).label,
                ),
                link=notification_link(pk),
                recipient_ids=(owner,) if owner else (),
                acted=False,  # the objection is undecided while the period runs
                points=points[received_on],
                escalate_within=escalation[received_on],
                target=(NOTIFICATION_TARGET, str(pk)),
            )
        )
    return deadlines


def consultations_deadlines(today: date) -> list[Deadline]:
    return [*art4_reply_deadlines(today), *brake_window_deadlines(today), *objection_deadlines(today)]
