"""Exporter API for objections against decisions (bezwaar): file one and follow it. Rules and terms live in
licensing.services.objections; reads are scoped to the exporter's organisation (404 otherwise)."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.request import Request
from rest_framework.response import Response

from .api import BaseApi, ensure_application_visible, error_responses, validated
from .models import DecisionObjection
from .objection_selectors import objection_get_for
from .services.objections import ERR_GROUNDS, decision_objection_file

TAG = "Exporter"


class ObjectionInput(serializers.Serializer):
    grounds = serializers.CharField(error_messages={"blank": ERR_GROUNDS, "required": ERR_GROUNDS})


class ObjectionOutput(serializers.ModelSerializer):
    application = serializers.CharField(source="application.reference")

    class Meta:
        model = DecisionObjection
        fields = [
            "id",
            "application",
            "status",
            "grounds",
            "filed_on",
            "decision_sent_on",
            "objection_term_end",
            "advisory_committee",
            "postponed_weeks",
            "decision_deadline",
            "hearing_on",
            "outcome",
            "outcome_reasons",
            "decided_on",
        ]


class ObjectionFileApi(BaseApi):
    capability = "portal.use"

    @extend_schema(
        tags=[TAG],
        summary="Object to the decision on an application (Awb 6:7: within six weeks)",
        request=ObjectionInput,
        responses={201: ObjectionOutput, **error_responses(400, 404, 409)},
    )
    def post(self, request: Request, pk: int) -> Response:
        ensure_application_visible(user=request.user, pk=pk)
        data = validated(ObjectionInput, request)
        objection = decision_objection_file(actor=request.user, application_id=pk, grounds=data["grounds"])
        return Response(ObjectionOutput(objection).data, status=status.HTTP_201_CREATED)


class ObjectionDetailApi(BaseApi):
    capability = "portal.use"

    @extend_schema(
        tags=[TAG], summary="An objection and its terms", responses={200: ObjectionOutput, **error_responses(404)}
    )
    def get(self, request: Request, pk: int) -> Response:
        return Response(ObjectionOutput(objection_get_for(user=request.user, pk=pk)).data)
