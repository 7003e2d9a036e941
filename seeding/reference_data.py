"""Load the reference tables from data/reference/*.csv (sources named in each file's header).

Idempotent: a row is written only when it is new or differs, so running it twice writes no history.
Administrators edit the same tables in the Django admin afterwards; their edits are kept in history.
"""

from __future__ import annotations

import csv
from collections.abc import Iterator
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import models, transaction

from audit.models import Verb
from audit.services import record

DATA_DIR = Path(settings.BASE_DIR) / "data" / "reference"


def _rows(name: str) -> Iterator[dict[str, str]]:
    with open(DATA_DIR / name, newline="", encoding="utf-8") as handle:
        yield from csv.DictReader(line for line in handle if not line.startswith("#"))


def _date(value: str) -> date | None:
    return date.fromisoformat(value) if value else None


def _upsert(model: type[models.Model], lookup: dict[str, Any], values: dict[str, Any]) -> str:
    obj = model._default_manager.filter(**lookup).first()
    if obj is None:
        instance = model(**lookup, **values)
        instance._change_reason = "reference data loaded"  # type: ignore[attr-defined]
        instance.save()
        return "created"
    changed = [field for field, value in values.items() if getattr(obj, field) != value]
    if not changed:
        return "unchanged"
    for field in changed:
        setattr(obj, field, values[field])
    obj._change_reason = "reference data reloaded"  # type: ignore[attr-defined]
    obj.save(update_fields=changed)
    return "updated"


@transaction.atomic(durable=True)
def reference_data_load(*, actor: Any = None) -> dict[str, dict[str, int]]:
    from licensing.models import Criterion, MLCategory, UNRegisterCategory
    from licensing.models.parliament import ParliamentInformationRule
    from licensing.models.reference import ExchangeRate, ProcessingTarget
    from parties.models import Country, Embargo, Membership

    counts: dict[str, dict[str, int]] = {}

    def tally(table: str, outcome: str) -> None:
        counts.setdefault(table, {"created": 0, "updated": 0, "unchanged": 0})[outcome] += 1

    for row in _rows("countries.csv"):
        tally(
            "countries",
            _upsert(
                Country,
                {"iso2": row["iso2"]},
                {
                    "name_en": row["name_en"],
                    "name_nl": row["name_nl"],
                    "note": row["note"],
                    "source": row["source"],
                },
            ),
        )
    for row in _rows("memberships.csv"):
        tally(
            "memberships",
            _upsert(
                Membership,
                {"country_id": row["iso2"], "bloc": row["bloc"], "since": _date(row["since"])},
                {
                    "until": _date(row["until"]),
                    "basis": row["basis"],
                    "signed_on": _date(row["signed_on"]),
                    "in_force_on": _date(row["in_force_on"]),
                    "confidence": row["confidence"][:200],
                    "note": row["note"],
                    "source": row["source"],
                },
            ),
        )
    for row in _rows("embargoes.csv"):
        tally(
            "embargoes",
            _upsert(
                Embargo,
                {"target": row["target"], "legal_act": row["legal_act"][:400]},
                {
                    "country_id": row["iso2"] or None,
                    "scope": row["scope"],
                    "un_basis": row["un_basis"][:300],
                    "since": _date(row["since"]),
                    "since_text": row["since_text"][:100],
                    "until": _date(row["until"]),
                    "partial": row["partial"] == "1",
                    "needs_verification": row["needs_verification"] == "1",
                    "confidence": row["confidence"][:200],
                    "source": row["source"],
                },
            ),
        )
    for row in _rows("ml_categories.csv"):
        tally(
            "ml_categories",
            _upsert(
                MLCategory,
                {"code": row["code"]},
                {
                    "number": int(row["code"][2:]),
                    "short_title": row["short_title"],
                    "short_title_nl": row["short_title_nl"],
                    "title": row["official_title_summary"],
                    "confirmed": row["confirmed"] == "yes",
                    "source": row["source"],
                },
            ),
        )
    for row in _rows("criteria.csv"):
        tally(
            "criteria",
            _upsert(
                Criterion,
                {"number": int(row["number"])},
                {
                    "short_title": row["short_title"],
                    "short_title_nl": row["short_title_nl"],
                    "summary": row["summary"],
                    "deny_type": row["deny_type"],
                    "deny_trigger": row["deny_trigger"],
                    "also_consider": row["also_consider"],
                    "source": row["source"],
                },
            ),
        )
    for row in _rows("un_register_categories.csv"):
        tally(
            "un_register",
            _upsert(
                UNRegisterCategory,
                {"code": row["category"]},
                {
                    "title": row["title"],
                    "definition": row["short_definition"],
                    "threshold_confirmed": row["threshold_confirmed"],
                    "source": row["source"],
                },
            ),
        )
    for row in _rows("exchange_rates.csv"):
        tally(
            "exchange_rates",
            _upsert(
                ExchangeRate,
                {"currency": row["currency"], "valid_on": _date(row["valid_on"])},
                {"eur_per_unit": Decimal(row["eur_per_unit"]), "source": row["source"]},
            ),
        )
    for row in _rows("processing_targets.csv"):
        tally(
            "processing_targets",
            _upsert(
                ProcessingTarget,
                {"licence_type": row["licence_type"]},
                {"working_days": int(row["working_days"]), "source": row["source"]},
            ),
        )
    for row in _rows("parliament_information_rules.csv"):
        tally(
            "parliament_information_rules",
            _upsert(
                ParliamentInformationRule,
                {"name": row["name"]},
                {
                    "value_threshold_eur": Decimal(row["value_threshold_eur"]),
                    "outside_blocs": row["outside_blocs"],
                    "equivalent_states": row["equivalent_states"],
                    "complete_systems_only": row["complete_systems_only"] == "1",
                    "letter_due_days": int(row["letter_due_days"]),
                    "valid_from": _date(row["valid_from"]),
                    "valid_until": _date(row["valid_until"]),
                    "source": row["source"],
                },
            ),
        )
    if any(c["created"] or c["updated"] for c in counts.values()):
        record(actor=actor, verb=Verb.REFERENCE_DATA_LOADED, target=("reference", "all"), payload=counts)
    return counts
