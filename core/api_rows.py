"""RowOutput: the rows of a long API list, written exactly as DRF writes them, for a fraction of the Python.

DRF's per-field machinery (copying the fields for every request, get_attribute, the checks in each field's
to_representation) cost more than everything else in a page of 100 rows. A RowOutput writes from a plan made once
per class: for each declared field its name, a reader (an item of a `.values()` dict, or the attribute chain of a
model instance) and a writer that gives what the field's own to_representation gives. A writer does the plain
case itself (a `str`, an `int`, an ISO date, a choice, a decimal at its places) and hands everything else to the
field. tests/licensing/api/test_api_pages.py checks the output against DRF's own, byte for byte.
"""

from __future__ import annotations

import datetime
import decimal
import functools
import operator
import types
from collections.abc import Callable, Iterable
from typing import Any, ClassVar

from django.core.exceptions import ObjectDoesNotExist
from django.db import models
from django.utils import timezone
from rest_framework import ISO_8601, serializers
from rest_framework.settings import api_settings

Reader = Callable[[Any], Any]
Writer = Callable[[Any], Any]
# A writer, or (for a time) a function of the page's time zone that makes one.
_Plan = tuple[tuple[str, Reader, Writer | None, Callable[[datetime.tzinfo], Writer] | None], ...]


class _RowList(serializers.ListSerializer):
    def to_representation(self, data: Any) -> list[dict[str, Any]]:
        rows: Iterable[Any] = data.all() if isinstance(data, models.manager.BaseManager) else data
        child: RowOutput = self.child  # type: ignore[assignment]
        return child.rows(rows)


class RowOutput(serializers.Serializer):
    # The docstring is the list rows' description in the OpenAPI document (drf-spectacular reads the subclasses'
    # inherited docstring): kept word for word as it was, so the document stays the same.
    """An output-only row of a long list, written the way DRF writes it (the same fields, sources, formats and
    nulls; the schema is the declared fields) but from a plan made once per class: DRF's per-field machinery
    (copying the fields for every request, get_attribute, checks per value) cost more than everything else in a
    page of 100 rows. tests/licensing/api/test_api_lists.py checks the output equals DRF's own.

    A row is a model instance or, cheaper still, a dict from `QuerySet.values()`: a field's source
    `destination.name_en` is then the key `destination__name_en`; a source that calls a method (a user's
    `get_full_name`) names its reader in `value_readers`."""

    _plans: ClassVar[dict[tuple[type, bool], _Plan]] = {}
    value_readers: ClassVar[dict[str, Callable[[dict[str, Any]], Any]]] = {}

    class Meta:
        list_serializer_class = _RowList

    def to_representation(self, instance: Any) -> dict[str, Any]:
        return self.rows([instance])[0]

    def rows(self, items: Iterable[Any]) -> list[dict[str, Any]]:
        """The rows written, with the plan of the first row's kind (dicts or instances; a page holds one kind)."""
        items = list(items)
        if not items:
            return []
        values = isinstance(items[0], dict)
        plan = self._plans.get((type(self), values)) or self._plan(values=values)
        tz = timezone.get_current_timezone()  # once a page, not once a value
        fields = [(name, read, write or for_zone(tz)) for name, read, write, for_zone in plan]  # type: ignore[misc]
        out = []
        for item in items:
            row = {}
            for name, read, write in fields:
                value = read(item)
                row[name] = None if value is None else write(value)
            out.append(row)
        return out

    @classmethod
    def _plan(cls, *, values: bool) -> _Plan:
        plan = tuple(
            (str(field.field_name), _value_reader(cls, field) if values else _reader(field), *_writer(field))
            for field in cls()._readable_fields
        )
        cls._plans[(cls, values)] = plan
        return plan


def _value_reader(cls: type[RowOutput], field: serializers.Field) -> Reader:
    reader = cls.value_readers.get(str(field.field_name))
    if reader is not None:
        return reader
    return operator.itemgetter("__".join(field.source_attrs))


