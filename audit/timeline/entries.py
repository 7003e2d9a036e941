"""A record's timeline: its audit events merged with the field history of it and its child rows.

Two layers record every change (README "Every change is audited"): the hash-chained AuditEvent says who did
what and why; django-simple-history says which fields changed. An auditor wants one story, so a history row is
attached to the audit event it was written with (see _event_for) and stands on its own otherwise. Reads take a
fixed number of queries, whatever the number of entries: one per history source, one for the events, one for the
record, one per related model named in a field (users included).
"""

from __future__ import annotations

import bisect
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from django.apps import apps
from django.conf import settings
from django.db.models import Model, Q
from django.http import Http404
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from audit.models import AuditEvent, Verb
from core.access import can
from core.texts import REASON_WORDS, words_text

from .display import (
    CREATED,
    EMPTY,
    PAYLOAD_LABELS,
    SYSTEM_ACTOR,
    ValueLookups,
    display_value,
    label_of,
    payload_value,
    want,
)
from .sources import (
    TIMELINE_SOURCES,
    ensure_not_private,
    labels_of,
    m2m_sources,
    object_key,
    timeline_model,
    tracked_fields,
)

# A service saves its rows and records its event within milliseconds; one person's actions are seconds apart.
MERGE_WINDOW = timedelta(seconds=2)


@dataclass(frozen=True)
class FieldChange:
    label: str
    old: str | None  # None: the record was created with this value
    new: str

    def __str__(self) -> str:
        return f"{self.label}: {self.new}" if self.old is None else f"{self.label}: {self.old} → {self.new}"


@dataclass(frozen=True)
class RecordChange:
    """One history row: which record, what happened to it, which fields changed."""

    subject: str
    action: str
    fields: tuple[FieldChange, ...]
    reason: str


@dataclass
class TimelineEntry:
    when: datetime
    who: str
    what: str
    why: str = ""
    details: str = ""
    records: list[RecordChange] = field(default_factory=list)
    sequence: int | None = None  # the audit event's place in the hash chain


@dataclass(frozen=True)
class Timeline:
    label: str  # "licensing.application"
    pk: str
    verbose_name: str
    title: str
    entries: list[TimelineEntry]


_ACTIONS = {"+": gettext_lazy("added"), "~": gettext_lazy("changed"), "-": gettext_lazy("removed")}


@dataclass
class _Row:
    history: Any
    model: type[Model]
    title_field: str
    is_root: bool
    raw_changes: list[tuple[Any, Any, Any]]  # (field, old value or CREATED, new value)
    m2m: dict[str, list[Any]]


def _read_rows(
    model: type[Model], filters: dict[str, Any], *, title_field: str, is_root: bool, quiet: str = ""
) -> list[_Row]:
    """All history rows of the matching records, each with its changes against the record's previous row."""
    histories = list(model.history.filter(**filters).order_by("history_date", "history_id"))  # type: ignore[attr-defined]
    pk_attname = model._meta.pk.attname  # type: ignore[union-attr]
    fields = tracked_fields(model, quiet)
    m2m_fields = m2m_sources(model) if histories else []
    m2m_by_row: dict[str, dict[int, list[Any]]] = {}
    for m2m_field, m2m_history_model, target_attname in m2m_fields:
        by_row: dict[int, list[Any]] = defaultdict(list)
        pairs = m2m_history_model._default_manager.filter(history_id__in=[h.history_id for h in histories])
        for history_id, target in pairs.values_list("history_id", target_attname):
            by_row[history_id].append(target)
        m2m_by_row[m2m_field.name] = by_row
    rows: list[_Row] = []
    previous: dict[Any, _Row] = {}
    for history in histories:
        m2m = {name: sorted(by_row.get(history.history_id, []), key=str) for name, by_row in m2m_by_row.items()}
        before = previous.get(getattr(history, pk_attname))
        created = before is None or history.history_type == "+"
        changes: list[tuple[Any, Any, Any]] = []
        if history.history_type != "-":
            for f in fields:
                new = getattr(history, f.attname)
                old = CREATED if created else getattr(before.history, f.attname)  # type: ignore[union-attr]
                if created and (new in (None, "") or (isinstance(new, bool) and new == f.default)):
                    continue  # a new record lists what was filled in, not every default switch
                if created or old != new:
                    changes.append((f, old, new))
            for m2m_field, _m, _t in m2m_fields:
                new_ids = m2m[m2m_field.name]
                old_ids = CREATED if created else before.m2m.get(m2m_field.name, [])  # type: ignore[union-attr]
                if (created and new_ids) or (not created and old_ids != new_ids):
                    changes.append((m2m_field, old_ids, new_ids))
        row = _Row(history, model, title_field, is_root, changes, m2m)
        previous[getattr(history, pk_attname)] = row
        rows.append(row)
    return rows


