"""The treaty's parameters and exclusion annex as dated data: which version is in force on a day, and the loader
of data/reference/treaty_parameters.csv (licensing.models.treaty has the models and their sources)."""

from __future__ import annotations

import csv
from datetime import date
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils.formats import date_format

from audit.models import Verb
from audit.services import record
from core.exceptions import DomainValidationError
from core.i18n import gettext_lazy

from ..models.treaty import ExclusionListEntry, TreatyParameter, TreatyParameterName

PARAMETERS_CSV = Path(settings.BASE_DIR) / "data" / "reference" / "treaty_parameters.csv"

ERR_PARAMETER_MISSING = gettext_lazy(
    "No treaty parameter “{name}” is in force on {day}. An administrator must load or add it "
    "(data/reference/treaty_parameters.csv)."
)


def _in_force_q(on: date) -> Q:
    return Q(valid_from__lte=on) & (Q(valid_until__isnull=True) | Q(valid_until__gte=on))


def parameter_on(name: str, on: date) -> TreatyParameter:
    """The version of treaty parameter `name` in force on `on` (the latest start on or before that day)."""
    parameter = TreatyParameter.objects.filter(_in_force_q(on), name=name).order_by("-valid_from").first()
    if parameter is None:
        raise DomainValidationError(ERR_PARAMETER_MISSING.format(name=name, day=date_format(on)))
    return parameter


def exclusion_entries_on(on: date) -> QuerySet[ExclusionListEntry]:
    return ExclusionListEntry.objects.filter(_in_force_q(on)).select_related("ml_category")


# --- Loading the parameters --------------------------------------------------------------------------------


def _rows(path: Path) -> list[dict[str, str]]:
    with open(path, newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(line for line in handle if not line.startswith("#")))


def _optional_date(value: str) -> date | None:
    return date.fromisoformat(value) if value.strip() else None


@transaction.atomic(durable=True)
def treaty_parameters_load(*, actor: Any = None, path: Path | None = None) -> dict[str, int]:
    """Load the parameters and the exclusion list; a row is written only when new or different (idempotent)."""
    counts = {"created": 0, "updated": 0, "unchanged": 0}
    changes: list[str] = []
    for row in _rows(path or PARAMETERS_CSV):
        valid_from = date.fromisoformat(row["valid_from"])
        values: dict[str, Any] = {"valid_until": _optional_date(row["valid_until"]), "source": row["source"]}
        obj: TreatyParameter | ExclusionListEntry | None
        if row["kind"] == "parameter":
            TreatyParameterName(row["name"])  # an unknown name is a data error: fail loudly
            lookup: dict[str, Any] = {"name": row["name"], "valid_from": valid_from}
            values["value"] = row["value"].strip()
            obj = TreatyParameter.objects.filter(**lookup).first()
            model: type[TreatyParameter] | type[ExclusionListEntry] = TreatyParameter
        elif row["kind"] == "exclusion":
            lookup = {
                "ml_category_id": row["ml_category"] or None,
                "description": row["description"].strip(),
                "valid_from": valid_from,
            }
            values["ml_sub_items"] = " ".join(row.get("ml_sub_items", "").split())
            obj = ExclusionListEntry.objects.filter(**lookup).first()
            model = ExclusionListEntry
        else:
            raise ValueError(f"Unknown kind {row['kind']!r} in {PARAMETERS_CSV.name}")
        if obj is None:
            obj = model(**lookup, **values)
            obj._change_reason = "treaty parameters loaded"  # type: ignore[union-attr]
            obj.save()
            counts["created"] += 1
            changes.append(str(obj))
            continue
        changed = [field for field, value in values.items() if getattr(obj, field) != value]
        if not changed:
            counts["unchanged"] += 1
            continue
        for field in changed:
            setattr(obj, field, values[field])
        obj._change_reason = "treaty parameters reloaded"  # type: ignore[union-attr]
        obj.save(update_fields=changed)
        counts["updated"] += 1
        changes.append(str(obj))
    if changes:
        record(actor=actor, verb=Verb.TREATY_PARAMETERS_LOADED, target=("treaty_parameters", "csv"), payload=counts)
    return counts
