"""Issue 3, "Licence applications", walked in the browser as people would: an exporter creates a draft, fills
in details, goods, parties and the end-user certificate, changes the quantity and submits; an officer finds the
case in the queue, takes it and asks a question; the exporter answers; the officer approves and the licence is
issued; the exporter downloads the licence PDF. Every distinct page has no WCAG 2.1 AA violations that axe-core
can find. Norway and a navy end user raise no automatic-check flag, so one officer may approve alone."""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from licensing.models import Application, ApplicationStatus, LicenceStatus
from tests.e2e.conftest import assert_accessible, login, screenshot
from tests.licensing.services.pdfs import MINIMAL_PDF

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

TITLE = "Fire control radars for Norwegian frigates"
QUESTION = "Please confirm the delivery address of the radar modules in Bergen."
ANSWER = "The modules go to the naval base Haakonsvern, 5886 Bergen, building 12."


def _switch_to(page: Page, user: object) -> None:
    page.context.clear_cookies()
    login(page, user)


def _add_party(page: Page, *, role: str, name: str, address: str, party_type: str) -> None:
    form = page.locator("form#party-form")
    form.get_by_label("Role in this export").select_option(label=role)
    form.get_by_label("Name").fill(name)
    form.get_by_label("Address").fill(address)
    form.get_by_label("Country").select_option("NO")
    form.get_by_label("Type of organisation").select_option(label=party_type)
    form.get_by_role("button", name="Add this party").click()
    expect(page.get_by_text(f"{role} {name} is saved.")).to_be_visible()