def _describe(row: _Row, lookups: ValueLookups) -> RecordChange:
    history = row.history
    subject = label_of(row.model._meta)
    if not row.is_root:
        title = ""
        if row.title_field:
            title_field: Any = row.model._meta.get_field(row.title_field)
            title = display_value(title_field, getattr(history, title_field.attname), lookups)
        # Without a naming field the kind of record says enough; its database id means nothing to a reader.
        subject = f"{subject} “{title}”" if title and title != EMPTY else subject
    action = _("created") if row.is_root and history.history_type == "+" else str(_ACTIONS[history.history_type])
    changes = tuple(
        FieldChange(
            label=label_of(f),
            old=None if old is CREATED else display_value(f, old, lookups),
            new=display_value(f, new, lookups),
        )
        for f, old, new in row.raw_changes
    )
    return RecordChange(subject=subject, action=action, fields=changes, reason=history.history_change_reason or "")


def _verb_label(verb: str) -> str:
    try:
        text = str(Verb(verb).label)
    except ValueError:
        text = verb
    return text[:1].upper() + text[1:]


def _details(payload: Any) -> str:
    """The event's payload in one line, in words: only the keys a reader understands (display.PAYLOAD_LABELS),
    scalars and lists only; everything else stays in the CSV's raw view."""
    if not isinstance(payload, dict):
        return ""
    parts = []
    for key, value in sorted(payload.items()):  # PostgreSQL's jsonb keeps no insertion order
        if key not in PAYLOAD_LABELS or isinstance(value, dict):
            continue
        parts.append(f"{label_of_text(PAYLOAD_LABELS[key])}: {payload_value(value)}")
    return "; ".join(parts)


def label_of_text(text: Any) -> str:
    text = str(text)
    return text[:1].upper() + text[1:]


def _reason(event: AuditEvent) -> str:
    """The event's reason in the reader's language when the service stored it as words (core.texts)."""
    stored = event.payload.get(REASON_WORDS) if isinstance(event.payload, dict) else None
    if isinstance(stored, dict):
        try:
            return words_text(stored)
        except (KeyError, ValueError):  # words of an older shape: the reason as it was stored
            return event.reason
    return event.reason


def _event_for(when: datetime, user_id: Any, events: list[AuditEvent], times: list[datetime]) -> int | None:
    """The event a history row was written with: services save their rows, then record the event, so the first
    event at or after the row (within MERGE_WINDOW) is preferred, else the last one just before it. Only events by
    the row's user count; a row without a user (a service run outside a web request) may go with any actor."""
    lo = bisect.bisect_left(times, when - MERGE_WINDOW)
    hi = bisect.bisect_right(times, when + MERGE_WINDOW)
    candidates = [i for i in range(lo, hi) if user_id is None or user_id == events[i].actor_id]
    after = [i for i in candidates if times[i] >= when]
    if after:
        return after[0]
    return candidates[-1] if candidates else None


