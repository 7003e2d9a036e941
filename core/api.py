"""API plumbing shared by every app: authentication, deny-by-default permission, pagination, errors."""

from __future__ import annotations

import binascii
import json
from base64 import urlsafe_b64decode, urlsafe_b64encode
from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import Any, cast

from django.core.exceptions import FieldDoesNotExist, ImproperlyConfigured
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import F, Field, Model, Q, QuerySet
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


@dataclass(frozen=True)
class _Key:
    """One column of a keyset, with its direction in the order the rows are being read."""

    field: Field[Any, Any]
    descending: bool
    nullable: bool

    @property
    def name(self) -> str:
        return self.field.attname

    def flipped(self) -> _Key:
        return replace(self, descending=not self.descending)

    def order_by(self) -> OrderBy:
        # NULL sorts as the largest value (PostgreSQL's own rule), so a plain b-tree index serves the order read
        # forwards and backwards; spelled out for SQLite, whose rule is the opposite.
        if self.descending:
            return OrderBy(F(self.name), descending=True, nulls_first=self.nullable or None)
        return OrderBy(F(self.name), nulls_last=self.nullable or None)

    def beyond(self, value: Any) -> Q:
        """Rows strictly after `value` in this column alone (NULL being the largest value)."""
        if value is None:
            return Q(**{f"{self.name}__isnull": False}) if self.descending else Q(pk__in=[])
        if self.descending:
            return Q(**{f"{self.name}__lt": value})
        after = Q(**{f"{self.name}__gt": value})
        return after | Q(**{f"{self.name}__isnull": True}) if self.nullable else after

    def equal(self, value: Any) -> Q:
        return Q(**{f"{self.name}__isnull": True}) if value is None else Q(**{self.name: value})

    def from_here(self, value: Any) -> Q:
        """The value and what follows it, as a range PostgreSQL starts the index scan at (the row comparison
        in _after says the same, but as an OR it could only filter)."""
        return Q(**{f"{self.name}__{'lte' if self.descending else 'gte'}": value})


def _after(keys: Sequence[_Key], values: Sequence[Any]) -> Q:
    """Rows strictly after the row with `values`, in the order `keys` read (a lexicographic comparison)."""
    head, rest = keys[0], keys[1:]
    if not rest:
        return head.beyond(values[0])
    return head.beyond(values[0]) | (head.equal(values[0]) & _after(rest, values[1:]))


def _after_tie(keys: Sequence[_Key], values: Sequence[Any]) -> Q:
    """_after for rows already bound to `keys[0] >= values[0]` (from_here): those past the first value, or tied
    with it and after the row on the other columns. Written as "not equal, or after" rather than "greater, or
    equal and after" so PostgreSQL does not count the bound twice, estimate a handful of rows and sort the
    whole rest of the list instead of reading the index in order."""
    head, rest = keys[0], keys[1:]
    return ~head.equal(values[0]) | _after(rest, values[1:])


