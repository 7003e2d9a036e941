"""API plumbing shared by every app: authentication, deny-by-default permission, pagination, errors."""

from __future__ import annotations

import binascii
import json
from base64 import urlsafe_b64decode, urlsafe_b64encode
from typing import Any, cast

from django.core.exceptions import ImproperlyConfigured
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import F, QuerySet
from django.db.models.expressions import OrderBy
from django.http import Http404
from django.utils.text import format_lazy
from drf_spectacular.utils import OpenApiResponse
from rest_framework import exceptions, pagination, serializers, status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.utils.urls import replace_query_param
from rest_framework.views import exception_handler as drf_exception_handler

from core.i18n import gettext_lazy

from .exceptions import DecisionBlocked, DomainError
from .pagination import (
    InvalidCursor,
    Keyset,
    KeysetColumn,
    KeysetCursor,
    keyset_cursor_from_payload,
    keyset_cursor_payload,
    keyset_read,
)

PAGE_SIZE = 25
MAX_PAGE_SIZE = 100
ERR_INVALID_CURSOR = gettext_lazy(
    "Invalid cursor: use the `next` or `previous` link as given, with the same filters and ordering."
)
ERR_PAGE_SIZE = format_lazy(gettext_lazy("Send a whole number from 1 to {limit}."), limit=MAX_PAGE_SIZE)
ERR_TYPE = gettext_lazy("Must be {expected}, not {given}.")


class StrictPageSize:
    """`page_size` is a whole number from 1 to MAX_PAGE_SIZE, or a 400 naming it. (DRF's own quietly falls back
    to the default for "abc" or a repeated/object-shaped parameter, and caps 10,000 at the maximum: a client
    would never learn that its request was not what it meant.)"""

    # Both paginations set page_size, page_size_query_param and max_page_size (typed differently in DRF's stubs).
    def get_page_size(self: Any, request: Request) -> int:
        values = request.query_params.getlist(self.page_size_query_param)
        if not values:
            return self.page_size
        value = values[0]
        if len(values) > 1 or not value.isascii() or not value.isdigit() or not 1 <= int(value) <= self.max_page_size:
            raise exceptions.ValidationError({self.page_size_query_param: [ERR_PAGE_SIZE]})
        return int(value)

    def get_schema_operation_parameters(self: Any, view: Any) -> list[dict[str, Any]]:
        parameters: list[dict[str, Any]] = super().get_schema_operation_parameters(view)  # type: ignore[misc]
        for parameter in parameters:
            if parameter["name"] == self.page_size_query_param:
                parameter["schema"].update(minimum=1, maximum=self.max_page_size)
        return parameters


class DefaultPagination(StrictPageSize, pagination.PageNumberPagination):
    """Page numbers, for small lists: every page counts the rows and skips the earlier ones (OFFSET)."""

    page_size = PAGE_SIZE
    page_size_query_param = "page_size"
    max_page_size = MAX_PAGE_SIZE


