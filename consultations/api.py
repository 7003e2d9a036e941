"""Treaty component transfers over the API (issue 18): an exporter's system enters the treaty details of its own
draft and gets the de minimis computation back, as the portal page (consultations/views/exporter.py) shows it.
Then it submits the draft with POST /api/v1/applications/<id>/submit/, which recomputes as of the application date.
Same service (licensing.services.treaty.treaty_transfer_save), same scope (the organisation's own treaty
applications; 404 otherwise)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from drf_spectacular.utils import OpenApiExample, extend_schema, extend_schema_field
from rest_framework import serializers
from rest_framework.exceptions import NotFound
from rest_framework.request import Request
from rest_framework.response import Response

from core.i18n import gettext_lazy
from licensing.api import BaseApi, error_responses, validated
from licensing.models import Currency, MLCategory
from licensing.models.treaty import TreatyTransfer
from licensing.services.treaty import treaty_transfer_save
from parties.models import Country

from .selectors import treaty_application_for_exporter, treaty_transfer_of

TAG = "Exporter"
ERR_UNKNOWN_COUNTRY = gettext_lazy("Unknown country code: {code}.")
ERR_UNKNOWN_CATEGORY = gettext_lazy("Unknown Military List category: {code}.")


def _money(**kwargs: Any) -> serializers.DecimalField:
    """An amount as the database column holds it (16 digits, 2 decimals): larger or finer numbers are a 400."""
    return serializers.DecimalField(max_digits=16, decimal_places=2, **kwargs)


class TreatyTransferInput(serializers.Serializer):
    version = serializers.IntegerField(
        min_value=0,
        max_value=2**31 - 1,
        help_text="The `version` of the details you read (0 when entering them for the first time); else 409.",
    )
    final_system_name = serializers.CharField(max_length=200)
    final_system_identifier = serializers.CharField(
        max_length=100, help_text="Type designation, programme or contract number of the final system."
    )
    final_system_ml_category = serializers.CharField(max_length=5, help_text="Military List code, e.g. ML11.")
    integrator_name = serializers.CharField(max_length=300)
    integrator_country = serializers.CharField(max_length=2, help_text="ISO code of the integrator's state, e.g. FR.")
    end_destinations = serializers.ListField(
        child=serializers.CharField(max_length=2), max_length=250, required=False, default=list
    )
    system_currency = serializers.ChoiceField(choices=Currency.choices, default=Currency.EUR)
    gross_total_value = _money(min_value=Decimal("0.01"), help_text="The final system's total, services included.")
    maintenance_value = _money(min_value=Decimal(0), default=Decimal(0))
    spares_value = _money(min_value=Decimal(0), default=Decimal(0))
    training_value = _money(min_value=Decimal(0), default=Decimal(0))
    repairs_value = _money(min_value=Decimal(0), default=Decimal(0))
    follow_on_of = serializers.IntegerField(
        min_value=1, max_value=2**31 - 1, required=False, allow_null=True, default=None,
        help_text="Id of an earlier de minimis application of yours this is maintenance or spares for.",
    )  # fmt: skip
    exclusion_entry = serializers.IntegerField(
        min_value=1, max_value=2**31 - 1, required=False, allow_null=True, default=None,
        help_text="Id of the exclusion-list entry the item is on, if any.",
    )  # fmt: skip

    def validate_final_system_ml_category(self, value: str) -> str:
        if not MLCategory.objects.filter(pk=value).exists():
            raise serializers.ValidationError(ERR_UNKNOWN_CATEGORY.format(code=value))
        return value

    def validate_integrator_country(self, value: str) -> str:
        return _known_countries([value])[0]

    def validate_end_destinations(self, value: list[str]) -> list[str]:
        return _known_countries(value)


def _known_countries(codes: list[str]) -> list[str]:
    codes = [code.upper() for code in codes]
    known = set(Country.objects.filter(pk__in=codes).values_list("pk", flat=True))
    if unknown := [code for code in codes if code not in known]:
        raise serializers.ValidationError(ERR_UNKNOWN_COUNTRY.format(code=unknown[0]))
    return codes


class DeMinimisOutput(serializers.Serializer):
    applies = serializers.BooleanField(source="de_minimis", help_text="The de minimis rule applies.")
    share_percent = serializers.DecimalField(max_digits=6, decimal_places=2, allow_null=True)
    threshold_percent = serializers.DecimalField(
        max_digits=6, decimal_places=2, allow_null=True, help_text="Qualifies when the share does not exceed it."
    )
    component_value_eur = _money(help_text="This application's goods in EUR (the Dutch components).")
    earlier_decided_eur = _money(help_text="Approved earlier transfers into the system.")
    earlier_pending_eur = _money(help_text="Pending ones: they only warn.")
    system_total_eur = _money(help_text="The final system excluding services, in EUR.")
    excluded_item = serializers.BooleanField()
    reasons = serializers.ListField(child=serializers.CharField(), help_text="Why, in words.")
    assessed_on = serializers.DateField(allow_null=True, help_text="The rule as of this day.")
    target_date = serializers.DateField(allow_null=True, help_text="The internal 'without delay' target, if any.")


class TreatyTransferOutput(serializers.Serializer):
    application = serializers.IntegerField(source="application_id")
    version = serializers.IntegerField()
    final_system_name = serializers.CharField(source="final_system.name")
    final_system_identifier = serializers.CharField(source="final_system.identifier")
    final_system_ml_category = serializers.CharField(source="final_system.ml_category_id")
    integrator_name = serializers.CharField(source="final_system.integrator_name")
    integrator_country = serializers.CharField(source="final_system.integrator_country_id")
    end_destinations = serializers.SerializerMethodField(help_text="ISO codes of the intended end destinations.")
    system_currency = serializers.CharField()
    gross_total_value = _money()
    maintenance_value = _money()
    spares_value = _money()
    training_value = _money()
    repairs_value = _money()
    follow_on_of = serializers.IntegerField(source="follow_on_of_id", allow_null=True)
    exclusion_entry = serializers.IntegerField(source="exclusion_entry_id", allow_null=True)
    de_minimis = DeMinimisOutput(source="*", help_text="The computation, with the parameters it used.")

    @extend_schema_field(serializers.ListField(child=serializers.CharField()))
    def get_end_destinations(self, transfer: TreatyTransfer) -> list[str]:
        return sorted(country.pk for country in transfer.end_destinations.all())


EXAMPLE_INPUT = {
    "version": 0,
    "final_system_name": "Naval air-defence radar",
    "final_system_identifier": "NADR-2026",
    "final_system_ml_category": "ML11",
    "integrator_name": "Integrateur Radar SA",
    "integrator_country": "FR",
    "end_destinations": ["IN"],
    "system_currency": "EUR",
    "gross_total_value": "1000000.00",
}
EXAMPLE_OUTPUT = {
    "application": 4211,
    "version": 1,
    **{k: v for k, v in EXAMPLE_INPUT.items() if k != "version"},
    "maintenance_value": "0.00",
    "spares_value": "0.00",
    "training_value": "0.00",
    "repairs_value": "0.00",
    "follow_on_of": None,
    "exclusion_entry": None,
    "de_minimis": {
        "applies": True,
        "share_percent": "20.00",
        "threshold_percent": "20.00",
        "component_value_eur": "200000.00",
        "earlier_decided_eur": "0.00",
        "earlier_pending_eur": "0.00",
        "system_total_eur": "1000000.00",
        "excluded_item": False,
        "reasons": ["The share of 20.00 % does not exceed the threshold of 20.00 %."],
        "assessed_on": "2026-12-05",
        "target_date": None,
    },
}


class TreatyTransferApi(BaseApi):
    capability = "portal.use"

    @extend_schema(
        tags=[TAG],
        summary="The treaty details of a treaty component transfer, with the de minimis computation",
        responses={200: TreatyTransferOutput, **error_responses(404)},
        examples=[OpenApiExample("Computed", value=EXAMPLE_OUTPUT, response_only=True)],
    )
    def get(self, request: Request, pk: int) -> Response:
        application = treaty_application_for_exporter(user=request.user, pk=pk)
        transfer = treaty_transfer_of(application)
        if transfer is None:
            raise NotFound("No treaty details entered yet: PUT them first.")
        return Response(TreatyTransferOutput(transfer).data)

    @extend_schema(
        tags=[TAG],
        summary="Enter or replace a draft's treaty details; answers the de minimis computation as of today",
        description=(
            "For an application of type `treaty_component` in draft. The share is the draft's goods in EUR over the "
            "final system's value without maintenance, spare parts, training and repairs, with earlier approved "
            "transfers into the same system added. Submitting recomputes it as of the application date."
        ),
        request=TreatyTransferInput,
        responses={200: TreatyTransferOutput, **error_responses(400, 404, 409)},
        examples=[
            OpenApiExample("Details", value=EXAMPLE_INPUT, request_only=True),
            OpenApiExample("Computed", value=EXAMPLE_OUTPUT, response_only=True),
        ],
    )
    def put(self, request: Request, pk: int) -> Response:
        # Visibility first: another organisation's id answers 404 before any input is read.
        application = treaty_application_for_exporter(user=request.user, pk=pk)
        data = validated(TreatyTransferInput, request)
        transfer = treaty_transfer_save(
            actor=request.user,
            application_id=application.pk,
            expected_version=data["version"],
            final_system_name=data["final_system_name"],
            final_system_identifier=data["final_system_identifier"],
            final_system_ml_category_id=data["final_system_ml_category"],
            integrator_name=data["integrator_name"],
            integrator_country_id=data["integrator_country"],
            end_destination_ids=data["end_destinations"],
            gross_total_value=data["gross_total_value"],
            system_currency=data["system_currency"],
            maintenance_value=data["maintenance_value"],
            spares_value=data["spares_value"],
            training_value=data["training_value"],
            repairs_value=data["repairs_value"],
            follow_on_of_id=data["follow_on_of"],
            exclusion_entry_id=data["exclusion_entry"],
        )
        return Response(TreatyTransferOutput(treaty_transfer_of(transfer.application)).data)