class KeysetPagination(StrictPageSize, pagination.CursorPagination):
    """Cursor ("keyset") pagination for the large lists: each page continues from the sort key of the row before,
    so a page costs the same at row 25 as at row 150,000, and no COUNT(*) runs.

    The order is the queryset's own (`order_by`, set by the view or its filterset; columns of the model only),
    made unique by the primary key. The rows may be model instances or `.values()` dicts that hold the sort
    columns. A cursor holds the sort-key values of the row next to it and the order it was
    made for: a cursor used with another `ordering`, or tampered with, answers 400. A cursor past the end (its
    rows were deleted meanwhile) gives an empty last page, never the first page again, so a client following
    `next` always stops.

    NULL sorts as the largest value, except in the first column, whose NULLs come last whichever the direction
    (as in the officer queue, core.pagination): the rows with a value and the rows with NULL there are read as
    two index ranges, the second only when a page reaches it.
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
        self.keys = self._keys_of(queryset)
        self.signature = ",".join(("-" if k.descending else "") + k.name for k in self.keys)
        position, reverse = self._decode(request)
        self.cursor_position = position

        rows = self._read(queryset, position, reverse=reverse, limit=self.page_size + 1)
        more = len(rows) > self.page_size
        self.page = rows[: self.page_size]
        if reverse:
            self.page.reverse()
            self.has_next, self.has_previous = True, more
        else:
            self.has_next, self.has_previous = more, position is not None
        self.display_page_controls = self.has_next or self.has_previous
        return self.page

    # --- Reading ------------------------------------------------------------------------------------------

    def _read(self, queryset: QuerySet[Any], position: list[Any] | None, *, reverse: bool, limit: int) -> list[Any]:
        """Up to `limit` rows after `position` (before it, in reverse), zone by zone: when the first column is
        nullable, its values (in order) and its NULLs (in the order of the other columns) are two index ranges,
        read one after the other, the values first unless reading in reverse."""
        keys = [k.flipped() for k in self.keys] if reverse else list(self.keys)
        head, rest = keys[0], keys[1:]
        zones = [False]  # False: the rows with a value in the first column; True: those with NULL
        if head.nullable:
            zones = [True, False] if reverse else [False, True]
            if position is not None:
                zones = zones[zones.index(position[0] is None) :]
        rows: list[Any] = []
        for nulls in zones:
            if nulls:
                qs = queryset.filter(**{f"{head.name}__isnull": True})
                if position is not None and position[0] is None:
                    qs = qs.filter(_after(rest, position[1:]))
                order = rest
            else:
                qs = queryset.filter(**{f"{head.name}__isnull": False}) if head.nullable else queryset
                order = [replace(head, nullable=False), *rest]  # no NULLs to place in this zone
                if position is not None and position[0] is not None:
                    qs = qs.filter(order[0].from_here(position[0]), _after_tie(order, position))
            rows.extend(qs.order_by(*(k.order_by() for k in order))[: limit - len(rows)])
            position = None  # the next zone is read from its start
            if len(rows) >= limit:
                break
        return rows

    def _keys_of(self, queryset: QuerySet[Any]) -> list[_Key]:
        model = queryset.model
        query = queryset.query
        ordering = list(query.order_by) or list(model._meta.ordering if query.default_ordering else ())
        keys: list[_Key] = []
        for item in ordering or self.ordering:
            key = _key(model, item)
            if any(k.name == key.name for k in keys):
                continue  # a column twice (e.g. submitted_at, then submitted_at as the tie-break) orders once
            keys.append(key)
            if key.field.primary_key:
                return keys
        pk = model._meta.pk
        return [*keys, _Key(pk, descending=keys[0].descending, nullable=False)]  # type: ignore[arg-type]

    # --- Cursors ------------------------------------------------------------------------------------------

    def _decode(self, request: Request) -> tuple[list[Any] | None, bool]:
        encoded = request.query_params.get(self.cursor_query_param)
        if encoded is None:
            return None, False
        try:
            token = json.loads(urlsafe_b64decode(encoded.encode("ascii") + b"=" * (-len(encoded) % 4)))
            if token["s"] != self.signature or len(token["v"]) != len(self.keys):
                raise ValueError("a cursor of another order")
            values = [None if v is None else k.field.to_python(v) for k, v in zip(self.keys, token["v"], strict=True)]
            return values, bool(token.get("r"))
        except (ValueError, TypeError, KeyError, UnicodeError, binascii.Error, DjangoValidationError) as exc:
            raise exceptions.ValidationError({self.cursor_query_param: [ERR_INVALID_CURSOR]}) from exc

    def _link(self, row: Any, *, reverse: bool) -> str:
        values = [_text(_column(row, k.name)) for k in self.keys] if row is not None else self._position_text()
        token: dict[str, Any] = {"s": self.signature, "v": values}
        if reverse:
            token["r"] = 1
        encoded = urlsafe_b64encode(json.dumps(token, separators=(",", ":")).encode()).rstrip(b"=").decode("ascii")
        return str(replace_query_param(str(self.base_url), self.cursor_query_param, encoded))

    def _position_text(self) -> list[Any]:
        return [_text(v) for v in self.cursor_position or []]

    def get_next_link(self) -> str | None:  # type: ignore[override]
        if not self.has_next:
            return None
        return self._link(self.page[-1] if self.page else None, reverse=False)

    def get_previous_link(self) -> str | None:  # type: ignore[override]
        if not self.has_previous:
            return None
        return self._link(self.page[0] if self.page else None, reverse=True)

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


def _key(model: type[Model], item: Any) -> _Key:
    if isinstance(item, str):
        descending, name = item.startswith("-"), item.lstrip("-")
    elif isinstance(item, OrderBy) and isinstance(item.expression, F):
        descending, name = item.descending, cast(Any, item.expression).name
    else:
        raise ImproperlyConfigured(f"Keyset pagination needs an order of plain columns, not {item!r}")
    try:
        field = model._meta.pk if name == "pk" else model._meta.get_field(name)
    except FieldDoesNotExist as exc:
        raise ImproperlyConfigured(f"Keyset pagination cannot order by {name!r} (a column of the model only)") from exc
    if not field.concrete or (field.is_relation and not field.many_to_one):  # type: ignore[union-attr]
        raise ImproperlyConfigured(f"Keyset pagination cannot order by {name!r}")
    return _Key(field, descending=descending, nullable=bool(field.null))  # type: ignore[arg-type]


def _column(row: Any, name: str) -> Any:
    """A sort-key column of a row: a model instance, or a dict from `QuerySet.values()` (which must name it)."""
    if isinstance(row, dict):
        try:
            return row[name]
        except KeyError as exc:
            raise ImproperlyConfigured(f"Keyset pagination of values() rows needs the sort column {name!r}") from exc
    return getattr(row, name)


def _text(value: Any) -> Any:
    """A sort-key value as JSON: ISO dates and times, decimals as strings (exact), numbers and text as is."""
    if value is None or isinstance(value, (int, str)):
        return value
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return str(value)


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
