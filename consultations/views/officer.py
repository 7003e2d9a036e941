"""The officers' treaty screens: the deadline dashboard, recording notifications, and a notification's page
(assignment and closing here; the emergency-brake actions in brake.py, through `act`).

Thin views: forms parse, services in consultations.services decide, selectors in consultations.selectors read.
Domain errors map to HTTP here: field errors 400 on the re-rendered page; a refused step (e.g. an objection after
the deadline) 409 with the service's message shown on the page, so the officer sees why.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django import forms
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views import View

from core.access import can
from core.exceptions import DomainError, DomainValidationError
from core.pagination import KeysetColumn, KeysetPage, KeysetPaginator
from core.views.mixins import CapabilityRequiredMixin
from licensing.models.consultation import ConsultationStatus
from licensing.views.officer import CURSOR_PARAM, Pager

from ..forms import (
    AssignForm,
    CloseForm,
    ConcludeForm,
    DashboardFilterForm,
    IncomingNotificationForm,
    MeetingForm,
    NoObjectionAnswerForm,
    ObjectionDecideForm,
    ObjectionProposeForm,
    ObjectionReceiveForm,
    OutgoingNotificationForm,
)
from ..models.treaty import DEADLINE_RUNNING, NotificationDirection, NotificationStatus, ObjectionStatus
from ..selectors import (
    DASHBOARD_COUNT_CAP,
    DEADLINE_SOON_DAYS,
    DashboardFilters,
    StatusFilter,
    dashboard_counts,
    live_objection_of,
    notification_counterparts,
    notification_get_for,
    notification_history,
    notification_list_for,
    notification_reminders,
    officers,
    outgoing_application_choices,
)
from ..services import notifications
from .history import history_entries

PAGE_SIZE = 25


class OfficerView(CapabilityRequiredMixin, View):
    capability = "consultations.use"


def apply_errors(form: forms.Form, exc: DomainError, *, renamed: dict[str, str] | None = None) -> None:
    renamed = renamed or {}
    for field, errors in (exc.field_errors or {"__all__": [exc.message]}).items():
        target = renamed.get(field, field)
        for error in errors:
            form.add_error(target if target in form.fields else None, error)


DASHBOARD_ORDERING = [KeysetColumn("objection_deadline"), KeysetColumn("pk")]


def _known_total(page: KeysetPage[Any], *, filters: DashboardFilters, counts: dict[str, int]) -> int | None:
    """The number of notifications listed, when known without counting them: all on this page, or a status
    without further filters, which dashboard_counts has counted already. Otherwise None ("Showing 26-50")."""
    if not page.has_other_pages:
        return len(page.rows)
    if filters.direction or filters.counterpart or filters.assignee or filters.due:
        return None
    total = {StatusFilter.RUNNING: counts["running"], StatusFilter.CONSULTATION: counts["consultation"]}.get(
        filters.status
    )
    return None if total is None or total > DASHBOARD_COUNT_CAP else total


class DashboardView(OfficerView):
    """Every notification whose objection period runs, by deadline, with the days left."""

    def get(self, request: HttpRequest) -> HttpResponse:
        today = timezone.localdate()
        filter_form = DashboardFilterForm(request.GET or None, counterparts=notification_counterparts())
        filters = filter_form.filters()
        notifications_qs = notification_list_for(user=request.user, filters=filters, today=today)
        # Keyset pages (core.pagination): by deadline, a page is an index range however deep, and no page
        # counts the whole list.
        page = KeysetPaginator(
            notifications_qs, DASHBOARD_ORDERING, per_page=PAGE_SIZE, scope="consultations:dashboard"
        ).page(request.GET.get(CURSOR_PARAM))
        counts = dashboard_counts(today=today)
        rows = [
            {
                "notification": n,
                "days_left": n.days_left(today),
                "days_overdue": -n.days_left(today),
                "running": n.status in DEADLINE_RUNNING,
            }
            for n in page.rows
        ]
        return render(
            request,
            "consultations/dashboard.html",
            {
                "filter_form": filter_form,
                "pager": Pager.of(request, page),
                "total": _known_total(page, filters=filters, counts=counts),
                "rows": rows,
                "today": today,
                "soon_days": DEADLINE_SOON_DAYS,
                "counts": {name: min(n, DASHBOARD_COUNT_CAP) for name, n in counts.items()},
                "more": {name: n > DASHBOARD_COUNT_CAP for name, n in counts.items()},  # shown as "10,000+"
            },
        )


class IncomingNotificationCreateView(OfficerView):
    template_name = "consultations/notification_form.html"

    def get(self, request: HttpRequest) -> HttpResponse:
        form = IncomingNotificationForm(officers=officers(), initial={"assignee": request.user})
        return render(request, self.template_name, {"form": form, "direction": "incoming"})

    def post(self, request: HttpRequest) -> HttpResponse:
        form = IncomingNotificationForm(request.POST, officers=officers())
        if form.is_valid():
            data = form.cleaned_data
            try:
                notification = notifications.notification_record_incoming(
                    actor=request.user,
                    counterpart_id=data["counterpart"].pk,
                    subject_kind=data["subject_kind"],
                    subject=data["subject"],
                    third_country_id=data["third_country"].pk,
                    received_on=data["received_on"],
                    programme_id=data["programme"].pk if data["programme"] else None,
                    their_reference=data["their_reference"],
                    assignee=data["assignee"],
                    notes=data["notes"],
                )
            except DomainError as exc:
                apply_errors(form, exc)
            else:
                messages.success(
                    request,
                    _("Notification recorded. The objection deadline is %(deadline)s.")
                    % {"deadline": notification.objection_deadline.isoformat()},
                )
                return redirect("consultations:notification_detail", pk=notification.pk)
        return render(request, self.template_name, {"form": form, "direction": "incoming"}, status=400)


class OutgoingNotificationCreateView(OfficerView):
    template_name = "consultations/notification_form.html"

    def get(self, request: HttpRequest) -> HttpResponse:
        initial = {"application": request.GET.get("application")}
        form = OutgoingNotificationForm(applications=outgoing_application_choices(user=request.user), initial=initial)
        return render(request, self.template_name, {"form": form, "direction": "outgoing"})

    def post(self, request: HttpRequest) -> HttpResponse:
        form = OutgoingNotificationForm(request.POST, applications=outgoing_application_choices(user=request.user))
        if form.is_valid():
            data = form.cleaned_data
            try:
                created = notifications.notification_record_outgoing(
                    actor=request.user,
                    application_id=data["application"].pk,
                    counterpart_ids=[c.pk for c in data["counterparts"]],
                    subject_kind=data["subject_kind"],
                    subject=data["subject"],
                    third_country_id=data["third_country"].pk,
                    received_on=data["received_on"],
                    programme_id=data["programme"].pk if data["programme"] else None,
                    their_reference=data["their_reference"],
                )
            except DomainError as exc:
                apply_errors(form, exc)
            else:
                messages.success(
                    request,
                    _("%(n)s notification(s) recorded; each party may object until %(deadline)s.")
                    % {"n": len(created), "deadline": created[0].objection_deadline.isoformat()},
                )
                return redirect("consultations:notification_detail", pk=created[0].pk)
        return render(request, self.template_name, {"form": form, "direction": "outgoing"}, status=400)


def notification_page(
    request: HttpRequest, pk: int, *, bound: dict[str, forms.Form] | None = None, status: int = 200
) -> HttpResponse:
    user: Any = request.user
    notification = notification_get_for(user=user, pk=pk)
    today = timezone.localdate()
    objection = live_objection_of(notification)
    consultation = objection.consultation if objection else None
    running = notification.status in DEADLINE_RUNNING
    late = today > notification.objection_deadline
    incoming = notification.direction == NotificationDirection.INCOMING
    version = notification.version
    page_forms: dict[str, forms.Form] = {
        "assign_form": AssignForm(
            initial={"expected_version": version, "assignee": notification.assignee}, officers=officers()
        ),
        "close_form": CloseForm(initial={"expected_version": version}),
        "propose_form": ObjectionProposeForm(initial={"expected_version": version}),
        "receive_form": ObjectionReceiveForm(initial={"expected_version": version, "received_on": today}),
        "no_objection_form": NoObjectionAnswerForm(initial={"expected_version": version, "answered_on": today}),
        "decide_form": ObjectionDecideForm(),
        "meeting_form": MeetingForm(initial={"held_on": today}),
        "conclude_form": ConcludeForm(
            initial={"expected_version": consultation.version if consultation else 0, "concluded_on": today}
        ),
    }
    page_forms.update(bound or {})
    consultation_open = consultation is not None and consultation.status == ConsultationStatus.OPEN
    actions = {
        "close": incoming and notification.status == NotificationStatus.OPEN,
        "no_objection": not incoming and notification.status == NotificationStatus.OPEN and not late,
        "propose": incoming and notification.status == NotificationStatus.OPEN and not late,
        "receive": not incoming and notification.status == NotificationStatus.OPEN,
        "decide": objection is not None
        and objection.status == ObjectionStatus.PROPOSED
        and can(user, "consultations.approve_objection")
        and objection.proposed_by_id != user.pk,
        "own_proposal": objection is not None
        and objection.status == ObjectionStatus.PROPOSED
        and objection.proposed_by_id == user.pk,
        "send": objection is not None and objection.status == ObjectionStatus.APPROVED and not late,
        "consultation": consultation_open,
    }
    context = {
        "notification": notification,
        "objection": objection,
        "returned_objections": [o for o in notification.objections.all() if o.status == ObjectionStatus.RETURNED],
        "consultation": consultation,
        "meetings": list(consultation.meetings.all()) if consultation else [],
        "consultation_days": (today - consultation.opened_on).days if consultation else None,
        "reminders": notification_reminders(notification=notification),
        "history": history_entries(notification_history(notification=notification)),
        "today": today,
        "days_left": notification.days_left(today),
        "days_overdue": -notification.days_left(today),
        "soon_days": DEADLINE_SOON_DAYS,
        "running": running,
        "late": late,
        "incoming": incoming,
        "actions": actions,
        **page_forms,
    }
    return render(request, "consultations/notification_detail.html", context, status=status)


class NotificationDetailView(OfficerView):
    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        return notification_page(request, pk)


def act(
    request: HttpRequest,
    *,
    notification_pk: int,
    form_name: str,
    form: forms.Form,
    perform: Callable[[dict[str, Any]], str],
) -> HttpResponse:
    """Validate, call the service, and map its domain errors to HTTP (see the module docstring)."""
    if not form.is_valid():
        return notification_page(request, notification_pk, bound={form_name: form}, status=400)
    try:
        message = perform(form.cleaned_data)
    except DomainValidationError as exc:
        apply_errors(form, exc)
        return notification_page(request, notification_pk, bound={form_name: form}, status=400)
    except DomainError as exc:
        messages.error(request, exc.message)
        return notification_page(request, notification_pk, status=exc.status_code)
    messages.success(request, message)
    return redirect("consultations:notification_detail", pk=notification_pk)


class ActionView(OfficerView):
    http_method_names = ["post"]


class NotificationAssignView(ActionView):
    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        notification_get_for(user=request.user, pk=pk)
        form = AssignForm(request.POST, officers=officers())

        def perform(data: dict[str, Any]) -> str:
            notifications.notification_assign(
                actor=request.user,
                notification_id=pk,
                assignee=data["assignee"],
                expected_version=data["expected_version"],
            )
            return _("Assignment saved.")

        return act(request, notification_pk=pk, form_name="assign_form", form=form, perform=perform)


class NotificationCloseView(ActionView):
    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        notification_get_for(user=request.user, pk=pk)

        def perform(data: dict[str, Any]) -> str:
            notifications.notification_close(
                actor=request.user, notification_id=pk, reason=data["reason"], expected_version=data["expected_version"]
            )
            return _("Notification closed without objection.")

        return act(request, notification_pk=pk, form_name="close_form", form=CloseForm(request.POST), perform=perform)
