"""Usage-return deadlines fed to the one reminder engine (core.reminders): the holder's people are reminded
before a return is due and told the day after it became overdue; officers see overdue returns on the licence
and registration pages (general_licences.selectors.periods_of), and a return still missing two weeks after its
due date goes to the senior officers as well (nobody acted). Only registrations in effect (approved) are
reminded: a pending, rejected, suspended or ended one gets none."""

from __future__ import annotations

from collections import defaultdict
from datetime import date, timedelta

from django.contrib.auth import get_user_model

from core.i18n import gettext_lazy
from core.models import ReminderKind
from core.notifications import notice
from core.reminders import Deadline

from .models import GeneralLicenceRegistration, RegistrationStatus
from .periods import ended_periods

# Reminder points in days before the due date (negative: after it); the sweep looks this far around today.
POINTS = (14, 3, 0, -1, -14)
# From this point on (14 days overdue) a missing return goes to the senior officers too.
ESCALATE_WITHIN = -14
AHEAD_DAYS, BEHIND_DAYS = max(POINTS), -min(POINTS)


def usage_return_deadlines(today: date) -> list[Deadline]:
    registrations = list(
        GeneralLicenceRegistration.objects.filter(status=RegistrationStatus.APPROVED)
        .select_related("licence")
        .prefetch_related("returns")
    )
    members: dict[int, list[int]] = defaultdict(list)
    for user_id, organisation_id in (
        get_user_model()
        .objects.filter(organisation_id__in={r.organisation_id for r in registrations}, is_active=True)
        .values_list("pk", "organisation_id")
    ):
        members[organisation_id].append(user_id)
    deadlines = []
    # A period whose due date is within the window has ended; the next one may end within AHEAD_DAYS.
    horizon = today + timedelta(days=AHEAD_DAYS + 1)
    for registration in registrations:
        licence = registration.licence
        if registration.active_from is None:  # approved registrations are dated (a check constraint)
            continue
        filed = {r.period_start for r in registration.returns.all()}
        periods = ended_periods(
            registration.active_from,
            today=horizon,
            last_day=licence.valid_until,
            months=licence.return_period_months,
            due_days=licence.return_due_days,
        )
        for period in periods:
            if period.start in filed or not (today - timedelta(days=BEHIND_DAYS) <= period.due_on <= horizon):
                continue
            deadlines.append(
                Deadline(
                    kind=ReminderKind.USAGE_RETURN,
                    subject=f"gl_registration:{registration.pk}:{period.start.isoformat()}",
                    deadline=period.due_on,
                    title=notice(
                        gettext_lazy("{reference}: usage return for {start} to {end}"),
                        reference=licence.reference,
                        start=period.start,
                        end=period.end,
                    ),
                    link=f"/portal/general-licences/registrations/{registration.pk}/",
                    escalation_link=f"/casework/general-licences/registrations/{registration.pk}/",
                    recipient_ids=tuple(members[registration.organisation_id]),
                    acted=False,  # while the return is missing; a filed return drops the deadline altogether
                    points=POINTS,
                    escalate_within=ESCALATE_WITHIN,
                )
            )
    return deadlines
