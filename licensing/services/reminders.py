"""The licensing deadlines the reminder engine (core.reminders) is fed with: the Awb decision term, answers to
requests for information (the exporter before, the officer when the term passed unused) and the de minimis
"without delay" target. Each is read with one query over an index, for the few days around today."""

from __future__ import annotations

from collections import defaultdict
from datetime import date, timedelta

from django.contrib.auth import get_user_model

from core.i18n import gettext_lazy
from core.models import ReminderKind
from core.notifications import notice
from core.reminders import Deadline
from core.roles import Role
from parties.selectors import users_with_roles

from ..models import OPEN_STATUSES, Application, InformationRequest
from ..models.parliament import ParliamentInformation, ParliamentInformationStatus
from ..models.treaty import TreatyTransfer

# How far ahead the sweep looks (the earliest reminder point) and how far back (the latest, after the deadline).
AHEAD_DAYS = 7
BEHIND_DAYS = 1


def _case_link(pk: int) -> str:
    return f"/casework/cases/{pk}/"


def _window(today: date) -> tuple[date, date]:
    return today - timedelta(days=BEHIND_DAYS), today + timedelta(days=AHEAD_DAYS)


def _officers(assigned_to_id: int | None) -> tuple[int, ...]:
    return (assigned_to_id,) if assigned_to_id else ()


def awb_term_deadlines(today: date) -> list[Deadline]:
    """Awb 4:13: the decision term of every open case; unassigned cases are escalated."""
    rows = Application.objects.filter(status__in=OPEN_STATUSES, legal_deadline__range=_window(today)).values_list(
        "pk", "reference", "legal_deadline", "assigned_to_id"
    )
    return [
        Deadline(
            kind=ReminderKind.AWB_TERM,
            subject=f"application:{pk}",
            deadline=deadline,
            title=notice(
                gettext_lazy(
                    "{reference}: Awb decision term (send a notice of delay under Awb 4:14(3) if it will be missed)"
                ),
                reference=reference,
            ),
            link=_case_link(pk),
            recipient_ids=_officers(assigned),
            acted=assigned is not None,
        )
        for pk, reference, deadline, assigned in rows
        if deadline is not None  # the range filter excludes NULL; this tells the type checker
    ]


def answer_by_deadlines(today: date) -> list[Deadline]:
    """Open requests for information: the exporter is reminded before the answer-by date; the officer is told the
    day after it passed unused (the Awb term then runs again, Awb 4:15(1)(a))."""
    rows = list(
        InformationRequest.objects.filter(answered_at__isnull=True, respond_by__range=_window(today)).values_list(
            "pk", "application_id", "application__reference", "application__organisation_id", "respond_by",
            "application__assigned_to_id",
        )
    )  # fmt: skip
    members: dict[int, list[int]] = defaultdict(list)
    organisation_ids = {row[3] for row in rows}
    for user_id, organisation_id in (
        get_user_model()
        .objects.filter(organisation_id__in=organisation_ids, is_active=True)
        .values_list("pk", "organisation_id")
    ):
        members[organisation_id].append(user_id)
    deadlines = []
    for pk, application_id, reference, organisation_id, respond_by, assigned in rows:
        deadlines.append(
            Deadline(
                kind=ReminderKind.ANSWER_BY,
                subject=f"information_request:{pk}",
                deadline=respond_by,
                title=notice(
                    gettext_lazy("{reference}: please answer the licensing authority's question"), reference=reference
                ),
                link=f"/portal/applications/{application_id}/",
                recipient_ids=tuple(members[organisation_id]),
                acted=True,  # the exporter's own deadline: never escalated to our seniors
                points=(3, 0),
            )
        )
        deadlines.append(
            Deadline(
                kind=ReminderKind.ANSWER_BY,
                subject=f"information_request:{pk}:officer",
                deadline=respond_by,
                title=notice(
                    gettext_lazy("{reference}: the question went unanswered; the Awb term runs again"),
                    reference=reference,
                ),
                link=_case_link(application_id),
                recipient_ids=_officers(assigned),
                acted=assigned is not None,
                points=(-1,),
            )
        )
    return deadlines


def de_minimis_target_deadlines(today: date) -> list[Deadline]:
    """Treaty de minimis: the licence is issued "without delay" (the configured working-day target)."""
    rows = TreatyTransfer.objects.filter(
        de_minimis=True, target_date__range=_window(today), application__status__in=OPEN_STATUSES
    ).values_list("application_id", "application__reference", "target_date", "application__assigned_to_id")
    return [
        Deadline(
            kind=ReminderKind.DE_MINIMIS_TARGET,
            subject=f"application:{pk}",
            deadline=target,
            title=notice(
                gettext_lazy("{reference}: de minimis transfer, to be licensed without delay"), reference=reference
            ),
            link=_case_link(pk),
            recipient_ids=_officers(assigned),
            acted=assigned is not None,
            points=(2, 0, -1),
        )
        for pk, reference, target, assigned in rows
        if target is not None
    ]


# Accelerated information to parliament: a week and two days before the letter is due, on the day, and then every
# week after it until the letter is marked sent (the engine sends only the latest due point, once).
PARLIAMENT_LETTER_POINTS = (7, 2, 0, *range(-7, -7 * 27, -7))


def parliament_letter_deadlines(today: date) -> list[Deadline]:
    """Letters to parliament not yet marked sent (licensing.parliament_rules): reporting staff are reminded until
    the letter is marked sent, however long ago it was due. Few rows: every unsent one is fed, not a window."""
    rows = ParliamentInformation.objects.filter(
        status=ParliamentInformationStatus.DUE, due_on__lte=today + timedelta(days=AHEAD_DAYS)
    ).values_list("pk", "application__reference", "due_on")
    recipients = tuple(users_with_roles(Role.REPORTING).values_list("pk", flat=True))
    return [
        Deadline(
            kind=ReminderKind.PARLIAMENT_LETTER,
            subject=f"parliament_information:{pk}",
            deadline=due_on,
            title=notice(
                gettext_lazy("{reference}: accelerated information to parliament, letter to be sent"),
                reference=reference,
            ),
            link="/reports/parliament/",
            recipient_ids=recipients,
            acted=bool(recipients),
            points=PARLIAMENT_LETTER_POINTS,
        )
        for pk, reference, due_on in rows
    ]


def licensing_deadlines(today: date) -> list[Deadline]:
    return [
        *awb_term_deadlines(today),
        *answer_by_deadlines(today),
        *de_minimis_target_deadlines(today),
        *parliament_letter_deadlines(today),
    ]
