"""The files a report run produces: XLSX that openpyxl reads with numbers as numbers, a PDF that renders to an
image and holds the title, CSV that round-trips, and deterministic charts."""

from __future__ import annotations

import csv
import io
import subprocess
from datetime import date
from decimal import Decimal

import openpyxl
import pytest
from pypdf import PdfReader

from reports.charts import share_chart
from reports.exports import neutralise, report_pdf, report_xlsx, table_csv
from reports.queries.annual import annual_report
from reports.queries.monthly import monthly_overview
from reports.queries.shares import export_shares
from reports.queries.snapshot import end_of_day

pytestmark = pytest.mark.django_db


def test_xlsx_has_one_sheet_per_table_with_numbers_as_numbers_when_opened_with_openpyxl(register):
    content = report_xlsx(annual_report(year=2024, as_of=end_of_day(date(2024, 12, 31))))

    workbook = openpyxl.load_workbook(io.BytesIO(content))
    assert workbook.sheetnames == [
        "By destination ml",
        "By destination",
        "Criteria",
        "Regions",
        "Years",
        "General licences",
        "General licence registrations",
        "About",
    ]
    regions = workbook["Regions"]
    header = [c.value for c in regions[4]]
    assert header == ["Region", "Licences issued", "Value of licences (EUR)", "Actual exports (EUR)", "Refusals"]
    rows = {r[0]: r[1:] for r in regions.iter_rows(min_row=5, values_only=True)}
    assert rows["All destinations"] == (6, 1480000, 330000, 2)
    assert rows["NATO members"] == (3, 1280000, 320000, 0)
    assert regions.cell(row=5, column=3).data_type == "n"
    totals = [r for r in workbook["By destination"].iter_rows(min_row=5, values_only=True) if r[0] == "Total"]
    assert totals == [("Total", 6, 1480000, 330000, 2)]


def test_xlsx_is_byte_identical_when_the_same_report_is_produced_twice(register):
    as_of = end_of_day(date(2024, 12, 31))

    assert report_xlsx(annual_report(year=2024, as_of=as_of)) == report_xlsx(annual_report(year=2024, as_of=as_of))


def test_pdf_renders_a_page_image_and_contains_the_title(register, tmp_path):
    content = report_pdf(export_shares(date_from=date(2024, 1, 1), date_to=date(2024, 12, 31)))
    pdf = tmp_path / "report.pdf"
    pdf.write_bytes(content)

    subprocess.run(["pdftoppm", "-png", "-r", "50", str(pdf), str(tmp_path / "out")], check=True, timeout=60)

    assert list(tmp_path.glob("out*.png"))
    text = PdfReader(io.BytesIO(content)).pages[0].extract_text()
    assert "Share of licensed exports outside NATO" in text
    assert "1,480,000.00" in text


def test_csv_round_trips_through_csv_reader_with_numbers_and_empty_cells(register):
    table = monthly_overview(year=2024, month=3).table("decisions")

    rows = list(csv.reader(io.StringIO(table_csv(table).decode("utf-8"))))

    assert rows[0] == [str(c.label) for c in table.columns]
    assert rows[1] == [
        "2024-03-15", "Issued", "Individual export licence", rows[1][3], "ML10", "NL", "United States", "",
        "1000000.00", "Armed forces", "2026-03-15", "", "", "",
    ]  # fmt: skip
    assert rows[2][12:] == ["2, 7", "2c"]
    assert len(rows) == 1 + len(table.rows)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("=cmd|' /C calc'!A0", "'=cmd|' /C calc'!A0"),
        ("+31 20 123", "'+31 20 123"),
        ("-2+3", "'-2+3"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\tTAB", "'\tTAB"),
        ("Radar ML5", "Radar ML5"),
    ],
)
def test_neutralise_prefixes_an_apostrophe_when_a_cell_would_run_as_a_formula(text, expected):
    assert neutralise(text) == expected


def test_chart_svg_is_identical_when_drawn_twice_with_the_same_figures():
    rows = [("2023", Decimal(80), Decimal(0), Decimal(0)), ("2024", Decimal(1280), Decimal(140), Decimal(60))]

    first = share_chart(rows, member_label="NATO")

    assert first == share_chart(rows, member_label="NATO")
    assert "<style" in first or "<svg" in first
