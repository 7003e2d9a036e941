"""A record and its child rows as they were at a moment, from `Model.history.as_of(moment)`."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.apps import apps
from django.db.models import Model
from django.http import Http404

from core.access import can

from .display import ValueLookups, display_value, label_of, label_of_plural, want
from .sources import TIMELINE_SOURCES, ensure_not_private, object_key, timeline_model, tracked_fields


@dataclass(frozen=True)
class SnapshotRecord:
    subject: str
    fields: tuple[tuple[str, str], ...]  # (label, value)


@dataclass(frozen=True)
class Snapshot:
    label: str
    pk: str
    verbose_name: str
    title: str
    at: datetime
    record: SnapshotRecord | None  # None: the record did not exist at that moment
    children: list[tuple[str, list[SnapshotRecord]]]  # (plural name, rows)


def snapshot_for(*, user: Any, label: str, pk: str, at: datetime) -> Snapshot:
    """The record and its children as they were at `at`, from `Model.history.as_of(at)`."""
    if not can(user, "audit.view"):
        raise Http404("No such record")
    model = timeline_model(label)
    key = object_key(model, pk)
    current = model._base_manager.filter(pk=key).first()
    ensure_not_private(label, current)
    root = list(model.history.as_of(at).filter(pk=key))  # type: ignore[attr-defined]
    if current is None and not root and not model.history.filter(**{model._meta.pk.attname: key}).exists():  # type: ignore[attr-defined, union-attr]
        raise Http404("No such record")
    groups: list[tuple[Any, str, list[Model]]] = [(model, "", root[-1:])]
    for child in TIMELINE_SOURCES[label].children:
        child_model = apps.get_model(child.model)
        parent_attname = child_model._meta.get_field(child.parent_field).attname
        pk_attname = child_model._meta.pk.attname  # type: ignore[union-attr]
        instances = child_model.history.as_of(at).filter(**{parent_attname: key}).order_by(pk_attname)  # type: ignore[attr-defined]
        latest = {getattr(i, pk_attname): i for i in instances}  # two rows at the same instant: keep the last
        groups.append((child_model, child.parent_field, list(latest.values())))
    wanted: dict[type[Model], set[Any]] = defaultdict(set)
    for group_model, quiet, instances in groups:
        for f in tracked_fields(group_model, quiet):
            want(wanted, f, *(getattr(i, f.attname) for i in instances))
    lookups = ValueLookups.load(wanted)

    def records(group_model: type[Model], quiet: str, instances: list[Model]) -> list[SnapshotRecord]:
        fields = tracked_fields(group_model, quiet)
        return [
            SnapshotRecord(
                subject=f"{label_of(group_model._meta)} #{i.pk}",
                fields=tuple((label_of(f), display_value(f, getattr(i, f.attname), lookups)) for f in fields),
            )
            for i in instances
        ]

    record = records(*groups[0])
    title = str(current) if current is not None else (str(root[-1]) if root else f"#{key}")
    return Snapshot(
        label=label,
        pk=str(key),
        verbose_name=str(model._meta.verbose_name),
        title=title,
        at=at,
        record=record[0] if record else None,
        children=[(label_of_plural(g[0]), records(*g)) for g in groups[1:]],
    )
