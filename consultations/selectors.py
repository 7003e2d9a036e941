"""Reads for the consultations app, scoped to the user. Treaty notifications and programmes are the licensing
officers' (capability consultations.use); anyone else gets 404 for missing and forbidden alike. The exporter
sees only the treaty details of their own organisation's applications."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.db.models import Prefetch, Q, QuerySet
from django.http import Http404
from django.utils import timezone
from django.utils.translation import get_language

from audit.models import AuditEvent
from core.access import can
from core.exceptions import DomainValidationError
from core.i18n import field_in_language
from core.models import DeadlineReminder, ReminderKind
from core.roles import Role
from licensing.models import OPEN_STATUSES, Application, LicenceType
from licensing.models.consultation import ConsultationStatus
from licensing.models.treaty import TreatyParameterName, TreatyTransfer
from licensing.services.treaty_parameters import parameter_on
from parties.selectors import users_with_roles

from .deadlines import reminder_dates
from .models.treaty import (
    DEADLINE_RUNNING,
    ConsultationMeeting,
    NotificationDirection,
    NotificationStatus,
    Objection,
    ObjectionStatus,
    Programme,
    TreatyNotification,
)

# Flag a deadline this close (calendar days, the deadline day included) on the dashboard.
DEADLINE_SOON_DAYS = 5


class StatusFilter:
    RUNNING = "running"  # objection period running (the default view)
    CONSULTATION = "consultation"
    DONE = "done"
    ALL = "all"


def _require_officer(user: Any) -> None:
    # Reads answer 404, as for a record that does not exist (services answer 403 through core.access.require).
    if not can(user, "consultations.use"):
        raise Http404("No such record")


@dataclass(frozen=True)
class DashboardFilters:
    status: str = StatusFilter.RUNNING
    direction: str = ""
    counterpart: str = ""
    assignee: str = ""  # "me", "none" or ""
    due: str = ""  # "soon", "overdue" or ""


def notification_list_for(*, user: Any, filters: DashboardFilters, today: date) -> QuerySet[TreatyNotification]:
    """Notifications by deadline, with what a dashboard row shows, in one query."""
    _require_officer(user)
    qs = TreatyNotification.objects.select_related(
        "counterpart", "third_country", "assignee", "programme", "application"
    ).order_by("objection_deadline", "pk")
    if filters.status == StatusFilter.RUNNING:
        qs = qs.filter(status__in=DEADLINE_RUNNING)
    elif filters.status == StatusFilter.CONSULTATION:
        qs = qs.filter(status=NotificationStatus.OBJECTED)
    elif filters.status == StatusFilter.DONE:
        qs = qs.filter(status__in=[NotificationStatus.NO_OBJECTION_IN_TIME, NotificationStatus.CLOSED])
    if filters.direction in NotificationDirection.values:
        qs = qs.filter(direction=filters.direction)
    if filters.counterpart:
        qs = qs.filter(counterpart_id=filters.counterpart)
    if filters.assignee == "me":
        qs = qs.filter(assignee=user)
    elif filters.assignee == "none":
        qs = qs.filter(assignee__isnull=True)
    if filters.due == "soon":
        qs = qs.filter(
            objection_deadline__gte=today, objection_deadline__lte=today + timedelta(days=DEADLINE_SOON_DAYS)
        )
    elif filters.due == "overdue":
        qs = qs.filter(objection_deadline__lt=today, status__in=DEADLINE_RUNNING)
    return qs


COUNTERPARTS_CACHE_KEY = "consultations:counterparts:{language}"


def notification_counterparts() -> list[tuple[str, str]]:
    """(iso2, name) of the parties that appear on notifications, for the dashboard filter.

    Cached per language: finding the distinct counterparts reads every notification, and the list changes only
    when a notification or a country's name does (consultations.caches clears it then)."""
    key = COUNTERPARTS_CACHE_KEY.format(language=get_language() or settings.LANGUAGE_CODE)
    cached = cache.get(key)
    if cached is not None:
        return [tuple(pair) for pair in cached]
    name = field_in_language(en="counterpart__name_en", nl="counterpart__name_nl")
    counterparts = list(TreatyNotification.objects.order_by(name).values_list("counterpart_id", name).distinct())
    cache.set(key, counterparts, timeout=None)
    return counterparts


def notification_counterparts_forget() -> None:
    """Clear the cached counterparts in every language (consultations.caches calls this on a change)."""
    cache.delete_many([COUNTERPARTS_CACHE_KEY.format(language=code) for code, _name in settings.LANGUAGES])


DASHBOARD_COUNT_CAP = 10_000  # "10,000+": beyond it nobody works through the list by number


