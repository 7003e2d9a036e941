"""A computed report as files: CSV (one per table), XLSX (one sheet per table), PDF, and open-data JSON.

- CSV: UTF-8, comma-separated, numbers with a decimal point. Text cells that a spreadsheet would run as a
  formula (starting with = + - @ or a tab/CR) get a leading apostrophe (OWASP "CSV injection").
- XLSX (XlsxWriter): numbers stay numbers with a number format, so totals can be recomputed; the file's
  creation date is the report's as-of moment, so the same report gives the same bytes.
- PDF: licensing.documents.render_pdf (WeasyPrint) from templates/reports/pdf/report.html.
"""

from __future__ import annotations

import csv
import io
import json
import re
from datetime import date, datetime
from decimal import Decimal
from typing import Any

import xlsxwriter
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from .charts import svg_data_uri
from .tables import Column, Kind, Report, Table, format_cell

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
SHEET_NAME_MAX = 31  # Excel's limit
_SHEET_FORBIDDEN = re.compile(r"[\[\]:*?/\\]")


def neutralise(text: str) -> str:
    """Make a text cell inert in spreadsheets: "=cmd|..." becomes "'=cmd|..."."""
    return "'" + text if text.startswith(FORMULA_PREFIXES) else text


def _csv_value(column: Column, value: Any) -> str:
    if value is None:
        return ""
    if column.kind.is_number:
        return str(value)
    if isinstance(value, date | datetime):
        return value.isoformat()
    return neutralise(str(value))


def table_csv(table: Table) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow([neutralise(str(c.label)) for c in table.columns])
    for row in [*table.rows, *table.footer]:
        writer.writerow([_csv_value(c, row.get(c.key)) for c in table.columns])
    return buffer.getvalue().encode("utf-8")


def table_json(report: Report, table: Table, *, metadata: dict[str, Any] | None = None) -> bytes:
    """Open data: the table's columns (key and label) and rows, numbers as JSON numbers (and `metadata`)."""

    def value(column: Column, v: Any) -> Any:
        if v is None:
            return None
        if column.kind == Kind.INT:
            return int(v)
        if column.kind.is_number:
            return float(Decimal(v))
        if isinstance(v, date | datetime):
            return v.isoformat()
        return v

    document: dict[str, Any] = {
        **({"metadata": metadata} if metadata else {}),
        "title": report.title,
        "period": report.subtitle,
        "as_of": report.as_of.isoformat() if report.as_of else None,
        "columns": [{"key": c.key, "label": str(c.label), "type": str(c.kind)} for c in table.columns],
        "rows": [{c.key: value(c, row.get(c.key)) for c in table.columns} for row in table.rows],
    }
    return json.dumps(document, ensure_ascii=False, indent=1).encode("utf-8")


def sheet_names(report: Report) -> list[str]:
    names: list[str] = []
    for table in report.tables:
        base = _SHEET_FORBIDDEN.sub(" ", table.key.replace("_", " ").capitalize())[:SHEET_NAME_MAX]
        name, n = base, 2
        while name in names:
            suffix = f" {n}"
            name, n = base[: SHEET_NAME_MAX - len(suffix)] + suffix, n + 1
        names.append(name)
    return names


def report_xlsx(report: Report) -> bytes:
    buffer = io.BytesIO()
    workbook = xlsxwriter.Workbook(buffer, {"in_memory": True})
    created = report.as_of or timezone.now()
    workbook.set_properties(
        {"title": f"{report.title} {report.subtitle}", "created": timezone.localtime(created).replace(tzinfo=None)}
    )
    bold = workbook.add_format({"bold": True})
    title = workbook.add_format({"bold": True, "font_size": 13})
    header = workbook.add_format({"bold": True, "bg_color": "#E8EEF5", "text_wrap": True, "valign": "top"})
    formats = {
        Kind.INT: workbook.add_format({"num_format": "#,##0"}),
        Kind.EUR: workbook.add_format({"num_format": "#,##0.00"}),
        Kind.PCT: workbook.add_format({"num_format": '0.0" %"'}),
        Kind.DECIMAL: workbook.add_format({"num_format": "0.0"}),
        Kind.DATE: workbook.add_format({"num_format": "yyyy-mm-dd"}),
    }
    total_formats = {k: workbook.add_format({"num_format": f.num_format, "bold": True}) for k, f in formats.items()}

    for table, name in zip(report.tables, sheet_names(report), strict=True):
        sheet = workbook.add_worksheet(name)
        sheet.write_string(0, 0, f"{report.title} — {report.subtitle}", title)
        sheet.write_string(1, 0, str(table.caption))
        header_row = 3
        for col, column in enumerate(table.columns):
            sheet.write_string(header_row, col, str(column.label), header)
            sheet.set_column(col, col, 14 if column.kind.is_number else 24)
        for offset, row in enumerate([*table.rows, *table.footer], start=1):
            is_total = offset > len(table.rows)
            for col, column in enumerate(table.columns):
                _write_cell(
                    sheet,
                    header_row + offset,
                    col,
                    column,
                    row.get(column.key),
                    (total_formats if is_total else formats),
                    bold if is_total else None,
                )
        sheet.freeze_panes(header_row + 1, 0)

    about = workbook.add_worksheet(_("About")[:SHEET_NAME_MAX])
    lines = [(_("Report"), report.title), (_("Period"), report.subtitle)]
    lines.append((_("Register as of"), _as_of_text(report)))
    lines += [(str(k), str(v)) for k, v in report.parameters]
    lines += [(_("Note"), str(n)) for n in report.notes]
    if report.confidential:
        lines.insert(0, (_("Classification"), _("Confidential: names companies or end users. Not for publication.")))
    for i, (key, value) in enumerate(lines):
        about.write_string(i, 0, str(key), bold)
        about.write_string(i, 1, str(value))
    about.set_column(0, 0, 22)
    about.set_column(1, 1, 100)
    workbook.close()
    return buffer.getvalue()


def _write_cell(
    sheet: Any, row: int, col: int, column: Column, value: Any, formats: dict[Kind, Any], text_format: Any
) -> None:
    if value is None or value == "":
        sheet.write_blank(row, col, None)
    elif column.kind.is_number:
        sheet.write_number(row, col, float(value), formats[column.kind])
    elif column.kind == Kind.DATE and isinstance(value, date):
        sheet.write_datetime(row, col, datetime(value.year, value.month, value.day), formats[Kind.DATE])
    else:
        # write_string never interprets "=..." as a formula, so no neutralising is needed in XLSX.
        sheet.write_string(row, col, str(value), text_format)


def _as_of_text(report: Report) -> str:
    if report.as_of is None:
        return _("now (the live register)")
    return str(date_format(timezone.localtime(report.as_of), "DATETIME_FORMAT"))


def report_pdf(report: Report) -> bytes:
    from core.documents import render_pdf  # WeasyPrint loads Pango: import only when a PDF is made

    return render_pdf("reports/pdf/report.html", pdf_context(report), language=get_language())


def pdf_context(report: Report) -> dict[str, Any]:
    charts = {c.table_key: {"chart": c, "src": svg_data_uri(c.svg)} for c in report.charts}
    return {
        "report": report,
        "as_of_text": _as_of_text(report),
        "sections": [
            {"table": t, "chart": charts.get(t.key), "body": _formatted(t.body), "foot": _formatted(t.foot)}
            for t in report.tables
        ],
    }


def _formatted(rows: list[list[tuple[Column, Any]]]) -> list[list[tuple[Column, str]]]:
    return [[(c, format_cell(c.kind, v)) for c, v in row] for row in rows]
