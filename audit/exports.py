"""A timeline as an auditor takes it away: CSV (one row per entry) and PDF (core.documents.render_pdf)."""

from __future__ import annotations

import csv
import hashlib
import io
from datetime import UTC

from .models import AuditChainHead
from .timeline import Timeline, TimelineEntry

CSV_HEADER = ["When (UTC)", "Who", "What", "Why", "Details", "Changes", "Audit event"]
# A cell starting with one of these is run as a formula by spreadsheet programs (OWASP "CSV injection").
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def _cell(value: object) -> str:
    text = "" if value is None else str(value)
    return f"'{text}" if text.startswith(FORMULA_PREFIXES) else text


def change_lines(entry: TimelineEntry) -> list[str]:
    """Each changed record and field in one line of plain words."""
    lines = []
    for record in entry.records:
        lines.append(f"{record.subject} {record.action}")
        lines.extend(f"  {change}" for change in record.fields)
    return lines


def timeline_csv(timeline: Timeline) -> str:
    out = io.StringIO()
    # A byte-order mark, so spreadsheet programs read the arrows and accents as UTF-8.
    out.write("\ufeff")
    writer = csv.writer(out)
    writer.writerow(CSV_HEADER)
    for entry in timeline.entries:
        writer.writerow(
            [
                _cell(entry.when.astimezone(UTC).isoformat(timespec="seconds")),
                _cell(entry.who),
                _cell(entry.what),
                _cell(entry.why),
                _cell(entry.details),
                _cell("\n".join(change_lines(entry))),
                _cell(f"#{entry.sequence}" if entry.sequence else ""),
            ]
        )
    return out.getvalue()


def timeline_pdf(timeline: Timeline) -> bytes:
    from core.documents import render_pdf  # WeasyPrint loads slowly: import at use

    head = AuditChainHead.objects.filter(id=1).first()
    entries = [(entry, change_lines(entry)) for entry in timeline.entries]
    return render_pdf("audit/pdf/history.html", {"timeline": timeline, "entries": entries, "head": head})


def export_filename(timeline: Timeline, extension: str) -> str:
    safe_pk = "".join(c for c in timeline.pk if c.isalnum() or c in "-_") or "record"
    return f"history-{timeline.label.replace('.', '-')}-{safe_pk}.{extension}"


def history_pdf_path(*, user_id: int, label: str, pk: str, timeline: Timeline) -> str:
    """Where the PDF of this timeline, as this user sees it now, is kept: a new entry makes a new file."""
    digest = hashlib.sha256(timeline_csv(timeline).encode("utf-8")).hexdigest()[:32]
    safe_label = "".join(ch if ch.isalnum() or ch in "._-" else "_" for ch in label)
    safe_pk = "".join(ch if ch.isalnum() or ch in "._-" else "_" for ch in pk)
    return f"audit-exports/{user_id}/{safe_label}/{safe_pk}/{digest}.pdf"
