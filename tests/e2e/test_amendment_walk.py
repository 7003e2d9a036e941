"""Issue 17, amending a licence, walked in the browser: the exporter asks for more of the licensed goods and a new
consignee picked from its saved parties, the officer decides the change (a rise of half the value and a new
consignee need a senior officer's countersignature), and the exporter ships against the new version, more than the
first version allowed, and sees the new consignee on it. Every distinct page has no WCAG 2.1 AA violations that
axe-core can find."""

from __future__ import annotations

import re

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from licensing.models import AmendmentStatus, Licence, LicenceAmendment, PartyRole, PartyType
from tests.e2e.conftest import assert_accessible, login, screenshot
from tests.factories import SavedPartyFactory
from tests.licensing.views.test_portal_helpers import licence_for

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def _switch_to(page: Page, user: object) -> None:
    page.context.clear_cookies()
    login(page, user)


def test_exporter_amends_a_licence_and_ships_against_the_new_version_when_approved(
    page: Page, exporter_a, officer, senior
):
    licence = licence_for(exporter_a, officer)  # 10 pieces at EUR 1,000 each
    SavedPartyFactory(
        organisation=exporter_a.organisation,
        role=PartyRole.CONSIGNEE,
        name="Nammo Raufoss Logistics AS",
        address="Enggata 37, 2830 Raufoss",
        party_type=PartyType.COMMERCIAL,
    )

    # --- The exporter asks for 15 pieces instead of 10.
    login(page, exporter_a)
    page.goto(f"/portal/licences/{licence.pk}/")
    page.get_by_role(
        "link", name="Ask for an amendment (goods, quantities, validity, destination, consignee, end user)"
    ).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Ask for an amendment")
    assert_accessible(page, name="amendment-01-form")
    page.get_by_label(re.compile(r": quantity \(pcs\)")).fill("15")
    page.get_by_label(re.compile(r": value \(EUR\)")).fill("15000")
    consignee = page.get_by_label("New consignee: pick a saved party")
    consignee.select_option(label="Consignee: Nammo Raufoss Logistics AS (NO)")
    page.get_by_role("button", name="Send the request").click()  # no reason: the field says what is missing
    expect(page.get_by_text("Say why the licence needs to change.").first).to_be_visible()
    assert_accessible(page, name="amendment-02-error")
    page.get_by_label("Why does the licence need to change?").fill("The navy ordered five more.")
    page.get_by_role("button", name="Send the request").click()
    expect(page.get_by_text("Your request is sent to the licensing authority.")).to_be_visible()
    screenshot(page, "amendment-03-requested")
    assert_accessible(page, name="amendment-03-requested")

    # --- The officer decides from the list of licence changes: half as much value again needs four eyes.
    _switch_to(page, officer)
    page.goto("/casework/")
    page.get_by_role("link", name="Licence changes").first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Requests to change a licence")
    assert_accessible(page, name="amendment-04-list")
    page.get_by_role("link", name=licence.number).click()
    expect(page.get_by_text("An approval waits for a senior officer's countersignature:")).to_be_visible()
    screenshot(page, "amendment-05-case")
    assert_accessible(page, name="amendment-05-case")
    page.get_by_label("Approve the change").check()
    page.get_by_label("Reasons").fill("Same end user and end use; the quantity is in line with the programme.")
    page.get_by_role("button", name="Decide", exact=True).click()
    expect(page.get_by_text("The decision waits for a senior officer's countersignature.")).to_be_visible()

    # --- A senior officer countersigns: version 2 is issued.
    _switch_to(page, senior)
    amendment = LicenceAmendment.objects.get(licence=licence)
    page.goto(f"/casework/amendments/{amendment.pk}/")
    assert_accessible(page, name="amendment-06-countersign")
    page.get_by_role("button", name="Countersign").click()
    expect(page.get_by_text("Countersigned: the decision on the change takes effect.")).to_be_visible()
    amendment.refresh_from_db()
    assert (amendment.status, amendment.resulting_version) == (AmendmentStatus.APPROVED, 2)

    # --- The exporter ships 12 pieces: more than version 1 allowed, within version 2.
    _switch_to(page, exporter_a)
    page.goto(f"/portal/licences/{licence.pk}/")
    expect(page.get_by_role("row", name=re.compile(r"Version 2 \(in force\)"))).to_be_visible()
    expect(page.get_by_text("Nammo Raufoss Logistics AS").first).to_be_visible()  # the consignee of version 2
    screenshot(page, "amendment-07-version-2")
    assert_accessible(page, name="amendment-07-version-2")
    page.get_by_label("Shipment date").fill(timezone.localdate().isoformat())
    page.get_by_label("Quantity shipped").fill("12")
    page.get_by_label("Value shipped (EUR)").fill("12000")
    page.get_by_role("button", name="Record the shipment").click()
    expect(page.get_by_text("The shipment is recorded.")).to_be_visible()
    assert_accessible(page, name="amendment-08-shipped")
    shipment = Licence.objects.get(pk=licence.pk).shipments.get()
    assert (shipment.quantity, shipment.terms_version) == (12, 2)