def test_exporter_applies_officer_approves_and_exporter_downloads_the_licence_when_nothing_is_flagged(
    page: Page, exporter_a, officer, tmp_path: Path
):
    # --- The exporter starts a draft, as a new user would: from the list of applications.
    login(page, exporter_a)
    page.goto("/portal/applications/")
    expect(page.get_by_role("heading", level=1)).to_have_text("My applications")
    screenshot(page, "01-exporter-list")
    assert_accessible(page, name="01-exporter-list")

    page.get_by_role("link", name="Start a new application").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Start a new application")
    page.get_by_label("Individual export licence").check()
    page.get_by_label("Short title").fill("Radars for Norway")
    screenshot(page, "02-create")
    assert_accessible(page, name="02-create")
    page.get_by_role("button", name="Create the draft").click()
    expect(page.get_by_text("Fill in the steps one by one")).to_be_visible()
    application = Application.objects.get(organisation=exporter_a.organisation)
    draft_url = f"/portal/applications/{application.pk}/"
    screenshot(page, "03-draft")
    assert_accessible(page, name="03-draft")

    # --- Step by step: one goods line, consignee and end user, the end use, the end-user certificate.
    goods = page.locator("form#goods-form")
    goods.get_by_label("Description").fill("X-band fire control radar module, type FC-220")
    goods.get_by_label("Military List category").select_option("ML5")
    goods.get_by_label("Quantity").fill("4")
    goods.get_by_label("Unit", exact=True).select_option("pcs")
    goods.get_by_label("Value per unit").fill("250000")
    goods.get_by_label("Currency").select_option("EUR")
    goods.get_by_role("button", name="Add this goods line").click()
    expect(page.get_by_text("Goods line 1 is saved:")).to_be_visible()
    page.get_by_role("button", name="Save and continue").click()
    expect(page.get_by_role("heading", name="Parties", level=2)).to_be_visible()

    _add_party(
        page,
        role="Consignee",
        name="Kongsberg Defence Logistics AS",
        address="Kirkegårdsveien 45\n3616 Kongsberg",
        party_type="Commercial",
    )
    _add_party(
        page,
        role="End user",
        name="Royal Norwegian Navy",
        address="Haakonsvern naval base\n5886 Bergen",
        party_type="Armed forces",
    )
    page.get_by_role("button", name="Save and continue").click()

    details = page.locator("form#details-form")
    details.get_by_label("End use").fill("Air defence of the Royal Norwegian Navy's Fridtjof Nansen-class frigates.")
    page.get_by_role("button", name="Save and continue").click()
    expect(page.get_by_text("The details are saved.")).to_be_visible()

    certificate = tmp_path / "end-user-certificate.pdf"
    certificate.write_bytes(MINIMAL_PDF)
    upload = page.locator("section#documents form")
    upload.get_by_label("What is it?").select_option(label="End-user certificate")
    upload.get_by_label("File").set_input_files(certificate)
    upload.get_by_role("button", name="Upload").click()
    expect(page.get_by_text("end-user-certificate.pdf is uploaded.")).to_be_visible()
    page.get_by_role("button", name="Save and continue").click()
    expect(page.get_by_role("heading", name="Check and submit")).to_be_visible()

    # --- The exporter changes their mind: a clearer title and six radars instead of four.
    page.get_by_role("link", name="Change end use").click()
    page.locator("form#details-form").get_by_label("Short title").fill(TITLE)
    page.locator("form#details-form").get_by_role("button", name="Save", exact=True).click()
    expect(page.get_by_text("The details are saved.")).to_be_visible()
    page.get_by_role("link", name="Goods", exact=True).click()
    page.get_by_role("link", name="Change goods line 1").click()
    goods = page.locator("form#goods-form")
    expect(goods.get_by_role("heading", name="Change goods line")).to_be_visible()
    goods.get_by_label("Quantity").fill("6")
    goods.get_by_role("button", name="Save this goods line").click()
    expect(page.get_by_text("Goods line 1 is saved:")).to_be_visible()
    page.get_by_role("link", name="Check and submit").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(TITLE)
    expect(page.get_by_text("Goods, parties, end use and documents are complete.")).to_be_visible()
    screenshot(page, "04-draft-complete")
    assert_accessible(page, name="04-draft-complete")

    page.get_by_role("button", name="Submit the application").click()
    expect(page.get_by_text(f"Application {application.reference} is submitted.")).to_be_visible()
    expect(page.locator("#status")).to_contain_text("The licensing authority has received your application.")
    screenshot(page, "05-submitted")
    assert_accessible(page, name="05-submitted")

    # --- The officer finds it by its reference, takes it and asks a question.
    _switch_to(page, officer)
    page.goto("/casework/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Case queue")
    page.get_by_role("search").get_by_label("Search").fill(application.reference)
    page.get_by_role("search").get_by_role("button", name="Search").click()
    expect(page.get_by_text("1 case matches the search and filters.")).to_be_visible()
    row = page.get_by_role("row", name=application.reference)
    expect(row).to_contain_text("Norway")
    expect(row).to_contain_text("1,500,000.00")
    screenshot(page, "06-queue")
    assert_accessible(page, name="06-queue")

    row.get_by_role("link", name=application.reference).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(application.reference)
    # The earlier decisions are read after the page (htmx): the panel replaces its link where it sits.
    expect(page.locator("#panel-earlier_decisions")).to_contain_text("No earlier decision shares the end user")
    expect(page.locator("#panel-earlier_decisions").get_by_role("link", name="Show the list")).to_have_count(0)
    screenshot(page, "07-case")
    assert_accessible(page, name="07-case")
    page.get_by_role("button", name="Assign to me").click()
    expect(page.get_by_text(f"{application.reference} is now yours.")).to_be_visible()

    page.locator("details#request-information > summary").click()
    page.get_by_label("Question for the exporter").fill(QUESTION)
    page.get_by_role("button", name="Send the question").click()
    expect(page.get_by_text("Question sent. The exporter is asked to answer by")).to_be_visible()
    expect(page.get_by_text("waiting for the exporter", exact=True)).to_be_visible()
    screenshot(page, "08-case-question-sent")
    assert_accessible(page, name="08-case-question-sent")

    # --- The exporter answers on their case page, reached from the list's call to action.
    _switch_to(page, exporter_a)
    page.goto("/portal/applications/")
    expect(page.locator("#asked-heading")).to_have_text("The licensing authority is waiting for your answer")
    page.locator("section", has=page.locator("#asked-heading")).get_by_role("link", name=TITLE).click()
    expect(page.locator("#request")).to_contain_text(QUESTION)
    screenshot(page, "09-exporter-question")
    assert_accessible(page, name="09-exporter-question")
    page.get_by_label("Your answer").fill(ANSWER)
    page.get_by_role("button", name="Send your answer").click()
    expect(page.get_by_text("Your answer is sent. The decision term runs again from today.")).to_be_visible()
    expect(page.get_by_role("heading", name="Earlier questions and answers")).to_be_visible()

    # --- The officer assesses the eight criteria (the decision gate asks for them before an ordinary approval).
    _switch_to(page, officer)
    page.goto(f"/casework/cases/{application.pk}/")
    expect(page.locator("#approve-blocked")).to_contain_text("Assess all eight criteria first")
    page.goto(f"/casework/cases/{application.pk}/assessment/")
    for number in range(1, 9):
        page.locator(f"section[aria-labelledby='criterion-{number}']").get_by_label("No concerns").check()
    page.get_by_role("button", name="Save assessment").click()
    expect(page.get_by_text("Assessment saved (8 criteria).")).to_be_visible()
    assert_accessible(page, name="09b-assessment-saved")

    # --- The officer approves with the prefilled validity; no countersignature is needed.
    page.goto(f"/casework/cases/{application.pk}/")
    expect(page.locator("#information-requests")).to_contain_text(ANSWER)
    page.locator("details#approve > summary").click()
    approve = page.locator("details#approve")
    expect(approve).to_contain_text("No countersignature needed")
    expect(approve.get_by_label("Licence valid from")).not_to_have_value("")
    expect(approve.get_by_label("Licence valid until")).not_to_have_value("")
    approve.get_by_label("Justification").fill(
        "Norway is a NATO ally; the Royal Norwegian Navy is a credible end user. No criterion is of concern."
    )
    screenshot(page, "10-approve-form")
    assert_accessible(page, name="10-approve-form")  # the case page again, with the approval form open
    approve.get_by_role("button", name="Approve and issue the licence").click()
    expect(page.get_by_text("Approved. The licence is issued and the exporter is notified.")).to_be_visible()
    expect(page.locator("section#licence")).to_be_visible()
    screenshot(page, "11-case-approved")
    assert_accessible(page, name="11-case-approved")

    application.refresh_from_db()
    licence = application.licence
    assert (application.status, licence.status) == (ApplicationStatus.APPROVED, LicenceStatus.ISSUED)

    # --- The exporter opens the licence and downloads it.
    _switch_to(page, exporter_a)
    page.goto(draft_url)
    page.get_by_role("link", name=f"Go to licence {licence.number}").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Licence {licence.number}")
    expect(page.get_by_text("Norway", exact=True)).to_be_visible()
    screenshot(page, "12-licence")
    assert_accessible(page, name="12-licence")
    with page.expect_download() as download_info:
        page.get_by_role("link", name="Download the licence (PDF)").click()
    downloaded = tmp_path / "licence.pdf"
    download_info.value.save_as(downloaded)
    assert downloaded.read_bytes().startswith(b"%PDF")
