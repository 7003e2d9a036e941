"""Readable history for auditors: timelines (entries.py), "as it was" snapshots (snapshot.py), the allowlist of
records that have them (sources.py) and how stored values are shown (display.py)."""

from .entries import FieldChange, RecordChange, Timeline, TimelineEntry, record_heading_for, timeline_for
from .snapshot import Snapshot, SnapshotRecord, snapshot_for
from .sources import TIMELINE_SOURCES, ChildSource, TimelineSource

__all__ = [
    "TIMELINE_SOURCES",
    "ChildSource",
    "FieldChange",
    "RecordChange",
    "Snapshot",
    "SnapshotRecord",
    "Timeline",
    "TimelineEntry",
    "TimelineSource",
    "record_heading_for",
    "snapshot_for",
    "timeline_for",
]
