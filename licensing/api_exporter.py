"""Exporter API (/api/v1/applications/, /api/v1/licences/, /api/v1/documents/): the portal's actions for a
company's own systems. Every read goes through a selector that confines the user to their organisation, so
another company's id answers 404, never 403. Each class validates, calls one service or selector, answers."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.http import FileResponse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import status
from rest_framework.generics import ListAPIView
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.request import Request
from rest_framework.response import Response

from core.api import KeysetPagination
from core.exceptions import TransitionNotAllowed
from core.i18n import gettext_lazy

from . import serializers as s
from .api import BaseApi, ensure_application_visible, error_responses, validated
from .api_filters import ApplicationFilter
from .models import Application, ApplicationStatus, Licence
from .selectors import (
    application_get_for,
    application_rows_for,
    document_get_for,
    document_list_for,
    information_request_list_for,
    licence_get_for,
    licence_list_for,
)
from .services import applications as services
from .services.casework import shipment_record
from .virus_scan import download_refusal

ERR_DOCUMENT_BLOCKED = gettext_lazy("The virus scanner blocked this file; it cannot be downloaded.")

TAG = "Exporter"


# What a list row shows (ApplicationListOutput), so a page reads no more than that; a field the serializer reads
# but this leaves out would cost a query per row (tests/licensing/api/test_api_lists.py counts them).
# The lists read these as values (dicts), not model instances: building ~100 instances and their related objects
# for a page of 25 cost more than the query (issue 19).
APPLICATION_ROW_FIELDS = (
    "id",
    "reference",
    "title",
    "licence_type",
    "status",
    "destination_id",
    "destination__name_en",
    "total_value_eur",
    "submitted_at",
    "legal_deadline",
    "target_date",
    "created_at",
    "version",
    "goods_count",
)
LICENCE_ROW_FIELDS = (
    "number",
    "application__reference",
    "licence_type",
    "status",
    "destination_id",
    "destination__name_en",
    "valid_from",
    "valid_until",
    "total_value_eur",
    "issued_at",
)


class ApplicationListCreateApi(BaseApi, ListAPIView):
    capability = "portal.use"
    serializer_class = s.ApplicationListOutput
    filterset_class = ApplicationFilter
    pagination_class = KeysetPagination

    def get_queryset(self) -> QuerySet[Application]:
        return application_rows_for(user=self.request.user, fields=APPLICATION_ROW_FIELDS)

    @extend_schema(
        tags=[TAG],
        summary="Your organisation's applications",
        description="Newest first, a page at a time: follow `next` (and `previous`) for the other pages.",
        responses={200: s.ApplicationListOutput(many=True), **error_responses(400)},
    )
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().get(request, *args, **kwargs)

    @extend_schema(
        tags=[TAG],
        summary="Start a draft application",
        request=s.ApplicationCreateInput,
        responses={201: s.ApplicationOutput, **error_responses(400)},
    )
    def post(self, request: Request) -> Response:
        data = validated(s.ApplicationCreateInput, request)
        application = services.application_create(actor=request.user, **data)
        return Response(s.ApplicationOutput(application).data, status=status.HTTP_201_CREATED)


class ApplicationDetailApi(BaseApi):
    capability = "portal.use"

    @extend_schema(
        tags=[TAG], summary="One application", responses={200: s.ApplicationDetailOutput, **error_responses(404)}
    )
    def get(self, request: Request, pk: int) -> Response:
        application = application_get_for(user=request.user, pk=pk)
        return Response(s.ApplicationDetailOutput(application).data)

    @extend_schema(
        tags=[TAG],
        summary="Change a draft's details",
        description="Send the `version` you read; if the draft changed since, the answer is 409.",
        request=s.ApplicationUpdateInput,
        responses={200: s.ApplicationOutput, **error_responses(400, 404, 409)},
    )
    def patch(self, request: Request, pk: int) -> Response:
        # Visibility first: another organisation's id answers 404 before any input is read.
        ensure_application_visible(user=request.user, pk=pk)
        data = validated(s.ApplicationUpdateInput, request)
        version = data.pop("version")
        application = services.application_update(
            actor=request.user, application_id=pk, expected_version=version, **data
        )
        return Response(s.ApplicationOutput(application).data)


class GoodsLineCreateApi(BaseApi):
    capability = "portal.use"

    @extend_schema(
        tags=[TAG],
        summary="Add a goods line to a draft",
        request=s.GoodsLineInput,
        responses={201: s.GoodsLineOutput, **error_responses(400, 404, 409)},
    )
    def post(self, request: Request, pk: int) -> Response:
        # Visibility first: another organisation's id answers 404 before any input is read.
        ensure_application_visible(user=request.user, pk=pk)
        data = validated(s.GoodsLineInput, request)
        line = services.goods_line_save(actor=request.user, application_id=pk, **_goods_kwargs(data))
        return Response(s.GoodsLineOutput(line).data, status=status.HTTP_201_CREATED)


class GoodsLineDetailApi(BaseApi):
    capability = "portal.use"

    @extend_schema(
        tags=[TAG],
        summary="Replace a goods line of a draft",
        request=s.GoodsLineInput,
        responses={200: s.GoodsLineOutput, **error_responses(400, 404, 409)},
    )
    def put(self, request: Request, pk: int, line_id: int) -> Response:
        # Visibility first: another organisation's id answers 404 before any input is read.
        ensure_application_visible(user=request.user, pk=pk)
        data = validated(s.GoodsLineInput, request)
        line = services.goods_line_save(actor=request.user, application_id=pk, line_id=line_id, **_goods_kwargs(data))
        return Response(s.GoodsLineOutput(line).data)

    @extend_schema(
        tags=[TAG], summary="Remove a goods line from a draft", responses={204: None, **error_responses(404, 409)}
    )
    def delete(self, request: Request, pk: int, line_id: int) -> Response:
        ensure_application_visible(user=request.user, pk=pk)
        services.goods_line_remove(actor=request.user, application_id=pk, line_id=line_id)
        return Response(status=status.HTTP_204_NO_CONTENT)


class PartyCreateApi(BaseApi):
    capability = "portal.use"

    @extend_schema(
        tags=[TAG],
        summary="Add a party (consignee, end user, ...) to a draft",
        request=s.PartyInput,
        responses={201: s.PartyOutput, **error_responses(400, 404, 409)},
    )
    def post(self, request: Request, pk: int) -> Response:
        # Visibility first: another organisation's id answers 404 before any input is read.
        ensure_application_visible(user=request.user, pk=pk)
        data = validated(s.PartyInput, request)
        party = services.party_save(actor=request.user, application_id=pk, **_party_kwargs(data))
        return Response(s.PartyOutput(party).data, status=status.HTTP_201_CREATED)


class PartyDetailApi(BaseApi):
    capability = "portal.use"

    @extend_schema(
        tags=[TAG],
        summary="Replace a party of a draft",
        request=s.PartyInput,
        responses={200: s.PartyOutput, **error_responses(400, 404, 409)},
    )
    def put(self, request: Request, pk: int, party_id: int) -> Response:
        # Visibility first: another organisation's id answers 404 before any input is read.
        ensure_application_visible(user=request.user, pk=pk)
        data = validated(s.PartyInput, request)
        party = services.party_save(actor=request.user, application_id=pk, party_id=party_id, **_party_kwargs(data))
        return Response(s.PartyOutput(party).data)

    @extend_schema(
        tags=[TAG], summary="Remove a party from a draft", responses={204: None, **error_responses(404, 409)}
    )
    def delete(self, request: Request, pk: int, party_id: int) -> Response:
        ensure_application_visible(user=request.user, pk=pk)
        services.party_remove(actor=request.user, application_id=pk, party_id=party_id)
        return Response(status=status.HTTP_204_NO_CONTENT)


class DocumentUploadApi(BaseApi):
    capability = "portal.use"
    parser_classes = [MultiPartParser, FormParser]

    @extend_schema(
        tags=[TAG],
        summary="An application's documents, with their virus-scan status",
        description=(
            "Download one with GET /api/v1/documents/{id}/download/ once its `scan_status` is `clean` "
            "(a file the scanner blocked is never served)."
        ),
        responses={200: s.DocumentOutput(many=True), **error_responses(404)},
    )
    def get(self, request: Request, pk: int) -> Response:
        return Response(s.DocumentOutput(document_list_for(user=request.user, application_id=pk), many=True).data)

    @extend_schema(
        tags=[TAG],
        summary="Upload a document to a draft (multipart/form-data)",
        request={"multipart/form-data": s.DocumentUploadInput},
        responses={201: s.DocumentOutput, **error_responses(400, 404, 409)},
    )
    def post(self, request: Request, pk: int) -> Response:
        # Visibility first: another organisation's id answers 404 before any input is read.
        ensure_application_visible(user=request.user, pk=pk)
        data = validated(s.DocumentUploadInput, request)
        document = services.document_upload(
            actor=request.user, application_id=pk, kind=data["kind"], upload=data["file"]
        )
        return Response(s.DocumentOutput(document).data, status=status.HTTP_201_CREATED)


class ApplicationSubmissionProblemsApi(BaseApi):
    capability = "portal.use"

    @extend_schema(
        tags=[TAG],
        summary="What still stops this draft from being submitted",
        responses={200: s.SubmissionProblemsOutput, **error_responses(404)},
    )
    def get(self, request: Request, pk: int) -> Response:
        application = application_get_for(user=request.user, pk=pk)
        problems = services.submission_problems(application)
        can_submit = application.status == ApplicationStatus.DRAFT and not problems
        return Response(s.SubmissionProblemsOutput({"can_submit": can_submit, "problems": problems}).data)


class ApplicationSubmitApi(BaseApi):
    capability = "portal.submit"

    @extend_schema(
        tags=[TAG],
        summary="Submit a draft",
        description="400 lists what is missing by field (as submission-problems does); 409 if already submitted.",
        request=s.SubmitInput,
        responses={200: s.ApplicationOutput, **error_responses(400, 404, 409)},
    )
    def post(self, request: Request, pk: int) -> Response:
        # Visibility first: another organisation's id answers 404 before any input is read.
        ensure_application_visible(user=request.user, pk=pk)
        data = validated(s.SubmitInput, request)
        application = services.application_submit(
            actor=request.user, application_id=pk, expected_version=data.get("version")
        )
        return Response(s.ApplicationOutput(application).data)


class ApplicationWithdrawApi(BaseApi):
    capability = "portal.use"

    @extend_schema(
        tags=[TAG],
        summary="Withdraw a submitted application",
        request=s.ReasonInput,
        responses={200: s.ApplicationOutput, **error_responses(400, 404, 409)},
    )
    def post(self, request: Request, pk: int) -> Response:
        # Visibility first: another organisation's id answers 404 before any input is read.
        ensure_application_visible(user=request.user, pk=pk)
        data = validated(s.ReasonInput, request)
        application = services.application_withdraw(actor=request.user, application_id=pk, reason=data["reason"])
        return Response(s.ApplicationOutput(application).data)


class InformationRequestListApi(BaseApi):
    capability = "portal.use"

    @extend_schema(
        tags=[TAG],
        summary="The authority's requests for information on an application, with your answers",
        description="The one without `answered_on` is open: answer it with POST .../answer/.",
        responses={200: s.InformationRequestOutput(many=True), **error_responses(404)},
    )
    def get(self, request: Request, pk: int) -> Response:
        rows = information_request_list_for(user=request.user, application_id=pk)
        return Response(s.InformationRequestOutput(rows, many=True).data)


class InformationAnswerApi(BaseApi):
    capability = "portal.use"
    parser_classes = [JSONParser, MultiPartParser, FormParser]

    @extend_schema(
        tags=[TAG],
        summary="Answer the open request for information",
        request={"application/json": s.AnswerInput, "multipart/form-data": s.AnswerInput},
        responses={200: s.InformationRequestOutput, **error_responses(400, 404, 409)},
    )
    def post(self, request: Request, pk: int) -> Response:
        # Visibility first: another organisation's id answers 404 before any input is read.
        ensure_application_visible(user=request.user, pk=pk)
        data = validated(s.AnswerInput, request)
        uploads = [("information", data["file"])] if data.get("file") else []
        answered = services.information_provide(
            actor=request.user, application_id=pk, answer=data["answer"], uploads=uploads
        )
        return Response(s.InformationRequestOutput(answered).data)


class LicenceListApi(BaseApi, ListAPIView):
    capability = "portal.use"
    serializer_class = s.LicenceListOutput
    pagination_class = KeysetPagination

    def get_queryset(self) -> QuerySet[Licence]:
        rows = licence_list_for(user=self.request.user).select_related(None)
        # Newest first; explicit, because the cursor pages by the queryset's own order.
        return rows.select_related("destination", "application").only(*LICENCE_ROW_FIELDS).order_by("-issued_at", "-pk")

    @extend_schema(
        tags=[TAG],
        summary="Your organisation's licences",
        description="Latest issued first, a page at a time: follow `next` (and `previous`) for the other pages.",
        responses={200: s.LicenceListOutput(many=True), **error_responses(400)},
    )
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().get(request, *args, **kwargs)


class LicenceDetailApi(BaseApi):
    capability = "portal.use"

    @extend_schema(
        tags=[TAG],
        summary="One licence, with its goods and the balance left",
        responses={200: s.LicenceDetailOutput, **error_responses(404)},
    )
    def get(self, request: Request, pk: int) -> Response:
        return Response(s.LicenceDetailOutput(licence_get_for(user=request.user, pk=pk)).data)


class ShipmentRecordApi(BaseApi):
    capability = "portal.use"

    @extend_schema(
        tags=[TAG],
        summary="Record a shipment made under a licence",
        request=s.ShipmentInput,
        responses={201: s.ShipmentOutput, **error_responses(400, 404, 409)},
    )
    def post(self, request: Request, pk: int) -> Response:
        licence = licence_get_for(user=request.user, pk=pk)
        data = validated(s.ShipmentInput, request, context={"licence": licence})
        shipment = shipment_record(
            actor=request.user,
            licence_id=licence.pk,
            licensed_goods_id=data["licensed_goods"],
            shipped_on=data["shipped_on"],
            quantity=data["quantity"],
            value_eur=data["value_eur"],
        )
        return Response(s.ShipmentOutput(shipment).data, status=status.HTTP_201_CREATED)


class DocumentDownloadApi(BaseApi):
    capability = "portal.use"

    @extend_schema(
        tags=[TAG],
        summary="Download a document",
        responses={
            200: OpenApiResponse(OpenApiTypes.BINARY, description="The file, as uploaded."),
            **error_responses(404, 409),
        },
    )
    def get(self, request: Request, pk: int) -> FileResponse:
        document = document_get_for(user=request.user, pk=pk)
        if refusal := download_refusal(document.scan_status):
            raise TransitionNotAllowed(refusal)
        return FileResponse(
            document.file.open("rb"),
            as_attachment=True,
            filename=document.original_name,
            content_type=document.content_type,
        )


def _goods_kwargs(data: dict[str, Any]) -> dict[str, Any]:
    data["ml_category_id"] = data.pop("ml_category")
    return data


def _party_kwargs(data: dict[str, Any]) -> dict[str, Any]:
    data["country_id"] = data.pop("country")
    return data
