"""Input and output serializers of the licensing API (licensing/api_exporter.py, licensing/api_casework.py).

Inputs check shape only (types, lengths, choices, number sizes that fit the database columns); the domain
rules and their messages stay in the services. Outputs read what the selectors loaded, so list rows cost no
extra queries.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, ClassVar

from django.db import models
from drf_spectacular.extensions import OpenApiSerializerFieldExtension
from drf_spectacular.plumbing import ResolvedComponent, build_choice_description_list
from rest_framework import serializers

from core.api import ErrorOutput as ErrorOutput  # the one error body, defined with the error handler
from core.api_rows import RowOutput
from parties.models import User

from .models import (
    ApplicationStatus,
    Currency,
    Decision,
    DecisionOutcome,
    DecisionStatus,
    DocumentKind,
    LicenceStatus,
    LicenceType,
    PartyRole,
    PartyType,
    ScanStatus,
    Unit,
)
from .transitions import LicenceAction

# Free-text limits for TextFields without one in the database: generous, but a request cannot store a novel.
LONG_TEXT = 10_000


class StatusField(serializers.ChoiceField):
    """A status, documented as one named enum per status type (ApplicationStatusEnum, LicenceStatusEnum, ...).

    Applications, licences and decisions all call theirs `status`; drf-spectacular would otherwise invent
    hash-suffixed names for the colliding choice sets."""

    def __init__(self, *, choices_class: type[models.TextChoices], **kwargs: Any) -> None:
        self.enum_name = f"{choices_class.__name__}Enum"
        super().__init__(choices=choices_class.choices, **kwargs)


class StatusFieldExtension(OpenApiSerializerFieldExtension):
    target_class = StatusField

    def map_serializer_field(self, auto_schema: Any, direction: str) -> dict[str, Any]:
        field: StatusField = self.target
        values = [str(value) for value in field.choices]
        component = ResolvedComponent(
            name=field.enum_name,
            type=ResolvedComponent.SCHEMA,
            object=field.enum_name,
            schema={
                "type": "string",
                "enum": values,
                "description": build_choice_description_list(field.choices.items()),
            },
        )
        auto_schema.registry.register_on_missing(component)
        return component.ref


# --- Exporter: inputs --------------------------------------------------------------------------------------


class ApplicationCreateInput(serializers.Serializer):
    licence_type = serializers.ChoiceField(choices=LicenceType.choices)
    title = serializers.CharField(max_length=200)
    end_use = serializers.CharField(max_length=LONG_TEXT, allow_blank=True, default="")
    intended_shipment_date = serializers.DateField(required=False, allow_null=True, default=None)
    related_licences = serializers.CharField(max_length=300, allow_blank=True, default="")


class ApplicationUpdateInput(serializers.Serializer):
    version = serializers.IntegerField(
        min_value=1, max_value=2**31 - 1, help_text="The version you read; a newer one on the server gives 409."
    )
    licence_type = serializers.ChoiceField(choices=LicenceType.choices, required=False)
    title = serializers.CharField(max_length=200, required=False)
    end_use = serializers.CharField(max_length=LONG_TEXT, allow_blank=True, required=False)
    intended_shipment_date = serializers.DateField(required=False, allow_null=True)
    related_licences = serializers.CharField(max_length=300, allow_blank=True, required=False)

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        if set(attrs) == {"version"}:
            raise serializers.ValidationError({"non_field_errors": ["Send at least one field to change."]})
        return attrs


class GoodsLineInput(serializers.Serializer):
    # max_digits/decimal_places match the database columns, so a huge or over-precise number is a 400 here.
    description = serializers.CharField(max_length=500)
    ml_category = serializers.CharField(max_length=5, help_text="Military List code, e.g. ML5.")
    ml_sub_item = serializers.CharField(max_length=100, allow_blank=True, default="")
    quantity = serializers.DecimalField(max_digits=14, decimal_places=3)
    unit = serializers.ChoiceField(choices=Unit.choices)
    unit_value = serializers.DecimalField(max_digits=14, decimal_places=2)
    currency = serializers.ChoiceField(choices=Currency.choices)
    is_component = serializers.BooleanField(default=False)
    part_numbers = serializers.CharField(max_length=300, allow_blank=True, default="")


class PartyInput(serializers.Serializer):
    role = serializers.ChoiceField(choices=PartyRole.choices)
    name = serializers.CharField(max_length=300)
    address = serializers.CharField(max_length=2000)
    country = serializers.CharField(max_length=2, help_text="ISO 3166-1 alpha-2 code, e.g. NO.")
    party_type = serializers.ChoiceField(choices=PartyType.choices)
    third_party_role = serializers.CharField(max_length=100, allow_blank=True, default="")


class DocumentUploadInput(serializers.Serializer):
    kind = serializers.ChoiceField(choices=DocumentKind.choices)
    file = serializers.FileField(help_text="PDF, PNG or JPEG; the content is checked, not the name.")


class SubmitInput(serializers.Serializer):
    version = serializers.IntegerField(min_value=1, max_value=2**31 - 1, required=False)


class ReasonInput(serializers.Serializer):
    reason = serializers.CharField(max_length=LONG_TEXT)


class AnswerInput(serializers.Serializer):
    answer = serializers.CharField(max_length=LONG_TEXT)
    file = serializers.FileField(required=False, help_text="Optional supporting document (PDF, PNG or JPEG).")


class ShipmentInput(serializers.Serializer):
    licensed_goods = serializers.IntegerField(min_value=1, help_text="Id of the licence's goods item.")
    shipped_on = serializers.DateField()
    quantity = serializers.DecimalField(max_digits=14, decimal_places=3)
    value_eur = serializers.DecimalField(max_digits=16, decimal_places=2)

    def validate_licensed_goods(self, value: int) -> int:
        # The licence comes from licence_get_for (goods prefetched): an item of another licence is a field error.
        if value not in {goods.pk for goods in self.context["licence"].goods.all()}:
            raise serializers.ValidationError("This goods item is not on this licence.")
        return value


# --- Outputs -----------------------------------------------------------------------------------------------


class GoodsLineOutput(serializers.Serializer):
    id = serializers.IntegerField()
    position = serializers.IntegerField()
    description = serializers.CharField()
    ml_category = serializers.CharField(source="ml_category_id")
    ml_sub_item = serializers.CharField()
    quantity = serializers.DecimalField(max_digits=14, decimal_places=3)
    unit = serializers.ChoiceField(choices=Unit.choices)
    unit_value = serializers.DecimalField(max_digits=14, decimal_places=2)
    currency = serializers.ChoiceField(choices=Currency.choices)
    exchange_rate = serializers.DecimalField(max_digits=12, decimal_places=6)
    rate_date = serializers.DateField(allow_null=True)
    value_eur = serializers.DecimalField(max_digits=16, decimal_places=2)
    is_component = serializers.BooleanField()
    part_numbers = serializers.CharField()


class PartyOutput(serializers.Serializer):
    id = serializers.IntegerField()
    role = serializers.ChoiceField(choices=PartyRole.choices)
    name = serializers.CharField()
    address = serializers.CharField()
    country = serializers.CharField(source="country_id")
    party_type = serializers.ChoiceField(choices=PartyType.choices)
    third_party_role = serializers.CharField()


class DocumentOutput(serializers.Serializer):
    id = serializers.IntegerField()
    kind = serializers.ChoiceField(choices=DocumentKind.choices)
    original_name = serializers.CharField()
    content_type = serializers.CharField()
    size = serializers.IntegerField()
    sha256 = serializers.CharField()
    scan_status = serializers.ChoiceField(choices=ScanStatus.choices)
    uploaded_at = serializers.DateTimeField()


class InformationRequestOutput(serializers.Serializer):
    id = serializers.IntegerField()
    question = serializers.CharField()
    requested_on = serializers.DateField()
    respond_by = serializers.DateField()
    answer = serializers.CharField()
    answered_on = serializers.DateField(allow_null=True)


# --- List rows -----------------------------------------------------------------------------------------------


class _ApplicationCore(serializers.Serializer):
    id = serializers.IntegerField()
    reference = serializers.CharField()
    title = serializers.CharField()
    licence_type = serializers.ChoiceField(choices=LicenceType.choices)
    status = StatusField(choices_class=ApplicationStatus)
    destination = serializers.CharField(source="destination_id", allow_null=True)
    destination_name = serializers.CharField(source="destination.name_en", allow_null=True)
    total_value_eur = serializers.DecimalField(max_digits=16, decimal_places=2)
    submitted_at = serializers.DateTimeField(allow_null=True)
    legal_deadline = serializers.DateField(allow_null=True)
    target_date = serializers.DateField(allow_null=True)
    created_at = serializers.DateTimeField()
    version = serializers.IntegerField()


class ApplicationListOutput(RowOutput, _ApplicationCore):
    goods_count = serializers.IntegerField()


class ApplicationOutput(_ApplicationCore):
    end_use = serializers.CharField()
    intended_shipment_date = serializers.DateField(allow_null=True)
    related_licences = serializers.CharField()
    received_on = serializers.DateField(allow_null=True)
    updated_at = serializers.DateTimeField()


class ApplicationDetailOutput(ApplicationOutput):
    goods = GoodsLineOutput(many=True)
    parties = PartyOutput(many=True)
    documents = DocumentOutput(many=True)
    information_requests = InformationRequestOutput(many=True)


class SubmissionProblemsOutput(serializers.Serializer):
    can_submit = serializers.BooleanField()
    problems = serializers.DictField(child=serializers.ListField(child=serializers.CharField()))


class LicensedGoodsOutput(serializers.Serializer):
    id = serializers.IntegerField()
    description = serializers.CharField()
    ml_category = serializers.CharField(source="ml_category_id")
    quantity = serializers.DecimalField(max_digits=14, decimal_places=3)
    unit = serializers.CharField()
    value_eur = serializers.DecimalField(max_digits=16, decimal_places=2)
    shipped_quantity = serializers.DecimalField(max_digits=14, decimal_places=3)
    shipped_value_eur = serializers.DecimalField(max_digits=16, decimal_places=2)
    remaining_quantity = serializers.DecimalField(max_digits=14, decimal_places=3)
    remaining_value_eur = serializers.DecimalField(max_digits=16, decimal_places=2)


class ShipmentOutput(serializers.Serializer):
    id = serializers.IntegerField()
    licensed_goods = serializers.IntegerField(source="licensed_goods_id")
    shipped_on = serializers.DateField()
    quantity = serializers.DecimalField(max_digits=14, decimal_places=3)
    value_eur = serializers.DecimalField(max_digits=16, decimal_places=2)
    licence_version = serializers.IntegerField(
        source="terms_version", help_text="The licence version it counted against."
    )
    recorded_at = serializers.DateTimeField()


class _LicenceCore(serializers.Serializer):
    id = serializers.IntegerField()
    number = serializers.CharField()
    application = serializers.CharField(source="application.reference")
    licence_type = serializers.ChoiceField(choices=LicenceType.choices)
    status = StatusField(choices_class=LicenceStatus)
    destination = serializers.CharField(source="destination_id", allow_null=True)
    destination_name = serializers.CharField(source="destination.name_en", allow_null=True)
    valid_from = serializers.DateField()
    valid_until = serializers.DateField()
    total_value_eur = serializers.DecimalField(max_digits=16, decimal_places=2)
    issued_at = serializers.DateTimeField()


class LicenceListOutput(RowOutput, _LicenceCore):
    pass


class LicenceDetailOutput(_LicenceCore):
    version = serializers.IntegerField(source="terms_version", help_text="The version of the licence in force.")
    status_reason = serializers.CharField()
    conditions = serializers.CharField()
    goods = LicensedGoodsOutput(many=True)
    shipments = ShipmentOutput(many=True)


# --- Officers ----------------------------------------------------------------------------------------------


def _assigned_to_name(row: dict[str, Any]) -> str | None:
    """User.get_full_name from a `.values()` row (licensing.api_casework.CASE_ROW_VALUES)."""
    if row["assigned_to_id"] is None:
        return None
    return f"{row['assigned_to__first_name']} {row['assigned_to__last_name']}".strip()


class CaseListOutput(ApplicationListOutput):
    organisation = serializers.IntegerField(source="organisation_id")
    organisation_name = serializers.CharField(source="organisation.name")
    assigned_to = serializers.IntegerField(source="assigned_to_id", allow_null=True)
    assigned_to_name = serializers.CharField(source="assigned_to.get_full_name", allow_null=True)

    value_readers: ClassVar[dict[str, Callable[[dict[str, Any]], Any]]] = {"assigned_to_name": _assigned_to_name}


class DecisionOutput(serializers.Serializer):
    id = serializers.IntegerField()
    outcome = serializers.ChoiceField(choices=DecisionOutcome.choices)
    status = StatusField(choices_class=DecisionStatus)
    justification = serializers.CharField()
    conditions = serializers.CharField()
    valid_from = serializers.DateField(allow_null=True)
    valid_until = serializers.DateField(allow_null=True)
    criteria = serializers.SerializerMethodField(help_text="Numbers of the criteria invoked.")
    sub_criteria = serializers.CharField()
    refusal_ground = serializers.CharField()
    needs_countersignature = serializers.BooleanField()
    proposed_by = serializers.IntegerField(source="proposed_by_id")
    proposed_at = serializers.DateTimeField()
    countersigned_by = serializers.IntegerField(source="countersigned_by_id", allow_null=True)
    countersigned_at = serializers.DateTimeField(allow_null=True)
    return_reason = serializers.CharField()

    def get_criteria(self, decision: Decision) -> list[int]:
        return [criterion.number for criterion in decision.criteria.all()]  # prefetched by application_get_for


class CaseDetailOutput(ApplicationDetailOutput):
    organisation = serializers.IntegerField(source="organisation_id")
    organisation_name = serializers.CharField(source="organisation.name")
    assigned_to = serializers.IntegerField(source="assigned_to_id", allow_null=True)
    suspended_days = serializers.IntegerField()
    decisions = DecisionOutput(many=True)


class CaseStateOutput(serializers.Serializer):
    id = serializers.IntegerField()
    reference = serializers.CharField()
    status = StatusField(choices_class=ApplicationStatus)
    assigned_to = serializers.IntegerField(source="assigned_to_id", allow_null=True)
    version = serializers.IntegerField()


class AssignInput(serializers.Serializer):
    assignee = serializers.PrimaryKeyRelatedField(
        queryset=User.objects.filter(is_active=True),
        allow_null=True,
        help_text="User id of a licensing officer; null to unassign.",
    )
    reason = serializers.CharField(max_length=LONG_TEXT, allow_blank=True, default="")


class InformationRequestInput(serializers.Serializer):
    question = serializers.CharField(max_length=LONG_TEXT)
    version = serializers.IntegerField(min_value=1, max_value=2**31 - 1, required=False)
    respond_by = serializers.DateField(required=False, allow_null=True, default=None)


class NoteInput(serializers.Serializer):
    text = serializers.CharField(max_length=LONG_TEXT)


class NoteOutput(serializers.Serializer):
    id = serializers.IntegerField()
    text = serializers.CharField()
    author = serializers.IntegerField(source="author_id")
    created_at = serializers.DateTimeField()


class DecisionProposeInput(serializers.Serializer):
    outcome = serializers.ChoiceField(choices=DecisionOutcome.choices)
    justification = serializers.CharField(max_length=LONG_TEXT)
    version = serializers.IntegerField(min_value=1, max_value=2**31 - 1, required=False)
    conditions = serializers.CharField(max_length=LONG_TEXT, allow_blank=True, default="")
    valid_from = serializers.DateField(required=False, allow_null=True, default=None)
    valid_until = serializers.DateField(required=False, allow_null=True, default=None)
    criteria = serializers.ListField(
        child=serializers.IntegerField(min_value=1, max_value=8),
        default=list,
        max_length=8,
        help_text="Common Position 2008/944/CFSP criteria (1-8) the decision rests on.",
    )
    sub_criteria = serializers.CharField(max_length=100, allow_blank=True, default="")
    refusal_ground = serializers.CharField(max_length=40, allow_blank=True, default="")


class CountersignInput(serializers.Serializer):
    reason = serializers.CharField(max_length=LONG_TEXT, allow_blank=True, default="")


class LicenceStatusInput(serializers.Serializer):
    action = serializers.ChoiceField(
        choices=[(a.value, a.value) for a in (LicenceAction.SUSPEND, LicenceAction.REINSTATE, LicenceAction.REVOKE)]
    )
    reason = serializers.CharField(max_length=LONG_TEXT)
