"""The de minimis share over the final system, in the browser: the exporter enters the treaty details of a second
transfer into a radar system that already received an approved one, sees the two add up to exactly 20.00 % (does
not exceed: de minimis) and submits; the officer sees both transfers in the computation and approves; the exporter
sees why. Every page passes axe-core's WCAG 2.1 AA rules."""

from __future__ import annotations

from datetime import date

import pytest
from playwright.sync_api import Page, expect

from licensing.models import ApplicationStatus
from licensing.models.treaty import TreatyTransfer
from licensing.services.treaty_parameters import treaty_parameters_load
from licensing.treaty_rules import REASON_EARLIER_DECIDED
from parties.models import Bloc, Membership, MembershipBasis
from tests.e2e.conftest import assert_accessible, login, screenshot
from tests.security.forms_templates import make_form_templates_available
from tests.treaty.conftest import save_transfer, submit_and_decide, treaty_draft

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def _form_templates(settings):  # type: ignore[no-untyped-def]
    make_form_templates_available(settings)  # until "django.forms" is in INSTALLED_APPS


def _switch_to(page: Page, user: object) -> None:
    page.context.clear_cookies()
    login(page, user)


def test_second_transfer_into_the_same_system_adds_up_and_the_exporter_sees_why(page: Page, exporter_a, officer):
    treaty_parameters_load()
    Membership.objects.get_or_create(
        country_id="NL",
        bloc=Bloc.TREATY,
        since=date(2022, 6, 9),
        defaults={"basis": MembershipBasis.HYPOTHETICAL, "note": "Test: hypothetical accession."},
    )
    first = treaty_draft(exporter_a, title="Radar modules, first batch", goods_value="50000.00")
    save_transfer(exporter_a, first)  # Naval air-defence radar, identifier NADR-2026, EUR 1,000,000
    submit_and_decide(exporter_a, officer, first)
    second = treaty_draft(exporter_a, title="Radar modules, second batch", goods_value="150000.00")

    # --- The exporter enters the treaty details: the system's identifier finds the registered system.
    login(page, exporter_a)
    page.goto(f"/consultations/exporter/transfers/{second.pk}/")
    page.get_by_label("Final system", exact=True).fill("Naval air defence radar")
    page.get_by_label("System identifier").fill("nadr-2026")
    page.get_by_label("Military List category of the final system").select_option("ML11")
    page.get_by_label("Integrating company").fill("Integrateur Radar SA")
    page.get_by_label("Integrator's state").select_option("FR")
    page.get_by_label("Currency of the system values").select_option("EUR")
    page.get_by_label("Total value of the final system").fill("1000000.00")
    page.get_by_role("button", name="Save and compute the share").click()
    expect(page.get_by_text("Treaty details saved. Share of the Dutch components: 20.00 %.")).to_be_visible()
    computation = page.locator(".app-treaty-computation")
    expect(computation).to_contain_text("De minimis rule applies")
    expect(computation).to_contain_text("200,000.00 ÷ 1,000,000.00 = 20.00 %")
    expect(computation.get_by_role("table")).to_contain_text(first.reference)
    screenshot(page, "final-system-exporter-details")
    assert_accessible(page, name="final-system-exporter-details")

    page.goto(f"/portal/applications/{second.pk}/")
    page.get_by_role("button", name="Submit the application").click()
    expect(page.get_by_text(f"Application {second.reference} is submitted.")).to_be_visible()

    # --- The officer sees both transfers in the computation and approves.
    _switch_to(page, officer)
    page.goto(f"/casework/cases/{second.pk}/")
    treaty = page.locator("#panel-treaty")
    expect(treaty).to_contain_text("Earlier approved transfers into the same system")
    expect(treaty.get_by_role("link", name=first.reference)).to_be_visible()
    expect(treaty).to_contain_text("200,000.00 ÷ 1,000,000.00 = 20.00 %")
    assert_accessible(page, name="final-system-officer-case")
    page.get_by_role("button", name="Assign to me").click()
    expect(page.get_by_text(f"{second.reference} is now yours.")).to_be_visible()
    page.locator("details#approve > summary").click()
    approve = page.locator("details#approve")
    approve.get_by_label("Justification").fill("De minimis over the whole system (20.00 %): licensed without delay.")
    approve.get_by_role("button", name="Approve and issue the licence").click()
    expect(page.get_by_text("Approved. The licence is issued and the exporter is notified.")).to_be_visible()
    second.refresh_from_db()
    assert second.status == ApplicationStatus.APPROVED

    # --- The exporter sees why: both transfers counted, exactly at the threshold.
    _switch_to(page, exporter_a)
    page.goto(f"/portal/applications/{second.pk}/")
    page.get_by_role("link", name="The de minimis computation and why").click()
    reason = REASON_EARLIER_DECIDED.format(earlier="50,000.00", count=1, this="150,000.00")
    expect(page.get_by_text(reason)).to_be_visible()
    expect(page.get_by_text("Share of 20.00 % does not exceed the 20.00 % threshold.")).to_be_visible()
    screenshot(page, "final-system-exporter-why")
    assert_accessible(page, name="final-system-exporter-why")
    assert TreatyTransfer.objects.get(application=second).de_minimis is True
