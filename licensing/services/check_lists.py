"""Load the lists the automatic checks compare against: national policy rules and the screening watch list.

Both loaders are idempotent: a row is written only when it is new or differs, so loading twice writes no
history. Files: data/reference/national_policy_rules.csv and data/reference/watch_list_demo.csv (fictitious).
"""

from __future__ import annotations

import csv
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import models, transaction

from audit.models import Verb
from audit.services import record
from core.i18n import gettext_lazy

from ..models.assessment import NationalPolicyRule, PolicyRuleKind, WatchListEntry

DATA_DIR = Path(settings.BASE_DIR) / "data" / "reference"
POLICY_RULES_FILE = DATA_DIR / "national_policy_rules.csv"
WATCH_LIST_FILE = DATA_DIR / "watch_list_demo.csv"

ERR_POLICY_KIND = gettext_lazy("row {line}: unknown rule kind {kind!r}")


@dataclass
class LoadResult:
    created: int = 0
    updated: int = 0
    unchanged: int = 0

    def add(self, outcome: str) -> None:
        setattr(self, outcome, getattr(self, outcome) + 1)


def csv_rows(lines: Iterable[str]) -> Iterator[tuple[int, dict[str, str]]]:
    """Data rows numbered from 1, stripped; lines starting with '#' are the file's header notes."""
    reader = csv.DictReader(line for line in lines if not line.startswith("#"))
    for number, row in enumerate(reader, start=1):
        yield number, {k.strip(): (v or "").strip() for k, v in row.items() if k}


def read_rows(path: Path) -> Iterator[tuple[int, dict[str, str]]]:
    with open(path, newline="", encoding="utf-8") as handle:
        yield from csv_rows(handle)


def _date(value: str) -> date | None:
    return date.fromisoformat(value) if value else None


def _upsert(model: type[models.Model], lookup: dict[str, Any], values: dict[str, Any], reason: str) -> str:
    obj = model._default_manager.filter(**lookup).first()
    if obj is None:
        obj = model(**lookup, **values)
        obj._change_reason = reason  # type: ignore[attr-defined]
        obj.save()
        return "created"
    changed = [name for name, value in values.items() if getattr(obj, name) != value]
    if not changed:
        return "unchanged"
    for name in changed:
        setattr(obj, name, values[name])
    obj._change_reason = reason  # type: ignore[attr-defined]
    obj.save(update_fields=changed)
    return "updated"


@transaction.atomic(durable=True)
def policy_rules_load(*, path: Path = POLICY_RULES_FILE, actor: Any = None) -> LoadResult:
    result = LoadResult()
    for line, row in read_rows(path):
        if row["kind"] not in PolicyRuleKind.values:
            raise ValueError(ERR_POLICY_KIND.format(line=line, kind=row["kind"]))
        outcome = _upsert(
            NationalPolicyRule,
            {"country_id": row["country"], "kind": row["kind"], "name": row["name"]},
            {
                "description": row["description"],
                "valid_from": _date(row["valid_from"]),
                "valid_from_text": row["valid_from_text"][:200],
                "valid_until": _date(row["valid_until"]),
                "dates_confirmed": row["dates_confirmed"] == "1",
                "source": row["source"],
            },
            f"loaded from {path.name}",
        )
        result.add(outcome)
    record(
        actor=actor,
        verb=Verb.REFERENCE_DATA_LOADED,
        target=("licensing.nationalpolicyrule", "*"),
        payload={"file": path.name, **result.__dict__},
    )
    return result


@transaction.atomic(durable=True)
def watch_list_load(*, path: Path = WATCH_LIST_FILE, actor: Any = None) -> LoadResult:
    result = LoadResult()
    for _line, row in read_rows(path):
        aliases = "\n".join(a.strip() for a in row["aliases"].split("|") if a.strip())
        outcome = _upsert(
            WatchListEntry,
            {"source": row["source"][:200], "name": row["name"][:300]},
            {
                "aliases": aliases,
                "country_id": row["country"] or None,
                "listed_on": _date(row["listed_on"]),
                "active": True,
            },
            f"loaded from {path.name}",
        )
        result.add(outcome)
    record(
        actor=actor,
        verb=Verb.REFERENCE_DATA_LOADED,
        target=("licensing.watchlistentry", "*"),
        payload={"file": path.name, **result.__dict__},
    )
    return result
