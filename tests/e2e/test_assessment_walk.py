"""An officer assesses all eight criteria in the browser and proposes a refusal; a senior officer countersigns it.
The assessment page has no WCAG 2.1 AA violations that axe-core can find."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from licensing.models import ApplicationStatus
from licensing.models.denials import DenialNotification
from tests.e2e.conftest import assert_accessible, login, screenshot
from tests.licensing.assessment.helpers import case_in_review
from tests.security.forms_templates import make_form_templates_available

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

VERDICTS = {
    2: ("Grounds to refuse", "Clear risk of use in internal repression by the end user's units.", "2a"),
    7: ("Concerns", "The consignee re-exported comparable goods in 2019.", ""),
}


@pytest.fixture(autouse=True)
def _form_templates(settings):  # type: ignore[no-untyped-def]
    make_form_templates_available(settings)  # until "django.forms" is in INSTALLED_APPS


def _criterion(page: Page, number: int):  # type: ignore[no-untyped-def]
    return page.locator("section.app-criterion", has=page.locator(f"h2#criterion-{number}"))


def test_officer_assesses_eight_criteria_and_a_senior_officer_countersigns_the_refusal(page: Page, officer, senior):
    application = case_in_review(officer=officer, destination="SA", end_user="Saudi Arabian National Guard")

    login(page, officer)
    page.goto(f"/casework/cases/{application.pk}/assessment/")
    expect(page.locator("h1")).to_contain_text("Criteria assessment")
    expect(page.locator("section.app-criterion")).to_have_count(8)
    assert_accessible(page, name="assessment")
    for number in range(1, 9):
        section = _criterion(page, number)
        outcome, justification, sub_criteria = VERDICTS.get(number, ("No concerns", "", ""))
        section.get_by_label(outcome, exact=True).check()
        if justification:
            section.get_by_label("Justification").fill(justification)
        if sub_criteria:
            section.get_by_label("Sub-criteria").fill(sub_criteria)
    page.get_by_role("button", name="Save assessment").click()
    expect(page.get_by_text("Assessment saved (8 criteria).")).to_be_visible()
    screenshot(page, "assessment-saved")
    assert_accessible(page, name="assessment-saved")

    page.goto(f"/casework/cases/{application.pk}/")
    expect(page.locator("#panel-criteria")).to_contain_text("8 of 8 criteria assessed.")
    page.locator("details#refuse > summary").click()
    refuse = page.locator("details#refuse form")
    refuse.get_by_label("2. Human rights and international humanitarian law").check()
    refuse.get_by_label("7. Risk of diversion or re-export").check()
    refuse.get_by_label("Sub-criteria").fill("2a")
    refuse.get_by_label("Justification").fill("Clear risk of internal repression (2a); risk of re-export (7).")
    refuse.get_by_role("button", name="Propose refusal").click()
    expect(page.get_by_text("A senior officer must countersign it before it takes effect.")).to_be_visible()

    page.context.clear_cookies()
    login(page, senior)
    page.goto(f"/casework/cases/{application.pk}/")
    page.get_by_role("button", name="Countersign").click()
    expect(page.get_by_text("Countersigned. The refusal takes effect")).to_be_visible()
    screenshot(page, "assessment-refusal-countersigned")

    application.refresh_from_db()
    assert application.status == ApplicationStatus.REFUSED
    denial = DenialNotification.objects.get(application=application)
    assert sorted(c.number for c in denial.criteria.all()) == [2, 7]
    page.goto("/casework/denials/?direction=outgoing")
    expect(page.locator("table")).to_contain_text(denial.reference)
    assert_accessible(page, name="denial-register")
