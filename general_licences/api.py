"""Exporter API for general licences: the published licences, registering for one, and filing usage returns.
The same services as the portal (general_licences.services); reads scoped by general_licences.selectors (another
company's registration is a 404)."""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import serializers, status
from rest_framework.request import Request
from rest_framework.response import Response

from licensing.api import BaseApi, error_responses, validated
from licensing.models import Unit

from .models import GeneralLicence, GeneralLicenceRegistration, UsageReturn, UsageReturnLine
from .selectors import general_licence_get_for, general_licence_list_for, periods_of, registration_get_for
from .services import LineData, general_licence_register, usage_return_file

TAG = "Exporter: general licences"


class GeneralLicenceOutput(serializers.ModelSerializer):
    ml_categories: Any = serializers.SlugRelatedField(many=True, read_only=True, slug_field="code")
    destinations: Any = serializers.SlugRelatedField(many=True, read_only=True, slug_field="iso2")
    # Plain strings, documented by help text (an enum named "kind" collides with the document kinds' enum).
    kind = serializers.CharField(read_only=True, help_text="eu_transfer or national")

    class Meta:
        model = GeneralLicence
        fields = ["id", "reference", "title", "kind", "transfer_ground", "ml_categories", "destinations",
                  "conditions", "valid_from", "valid_until", "requires_approval", "return_period_months",
                  "return_due_days", "status"]  # fmt: skip


class RegistrationInput(serializers.Serializer):
    intended_use = serializers.CharField(required=False, allow_blank=True, default="")


class PeriodOutput(serializers.Serializer):
    start = serializers.DateField(source="period.start")
    end = serializers.DateField(source="period.end")
    due_on = serializers.DateField(source="period.due_on")
    filed = serializers.SerializerMethodField()
    overdue = serializers.BooleanField()

    @extend_schema_field(serializers.BooleanField())
    def get_filed(self, obj: Any) -> bool:
        return obj.usage_return is not None


class RegistrationOutput(serializers.ModelSerializer):
    licence = serializers.CharField(source="licence.reference")
    periods = serializers.SerializerMethodField()

    class Meta:
        model = GeneralLicenceRegistration
        fields = ["id", "licence", "status", "intended_use", "active_from", "decision_reason", "periods"]

    @extend_schema_field(PeriodOutput(many=True))
    def get_periods(self, obj: GeneralLicenceRegistration) -> list[dict[str, Any]]:
        return list(PeriodOutput(periods_of(obj), many=True).data)


class LineInput(serializers.Serializer):
    ml_category = serializers.CharField(max_length=5)
    description = serializers.CharField(max_length=300)
    quantity = serializers.DecimalField(max_digits=14, decimal_places=3)
    unit = serializers.ChoiceField(choices=Unit.choices, default=Unit.PIECES)
    value_eur = serializers.DecimalField(max_digits=16, decimal_places=2)
    recipient = serializers.CharField(max_length=300)
    country = serializers.CharField(max_length=2)


class UsageReturnInput(serializers.Serializer):
    period_start = serializers.DateField(help_text="Any day of the period; the period is the licence's own.")
    nil_return = serializers.BooleanField(default=False)
    lines = LineInput(many=True, required=False, default=list)


class LineOutput(serializers.ModelSerializer):
    class Meta:
        model = UsageReturnLine
        fields = ["ml_category", "description", "quantity", "unit", "value_eur", "recipient", "country"]


class UsageReturnOutput(serializers.ModelSerializer):
    lines = LineOutput(many=True, read_only=True)

    class Meta:
        model = UsageReturn
        fields = ["id", "registration", "period_start", "period_end", "nil_return", "filed_at", "lines"]


class GeneralLicenceListApi(BaseApi):
    capability = "portal.use"

    @extend_schema(tags=[TAG], summary="Published general licences", responses={200: GeneralLicenceOutput(many=True)})
    def get(self, request: Request) -> Response:
        return Response(GeneralLicenceOutput(general_licence_list_for(user=request.user), many=True).data)


class GeneralLicenceRegisterApi(BaseApi):
    capability = "portal.submit"

    @extend_schema(
        tags=[TAG],
        summary="Register to use a general licence (before first use; an officer approves where it says so)",
        request=RegistrationInput,
        responses={201: RegistrationOutput, **error_responses(400, 404, 409)},
    )
    def post(self, request: Request, pk: int) -> Response:
        licence = general_licence_get_for(user=request.user, pk=pk)
        data = validated(RegistrationInput, request)
        registration = general_licence_register(
            actor=request.user, licence_id=licence.pk, intended_use=data["intended_use"]
        )
        return Response(RegistrationOutput(registration).data, status=status.HTTP_201_CREATED)


class RegistrationDetailApi(BaseApi):
    capability = "portal.use"

    @extend_schema(
        tags=[TAG],
        summary="Your registration, with its reporting periods (filed, due, overdue)",
        responses={200: RegistrationOutput, **error_responses(404)},
    )
    def get(self, request: Request, pk: int) -> Response:
        return Response(RegistrationOutput(registration_get_for(user=request.user, pk=pk)).data)


class UsageReturnFileApi(BaseApi):
    capability = "portal.submit"

    @extend_schema(
        tags=[TAG],
        summary="File a usage return for one period; goods and destinations must be in the licence's scope",
        request=UsageReturnInput,
        responses={201: UsageReturnOutput, **error_responses(400, 404, 409)},
    )
    def post(self, request: Request, pk: int) -> Response:
        registration = registration_get_for(user=request.user, pk=pk)
        data = validated(UsageReturnInput, request)
        lines = [
            LineData(
                ml_category_code=line["ml_category"], description=line["description"], quantity=line["quantity"],
                unit=line["unit"], value_eur=line["value_eur"], recipient=line["recipient"],
                country_code=line["country"],
            )
            for line in data["lines"]
        ]  # fmt: skip
        usage = usage_return_file(
            actor=request.user,
            registration_id=registration.pk,
            period_start=data["period_start"],
            nil_return=data["nil_return"],
            lines=lines,
        )
        return Response(UsageReturnOutput(usage).data, status=status.HTTP_201_CREATED)