class KeysetPagination(StrictPageSize, pagination.CursorPagination):
    """Cursor ("keyset") pagination for the large lists, read by core.pagination.keyset_read: each page continues
    from the sort key of the row before, so a page costs the same at row 25 as at row 150,000, and no COUNT(*)
    runs. DRF's CursorPagination gives the parameters, the response and its schema.

    The order is the queryset's own (`order_by`, set by the view or its filterset; columns of the model only),
    made unique by the primary key. The rows may be model instances or `.values()` dicts that hold the sort
    columns. A cursor (base64 JSON, core.pagination.keyset_cursor_payload) holds the sort-key values of the row
    next to it and the order it was made for: a cursor used with another `ordering`, or tampered with, answers
    400. A cursor past the end (its rows were deleted meanwhile) gives an empty last page, never the first page
    again, so a client following `next` always stops.

    NULL sorts as the largest value, except in the first column, whose NULLs come last whichever the direction
    (as in the officer queue): the rows with a value and the rows with NULL there are read as two index ranges,
    the second only when a page reaches it.
    """

    page_size = PAGE_SIZE
    page_size_query_param = "page_size"
    max_page_size = MAX_PAGE_SIZE
    ordering = ("-pk",)  # only when the queryset has no order of its own
    cursor_query_description = "The cursor of the next or previous page, from the `next` or `previous` link."

    def paginate_queryset(  # type: ignore[override]
        self, queryset: QuerySet[Any], request: Request, view: Any = None
    ) -> list[Any] | None:
        self.request = request
        self.page_size = self.get_page_size(request)
        self.base_url = request.build_absolute_uri()
        self.keyset = Keyset(queryset.model, self._columns_of(queryset))
        cursor = self._decode(request)
        self.cursor_position = cursor.values if cursor else None
        backward = cursor is not None and cursor.backward
        read = keyset_read(queryset, self.keyset, size=self.page_size, after=self.cursor_position, backward=backward)
        self.page = read.rows
        if backward:
            self.has_next, self.has_previous = True, read.more
        else:
            self.has_next, self.has_previous = read.more, cursor is not None
        self.display_page_controls = self.has_next or self.has_previous
        return self.page

    def _columns_of(self, queryset: QuerySet[Any]) -> list[KeysetColumn]:
        query = queryset.query
        model = queryset.model
        ordering = list(query.order_by) or list(model._meta.ordering if query.default_ordering else ())
        return [_column(item) for item in ordering or self.ordering]

    # --- Cursors ------------------------------------------------------------------------------------------

    def _decode(self, request: Request) -> KeysetCursor | None:
        encoded = request.query_params.get(self.cursor_query_param)
        if encoded is None:
            return None
        try:
            payload = json.loads(urlsafe_b64decode(encoded.encode("ascii") + b"=" * (-len(encoded) % 4)))
            return keyset_cursor_from_payload(self.keyset, scope=self.keyset.signature, payload=payload)
        except (InvalidCursor, ValueError, UnicodeError, binascii.Error) as exc:
            raise exceptions.ValidationError({self.cursor_query_param: [ERR_INVALID_CURSOR]}) from exc

    def _link(self, row: Any, *, backward: bool) -> str:
        values = self.keyset.values_of(row) if row is not None else self.cursor_position or []
        payload = keyset_cursor_payload(self.keyset, scope=self.keyset.signature, values=values, backward=backward)
        encoded = urlsafe_b64encode(json.dumps(payload, separators=(",", ":")).encode()).rstrip(b"=").decode("ascii")
        return str(replace_query_param(str(self.base_url), self.cursor_query_param, encoded))

    def get_next_link(self) -> str | None:  # type: ignore[override]
        if not self.has_next:
            return None
        return self._link(self.page[-1] if self.page else None, backward=False)

    def get_previous_link(self) -> str | None:  # type: ignore[override]
        if not self.has_previous:
            return None
        return self._link(self.page[0] if self.page else None, backward=True)

    def get_paginated_response_schema(self, schema: dict[str, Any]) -> dict[str, Any]:
        response: dict[str, Any] = super().get_paginated_response_schema(schema)
        response["required"] = ["next", "previous", "results"]
        for name, description in (
            ("next", "The next page, or null on the last page."),
            ("previous", "The previous page, or null on the first page."),
        ):
            response["properties"][name]["description"] = description
            response["properties"][name]["example"] = "https://register.example/api/v1/cases/?cursor=eyJzIjoi..."
        return response


def _column(item: Any) -> KeysetColumn:
    """A term of the queryset's ORDER BY as a keyset column: "-name", "name" or F("name").asc()/.desc()."""
    if isinstance(item, str):
        return KeysetColumn(item.lstrip("-"), descending=item.startswith("-"))
    if isinstance(item, OrderBy) and isinstance(item.expression, F):
        return KeysetColumn(cast(Any, item.expression).name, descending=item.descending)
    raise ImproperlyConfigured(f"Keyset pagination needs an order of plain columns, not {item!r}")


class ErrorOutput(serializers.Serializer):
    """The one error body of the API (exception_handler below)."""

    code = serializers.CharField(help_text="Machine-readable: invalid, not_found, stale_version, ...")
    detail = serializers.CharField(help_text="What went wrong, for people.")
    errors = serializers.DictField(  # type: ignore[assignment]  # a field; DRF's metaclass moves it off the class
        child=serializers.ListField(child=serializers.CharField()),
        help_text="Messages by field name (empty unless the input was invalid).",
    )


_ERROR_DESCRIPTIONS = {
    400: "Invalid input: `errors` names each field with its messages.",
    401: "Not logged in, or the token is unknown or revoked.",
    403: "Your role does not allow this.",
    404: "No such record, or not yours to see (both answer 404).",
    409: "The record's state or version does not allow this now (stale version, transition not allowed).",
}


