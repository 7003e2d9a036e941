"""Stored values as a reader would say them: choice labels, names of related records, plain numbers and dates."""

from __future__ import annotations

import posixpath
import re
from datetime import date, datetime
from decimal import Decimal
from functools import cache
from typing import Any

from django.apps import apps
from django.conf import settings
from django.db.models import Model
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.formatting import format_amount

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
            return format_amount(value)
        return format_amount(value, decimals=max(0, -value.normalize().as_tuple().exponent))  # type: ignore[operator]
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


# What an event's payload may show in the one-line details, with the words for each key. Anything else (record
# ids, the transition's action and from/to states that the record's own field history already shows, storage
# names, words kept for translation) stays out of the page; the CSV export keeps the payload as it was stored.
PAYLOAD_LABELS: dict[str, Any] = {
    "answered_on": gettext_lazy("answered on"),
    "blocking": gettext_lazy("blocking flags"),
    "concluded_on": gettext_lazy("concluded on"),
    "countersigned": gettext_lazy("countersigned"),
    "criteria": gettext_lazy("criteria"),
    "deadline": gettext_lazy("deadline"),
    "due_on": gettext_lazy("due on"),
    "duration_days": gettext_lazy("duration (days)"),
    "four_eyes": gettext_lazy("four eyes"),
    "given_on": gettext_lazy("given on"),
    "grant_notified": gettext_lazy("grant notified"),
    "ground": gettext_lazy("ground"),
    "held_on": gettext_lazy("held on"),
    "info": gettext_lazy("notes"),
    "kind": gettext_lazy("kind"),
    "legal_deadline": gettext_lazy("legal deadline"),
    "licence_type": gettext_lazy("licence type"),
    "ml_category": gettext_lazy("Military List category"),
    "new_expected_on": gettext_lazy("new expected date"),
    "number": gettext_lazy("number"),
    "on": gettext_lazy("as of"),
    "opened_on": gettext_lazy("opened on"),
    "outcome": gettext_lazy("outcome"),
    "paused_days": gettext_lazy("days paused"),
    "received_on": gettext_lazy("received on"),
    "recorded_on": gettext_lazy("recorded on"),
    "reference": gettext_lazy("reference"),
    "role": gettext_lazy("role"),
    "roles": gettext_lazy("roles"),
    "run": gettext_lazy("check run"),
    "sent_on": gettext_lazy("sent on"),
    "status": gettext_lazy("status"),
    "target_date": gettext_lazy("target date"),
    "trigger": gettext_lazy("trigger"),
    "valid_until": gettext_lazy("valid until"),
    "value_eur": gettext_lazy("value (EUR)"),
    "waived": gettext_lazy("waived"),
    "warnings": gettext_lazy("warnings"),
}
_ISO_DAY = re.compile(r"\d{4}-\d{2}-\d{2}")
_DECIMAL = re.compile(r"-?\d+\.\d+")  # an amount kept as a string ("1000.00")


@cache
def _choice_labels() -> dict[str, Any]:
    """Every stored choice value of every model, with its label: a payload keeps codes ("individual_export"), and
    the audit app learns their words from the models' own choices (data), not by importing the apps above it."""
    labels: dict[str, Any] = {}
    for model in apps.get_models():
        for model_field in model._meta.get_fields():
            for value, label in getattr(model_field, "flatchoices", None) or ():
                if isinstance(value, str) and value:
                    labels.setdefault(value, label)
    return labels


def payload_value(value: Any) -> str:
    """A payload value as a reader would say it: yes/no, dates in the language's format, codes by their label."""
    if isinstance(value, list):
        return ", ".join(payload_value(v) for v in value)
    if isinstance(value, bool):
        return _("Yes") if value else _("No")
    if value is None or value == "":
        return EMPTY
    if isinstance(value, str):
        if _ISO_DAY.fullmatch(value):
            return date_format(date.fromisoformat(value), "j F Y")
        if _DECIMAL.fullmatch(value):
            return format_amount(Decimal(value), decimals=len(value.split(".")[1]))
        label = _choice_labels().get(value)
        return str(label) if label is not None else value
    if isinstance(value, (int, Decimal, float)):
        return format_amount(value, decimals=0) if isinstance(value, int) else format_amount(value)
    return str(value)