def dashboard_counts(*, today: date) -> dict[str, int]:
    """Running, due soon and passed-but-unrecorded notifications, and those in consultation, each counted up to
    DASHBOARD_COUNT_CAP + 1 (more than the cap), in one query of scalar subqueries that each read an index range
    (the partial index on running notifications, by deadline) and stop at the cap: a count over all 100,000
    running notifications read every one of them on every request."""
    notifications = TreatyNotification.objects.order_by()
    running = notifications.filter(status__in=DEADLINE_RUNNING)
    parts = {
        "running": running,
        "soon": running.filter(
            objection_deadline__gte=today, objection_deadline__lte=today + timedelta(days=DEADLINE_SOON_DAYS)
        ),
        "overdue": running.filter(objection_deadline__lt=today),
        "consultation": notifications.filter(status=NotificationStatus.OBJECTED),
    }
    compiled = [qs.values("pk")[: DASHBOARD_COUNT_CAP + 1].query.sql_with_params() for qs in parts.values()]
    # Only SQL the ORM wrote is joined here; every value stays a query parameter.
    subqueries = [f"(SELECT COUNT(*) FROM ({sql}) AS capped_{i})" for i, (sql, _) in enumerate(compiled)]  # noqa: S608
    with connection.cursor() as cursor:
        cursor.execute("SELECT " + ", ".join(subqueries), [p for _, params in compiled for p in params])
        row = cursor.fetchone()
    return {name: int(n) for name, n in zip(parts, row, strict=True)}


def notification_get_for(*, user: Any, pk: int) -> TreatyNotification:
    """One notification with its objections, their consultation and meetings (its reminders: notification_reminders)."""
    _require_officer(user)
    qs = TreatyNotification.objects.select_related(
        "counterpart", "third_country", "assignee", "programme", "application", "recorded_by"
    ).prefetch_related(
        Prefetch(
            "objections",
            queryset=Objection.objects.select_related(
                "proposed_by", "approved_by", "returned_by", "sent_by", "consultation"
            ).prefetch_related(
                Prefetch("consultation__meetings", queryset=ConsultationMeeting.objects.select_related("recorded_by"))
            ),
        ),
    )
    try:
        return qs.get(pk=pk)
    except TreatyNotification.DoesNotExist as exc:
        raise Http404("No such notification") from exc


def notification_id_of_objection(*, user: Any, pk: int) -> int:
    _require_officer(user)
    try:
        return Objection.objects.values_list("notification_id", flat=True).get(pk=pk)
    except Objection.DoesNotExist as exc:
        raise Http404("No such objection") from exc


def notification_id_of_consultation(*, user: Any, pk: int) -> int:
    """The notification whose objection opened this treaty consultation; 404 for any other consultation."""
    _require_officer(user)
    notification_id = Objection.objects.filter(consultation_id=pk).values_list("notification_id", flat=True).first()
    if notification_id is None:
        raise Http404("No such consultation")
    return notification_id


def live_objection_of(notification: TreatyNotification) -> Objection | None:
    """From a prefetched notification: the objection that is not sent back, if any."""
    return next((o for o in notification.objections.all() if o.status != ObjectionStatus.RETURNED), None)


def notification_history(*, notification: TreatyNotification) -> list[AuditEvent]:
    """The notification's story from the audit log (every treaty service records against the notification)."""
    return list(
        AuditEvent.objects.filter(target_type=notification._meta.label_lower, target_id=str(notification.pk))
        .select_related("actor")
        .order_by("sequence")
    )


def objections_blocking(*, application_id: int) -> list[Objection]:
    """Objections received on this case's outgoing notifications whose consultation is still open."""
    return list(
        Objection.objects.filter(
            notification__application_id=application_id,
            notification__direction=NotificationDirection.OUTGOING,
            status=ObjectionStatus.RECEIVED,
        )
        .filter(Q(consultation__isnull=True) | Q(consultation__status=ConsultationStatus.OPEN))
        .select_related("notification__counterpart")
    )


def programme_list_for(*, user: Any) -> QuerySet[Programme]:
    _require_officer(user)
    return Programme.objects.prefetch_related("participants")


def programme_get_for(*, user: Any, pk: int) -> Programme:
    _require_officer(user)
    qs = Programme.objects.prefetch_related(
        "participants",
        Prefetch("applications", queryset=Application.objects.select_related("organisation", "destination")),
        Prefetch("notifications", queryset=TreatyNotification.objects.select_related("counterpart", "third_country")),
    )
    try:
        return qs.get(pk=pk)
    except Programme.DoesNotExist as exc:
        raise Http404("No such programme") from exc


