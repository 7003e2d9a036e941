"""Which records have a readable history, and where their child rows' history lives (the allowlist)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.apps import apps
from django.db.models import Model
from django.http import Http404

# Bookkeeping fields that change with every save and mean nothing to a reader.
QUIET_FIELDS = frozenset({"version", "search_document", "updated_at", "password", "last_login"})


@dataclass(frozen=True)
class ChildSource:
    """Rows that belong to the object through a foreign key (`parent_field`) and share its timeline."""

    model: str  # "licensing.goodsline"
    parent_field: str  # "application"
    title_field: str = ""  # a field that names one row in plain words ("description")


@dataclass(frozen=True)
class TimelineSource:
    children: tuple[ChildSource, ...] = ()
    # (field, value): while the record holds this value it is nobody's case yet (an exporter's draft), so its
    # audit pages answer 404 to staff. Data the record owns: the audit app never imports the app above it.
    private_while: tuple[str, str] | None = None


def _children(*specs: tuple[str, str, str], private_while: tuple[str, str] | None = None) -> TimelineSource:
    return TimelineSource(children=tuple(ChildSource(*spec) for spec in specs), private_while=private_while)


# The allowlist of what /audit/<label>/<pk>/ serves; anything else is a 404. Add a line when a model gains
# history that an auditor should be able to read.
TIMELINE_SOURCES: dict[str, TimelineSource] = {
    "licensing.application": _children(
        ("licensing.goodsline", "application", "description"),
        ("licensing.applicationparty", "application", "name"),
        ("licensing.document", "application", "original_name"),
        ("licensing.informationrequest", "application", "question"),
        ("licensing.casenote", "application", ""),
        ("licensing.decision", "application", "outcome"),
        ("licensing.licence", "application", "number"),
        ("licensing.consultation", "application", "subject"),
        private_while=("status", "draft"),
    ),
    "licensing.licence": _children(
        ("licensing.licensedgoods", "licence", "description"),
        ("licensing.shipment", "licence", "shipped_on"),
    ),
    "licensing.decision": TimelineSource(),
    "licensing.consultation": TimelineSource(),
    "consultations.treatynotification": _children(("consultations.objection", "notification", "ground")),
    "parties.organisation": _children(("parties.user", "organisation", "email")),
    # Reference data
    "parties.country": _children(("parties.membership", "country", "bloc"), ("parties.embargo", "country", "target")),
    "parties.membership": TimelineSource(),
    "parties.embargo": TimelineSource(),
    "licensing.mlcategory": TimelineSource(),
    "licensing.criterion": TimelineSource(),
    "licensing.unregistercategory": TimelineSource(),
    "licensing.exchangerate": TimelineSource(),
    "licensing.processingtarget": TimelineSource(),
    "core.equatedholiday": TimelineSource(),
}


# Models that moved between apps keep the audit events written under their former label: the chain is
# append-only, so the label is never rewritten; reads ask for both (issue 12 moved these to licensing).
FORMER_LABELS: dict[str, tuple[str, ...]] = {
    "licensing.consultation": ("consultations.consultation",),
    "licensing.denialnotification": ("consultations.denialnotification",),
    "licensing.denialmatch": ("consultations.denialmatch",),
}


def labels_of(label: str) -> list[str]:
    """The label and every label the same records had before a move, for filtering audit events."""
    return [label, *FORMER_LABELS.get(label, ())]


def timeline_model(label: str) -> type[Model]:
    """The model behind an allowlisted label; 404 for anything not on the list."""
    if label not in TIMELINE_SOURCES:
        raise Http404("No timeline for this kind of record")
    return apps.get_model(label)


def ensure_not_private(label: str, current: Model | None) -> None:
    """404 for a record that is still private to its owner (see TimelineSource.private_while)."""
    private_while = TIMELINE_SOURCES[label].private_while
    if private_while is not None and current is not None and getattr(current, private_while[0]) == private_while[1]:
        raise Http404("No such record")


def object_key(model: type[Model], raw_pk: str) -> Any:
    try:
        return model._meta.pk.to_python(raw_pk)  # type: ignore[union-attr]
    except Exception as exc:  # a malformed id is simply a record that does not exist
        raise Http404("No such record") from exc


def tracked_fields(model: type[Model], quiet: str = "") -> list[Any]:
    history_model = model.history.model  # type: ignore[attr-defined]
    return [
        f
        for f in history_model.tracked_fields
        if f.editable and not f.primary_key and f.name != quiet and f.name not in QUIET_FIELDS
    ]


def m2m_sources(model: type[Model]) -> list[tuple[Any, Any, str]]:
    """(m2m field, its history model, the target's attname) for each many-to-many field kept in history."""
    history_model = model.history.model  # type: ignore[attr-defined]
    found = []
    for m2m_field in getattr(history_model, "_history_m2m_fields", []):
        through: Any = m2m_field.remote_field.through
        for rel in history_model._meta.related_objects:
            if getattr(rel.related_model, "instance_type", None) is through:
                target = through._meta.get_field(m2m_field.m2m_reverse_field_name())  # type: ignore[union-attr]
                found.append((m2m_field, rel.related_model, target.attname))
    return found
