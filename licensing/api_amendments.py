"""Exporter API for changing a licence: ask for an amendment or an extension, follow and withdraw the request,
surrender the licence. The same services as the portal (licensing.services.amendments); reads scoped to the
exporter's organisation (another company's licence answers 404)."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.request import Request
from rest_framework.response import Response

from . import serializers as s
from .amendment_selectors import amendment_get_for, amendments_of
from .api import BaseApi, error_responses, validated
from .models import AmendmentKind, LicenceAmendment, PartyRole, PartyType, Unit
from .selectors import licence_get_for
from .services import amendments as services
from .services.amendments import ERR_REASON_REQUIRED
from .transitions import ERR_REASON

TAG = "Exporter"


class GoodsChangeInput(serializers.Serializer):
    goods = serializers.IntegerField(min_value=1, help_text="Id of the licence's goods item.")
    quantity = serializers.DecimalField(max_digits=14, decimal_places=3, min_value=0)
    value_eur = serializers.DecimalField(max_digits=16, decimal_places=2, min_value=0)


class PartyChangeInput(serializers.Serializer):
    role = serializers.ChoiceField(choices=PartyRole.choices, help_text="Only the consignee and the end user change.")
    saved_party = serializers.IntegerField(
        required=False, allow_null=True, min_value=1, help_text="Id of one of your saved parties; or give the fields."
    )
    name = serializers.CharField(required=False, allow_blank=True, max_length=300)
    address = serializers.CharField(required=False, allow_blank=True)
    country = serializers.CharField(required=False, allow_blank=True, max_length=2, help_text="ISO code.")
    party_type = serializers.ChoiceField(choices=PartyType.choices, required=False)


class GoodsAdditionInput(serializers.Serializer):
    product = serializers.IntegerField(
        required=False, allow_null=True, min_value=1, help_text="Id of a product in your catalogue; or describe it."
    )
    description = serializers.CharField(required=False, allow_blank=True, max_length=500)
    ml_category = serializers.CharField(required=False, allow_blank=True, max_length=5, help_text="e.g. ML5.")
    quantity = serializers.DecimalField(max_digits=14, decimal_places=3, min_value=0)
    unit = serializers.ChoiceField(choices=Unit.choices, default=Unit.PIECES)
    value_eur = serializers.DecimalField(max_digits=16, decimal_places=2, min_value=0)


class AmendmentInput(serializers.Serializer):
    kind = serializers.ChoiceField(choices=AmendmentKind.choices)
    reason = serializers.CharField(error_messages={"blank": ERR_REASON_REQUIRED, "required": ERR_REASON_REQUIRED})
    new_valid_until = serializers.DateField(required=False, allow_null=True)
    new_destination = serializers.CharField(required=False, allow_null=True, max_length=2, help_text="ISO code.")
    goods_changes = GoodsChangeInput(many=True, required=False, help_text="Only the items that change.")
    party_changes = PartyChangeInput(many=True, required=False, help_text="A new consignee or end user.")
    goods_additions = GoodsAdditionInput(many=True, required=False, help_text="Goods lines to add.")
    end_user_certificate = serializers.IntegerField(
        required=False, allow_null=True, min_value=1, help_text="Id of your end-user certificate naming a new end user."
    )

    def validate_goods_changes(self, value: list[dict[str, object]]) -> list[dict[str, object]]:
        # The licence comes from licence_get_for (goods prefetched): an item of another licence is a field error.
        ours = {goods.pk for goods in self.context["licence"].goods.all()}
        if any(change["goods"] not in ours for change in value):
            raise serializers.ValidationError("This goods item is not on this licence.")
        return value


class AmendmentReasonInput(serializers.Serializer):
    reason = serializers.CharField(error_messages={"blank": ERR_REASON, "required": ERR_REASON})


class AmendmentOutput(serializers.ModelSerializer):
    licence = serializers.CharField(source="licence.number")
    new_destination = serializers.CharField(source="new_destination_id", allow_null=True)

    class Meta:
        model = LicenceAmendment
        fields = [
            "id",
            "licence",
            "kind",
            "status",
            "based_on_version",
            "reason",
            "new_valid_until",
            "new_destination",
            "goods_changes",
            "party_changes",
            "goods_additions",
            "end_user_certificate",
            "requested_at",
            "decision_reasons",
            "decided_at",
            "resulting_version",
        ]


class LicenceAmendmentListCreateApi(BaseApi):
    capability = "portal.use"

    @extend_schema(
        tags=[TAG],
        summary="The changes asked for on a licence, latest first",
        responses={200: AmendmentOutput(many=True), **error_responses(404)},
    )
    def get(self, request: Request, pk: int) -> Response:
        licence = licence_get_for(user=request.user, pk=pk)
        return Response(AmendmentOutput(amendments_of(licence), many=True).data)

    @extend_schema(
        tags=[TAG],
        summary="Ask to change a licence (amendment) or to make it last longer (extension)",
        description="Only what changes: an approved change is a new version of the licence, with its own PDF.",
        request=AmendmentInput,
        responses={201: AmendmentOutput, **error_responses(400, 404, 409)},
    )
    def post(self, request: Request, pk: int) -> Response:
        licence = licence_get_for(user=request.user, pk=pk)
        data = validated(AmendmentInput, request, context={"licence": licence})
        amendment = services.licence_amendment_request(
            actor=request.user,
            licence_id=licence.pk,
            kind=data["kind"],
            reason=data["reason"],
            new_valid_until=data.get("new_valid_until"),
            new_destination=data.get("new_destination"),
            goods_changes=data.get("goods_changes") or [],
            party_changes=[dict(change) for change in data.get("party_changes") or []],
            goods_additions=[dict(addition) for addition in data.get("goods_additions") or []],
            end_user_certificate_id=data.get("end_user_certificate"),
        )
        return Response(AmendmentOutput(amendment).data, status=status.HTTP_201_CREATED)


class AmendmentDetailApi(BaseApi):
    capability = "portal.use"

    @extend_schema(tags=[TAG], summary="One change request", responses={200: AmendmentOutput, **error_responses(404)})
    def get(self, request: Request, pk: int) -> Response:
        return Response(AmendmentOutput(amendment_get_for(user=request.user, pk=pk)).data)


class AmendmentWithdrawApi(BaseApi):
    capability = "portal.use"

    @extend_schema(
        tags=[TAG],
        summary="Withdraw a change request that is not decided yet",
        request=AmendmentReasonInput,
        responses={200: AmendmentOutput, **error_responses(400, 404, 409)},
    )
    def post(self, request: Request, pk: int) -> Response:
        amendment = amendment_get_for(user=request.user, pk=pk)
        data = validated(AmendmentReasonInput, request)
        withdrawn = services.licence_amendment_withdraw(
            actor=request.user, amendment_id=amendment.pk, reason=data["reason"]
        )
        return Response(AmendmentOutput(withdrawn).data)


class LicenceSurrenderApi(BaseApi):
    capability = "portal.use"

    @extend_schema(
        tags=[TAG],
        summary="Give the licence back (surrender): no more shipments under it",
        request=AmendmentReasonInput,
        responses={200: s.LicenceDetailOutput, **error_responses(400, 404, 409)},
    )
    def post(self, request: Request, pk: int) -> Response:
        licence = licence_get_for(user=request.user, pk=pk)
        data = validated(AmendmentReasonInput, request)
        services.licence_surrender(actor=request.user, licence_id=licence.pk, reason=data["reason"])
        return Response(s.LicenceDetailOutput(licence_get_for(user=request.user, pk=pk)).data)
