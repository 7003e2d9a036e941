"""Officer API (/api/v1/casework/): the case list with filters, a case, and the case-work actions. Each class
validates, calls one service or selector, answers; the services check the role and the case's state again."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import serializers, status
from rest_framework.generics import ListAPIView
from rest_framework.request import Request
from rest_framework.response import Response

from core.api import KeysetPagination

from . import serializers as s
from .api import BaseApi, error_responses, validated
from .api_exporter import APPLICATION_ROW_FIELDS, DocumentDownloadApi
from .api_filters import CaseFilter
from .assessment_rules import AssessmentOutcome, CriterionVerdict
from .decision_gate import decision_gate
from .models import Application, DecisionOutcome
from .selectors import application_get_for, application_rows_for
from .services import casework as services
from .services.assessment import criteria_assess

TAG = "Case work"


# What a case row shows (CaseListOutput): an exporter's row plus the company and the assigned officer.
CASE_ROW_FIELDS = (
    *APPLICATION_ROW_FIELDS,
    "organisation_id",
    "organisation__name",
    "assigned_to_id",
    "assigned_to__first_name",
    "assigned_to__last_name",
)


class CaseListApi(BaseApi, ListAPIView):
    capability = "casework.use"
    serializer_class = s.CaseListOutput
    filterset_class = CaseFilter
    pagination_class = KeysetPagination

    def get_queryset(self) -> QuerySet[Application]:
        return application_rows_for(user=self.request.user, fields=CASE_ROW_FIELDS)

    @extend_schema(
        tags=[TAG],
        summary="Cases, open ones unless a status is given",
        description="A page at a time, in the chosen `ordering`: follow `next` (and `previous`) for the other pages.",
        responses={200: s.CaseListOutput(many=True), **error_responses(400)},
    )
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().get(request, *args, **kwargs)


class CaseDetailApi(BaseApi):
    capability = "casework.use"

    @extend_schema(tags=[TAG], summary="One case", responses={200: s.CaseDetailOutput, **error_responses(404)})
    def get(self, request: Request, pk: int) -> Response:
        return Response(s.CaseDetailOutput(application_get_for(user=request.user, pk=pk)).data)


class CaseAssignApi(BaseApi):
    capability = "casework.use"

    @extend_schema(
        tags=[TAG],
        summary="Assign a case (the first assignment starts the review)",
        request=s.AssignInput,
        responses={200: s.CaseStateOutput, **error_responses(400, 404, 409)},
    )
    def post(self, request: Request, pk: int) -> Response:
        data = validated(s.AssignInput, request)
        application = services.application_assign(
            actor=request.user, application_id=pk, assignee=data["assignee"], reason=data["reason"]
        )
        return Response(s.CaseStateOutput(application).data)


class CaseInformationRequestApi(BaseApi):
    capability = "casework.use"

    @extend_schema(
        tags=[TAG],
        summary="Ask the exporter for information (pauses the Awb term, Awb 4:15)",
        request=s.InformationRequestInput,
        responses={201: s.InformationRequestOutput, **error_responses(400, 404, 409)},
    )
    def post(self, request: Request, pk: int) -> Response:
        data = validated(s.InformationRequestInput, request)
        asked = services.information_request(
            actor=request.user,
            application_id=pk,
            question=data["question"],
            expected_version=data.get("version"),
            respond_by=data["respond_by"],
        )
        return Response(s.InformationRequestOutput(asked).data, status=status.HTTP_201_CREATED)


class CaseNoteCreateApi(BaseApi):
    capability = "casework.use"

    @extend_schema(
        tags=[TAG],
        summary="Add an internal note to a case",
        request=s.NoteInput,
        responses={201: s.NoteOutput, **error_responses(400, 404)},
    )
    def post(self, request: Request, pk: int) -> Response:
        data = validated(s.NoteInput, request)
        note = services.note_add(actor=request.user, application_id=pk, text=data["text"])
        return Response(s.NoteOutput(note).data, status=status.HTTP_201_CREATED)


class DecisionProposeApi(BaseApi):
    capability = "casework.use"

    @extend_schema(
        tags=[TAG],
        summary="Propose a decision",
        description=(
            "Takes effect at once unless four eyes apply (always for a refusal); then it waits for a senior "
            "officer's countersignature and its status is `proposed`."
        ),
        request=s.DecisionProposeInput,
        responses={201: s.DecisionOutput, **error_responses(400, 404, 409)},
    )
    def post(self, request: Request, pk: int) -> Response:
        data = validated(s.DecisionProposeInput, request)
        version = data.pop("version", None)
        decision = services.decision_propose(actor=request.user, application_id=pk, expected_version=version, **data)
        return Response(s.DecisionOutput(decision).data, status=status.HTTP_201_CREATED)


class DecisionCountersignApi(BaseApi):
    capability = "casework.countersign"

    @extend_schema(
        tags=[TAG],
        summary="Countersign a proposed decision (four eyes: not your own)",
        request=s.CountersignInput,
        responses={200: s.DecisionOutput, **error_responses(400, 404, 409)},
    )
    def post(self, request: Request, pk: int) -> Response:
        data = validated(s.CountersignInput, request)
        decision = services.decision_countersign(actor=request.user, decision_id=pk, reason=data["reason"])
        return Response(s.DecisionOutput(decision).data)


class DecisionReturnApi(BaseApi):
    capability = "casework.countersign"

    @extend_schema(
        tags=[TAG],
        summary="Send a proposed decision back to its officer",
        request=s.ReasonInput,
        responses={200: s.DecisionOutput, **error_responses(400, 404, 409)},
    )
    def post(self, request: Request, pk: int) -> Response:
        data = validated(s.ReasonInput, request)
        decision = services.decision_return(actor=request.user, decision_id=pk, reason=data["reason"])
        return Response(s.DecisionOutput(decision).data)


class LicenceStatusChangeApi(BaseApi):
    capability = "casework.use"

    @extend_schema(
        tags=[TAG],
        summary="Suspend, reinstate or revoke a licence",
        request=s.LicenceStatusInput,
        responses={200: s.LicenceListOutput, **error_responses(400, 404, 409)},
    )
    def post(self, request: Request, pk: int) -> Response:
        data = validated(s.LicenceStatusInput, request)
        licence = services.licence_change_status(
            actor=request.user, licence_id=pk, action=data["action"], reason=data["reason"]
        )
        return Response(s.LicenceListOutput(licence).data)


@extend_schema_view(get=extend_schema(tags=[TAG], summary="Download a case document"))
class CaseDocumentDownloadApi(DocumentDownloadApi):
    """The same download for case work (officers and advisers); document_get_for scopes it."""

    capability = "casework.view_case"


class VerdictInput(serializers.Serializer):
    criterion = serializers.IntegerField(min_value=1, max_value=8)
    outcome = serializers.ChoiceField(choices=AssessmentOutcome.choices)
    justification = serializers.CharField(max_length=s.LONG_TEXT, allow_blank=True, default="")
    sub_criteria = serializers.CharField(max_length=60, allow_blank=True, default="")


class CriteriaAssessInput(serializers.Serializer):
    verdicts = serializers.ListField(child=VerdictInput(), allow_empty=False, max_length=8)


class CriterionAssessmentOutput(serializers.Serializer):
    criterion = serializers.IntegerField(source="criterion_id")
    outcome = serializers.CharField()
    justification = serializers.CharField()
    sub_criteria = serializers.CharField()
    version = serializers.IntegerField()


class BlockerOutput(serializers.Serializer):
    code = serializers.CharField()
    message = serializers.CharField()


class GateAnswerOutput(serializers.Serializer):
    allowed = serializers.BooleanField()
    blockers = BlockerOutput(many=True)
    countersignature_reasons = serializers.ListField(child=serializers.CharField())


class CaseGateOutput(serializers.Serializer):
    approve = GateAnswerOutput()
    refuse = GateAnswerOutput()


class CaseCriteriaAssessApi(BaseApi):
    capability = "casework.use"

    @extend_schema(
        tags=[TAG],
        summary="Assess criteria of the Common Position (one or more of the eight)",
        description="The same service as the assessment page; an ordinary approval needs all eight assessed.",
        request=CriteriaAssessInput,
        responses={200: CriterionAssessmentOutput(many=True), **error_responses(400, 404, 409)},
    )
    def post(self, request: Request, pk: int) -> Response:
        application_get_for(user=request.user, pk=pk)  # 404 outside the officer's scope
        data = validated(CriteriaAssessInput, request)
        saved = criteria_assess(
            actor=request.user,
            application_id=pk,
            verdicts=[CriterionVerdict(**verdict) for verdict in data["verdicts"]],
        )
        return Response(CriterionAssessmentOutput(saved, many=True).data)


class CaseGateApi(BaseApi):
    capability = "casework.use"

    @extend_schema(
        tags=[TAG],
        summary="May this case be approved or refused now, and if not, why not (the decision gate)",
        responses={200: CaseGateOutput, **error_responses(404)},
    )
    def get(self, request: Request, pk: int) -> Response:
        application = application_get_for(user=request.user, pk=pk)
        answers = {
            outcome: decision_gate(application, outcome=outcome)
            for outcome in (DecisionOutcome.APPROVE, DecisionOutcome.REFUSE)
        }
        body = {
            str(outcome): {
                "allowed": answer.allowed,
                "blockers": [b.as_dict() for b in answer.blockers],
                "countersignature_reasons": list(answer.countersignature_reasons),
            }
            for outcome, answer in answers.items()
        }
        return Response(CaseGateOutput(body).data)