def error_responses(*statuses: int) -> dict[int, OpenApiResponse]:
    """The error body for the given statuses, for `extend_schema(responses=...)`; 401 and 403 always apply."""
    return {
        status: OpenApiResponse(ErrorOutput, description=_ERROR_DESCRIPTIONS[status])
        for status in sorted({401, 403, *statuses})
    }


def _body(code: str, detail: Any, errors: dict[str, Any] | None = None) -> dict[str, Any]:
    return {"code": code, "detail": detail, "errors": errors or {}}


def exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    """One consistent error body: {"code", "detail", "errors": {field: [messages]}}."""
    if isinstance(exc, DecisionBlocked):
        # The decision gate's reasons, word for word as the case page shows them, each with a stable code.
        body = {**_body(exc.code, exc.message), "blockers": [b.as_dict() for b in exc.blockers]}
        return Response(body, status=exc.status_code)
    if isinstance(exc, DomainError):
        return Response(_body(exc.code, exc.message, exc.field_errors), status=exc.status_code)
    if isinstance(exc, DjangoValidationError):
        errors = exc.message_dict if hasattr(exc, "error_dict") else {"non_field_errors": exc.messages}
        return Response(_body("invalid", "Invalid input.", errors), status=status.HTTP_400_BAD_REQUEST)
    if isinstance(exc, Http404):
        exc = exceptions.NotFound()
    elif isinstance(exc, DjangoPermissionDenied):
        exc = exceptions.PermissionDenied()
    response = drf_exception_handler(exc, context)
    if response is None:
        return None
    if isinstance(exc, exceptions.ValidationError):
        data = response.data if isinstance(response.data, dict) else {"non_field_errors": response.data}
        response.data = _body("invalid", "Invalid input.", data)
    elif isinstance(exc, exceptions.APIException):
        detail = response.data.get("detail", str(exc)) if isinstance(response.data, dict) else str(exc)
        response.data = _body(getattr(exc, "default_code", "error"), detail)
    return response


# --- Strict JSON types --------------------------------------------------------------------------------------

_JSON_NAMES = {str: "a string", int: "a whole number", bool: "true or false", list: "a list", dict: "an object"}


def _json_type(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true or false"
    if isinstance(value, float):
        return "a number"
    return _JSON_NAMES.get(type(value), "a value")


def _expected_type(field: serializers.Field) -> tuple[tuple[type, ...], str] | None:
    """The JSON types a field takes, where DRF would coerce others (it stores 12 as "12" in a CharField, takes "7"
    or 7.0 for an IntegerField and "yes" for a BooleanField). Decimals keep DRF's rule: a string or a number."""
    if isinstance(field, serializers.BooleanField):
        return (bool,), "true or false"
    if isinstance(field, (serializers.IntegerField, serializers.PrimaryKeyRelatedField)):
        return (int,), "a whole number"
    if isinstance(field, serializers.DecimalField):
        return (str, int, float), "a number or a string"
    if isinstance(field, (serializers.CharField, serializers.ChoiceField, serializers.DateField)):
        return (str,), "a string"
    if isinstance(field, serializers.DateTimeField):
        return (str,), "a string"
    return None


def _is_wrong(value: Any, types: tuple[type, ...]) -> bool:
    # bool is an int in Python; JSON keeps them apart.
    return not isinstance(value, types) or (isinstance(value, bool) and bool not in types)


def strict_type_errors(serializer: serializers.Serializer, data: Any) -> dict[str, list[str]]:
    """Field errors for JSON values of the wrong type (`related_licences: 12`, `version: "3"`), before DRF's
    coercion would accept them. Only for JSON bodies: form fields are strings by nature."""
    if not isinstance(data, dict):
        return {}
    errors: dict[str, list[str]] = {}
    for name, field in serializer.fields.items():
        value = data.get(name)
        if field.read_only or value is None:
            continue
        if isinstance(field, serializers.ListField):
            if not isinstance(value, list):
                errors[name] = [ERR_TYPE.format(expected="a list", given=_json_type(value))]
            elif (child := _expected_type(field.child)) and (wrong := [v for v in value if _is_wrong(v, child[0])]):
                errors[name] = [ERR_TYPE.format(expected=f"a list of {child[1]}s", given=_json_type(wrong[0]))]
        elif (expected := _expected_type(field)) and _is_wrong(value, expected[0]):
            errors[name] = [ERR_TYPE.format(expected=expected[1], given=_json_type(value))]
    return errors