def application_ids_by_reference(*, user: Any, references: list[str]) -> tuple[list[int], list[str]]:
    """Ids of the applications with these references, and the references that match none."""
    _require_officer(user)
    found = dict(Application.objects.filter(reference__in=references).values_list("reference", "pk"))
    return [found[r] for r in references if r in found], [r for r in references if r not in found]


def treaty_transfer_of(application: Application) -> TreatyTransfer | None:
    return (
        TreatyTransfer.objects.select_related(
            "final_system__ml_category",
            "final_system__integrator_country",
            "follow_on_of",
            "exclusion_entry",
            "threshold_parameter",
        )
        .prefetch_related("end_destinations")
        .filter(application_id=application.pk)
        .first()
    )


def treaty_panel_for(*, application: Application, user: Any) -> dict[str, Any]:
    """The case-page panel: the de minimis computation and the outgoing notifications (fixed query count)."""
    outgoing = list(
        TreatyNotification.objects.filter(application_id=application.pk, direction=NotificationDirection.OUTGOING)
        .select_related("counterpart", "third_country")
        .order_by("objection_deadline", "pk")
    )
    is_treaty = application.licence_type == LicenceType.TREATY_COMPONENT
    return {
        "application_id": application.pk,
        "today": timezone.localdate(),
        "open": application.status in OPEN_STATUSES,
        "is_treaty_transfer": is_treaty,
        "transfer": treaty_transfer_of(application) if is_treaty else None,
        "outgoing_notifications": outgoing,
        "blocking_objections": objections_blocking(application_id=application.pk),
        "can_record_notifications": can(user, "consultations.use"),
        "can_correct": can(user, "casework.use"),
    }


def treaty_application_for_exporter(*, user: Any, pk: int) -> Application:
    """A treaty component transfer application of the exporter's own organisation; 404 otherwise."""
    if not can(user, "portal.use"):
        raise Http404("No such application")
    try:
        return Application.objects.select_related("organisation").get(
            pk=pk, organisation_id=user.organisation_id, licence_type=LicenceType.TREATY_COMPONENT
        )
    except Application.DoesNotExist as exc:
        raise Http404("No such application") from exc


def follow_on_candidates(*, application: Application) -> QuerySet[Application]:
    """Earlier cases of the same organisation to which the de minimis rule applied."""
    return (
        Application.objects.filter(organisation_id=application.organisation_id, treaty_transfer__de_minimis=True)
        .exclude(pk=application.pk)
        .order_by("-submitted_at")
    )


def officers() -> QuerySet[Any]:
    return users_with_roles(Role.OFFICER, Role.SENIOR_OFFICER).order_by("first_name", "last_name")


def outgoing_application_choices(*, user: Any) -> QuerySet[Application]:
    _require_officer(user)
    return Application.objects.filter(status__in=OPEN_STATUSES).order_by("-submitted_at")


def objections_to_approve_for(*, user: Any) -> dict[str, Any]:
    """Objections other officers proposed, waiting for this senior officer's approval (four eyes), the nearest
    objection deadline first (2 queries; the home worklist, core.home)."""
    waiting = Objection.objects.filter(status=ObjectionStatus.PROPOSED).exclude(proposed_by=user)
    rows = list(
        waiting.select_related("notification", "proposed_by").order_by("notification__objection_deadline", "pk")[:5]
    )
    return {"count": waiting.count(), "rows": rows}


@dataclass(frozen=True)
class ReminderPoint:
    offset_days: int
    due_on: date
    sent_at: datetime | None
    escalated: bool


def notification_reminders(*, notification: TreatyNotification) -> list[ReminderPoint]:
    """The reminder points of our objection deadline on an incoming notification (the treaty parameter in force on
    the day of becoming aware), each with whether the engine (core.reminders) sent it: a sweep sends only the
    latest point due, so an earlier one may stay unsent. Outgoing notifications: the other party's window, none."""
    if notification.direction != NotificationDirection.INCOMING:
        return []
    try:
        points = set(parameter_on(TreatyParameterName.REMINDER_DAYS, notification.received_on).as_int_list)
    except DomainValidationError:
        points = set()
    sent = {
        r.offset_days: r
        for r in DeadlineReminder.objects.filter(
            kind=ReminderKind.TREATY_OBJECTION,
            subject=f"treaty_notification:{notification.pk}",
            deadline=notification.objection_deadline,
        )
    }
    return [
        ReminderPoint(
            offset_days=point,
            due_on=due_on,
            sent_at=sent[point].sent_at if point in sent else None,
            escalated=sent[point].escalated if point in sent else False,
        )
        for point, due_on in reminder_dates(notification.objection_deadline, [*points, *sent])
    ]
