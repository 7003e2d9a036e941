"""Issue 17, objection against a decision (bezwaar), walked in the browser: the exporter objects to a refusal
within the term; an officer who took no part in the refusal records the hearing and decides the objection; the
exporter reads the outcome. Every distinct page has no WCAG 2.1 AA violations that axe-core can find."""

from __future__ import annotations

from datetime import datetime

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from licensing.models import DecisionObjection, ObjectionStatus
from tests.e2e.conftest import assert_accessible, login, screenshot
from tests.licensing.objections.builders import refused_on

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

GROUNDS = "The end user is the Royal Norwegian Navy itself; criterion 7 (diversion) does not apply."


def _switch_to(page: Page, user: object) -> None:
    page.context.clear_cookies()
    login(page, user)


def test_exporter_objects_to_a_refusal_and_the_officer_decides_the_objection_when_filed_in_time(
    page: Page, exporter_a, officer, senior, officer2
):
    now = timezone.localtime()
    application = refused_on(
        datetime(now.year, now.month, now.day, 9, 0), exporter=exporter_a, officer=officer, senior=senior
    )

    # --- The exporter finds the way to object on the refused application's page.
    login(page, exporter_a)
    page.goto(f"/portal/applications/{application.pk}/")
    page.get_by_role("link", name="Object to this decision (bezwaar)").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Object to the decision")
    screenshot(page, "objection-01-start")
    assert_accessible(page, name="objection-01-start")
    page.get_by_role("button", name="File the objection").click()  # empty: the field says what is missing
    expect(page.get_by_text("Give the grounds of your objection (Awb 6:5).")).to_be_visible()
    assert_accessible(page, name="objection-02-error")
    page.get_by_label("Why do you object to the decision?").fill(GROUNDS)
    page.get_by_role("button", name="File the objection").click()
    expect(page.get_by_text("Your objection is filed.")).to_be_visible()
    expect(page.get_by_text(GROUNDS)).to_be_visible()
    screenshot(page, "objection-03-filed")
    assert_accessible(page, name="objection-03-filed")
    objection = DecisionObjection.objects.get(application=application)

    # --- An officer who took no part in the refusal handles it from the list of objections.
    _switch_to(page, officer2)
    page.goto("/casework/")
    page.get_by_role("link", name="Objections").first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Objections against decisions")
    assert_accessible(page, name="objection-04-list")
    page.get_by_role("link", name=application.reference).click()
    screenshot(page, "objection-05-case")
    assert_accessible(page, name="objection-05-case")
    page.get_by_label("Hearing held on").fill(timezone.localdate().isoformat())
    page.get_by_label("Record of the hearing (Awb 7:7)").fill("The exporter showed the navy's end-use statement.")
    page.get_by_role("button", name="Record the hearing").click()
    expect(page.get_by_text("The hearing is recorded.")).to_be_visible()
    page.get_by_label("Founded: the decision is revoked").check()
    page.get_by_label("Reasons (sent to the objector)").fill("The end-use statement removes the diversion risk.")
    page.get_by_role("button", name="Decide", exact=True).click()
    expect(page.get_by_text("The objection is decided; the objector is told.")).to_be_visible()
    screenshot(page, "objection-06-decided")
    assert_accessible(page, name="objection-06-decided")
    objection.refresh_from_db()
    assert objection.status == ObjectionStatus.DECIDED and objection.outcome == "revoked"

    # --- The exporter reads the outcome.
    _switch_to(page, exporter_a)
    page.goto(f"/portal/objections/{objection.pk}/")
    expect(page.get_by_text("Founded: the decision is revoked")).to_be_visible()
    assert_accessible(page, name="objection-07-outcome")
