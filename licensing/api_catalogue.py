"""Exporter API for what a company keeps for reuse: its product catalogue, its saved parties and its end-user
certificates (/api/v1/products/, /api/v1/saved-parties/, /api/v1/end-user-certificates/). The same services as the
portal (licensing.services.catalogue, licensing.services.certificates); every read goes through a selector that
confines the caller to their own organisation in the query, so another company's id answers 404, never 403."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.generics import ListAPIView
from rest_framework.request import Request
from rest_framework.response import Response

from core.api import KeysetPagination
from core.i18n import gettext_lazy
from parties.models import Country

from .api import BaseApi, error_responses, validated
from .catalogue_selectors import product_get_for, product_list_for, saved_party_get_for, saved_party_list_for
from .certificate_selectors import certificate_get_for, certificate_list_for
from .models import EndUserCertificate, MLCategory, PartyRole, PartyType, Product, SavedParty
from .services.catalogue import product_save, saved_party_save
from .services.certificates import end_user_certificate_register

TAG = "Exporter"
ERR_ML_CATEGORY = gettext_lazy("Unknown Military List category; give a code such as ML5.")
ERR_COUNTRY = gettext_lazy("Unknown country; give an ISO 3166-1 alpha-2 code such as NO.")


def _known_ml_category(code: str) -> str:
    if not MLCategory.objects.filter(pk=code).exists():
        raise serializers.ValidationError(ERR_ML_CATEGORY)
    return code


def _known_country(code: str) -> str:
    if not Country.objects.filter(pk=code).exists():
        raise serializers.ValidationError(ERR_COUNTRY)
    return code


# --- Products -----------------------------------------------------------------------------------------------------


class ProductInput(serializers.Serializer):
    description = serializers.CharField(max_length=500)
    ml_category = serializers.CharField(max_length=5, help_text="Military List code, e.g. ML5.")
    ml_sub_item = serializers.CharField(max_length=100, allow_blank=True, default="")
    part_numbers = serializers.CharField(max_length=300, allow_blank=True, default="")
    is_component = serializers.BooleanField(default=False)
    technical_file = serializers.IntegerField(
        required=False, allow_null=True, min_value=1, help_text="Id of a technical specification you uploaded."
    )

    def validate_ml_category(self, value: str) -> str:
        return _known_ml_category(value)


class ProductOutput(serializers.ModelSerializer):
    ml_category = serializers.CharField(source="ml_category_id")
    technical_file = serializers.IntegerField(source="technical_file_id", allow_null=True)

    class Meta:
        model = Product
        fields = [
            "id",
            "description",
            "ml_category",
            "ml_sub_item",
            "part_numbers",
            "is_component",
            "technical_file",
            "created_at",
        ]


class ProductListCreateApi(BaseApi, ListAPIView):
    capability = "portal.use"
    serializer_class = ProductOutput
    pagination_class = KeysetPagination

    def get_queryset(self) -> QuerySet[Product]:
        # Newest first; explicit, because the cursor pages by the queryset's own order.
        return product_list_for(user=self.request.user).select_related(None).order_by("-created_at", "-pk")

    @extend_schema(
        tags=[TAG],
        summary="Your organisation's product catalogue",
        description="Newest first, a page at a time: follow `next` (and `previous`) for the other pages.",
        responses={200: ProductOutput(many=True), **error_responses(400)},
    )
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().get(request, *args, **kwargs)

    @extend_schema(
        tags=[TAG],
        summary="Add a product to the catalogue",
        request=ProductInput,
        responses={201: ProductOutput, **error_responses(400)},
    )
    def post(self, request: Request) -> Response:
        data = validated(ProductInput, request)
        product = product_save(
            actor=request.user,
            description=data["description"],
            ml_category_id=data["ml_category"],
            ml_sub_item=data["ml_sub_item"],
            part_numbers=data["part_numbers"],
            is_component=data["is_component"],
            technical_file_id=data.get("technical_file"),
        )
        return Response(ProductOutput(product).data, status=status.HTTP_201_CREATED)


class ProductDetailApi(BaseApi):
    capability = "portal.use"

    @extend_schema(tags=[TAG], summary="One product", responses={200: ProductOutput, **error_responses(404)})
    def get(self, request: Request, pk: int) -> Response:
        return Response(ProductOutput(product_get_for(user=request.user, pk=pk)).data)


# --- Saved parties ------------------------------------------------------------------------------------------------


class SavedPartyInput(serializers.Serializer):
    role = serializers.ChoiceField(choices=PartyRole.choices)
    name = serializers.CharField(max_length=300)
    address = serializers.CharField(max_length=2000)
    country = serializers.CharField(max_length=2, help_text="ISO 3166-1 alpha-2 code, e.g. NO.")
    party_type = serializers.ChoiceField(choices=PartyType.choices)

    def validate_country(self, value: str) -> str:
        return _known_country(value)


class SavedPartyOutput(serializers.ModelSerializer):
    country = serializers.CharField(source="country_id")

    class Meta:
        model = SavedParty
        fields = ["id", "role", "name", "address", "country", "party_type", "created_at"]


class SavedPartyListCreateApi(BaseApi, ListAPIView):
    capability = "portal.use"
    serializer_class = SavedPartyOutput
    pagination_class = KeysetPagination

    def get_queryset(self) -> QuerySet[SavedParty]:
        return saved_party_list_for(user=self.request.user).select_related(None).order_by("-created_at", "-pk")

    @extend_schema(
        tags=[TAG],
        summary="Your organisation's saved parties",
        description="Newest first, a page at a time: follow `next` (and `previous`) for the other pages.",
        responses={200: SavedPartyOutput(many=True), **error_responses(400)},
    )
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().get(request, *args, **kwargs)

    @extend_schema(
        tags=[TAG],
        summary="Save a party for reuse",
        request=SavedPartyInput,
        responses={201: SavedPartyOutput, **error_responses(400)},
    )
    def post(self, request: Request) -> Response:
        data = validated(SavedPartyInput, request)
        party = saved_party_save(
            actor=request.user,
            role=data["role"],
            name=data["name"],
            address=data["address"],
            country_id=data["country"],
            party_type=data["party_type"],
        )
        return Response(SavedPartyOutput(party).data, status=status.HTTP_201_CREATED)


class SavedPartyDetailApi(BaseApi):
    capability = "portal.use"

    @extend_schema(tags=[TAG], summary="One saved party", responses={200: SavedPartyOutput, **error_responses(404)})
    def get(self, request: Request, pk: int) -> Response:
        return Response(SavedPartyOutput(saved_party_get_for(user=request.user, pk=pk)).data)


# --- End-user certificates ----------------------------------------------------------------------------------------


class CertificateInput(serializers.Serializer):
    issuer = serializers.CharField(max_length=300, help_text="The authority or end user that signed it.")
    number = serializers.CharField(max_length=100)
    issued_on = serializers.DateField()
    valid_until = serializers.DateField()
    re_export_clause = serializers.BooleanField(
        default=False, help_text="The end user undertakes not to re-export without prior written consent."
    )
    end_user_name = serializers.CharField(max_length=300)
    end_user_country = serializers.CharField(max_length=2, help_text="ISO 3166-1 alpha-2 code, e.g. NO.")

    def validate_end_user_country(self, value: str) -> str:
        return _known_country(value)


class CertificateOutput(serializers.ModelSerializer):
    end_user_country = serializers.CharField(source="end_user_country_id")

    class Meta:
        model = EndUserCertificate
        fields = [
            "id",
            "issuer",
            "number",
            "issued_on",
            "valid_until",
            "re_export_clause",
            "end_user_name",
            "end_user_country",
            "created_at",
        ]


class CertificateListCreateApi(BaseApi, ListAPIView):
    capability = "portal.use"
    serializer_class = CertificateOutput
    pagination_class = KeysetPagination

    def get_queryset(self) -> QuerySet[EndUserCertificate]:
        return certificate_list_for(user=self.request.user).select_related(None).order_by("-issued_on", "-pk")

    @extend_schema(
        tags=[TAG],
        summary="Your organisation's end-user certificates",
        description="Latest issued first, a page at a time: follow `next` (and `previous`) for the other pages.",
        responses={200: CertificateOutput(many=True), **error_responses(400)},
    )
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().get(request, *args, **kwargs)

    @extend_schema(
        tags=[TAG],
        summary="Register an end-user certificate",
        description="Register it once; it is then attached to each application (or licence change) for the same "
        "end user while it is valid.",
        request=CertificateInput,
        responses={201: CertificateOutput, **error_responses(400)},
    )
    def post(self, request: Request) -> Response:
        data = validated(CertificateInput, request)
        certificate = end_user_certificate_register(
            actor=request.user,
            issuer=data["issuer"],
            number=data["number"],
            issued_on=data["issued_on"],
            valid_until=data["valid_until"],
            re_export_clause=data["re_export_clause"],
            end_user_name=data["end_user_name"],
            end_user_country_id=data["end_user_country"],
        )
        return Response(CertificateOutput(certificate).data, status=status.HTTP_201_CREATED)


class CertificateDetailApi(BaseApi):
    capability = "portal.use"

    @extend_schema(
        tags=[TAG], summary="One end-user certificate", responses={200: CertificateOutput, **error_responses(404)}
    )
    def get(self, request: Request, pk: int) -> Response:
        return Response(CertificateOutput(certificate_get_for(user=request.user, pk=pk)).data)
