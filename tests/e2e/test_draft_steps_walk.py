"""Issue 15, "an application form a person can fill in one sitting", in the browser: the exporter types into every
step of a new draft, leaves each step by the step links and the main navigation without saving, comes back and
finds everything typed still there; then saves step by step with "Save and continue" and checks the summary.
Every step page has no axe violations, at 1366 px and at 390 px."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from licensing.models import Application
from tests.e2e.conftest import assert_accessible, login, screenshot

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

DESCRIPTION = "Thermal imaging camera core, type TIC-640"
END_USE = "Surveillance cameras for the Royal Norwegian Navy's coastal stations."
PARTY = "Kongsberg Defence Logistics AS"


def _step(page: Page, name: str) -> None:
    page.get_by_role("navigation", name="Your draft, step by step").get_by_role("link", name=name, exact=True).click()


def test_exporter_finds_everything_typed_in_every_step_when_returning_without_saving(page: Page, exporter_a):
    page.set_viewport_size({"width": 1366, "height": 900})
    login(page, exporter_a)
    page.goto("/portal/applications/new/")
    page.get_by_label("Individual export licence").check()
    page.get_by_label("Short title").fill("Cameras for Norway")
    page.get_by_role("button", name="Create the draft").click()
    application = Application.objects.get(organisation=exporter_a.organisation)
    expect(page.get_by_role("heading", name="Goods", level=2)).to_be_visible()

    # --- Type into every step, and leave each by a step link without saving anything.
    goods = page.locator("form#goods-form")
    goods.get_by_label("Description").fill(DESCRIPTION)
    goods.get_by_label("Military List category").select_option("ML15")
    goods.get_by_label("Quantity").fill("3")
    goods.get_by_label("Value per unit").fill("2500")
    goods.get_by_label("This is a component").check()
    _step(page, "Parties")

    party = page.locator("form#party-form")
    party.get_by_label("Role in this export").select_option(label="Consignee")
    party.get_by_label("Name").fill(PARTY)
    party.get_by_label("Address").fill("Kirkegårdsveien 45\n3616 Kongsberg")
    party.get_by_label("Country").select_option("NO")
    _step(page, "End use")

    page.locator("form#details-form").get_by_label("End use").fill(END_USE)
    _step(page, "Documents")

    page.locator("form#document-form").get_by_label("What is it?").select_option(label="Contract or order")
    # Away from the draft altogether, through the main navigation.
    page.get_by_role("navigation", name="Main navigation").get_by_role("link").first.click()
    assert application.goods.count() == 0 and application.parties.count() == 0

    # --- Back to each step: everything is there, with a note that it is not saved yet.
    page.goto(f"/portal/applications/{application.pk}/draft/goods/")
    goods = page.locator("form#goods-form")
    expect(goods.get_by_label("Description")).to_have_value(DESCRIPTION)
    expect(goods.get_by_label("Military List category")).to_have_value("ML15")
    expect(goods.get_by_label("Quantity")).to_have_value("3")
    expect(goods.get_by_label("Value per unit")).to_have_value("2500")
    expect(goods.get_by_label("This is a component")).to_be_checked()
    expect(goods.get_by_text("had not saved yet")).to_be_visible()
    screenshot(page, "draft-steps-01-goods-kept")
    assert_accessible(page, name="draft-steps-01-goods-kept")

    _step(page, "Parties")
    party = page.locator("form#party-form")
    expect(party.get_by_label("Name")).to_have_value(PARTY)
    expect(party.get_by_label("Address")).to_have_value("Kirkegårdsveien 45\n3616 Kongsberg")
    expect(party.get_by_label("Country")).to_have_value("NO")
    expect(party.get_by_label("Role in this export")).to_have_value("consignee")
    assert_accessible(page, name="draft-steps-02-parties-kept")

    _step(page, "End use")
    expect(page.locator("form#details-form").get_by_label("End use")).to_have_value(END_USE)
    assert_accessible(page, name="draft-steps-03-end-use-kept")

    _step(page, "Documents")
    expect(page.locator("form#document-form").get_by_label("What is it?")).to_have_value("contract")
    assert_accessible(page, name="draft-steps-04-documents-kept")

    # --- Now save, step by step: "Save and continue" saves what is in the form and opens the next step.
    _step(page, "Goods")
    page.get_by_role("button", name="Save and continue").click()
    expect(page.get_by_text("Goods line 1 is saved:")).to_be_visible()
    expect(page.get_by_role("heading", name="Parties", level=2)).to_be_visible()
    expect(page.locator("form#party-form").get_by_label("Name")).to_have_value(PARTY)  # still kept, not lost
    page.get_by_role("button", name="Save and continue").click()
    expect(page.get_by_text(f"Consignee {PARTY} is saved.")).to_be_visible()
    expect(page.locator("form#details-form").get_by_label("End use")).to_have_value(END_USE)
    page.get_by_role("button", name="Save and continue").click()
    expect(page.get_by_text("The details are saved.")).to_be_visible()
    page.get_by_role("button", name="Save and continue").click()  # no file chosen: nothing to upload

    # --- Check and submit: what was saved, and what is still missing next to its step.
    expect(page).to_have_url(f"{page.url.split('/portal/')[0]}/portal/applications/{application.pk}/")
    expect(page.get_by_role("heading", name="Check and submit")).to_be_visible()
    expect(page.locator("#check-goods")).to_contain_text(DESCRIPTION)
    expect(page.locator("#check-parties")).to_contain_text(PARTY)
    expect(page.locator("#check-end-use")).to_contain_text(END_USE)
    expect(page.locator("#check-parties")).to_contain_text("Add the end user")
    expect(page.locator("#check-documents")).to_contain_text("end-user certificate")
    screenshot(page, "draft-steps-05-check")
    assert_accessible(page, name="draft-steps-05-check")

    # A failed submit comes back to this page, not to .../submit/, with the reason.
    page.get_by_role("button", name="Submit the application").click()
    expect(page.get_by_text("The application is not submitted yet.")).to_be_visible()
    assert "/submit/" not in page.url

    # Saved input is not "restored" over itself: the goods step's add form is empty again.
    _step(page, "Goods")
    expect(page.locator("form#goods-form").get_by_label("Description")).to_have_value("")
    expect(page.locator("form#goods-form").get_by_text("had not saved yet")).to_be_hidden()

    # --- The same step on a phone.
    page.set_viewport_size({"width": 390, "height": 844})
    page.reload()
    screenshot(page, "draft-steps-06-goods-390")
    # The page itself never scrolls sideways (the goods table scrolls inside its own frame).
    wide = page.evaluate(
        "() => Array.from(document.querySelectorAll('body *')).filter(e => !e.closest('.app-table-wrap'))"
        ".filter(e => e.getBoundingClientRect().right > document.documentElement.clientWidth + 1)"
        ".map(e => e.tagName + '.' + e.className)"
    )
    assert not page.evaluate("document.documentElement.scrollWidth > document.documentElement.clientWidth"), wide
    screenshot(page, "draft-steps-06-goods-390")
    assert_accessible(page, name="draft-steps-06-goods-390")
