"""A report's files are written in the language the run was asked in (issue 15; Awb 2:6): a Dutch reader's run
gives a Dutch PDF, an English reader's an English one, whatever the worker's own language."""

from __future__ import annotations

import io

import pytest
from django.utils import translation
from pypdf import PdfReader

from reports.models import FileFormat, ReportRun
from reports.services import report_run_execute, report_run_request

from . import builders as b

pytestmark = pytest.mark.django_db


def _pdf_text(run: ReportRun) -> str:
    stored = run.files.get(format=FileFormat.PDF)
    with stored.file.open("rb") as handle:
        pages = PdfReader(io.BytesIO(handle.read())).pages
    return " ".join(" ".join(page.extract_text().split()) for page in pages)


def _run_in(language: str, analyst) -> ReportRun:  # type: ignore[no-untyped-def]
    with translation.override(language):
        run = report_run_request(actor=analyst, slug="annual", parameters={"year": "2024"})
    # The worker runs in the other language: the run's own language decides.
    with translation.override("en" if language == "nl" else "nl"):
        assert report_run_execute(run_id=run.pk) == "done"
    return ReportRun.objects.get(pk=run.pk)


def test_annual_report_pdf_is_dutch_when_a_dutch_reader_asks_for_it(analyst, org_a, officer):
    b.licence(organisation=org_a, officer=officer, destination="SE", issued="2024-02-01",
              goods=[("ML5", "100000")], received="2024-01-10")  # fmt: skip

    text = _pdf_text(_run_in("nl", analyst))

    assert "Jaarrapport over vergunningen voor militaire export" in text
    assert "Verleende vergunningen" in text
    assert "Waarde van vergunningen (EUR)" in text
    assert "Register per" in text
    assert "Vergunningverlenende instantie van Nederland" in text
    assert "100.000,00" in text
    assert "Licences issued" not in text


def test_annual_report_pdf_is_english_when_an_english_reader_asks_for_it(analyst, org_a, officer):
    b.licence(organisation=org_a, officer=officer, destination="SE", issued="2024-02-01",
              goods=[("ML5", "100000")], received="2024-01-10")  # fmt: skip

    text = _pdf_text(_run_in("en", analyst))

    assert "Annual report on military export licences" in text
    assert "Licences issued" in text
    assert "Value of licences (EUR)" in text
    assert "Register as of" in text
    assert "Licensing authority of the Netherlands" in text
    assert "100,000.00" in text
