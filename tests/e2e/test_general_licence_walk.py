"""Issue 17, general licences in the browser: a company registers for a general licence that needs approval,
an officer approves the registration, and the company files a usage return (first with a line outside the
licence's scope, which the form refuses on that line). No axe violations on the pages walked."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from general_licences.models import RegistrationStatus, UsageReturn
from tests.e2e.conftest import assert_accessible, login, screenshot
from tests.general_licences.helpers import publish

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def _switch_to(page: Page, user: object) -> None:
    page.context.clear_cookies()
    login(page, user)


def test_company_registers_for_a_general_licence_officer_approves_and_company_files_a_usage_return(
    page: Page, exporter_a, officer
):
    licence = publish(officer, valid_from=timezone.localdate() - timedelta(days=30), valid_until=None)

    # --- The company finds the licence in the portal and registers.
    login(page, exporter_a)
    page.goto("/portal/applications/")
    page.get_by_role("link", name="General licences").first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("General licences")
    assert_accessible(page, name="gl-01-list")
    page.get_by_role("link", name=licence.reference).click()
    screenshot(page, "gl-02-licence")
    assert_accessible(page, name="gl-02-licence")
    page.get_by_label("How will you use this licence?").fill("Thermal sights for the Bundeswehr")
    page.get_by_role("button", name="Register to use this licence").click()
    expect(page.get_by_text("an officer approves it before you may use the licence")).to_be_visible()
    assert_accessible(page, name="gl-03-pending")
    registration = licence.registrations.get()
    assert registration.status == RegistrationStatus.PENDING

    # --- An officer approves it from the general licences page.
    _switch_to(page, officer)
    page.goto("/casework/")
    page.get_by_role("link", name="General licences and their use").first.click()
    assert_accessible(page, name="gl-04-officer-list")
    page.get_by_role("link", name=f"{exporter_a.organisation.name} · {licence.reference}").click()
    assert_accessible(page, name="gl-05-registration")
    page.get_by_label("Approve the registration").check()
    page.get_by_role("button", name="Record the decision").click()
    expect(page.get_by_text("registration is registered")).to_be_visible()
    registration.refresh_from_db()
    assert registration.status == RegistrationStatus.APPROVED

    # --- The company files a usage return; a line outside the scope is refused on the line.
    _switch_to(page, exporter_a)
    page.goto(f"/portal/general-licences/registrations/{registration.pk}/")
    line = page.get_by_role("group", name="Line 1")
    line.get_by_label("Military List category").select_option("ML15")
    line.get_by_label("Goods").fill("Thermal imaging sights")
    line.get_by_label("Quantity").fill("12")
    line.get_by_label("Value (EUR)").fill("-5")
    line.get_by_label("Recipient", exact=True).fill("Bundeswehr, BAAINBw")
    line.get_by_label("Country of the recipient").select_option("DE")
    page.get_by_role("button", name="File the return").click()
    expect(page.get_by_text("The value cannot be negative.")).to_be_visible()
    assert_accessible(page, name="gl-06-return-error")
    page.get_by_role("group", name="Line 1").get_by_label("Value (EUR)").fill("84000")
    page.get_by_role("button", name="File the return").click()
    expect(page.get_by_text("is filed.")).to_be_visible()
    screenshot(page, "gl-07-filed")
    assert_accessible(page, name="gl-07-filed")
    usage = UsageReturn.objects.get()
    assert usage.lines.get().value_eur == 84000
