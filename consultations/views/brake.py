"""The emergency-brake actions on a notification's page: propose, approve or send back (senior officers, four
eyes), send, or record another party's objection; then the high-level consultation's meetings and conclusion.
Each validates with a form, calls one service and maps domain errors through `officer.act`."""

from __future__ import annotations

from typing import Any

from django import forms
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _

from ..forms import (
    ConcludeForm,
    MeetingForm,
    NoObjectionAnswerForm,
    ObjectionDecideForm,
    ObjectionProposeForm,
    ObjectionReceiveForm,
)
from ..selectors import notification_get_for, notification_id_of_consultation, notification_id_of_objection
from ..services import brake, high_level, objections
from .officer import ActionView, act


class ObjectionProposeView(ActionView):
    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        notification_get_for(user=request.user, pk=pk)

        def perform(data: dict[str, Any]) -> str:
            objections.objection_propose(
                actor=request.user,
                notification_id=pk,
                ground=data["ground"],
                reasons=data["reasons"],
                expected_version=data["expected_version"],
            )
            return _("Objection proposed. A senior officer must approve it before it is sent.")

        form = ObjectionProposeForm(request.POST)
        return act(request, notification_pk=pk, form_name="propose_form", form=form, perform=perform)


class ObjectionReceiveView(ActionView):
    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        notification_get_for(user=request.user, pk=pk)

        def perform(data: dict[str, Any]) -> str:
            objections.objection_receive(
                actor=request.user,
                notification_id=pk,
                ground=data["ground"],
                reasons=data["reasons"],
                received_on=data["received_on"],
                expected_version=data["expected_version"],
            )
            return _("Objection recorded; a high-level consultation is open and the licence decision waits for it.")

        form = ObjectionReceiveForm(request.POST)
        return act(request, notification_pk=pk, form_name="receive_form", form=form, perform=perform)


class NoObjectionAnswerView(ActionView):
    """The party we notified answered that it has no objection: its window no longer holds the decision."""

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        notification_get_for(user=request.user, pk=pk)

        def perform(data: dict[str, Any]) -> str:
            brake.brake_window_no_objection(
                actor=request.user,
                notification_id=pk,
                answered_on=data["answered_on"],
                note=data["note"],
                expected_version=data["expected_version"],
            )
            return _("Recorded: the party has no objection. Its window no longer holds the licence decision.")

        form = NoObjectionAnswerForm(request.POST)
        return act(request, notification_pk=pk, form_name="no_objection_form", form=form, perform=perform)


class ObjectionApproveView(ActionView):
    capability = "consultations.approve_objection"

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        notification_pk = notification_id_of_objection(user=request.user, pk=pk)

        def perform(data: dict[str, Any]) -> str:
            objections.objection_approve(actor=request.user, objection_id=pk, reason=data["reason"])
            return _("Objection approved. It can now be sent.")

        form = ObjectionDecideForm(request.POST)
        return act(request, notification_pk=notification_pk, form_name="decide_form", form=form, perform=perform)


class ObjectionReturnView(ActionView):
    capability = "consultations.approve_objection"

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        notification_pk = notification_id_of_objection(user=request.user, pk=pk)

        def perform(data: dict[str, Any]) -> str:
            objections.objection_return(actor=request.user, objection_id=pk, reason=data["reason"])
            return _("Objection sent back to the proposer.")

        form = ObjectionDecideForm(request.POST)
        return act(request, notification_pk=notification_pk, form_name="decide_form", form=form, perform=perform)


class ObjectionSendView(ActionView):
    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        notification_pk = notification_id_of_objection(user=request.user, pk=pk)

        def perform(data: dict[str, Any]) -> str:
            objections.objection_send(actor=request.user, objection_id=pk)
            return _("Objection sent. A high-level consultation is now open.")

        return act(
            request,
            notification_pk=notification_pk,
            form_name="send_form",
            form=forms.Form(request.POST),
            perform=perform,
        )


class MeetingRecordView(ActionView):
    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        notification_pk = notification_id_of_consultation(user=request.user, pk=pk)

        def perform(data: dict[str, Any]) -> str:
            high_level.consultation_meeting_record(
                actor=request.user,
                consultation_id=pk,
                held_on=data["held_on"],
                participants=data["participants"],
                notes=data["notes"],
                alternatives_proposed=data["alternatives_proposed"],
            )
            return _("Meeting recorded.")

        form = MeetingForm(request.POST)
        return act(request, notification_pk=notification_pk, form_name="meeting_form", form=form, perform=perform)


class ConsultationConcludeView(ActionView):
    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        notification_pk = notification_id_of_consultation(user=request.user, pk=pk)

        def perform(data: dict[str, Any]) -> str:
            consultation = high_level.consultation_conclude(
                actor=request.user,
                consultation_id=pk,
                outcome=data["outcome"],
                outcome_text=data["outcome_text"],
                concluded_on=data["concluded_on"],
                expected_version=data["expected_version"],
            )
            return _("Consultation concluded after %(days)s day(s).") % {"days": consultation.duration_days}

        form = ConcludeForm(request.POST)
        return act(request, notification_pk=notification_pk, form_name="conclude_form", form=form, perform=perform)
