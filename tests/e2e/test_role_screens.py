"""The main screens of every role, in Dutch and in English, at a laptop's 1366 px and a phone's 390 px: each is
screenshotted (test-artifacts/screenshots/), has no axe-core WCAG 2.1 AA violation, no console error, and the
page does not scroll sideways."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import Browser, expect

from licensing.models import ApplicationStatus
from tests.e2e.conftest import TIMEOUT_MS, assert_accessible, login, screenshot
from tests.factories import InformationRequestFactory, submitted_application

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

# The role's main pages: its home worklist and the list it works from.
MAIN_PAGES = {
    "exporter_a": ["/", "/portal/applications/"],
    "officer": ["/", "/casework/"],
    "senior": ["/"],
    "adviser": ["/", "/casework/advice/"],
    "analyst": ["/", "/reports/"],
}
WIDTHS = {"wide": 1366, "phone": 390}
LOCALES = {"nl": "nl-NL", "en": "en-GB"}
WELCOME = {"nl": "Welkom", "en": "Welcome"}
PAGE_SCROLLS_SIDEWAYS = "document.documentElement.scrollWidth > document.documentElement.clientWidth"


@pytest.mark.parametrize("width", list(WIDTHS))
@pytest.mark.parametrize("language", list(LOCALES))
@pytest.mark.parametrize("persona", list(MAIN_PAGES))
def test_main_pages_of_each_role_are_accessible_and_clean_in_both_languages_at_both_widths(
    persona: str, language: str, width: str, browser: Browser, live_server: Any, request: pytest.FixtureRequest
) -> None:
    user = request.getfixturevalue(persona)
    if persona == "officer":
        submitted_application(status=ApplicationStatus.UNDER_REVIEW, assigned_to=user)
    if persona == "exporter_a":
        asked = submitted_application(status=ApplicationStatus.INFORMATION_REQUESTED, organisation=user.organisation)
        InformationRequestFactory(application=asked)
    context = browser.new_context(
        base_url=live_server.url,
        locale=LOCALES[language],
        viewport={"width": WIDTHS[width], "height": 900},
    )
    context.set_default_timeout(TIMEOUT_MS)
    page = context.new_page()
    errors: list[str] = []
    page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
    page.on("pageerror", lambda error: errors.append(str(error)))
    try:
        login(page, user)
        for number, path in enumerate(MAIN_PAGES[persona]):
            page.goto(path)
            expect(page.locator("html")).to_have_attribute("lang", language)
            if path == "/":
                expect(page.locator("h1")).to_contain_text(WELCOME[language])
            name = f"role-{persona}-{number}-{language}-{WIDTHS[width]}"
            screenshot(page, name)
            assert_accessible(page, name=name)
            # The page itself never scrolls sideways; a wide data table scrolls inside its own wrapper (WCAG 1.4.10
            # exempts data tables), so elements clipped by .app-table-wrap do not count.
            assert page.evaluate(PAGE_SCROLLS_SIDEWAYS) is False, f"{path} scrolls sideways at {WIDTHS[width]} px"
        assert errors == []
    finally:
        context.close()
