"""Issue 17, reuse, in the browser: the exporter copies an earlier (refused) application as a new draft, adds
a current end-user certificate and submits it. No axe violations on the pages walked."""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from licensing.models import Application, ApplicationStatus
from tests.e2e.conftest import assert_accessible, login, screenshot
from tests.factories import submitted_application
from tests.licensing.services.pdfs import MINIMAL_PDF

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_exporter_copies_an_earlier_application_and_submits_the_copy_when_completed(
    page: Page, exporter_a, officer, tmp_path: Path
):
    source = submitted_application(
        organisation=exporter_a.organisation,
        created_by=exporter_a,
        status=ApplicationStatus.REFUSED,
        assigned_to=officer,
        title="Radars for Norway",
    )
    login(page, exporter_a)
    page.goto(f"/portal/applications/{source.pk}/")
    page.get_by_role("button", name="Copy as a new application").click()
    copy = Application.objects.exclude(pk=source.pk).get()
    expect(page.get_by_text(f"{copy.reference} is a copy of {source.reference}")).to_be_visible()
    expect(page.get_by_role("heading", level=1)).to_have_text("Copy of Radars for Norway")
    screenshot(page, "copy-01-draft")
    assert_accessible(page, name="copy-01-draft")

    certificate = tmp_path / "end-user-certificate.pdf"
    certificate.write_bytes(MINIMAL_PDF)
    page.get_by_role("link", name="Documents", exact=True).click()
    upload = page.locator("section#documents form")
    upload.get_by_label("What is it?").select_option(label="End-user certificate")
    upload.get_by_label("File").set_input_files(certificate)
    upload.get_by_role("button", name="Upload").click()
    expect(page.get_by_text("end-user-certificate.pdf is uploaded.")).to_be_visible()
    page.get_by_role("button", name="Save and continue").click()
    page.get_by_role("button", name="Submit the application").click()
    expect(page.get_by_text(f"Application {copy.reference} is submitted.")).to_be_visible()
    assert_accessible(page, name="copy-02-submitted")
    copy.refresh_from_db()
    assert copy.status == ApplicationStatus.SUBMITTED