def _reader(field: serializers.Field) -> Reader:
    attrs = tuple(field.source_attrs)
    allow_null = field.allow_null

    def read(instance: Any) -> Any:
        for attr in attrs:
            if instance is None:
                if allow_null:
                    return None
                raise AttributeError(f"{field.field_name}: {attr} of None")
            try:
                instance = getattr(instance, attr)
            except ObjectDoesNotExist:
                return None
        if isinstance(instance, (types.FunctionType, types.MethodType, functools.partial)):
            instance = instance()  # DRF calls a method named as the source, e.g. get_full_name
        return instance

    return read


def _writer(field: serializers.Field) -> tuple[Writer | None, Callable[[datetime.tzinfo], Writer] | None]:
    """What the field's to_representation gives for a value that is not None (DRF writes None itself)."""
    kind = type(field)
    own = field.to_representation
    if kind is serializers.CharField:
        return str, None
    if kind is serializers.IntegerField:
        return int, None
    if _represents_as(field, serializers.DateField) and _iso(field, "format", api_settings.DATE_FORMAT):
        return _date_writer(own), None
    if _represents_as(field, serializers.ChoiceField):
        return _choice_writer(field, own), None
    if kind is serializers.DecimalField and _plain_decimal(field):
        return _decimal_writer(field, own), None
    plain_datetime = not hasattr(field, "format") and not hasattr(field, "timezone")
    if kind is serializers.DateTimeField and plain_datetime and _iso(field, "format", api_settings.DATETIME_FORMAT):
        return None, _iso_datetime_writer(own)
    return own, None


def _represents_as(field: serializers.Field, base: type[serializers.Field]) -> bool:
    """The field is `base` or a subclass that writes values as `base` does (StatusField is a ChoiceField)."""
    return isinstance(field, base) and type(field).to_representation is base.to_representation


def _iso(field: serializers.Field, attribute: str, default: Any) -> bool:
    output_format = getattr(field, attribute, default)
    return output_format is not None and str(output_format).lower() == ISO_8601


def _date_writer(own: Writer) -> Writer:
    def write(value: Any) -> Any:
        # A date is never false; a string and a datetime (which DRF refuses) go to the field.
        return value.isoformat() if type(value) is datetime.date else own(value)

    return write


def _choice_writer(field: Any, own: Writer) -> Writer:
    choices = field.choice_strings_to_values

    def write(value: Any) -> Any:
        # A plain non-empty string (what a CharField column holds) is looked up as DRF does; the rest goes to it.
        return choices.get(value, value) if type(value) is str and value else own(value)

    return write


def _plain_decimal(field: Any) -> bool:
    coerce = getattr(field, "coerce_to_string", api_settings.COERCE_DECIMAL_TO_STRING)
    plain = coerce and not field.localize and not field.normalize_output
    return bool(plain) and field.decimal_places is not None and field.max_digits is not None


def _decimal_writer(field: Any, own: Writer) -> Writer:
    """DRF's DecimalField.to_representation for a Decimal: quantised to the places in a copy of the current context
    with the field's digits, written with `:f`; the quantum made once, not once a value."""
    quantum = decimal.Decimal(".1") ** field.decimal_places
    digits, rounding = field.max_digits, field.rounding

    def write(value: Any) -> Any:
        if type(value) is not decimal.Decimal:
            return own(value)
        context = decimal.getcontext().copy()
        context.prec = digits
        return f"{value.quantize(quantum, rounding=rounding, context=context):f}"

    return write


def _iso_datetime_writer(own: Writer) -> Callable[[datetime.tzinfo], Writer]:
    """DRF's DateTimeField for an aware datetime: in the current time zone (`tz`, read once a page), ISO 8601, UTC
    written as Z. A naive or odd value, or one the zone cannot hold, goes to the field."""

    def in_zone(tz: datetime.tzinfo) -> Writer:
        def write(value: Any) -> Any:
            if type(value) is not datetime.datetime or value.utcoffset() is None:
                return own(value)
            try:
                text: str = value.astimezone(tz).isoformat()
            except OverflowError:
                return own(value)
            return text[:-6] + "Z" if text.endswith("+00:00") else text

        return write

    return in_zone
