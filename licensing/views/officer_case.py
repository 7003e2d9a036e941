"""The officer's case page and the small action views that post to it.

Each action view validates one form and calls one service. Domain errors map to HTTP in `_act`: a
DomainValidationError re-renders the case page with the form's field errors (400); TransitionNotAllowed and
StaleVersion (409) and NotAllowed (403) re-render it, freshly read, with the service's message.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django import forms
from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.defaultfilters import floatformat, linebreaksbr
from django.utils import timezone
from django.utils.cache import patch_vary_headers
from django.utils.formats import date_format
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.views import View

from audit.models import AuditEvent, Verb
from core.access import can
from core.exceptions import DomainError, DomainValidationError, StaleVersion
from core.templatetags.core_tags import amount
from core.views.mixins import CapabilityRequiredMixin

from ..case_panels import deferred_panel, panel_for, panels_for
from ..case_reads import share_case_reads
from ..decision_gate import decision_gate
from ..forms.casework import (
    LICENCE_ACTION_LABELS,
    ApproveDecisionForm,
    AssignForm,
    CountersignForm,
    InformationRequestForm,
    LicenceStatusForm,
    NoteForm,
    RefuseDecisionForm,
    ReturnDecisionForm,
)
from ..models import (
    OPEN_STATUSES,
    ApplicationStatus,
    DecisionOutcome,
    DecisionStatus,
    GoodsLine,
    LicenceStatus,
    Unit,
)
from ..selectors import end_user_of, licence_get_for, pending_decision_of
from ..selectors_queue import (
    calendar_holidays,
    case_actions_for,
    case_detail_for,
    case_get_for,
    case_history_of,
    case_notes_of,
    case_parts_for,
    case_urgency,
    criteria_list,
    decision_get_for,
    licence_of,
    officer_list,
)
from ..services import casework
from ..services.workflow import ERR_STALE

# The newest events the case page lists; the whole history is on the case's history page (audit:history), which
# pages through it. A long-running case collects hundreds of events, and rendering them all was most of the page.
CASE_HISTORY_SHOWN = 50


def _status_label(choices: Any, value: Any) -> str:
    try:
        return str(choices(value).label)
    except ValueError:
        return str(value)


def _history_rows(events: list[AuditEvent], people: dict[int, str]) -> list[dict[str, Any]]:
    """Who, when, what (the verb's label, with the change it made where the payload says), why."""
    rows = []
    for event in events:
        payload = event.payload or {}
        detail = ""
        if event.verb == Verb.LICENCE_TRANSITIONED and "to" in payload:
            detail = f"{_status_label(LicenceStatus, payload['from'])} → {_status_label(LicenceStatus, payload['to'])}"
        elif "to" in payload and "from" in payload and event.verb != Verb.APPLICATION_ASSIGNED:
            frm, to = payload["from"], payload["to"]
            detail = f"{_status_label(ApplicationStatus, frm)} → {_status_label(ApplicationStatus, to)}"
        elif event.verb == Verb.APPLICATION_ASSIGNED:
            to = payload.get("to")
            detail = people.get(to, _("someone")) if to else _("nobody")
            detail = _("to %(name)s") % {"name": detail}
        elif event.verb == Verb.DECISION_PROPOSED:
            detail = _status_label(DecisionOutcome, payload.get("outcome"))
            if payload.get("four_eyes"):
                detail += " · " + _("needs countersignature")
        elif event.verb == Verb.LICENCE_ISSUED:
            detail = str(payload.get("number", ""))
        elif event.verb == Verb.APPLICATION_UPDATED:
            detail = str(payload.get("change", ""))
        when = timezone.localtime(event.occurred_at)
        rows.append(
            {
                # Formatted here as the template's filters did (date, capfirst, default, linebreaksbr), so the
                # template only prints the cells (issue 19).
                "when": when,
                "when_iso": date_format(when, "c"),
                "when_text": date_format(when, "SHORT_DATETIME_FORMAT"),
                "who": event.actor_label,
                # Verb(...).label, not get_verb_display(): that hashes every verb's (lazy) label on each call.
                "what": capfirst(_status_label(Verb, event.verb)),
                "detail": detail,
                "why": linebreaksbr(event.reason or "—"),
            }
        )
    return rows


def _goods_rows(goods: list[GoodsLine]) -> list[dict[str, Any]]:
    """The goods table's cells, formatted once here: per line the template only prints them (issue 19: filters and
    lookups per cell, and get_unit_display's hashing of every lazy unit label, were 6 ms for 50 lines). The same
    formats as the filters they replace (floatformat, core_tags.amount)."""
    units = {value: str(label) for value, label in Unit.choices}
    titles: dict[str, str] = {}
    rows = []
    for line in goods:
        if line.ml_category_id not in titles:
            titles[line.ml_category_id] = line.ml_category.local_title
        euro = line.currency == "EUR"
        rows.append(
            {
                "description": line.description,
                "part_numbers": line.part_numbers,
                "is_component": line.is_component,
                "ml": line.ml_category_id,
                "ml_title": titles[line.ml_category_id],
                "ml_sub_item": line.ml_sub_item,
                "quantity": floatformat(line.quantity, "-3g"),
                "unit": units.get(line.unit, line.unit),
                "unit_value": amount(line.unit_value),
                "currency": line.currency,
                "euro": euro,
                "value_eur": amount(line.value_eur),
                "rate": "" if euro else floatformat(line.exchange_rate, "-6"),
                "rate_date": None if euro else line.rate_date,
            }
        )
    return rows


# Where each action form sits on the case page, for the error summary's links.
FORM_ANCHORS = {
    "assign_form": "assign",
    "rfi_form": "request-information",
    "note_form": "add-note",
    "approve_form": "approve",
    "refuse_form": "refuse",
    "countersign_form": "countersign",
    "return_form": "send-back",
    "licence_form": "licence",
}


def _error_summary(bound: dict[str, forms.Form]) -> list[dict[str, str]]:
    """The errors of the form just sent, each linking to its field, for the top of the page (WCAG 3.3.1): the
    form itself may sit below the fold."""
    summary = []
    for name, form in bound.items():
        for field, errors in form.errors.items():
            # The field's group (templates/forms/field.html) holds its label and message, also for checkboxes.
            target = f"{form[field].auto_id}_group" if field in form.fields else FORM_ANCHORS.get(name, "")
            summary += [{"message": str(message), "target": target or ""} for message in errors]
    return summary


def case_page(
    request: HttpRequest, pk: int, *, bound: dict[str, forms.Form] | None = None, status: int = 200
) -> HttpResponse:
    """Render the case page: what this is, what is wrong with it, what the user can do next."""
    user: Any = request.user
    application = case_detail_for(user=user, pk=pk)
    reads = share_case_reads(application)  # the gate and the panels read assessments, checks and matches once
    licence = licence_of(application)
    pending = pending_decision_of(application)
    actions = case_actions_for(application=application, user=user, pending=pending, licence=licence)
    today = timezone.localdate()
    officers = officer_list() if actions.work else []
    version = {"version": application.version}
    page_forms: dict[str, forms.Form] = {}
    context_extra: dict[str, Any] = {}
    if actions.work:
        page_forms["assign_form"] = AssignForm(
            initial={**version, "assignee": application.assigned_to_id}, officers=officers
        )
        page_forms["note_form"] = NoteForm(initial=version)
        if actions.request_information:
            page_forms["rfi_form"] = InformationRequestForm(initial=version)
        if application.status in OPEN_STATUSES and pending is None:
            # The gate's own words: the same reasons the service and the API give when a decision is refused.
            approve_gate = decision_gate(application, outcome=DecisionOutcome.APPROVE)
            context_extra["approve_blockers"] = approve_gate.blockers
            context_extra["approve_reasons"] = approve_gate.countersignature_reasons
            # Partners' brake windows: the first day the approval is no longer held by them.
            context_extra["decidable_from"] = approve_gate.decidable_from
            if actions.decide and approve_gate.allowed:
                page_forms["approve_form"] = ApproveDecisionForm(initial=version, today=today)
        if actions.decide:
            page_forms["refuse_form"] = RefuseDecisionForm(initial=version, criteria=reads.criteria)
        if actions.countersign:
            page_forms["countersign_form"] = CountersignForm(initial=version)
            page_forms["return_form"] = ReturnDecisionForm(initial=version)
        if licence is not None and actions.licence_actions:
            page_forms["licence_form"] = LicenceStatusForm(
                initial={"version": licence.version}, actions=actions.licence_actions
            )
    page_forms.update(bound or {})
    documents = list(application.documents.all())
    goods = list(application.goods.all())
    requests = list(application.information_requests.all())
    history = None
    history_trimmed = False
    if can(user, "audit.view"):
        people = {o.pk: str(o) for o in officers}
        events = case_history_of(application, licence=licence, limit=CASE_HISTORY_SHOWN + 1)
        history_trimmed = len(events) > CASE_HISTORY_SHOWN
        history = _history_rows(events[:CASE_HISTORY_SHOWN], people)
    context = {
        "application": application,
        "urgency": case_urgency(application, today=today, holidays=calendar_holidays()),
        "actions": actions,
        "pending": pending,
        "open_request": next((r for r in requests if r.answered_at is None), None),
        "end_user": end_user_of(application),
        "licence": licence,
        "goods": goods,
        "goods_rows": _goods_rows(goods),
        "parties": list(application.parties.all()),
        "documents": [d for d in documents if d.information_request_id is None],
        "information_requests": [
            {"request": r, "documents": [d for d in documents if d.information_request_id == r.pk]} for r in requests
        ],
        "notes": case_notes_of(application),
        "decisions": list(application.decisions.all()),
        "panels": panels_for(application, user),
        "history": history,
        "history_trimmed": history_trimmed,
        "history_shown": CASE_HISTORY_SHOWN,
        "today": today,
        "open_form": next((name for name, form in (bound or {}).items() if form.is_bound), ""),
        "error_summary": _error_summary(bound or {}),
        **context_extra,
        **page_forms,
    }
    return render(request, "licensing/casework/case_detail.html", context, status=status)


class CaseDetailView(CapabilityRequiredMixin, View):
    # Officers work the case; policy advisers may read it (no action forms are shown to them).
    capability = "casework.view_case"

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        return case_page(request, pk)


class CasePanelView(CapabilityRequiredMixin, View):
    """One deferred panel of the case page (licensing/case_panels.py), for whoever may open the case: the panel
    alone for htmx, which puts it in the page in place of the link to it; a page of its own otherwise (the link
    followed without JavaScript)."""

    capability = "casework.view_case"

    def get(self, request: HttpRequest, pk: int, key: str) -> HttpResponse:
        panel = deferred_panel(key)
        if panel is None:
            raise Http404("No such panel")
        application = case_parts_for(user=request.user, pk=pk)
        context = {"application": application, "panel": panel_for(panel, application, request.user)}
        htmx = bool(getattr(request, "htmx", False))
        response = render(request, panel.template if htmx else "licensing/casework/case_panel.html", context)
        patch_vary_headers(response, ("HX-Request",))  # the same URL answers a fragment or a page
        return response


def _attach_errors(form: forms.Form, exc: DomainValidationError) -> None:
    if not exc.field_errors:
        form.add_error(None, exc.message)
    for field, errors in exc.field_errors.items():
        form.add_error(field if field in form.fields else None, errors)


def _require_fresh(*, seen: int, current: int) -> None:
    """For services that take no expected_version: refuse a form older than the record.

    Read without a lock, so a change landing between this check and the service's own row lock still gets
    through; the services that take expected_version check it under the lock instead.
    """
    if seen != current:
        raise StaleVersion(ERR_STALE)


def _act(
    request: HttpRequest,
    *,
    application_pk: int,
    form_name: str,
    form: forms.Form,
    perform: Callable[[dict[str, Any]], str],
) -> HttpResponse:
    """Validate, call the service, and map its domain errors to HTTP (see the module docstring)."""
    if not form.is_valid():
        return case_page(request, application_pk, bound={form_name: form}, status=400)
    try:
        message = perform(form.cleaned_data)
    except DomainValidationError as exc:
        _attach_errors(form, exc)
        return case_page(request, application_pk, bound={form_name: form}, status=400)
    except DomainError as exc:
        messages.error(request, exc.message)
        return case_page(request, application_pk, status=exc.status_code)
    messages.success(request, message)
    return redirect("casework:case_detail", pk=application_pk)


class _OfficerAction(CapabilityRequiredMixin, View):
    capability = "casework.use"
    http_method_names = ["post"]


class CaseAssignView(_OfficerAction):
    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        application = case_get_for(user=request.user, pk=pk)
        form = AssignForm(request.POST, officers=officer_list())

        def perform(data: dict[str, Any]) -> str:
            _require_fresh(seen=data["version"], current=application.version)
            assignee = data["assignee"]
            casework.application_assign(
                actor=request.user, application_id=application.pk, assignee=assignee, reason=data["reason"]
            )
            if assignee is None:
                return _("%(ref)s is no longer assigned.") % {"ref": application.reference}
            if assignee == request.user:
                return _("%(ref)s is now yours.") % {"ref": application.reference}
            return _("%(ref)s is assigned to %(name)s.") % {"ref": application.reference, "name": assignee}

        return _act(request, application_pk=application.pk, form_name="assign_form", form=form, perform=perform)


class CaseRequestInformationView(_OfficerAction):
    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        application = case_get_for(user=request.user, pk=pk)
        form = InformationRequestForm(request.POST)

        def perform(data: dict[str, Any]) -> str:
            rfi = casework.information_request(
                actor=request.user,
                application_id=application.pk,
                question=data["question"],
                expected_version=data["version"],
                respond_by=data["respond_by"],
            )
            return _("Question sent. The exporter is asked to answer by %(day)s; the legal term is suspended.") % {
                "day": date_format(rfi.respond_by)
            }

        return _act(request, application_pk=application.pk, form_name="rfi_form", form=form, perform=perform)


class CaseAddNoteView(_OfficerAction):
    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        application = case_get_for(user=request.user, pk=pk)
        form = NoteForm(request.POST)

        # No version check: a note only adds to the case, so a note written on an older view of it is still true.
        def perform(data: dict[str, Any]) -> str:
            casework.note_add(actor=request.user, application_id=application.pk, text=data["text"])
            return _("Note added.")

        return _act(request, application_pk=application.pk, form_name="note_form", form=form, perform=perform)


class CaseProposeDecisionView(_OfficerAction):
    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        application = case_get_for(user=request.user, pk=pk)
        form: ApproveDecisionForm | RefuseDecisionForm
        if request.POST.get("outcome") == DecisionOutcome.REFUSE:
            form, form_name = RefuseDecisionForm(request.POST, criteria=criteria_list()), "refuse_form"
        else:
            form, form_name = ApproveDecisionForm(request.POST, today=timezone.localdate()), "approve_form"

        def perform(data: dict[str, Any]) -> str:
            decision = casework.decision_propose(
                actor=request.user,
                application_id=application.pk,
                outcome=form.outcome,
                justification=data["justification"],
                expected_version=data["version"],
                conditions=data.get("conditions", ""),
                valid_from=data.get("valid_from"),
                valid_until=data.get("valid_until"),
                criteria=form.criterion_numbers() if isinstance(form, RefuseDecisionForm) else [],
                sub_criteria=data.get("sub_criteria", ""),
                refusal_ground=data.get("refusal_ground", ""),
            )
            if decision.status == DecisionStatus.PROPOSED:
                return _("Decision proposed. A senior officer must countersign it before it takes effect.")
            if decision.outcome == DecisionOutcome.APPROVE:
                return _("Approved. The licence is issued and the exporter is notified.")
            return _("Refused. The exporter is notified.")

        return _act(request, application_pk=application.pk, form_name=form_name, form=form, perform=perform)


class DecisionCountersignView(CapabilityRequiredMixin, View):
    capability = "casework.countersign"
    http_method_names = ["post"]

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        decision = decision_get_for(user=request.user, pk=pk)
        form = CountersignForm(request.POST)

        def perform(data: dict[str, Any]) -> str:
            _require_fresh(seen=data["version"], current=decision.application.version)
            signed = casework.decision_countersign(actor=request.user, decision_id=decision.pk, reason=data["reason"])
            if signed.outcome == DecisionOutcome.APPROVE:
                return _("Countersigned. The licence is issued and the exporter is notified.")
            return _("Countersigned. The refusal takes effect and the exporter is notified.")

        return _act(
            request, application_pk=decision.application_id, form_name="countersign_form", form=form, perform=perform
        )


class DecisionReturnView(CapabilityRequiredMixin, View):
    capability = "casework.countersign"
    http_method_names = ["post"]

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        decision = decision_get_for(user=request.user, pk=pk)
        form = ReturnDecisionForm(request.POST)

        def perform(data: dict[str, Any]) -> str:
            _require_fresh(seen=data["version"], current=decision.application.version)
            casework.decision_return(actor=request.user, decision_id=decision.pk, reason=data["reason"])
            return _("Decision sent back to %(name)s.") % {"name": decision.proposed_by}

        return _act(
            request, application_pk=decision.application_id, form_name="return_form", form=form, perform=perform
        )


class LicenceChangeStatusView(_OfficerAction):
    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        licence = licence_get_for(user=request.user, pk=pk)
        # Every action is a valid choice here: whether it is allowed now is the service's answer (409), so a
        # form posted after someone else changed the licence says so instead of "select a valid choice".
        form = LicenceStatusForm(request.POST, actions=tuple(LICENCE_ACTION_LABELS))

        def perform(data: dict[str, Any]) -> str:
            _require_fresh(seen=data["version"], current=licence.version)
            changed = casework.licence_change_status(
                actor=request.user, licence_id=licence.pk, action=data["action"], reason=data["reason"]
            )
            return _("Licence %(number)s is now %(status)s. The exporter is notified.") % {
                "number": changed.number,
                "status": LicenceStatus(changed.status).label.lower(),
            }

        return _act(
            request, application_pk=licence.application_id, form_name="licence_form", form=form, perform=perform
        )
