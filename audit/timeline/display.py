"""Stored values as a reader would say them: choice labels, names of related records, plain numbers and dates."""

from __future__ import annotations

import posixpath
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from django.apps import apps
from django.conf import settings
from django.db.models import Model
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

SYSTEM_ACTOR = "system"
EMPTY = "—"
# Marks "no previous value": the record was created with this one.
CREATED = object()


class ValueLookups:
    """Related objects loaded in bulk, so showing a foreign key costs no query per entry."""

    def __init__(self) -> None:
        self._objects: dict[type[Model], dict[Any, Model]] = {}

    @classmethod
    def load(cls, wanted: dict[type[Model], set[Any]]) -> ValueLookups:
        lookups = cls()
        for model, ids in wanted.items():
            lookups._objects[model] = model._base_manager.in_bulk(list(ids)) if ids else {}
        return lookups

    def get(self, model: type[Model], pk: Any) -> Model | None:
        return self._objects.get(model, {}).get(pk)

    def user_name(self, pk: Any) -> str:
        user = self.get(apps.get_model(settings.AUTH_USER_MODEL), pk) if pk is not None else None
        return str(user) if user is not None else SYSTEM_ACTOR


def label_of(model_field: Any) -> str:
    text = str(model_field.verbose_name)
    return text[:1].upper() + text[1:]


def display_value(model_field: Any, value: Any, lookups: ValueLookups) -> str:
    """A stored value as a reader would say it: choice labels, names of related records, plain numbers."""
    if isinstance(value, list):  # many-to-many: the related ids
        return ", ".join(display_value(model_field, v, lookups) for v in value) or EMPTY
    if value is None or value == "":
        return EMPTY
    if model_field.is_relation:
        related = lookups.get(model_field.related_model, value)
        return str(related) if related is not None else _("%(id)s (no longer exists)") % {"id": value}
    if model_field.choices:
        return str(dict(model_field.flatchoices).get(value, value))
    if isinstance(value, bool):
        return _("Yes") if value else _("No")
    if isinstance(value, Decimal):
        if getattr(model_field, "decimal_places", None) == 2:
            return f"{value:.2f}"
        return f"{value.normalize():f}"
    if isinstance(value, datetime):
        return date_format(timezone.localtime(value), "j F Y, H:i")
    if isinstance(value, date):
        return date_format(value, "j F Y")
    if hasattr(value, "name") and hasattr(value, "storage"):  # a stored file: its name, not its path
        return posixpath.basename(value.name) or EMPTY
    return str(value)


def want(wanted: dict[type[Model], set[Any]], model_field: Any, *values: Any) -> None:
    if not model_field.is_relation or model_field.related_model is None:
        return
    for value in values:
        if value is CREATED or value in (None, ""):
            continue
        wanted[model_field.related_model].update(value if isinstance(value, list) else [value])


def label_of_plural(model: type[Model]) -> str:
    text = str(model._meta.verbose_name_plural)
    return text[:1].upper() + text[1:]
