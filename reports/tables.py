"""What a computed report is: titled tables of typed columns, charts with their text alternative, and notes.

The HTML page, the CSV, XLSX and PDF exports all render this one structure, so a figure looks the same
in every format.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import ROUND_HALF_UP, Decimal
from enum import StrEnum
from functools import cached_property
from typing import Any

from django.utils.formats import date_format

from core.formatting import format_amount, format_integer


class Kind(StrEnum):
    TEXT = "text"
    INT = "int"
    EUR = "eur"
    PCT = "pct"  # a percentage 0-100 with one decimal
    DECIMAL = "dec"  # a number with one decimal, e.g. a median of days
    DATE = "date"
    CODE = "code"  # short text that must not wrap: "2024-03", "NL-ML-2024-000012"

    @property
    def is_number(self) -> bool:
        return self in {Kind.INT, Kind.EUR, Kind.PCT, Kind.DECIMAL}


@dataclass(frozen=True)
class Column:
    key: str
    label: str
    kind: Kind = Kind.TEXT


@dataclass
class Table:
    key: str
    caption: str
    columns: list[Column]
    rows: list[dict[str, Any]]
    footer: list[dict[str, Any]] = field(default_factory=list)
    note: str = ""
    # Columns whose cells head their row (<th scope="row">), e.g. the destination.
    row_header: str = ""

    def cells(self, row: dict[str, Any]) -> list[tuple[Column, Any]]:
        return [(column, row.get(column.key)) for column in self.columns]

    @property
    def body(self) -> list[list[tuple[Column, Any]]]:
        return [self.cells(row) for row in self.rows]

    @property
    def foot(self) -> list[list[tuple[Column, Any]]]:
        return [self.cells(row) for row in self.footer]


@dataclass
class Chart:
    """A chart is presentation, not figures: a report keeps what to draw (`draw`, holding the figures it was computed
    with), and the SVG is drawn when a page or file shows it, once. Computing a report (its figures, which the
    benchmark times against hand-written SQL) draws nothing; the page and the PDF draw it from the same figures."""

    key: str
    title: str
    alt: str  # the text alternative: what the chart shows, in one or two sentences
    draw: Callable[[], str]  # the SVG of the figures it holds (reports.charts)
    table_key: str  # the table next to it holding the same figures

    @cached_property
    def svg(self) -> str:
        return self.draw()


@dataclass
class Report:
    kind: str
    title: str
    subtitle: str
    as_of: datetime | None
    parameters: list[tuple[str, str]]
    tables: list[Table]
    charts: list[Chart] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    confidential: bool = False

    def table(self, key: str) -> Table:
        return next(t for t in self.tables if t.key == key)

    def chart_for(self, table_key: str) -> Chart | None:
        return next((c for c in self.charts if c.table_key == table_key), None)


def pct(part: Decimal | int, whole: Decimal | int) -> Decimal | None:
    """part / whole as a percentage with one decimal (half up); None when there is no whole."""
    if not whole:
        return None
    return (Decimal(part) * 100 / Decimal(whole)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def eur(value: Any) -> Decimal:
    return Decimal(value or 0).quantize(Decimal("0.01"))


def format_cell(kind: Kind, value: Any) -> str:
    """The cell as people read it (HTML, PDF); exports keep numbers as numbers."""
    if value is None or value == "":
        return "—"
    if kind == Kind.INT:
        return format_integer(value)
    if kind == Kind.EUR:
        return format_amount(value)
    if kind == Kind.PCT:
        return f"{format_amount(value, decimals=1)}\u00a0%"
    if kind == Kind.DECIMAL:
        return format_amount(value, decimals=1)
    if kind == Kind.DATE and isinstance(value, date):
        return str(date_format(value, "SHORT_DATE_FORMAT"))
    return str(value)
