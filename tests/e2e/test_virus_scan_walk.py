"""Issue 17, virus scanning, in the browser: the exporter uploads a clean certificate and a file carrying the
EICAR test string to a draft; the real clamd (tests/clamd.py) passes one and quarantines the other, and the
documents table says so, with no download link for the quarantined file. No axe violations."""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from core.models import Notification
from tests.clamd import EICAR, EICAR_SIGNATURE
from tests.e2e.conftest import assert_accessible, login, screenshot
from tests.factories import complete_draft
from tests.licensing.services.pdfs import MINIMAL_PDF

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def _upload(page: Page, path: Path) -> None:
    form = page.locator("section#documents form")
    form.get_by_label("What is it?").select_option(label="End-user certificate")
    form.get_by_label("File").set_input_files(path)
    form.get_by_role("button", name="Upload").click()
    expect(page.get_by_text(f"{path.name} is uploaded.")).to_be_visible()


def test_exporter_sees_an_infected_upload_quarantined_when_clamd_finds_eicar(
    page: Page, clamd, exporter_a, officer, tmp_path: Path
):
    draft = complete_draft(organisation=exporter_a.organisation, created_by=exporter_a)
    clean = tmp_path / "certificate.pdf"
    clean.write_bytes(MINIMAL_PDF)
    infected = tmp_path / "annex.pdf"
    infected.write_bytes(b"%PDF-1.4\n% " + EICAR + b"\ntrailer<<>>\n%%EOF\n")

    login(page, exporter_a)
    page.goto(f"/portal/applications/{draft.pk}/draft/documents/")
    _upload(page, clean)
    _upload(page, infected)
    # The scan ran after each upload committed (Celery runs tasks in-process in the tests): reload to see it.
    page.reload()
    table = page.locator("section#documents table")
    expect(table.get_by_role("row", name="certificate.pdf")).to_contain_text("Clean")
    infected_row = table.get_by_role("row", name="annex.pdf")
    expect(infected_row).to_contain_text("Infected: blocked")
    expect(infected_row).to_contain_text(EICAR_SIGNATURE)
    expect(table.get_by_role("link", name="annex.pdf")).to_have_count(0)
    expect(table.get_by_role("link", name="certificate.pdf")).to_have_count(1)
    screenshot(page, "virus-scan-01-quarantined")
    assert_accessible(page, name="virus-scan-01-quarantined")
    assert Notification.objects.filter(user=exporter_a, title__contains="contains a virus").count() == 1