def _merge(
    events: list[AuditEvent], rows: list[tuple[_Row, RecordChange]], lookups: ValueLookups
) -> list[TimelineEntry]:
    entries = [
        TimelineEntry(
            when=e.occurred_at,
            who=e.actor_label or SYSTEM_ACTOR,
            what=_verb_label(e.verb),
            why=_reason(e),
            details=_details(e.payload),
            sequence=e.sequence,
        )
        for e in events
    ]
    times = [e.occurred_at for e in events]  # events come ordered by sequence, hence by time
    standalone: list[TimelineEntry] = []
    for row, record in rows:
        when, user_id = row.history.history_date, row.history.history_user_id
        best = _event_for(when, user_id, events, times)
        if best is not None:
            entries[best].records.append(record)
        else:
            standalone.append(
                TimelineEntry(
                    when=when,
                    who=lookups.user_name(user_id),
                    what=f"{record.subject} {record.action}",
                    why=record.reason,
                    records=[record],
                )
            )
    merged = entries + standalone
    merged.sort(key=lambda e: (e.when, e.sequence or 0))
    return merged


def _rows_for(model: type[Model], key: Any, label: str) -> tuple[list[_Row], Q]:
    """History rows of the record and its children, and the filter for the events that target any of them."""
    rows = _read_rows(model, {model._meta.pk.attname: key}, title_field="", is_root=True)  # type: ignore[union-attr]
    event_filter = Q(target_type__in=labels_of(label), target_id=str(key))
    for child in TIMELINE_SOURCES[label].children:
        child_model = apps.get_model(child.model)
        parent_attname = child_model._meta.get_field(child.parent_field).attname
        child_rows = _read_rows(
            child_model, {parent_attname: key}, title_field=child.title_field, is_root=False, quiet=child.parent_field
        )
        rows += child_rows
        child_pk = child_model._meta.pk.attname  # type: ignore[union-attr]
        child_ids = sorted({str(getattr(r.history, child_pk)) for r in child_rows})
        if child_ids:
            event_filter |= Q(target_type__in=labels_of(child.model), target_id__in=child_ids)
    return rows, event_filter


def timeline_for(*, user: Any, label: str, pk: str) -> Timeline:
    """The whole timeline of one allowlisted record, oldest first; 404 when it never existed."""
    if not can(user, "audit.view"):
        raise Http404("No such record")
    model = timeline_model(label)
    key = object_key(model, pk)
    rows, event_filter = _rows_for(model, key, label)
    events = list(AuditEvent.objects.filter(event_filter).order_by("sequence"))
    current = model._base_manager.filter(pk=key).first()
    ensure_not_private(label, current)
    if current is None and not rows and not events:
        raise Http404("No such record")
    wanted: dict[type[Model], set[Any]] = defaultdict(set)
    user_model = apps.get_model(settings.AUTH_USER_MODEL)
    wanted[user_model].update(r.history.history_user_id for r in rows if r.history.history_user_id)
    for r in rows:
        for f, old, new in r.raw_changes:
            want(wanted, f, old, new)
        if r.title_field:
            want(wanted, r.model._meta.get_field(r.title_field), getattr(r.history, r.title_field, None))
    lookups = ValueLookups.load(wanted)
    described = sorted(
        ((r, _describe(r, lookups)) for r in rows), key=lambda p: (p[0].history.history_date, p[0].history.history_id)
    )
    roots = [r for r in rows if r.is_root]
    title = str(current) if current is not None else (str(roots[-1].history.instance) if roots else f"#{key}")
    return Timeline(label, str(key), str(model._meta.verbose_name), title, _merge(events, described, lookups))


def record_heading_for(*, user: Any, label: str, pk: str) -> tuple[str, str]:
    """(kind of record, its title) for a record that exists or once existed; 404 otherwise. Two queries at most."""
    if not can(user, "audit.view"):
        raise Http404("No such record")
    model = timeline_model(label)
    key = object_key(model, pk)
    current = model._base_manager.filter(pk=key).first()
    ensure_not_private(label, current)
    if current is not None:
        return str(model._meta.verbose_name), str(current)
    last = model.history.filter(**{model._meta.pk.attname: key}).order_by("history_date", "history_id").last()  # type: ignore[attr-defined, union-attr]
    if last is None:
        raise Http404("No such record")
    return str(model._meta.verbose_name), str(last.instance)
