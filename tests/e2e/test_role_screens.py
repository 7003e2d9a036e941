"""The main screens of every role, in Dutch and in English, at a laptop's 1366 px and a phone's 390 px: each is
screenshotted (test-artifacts/screenshots/), has no axe-core WCAG 2.1 AA violation, no console error, and the
page does not scroll sideways."""

from __future__ import annotations

import re
from typing import Any

import pytest
from playwright.sync_api import Browser, expect

from licensing.models import ApplicationStatus
from tests.e2e.conftest import TIMEOUT_MS, assert_accessible, login, screenshot
from tests.factories import InformationRequestFactory, submitted_application
from tests.factories.parties import PASSWORD
from tests.security.totp import totp_code

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

# The role's main pages: its home worklist and the lists it works from.
MAIN_PAGES = {
    "exporter_a": ["/", "/portal/applications/", "/portal/licences/"],
    "officer": ["/", "/casework/", "/casework/?tab=mine&sort=deadline"],
    "senior": ["/", "/casework/"],
    "adviser": ["/", "/casework/advice/"],
    "analyst": ["/", "/reports/", "/reports/monthly/"],
    "administrator": ["/", "/admin/"],
}
WIDTHS = {"wide": 1366, "phone": 390}
LOCALES = {"nl": "nl-NL", "en": "en-GB"}
WELCOME = {"nl": "Welkom", "en": "Welcome"}
FORGOT = {"nl": "Wachtwoord vergeten?", "en": "Forgot your password?"}
LINK_EXPIRED = {"nl": "Deze link werkt niet meer", "en": "This link no longer works"}
SET_UP = {"nl": "Authenticator-app instellen", "en": "Set up the authenticator app"}
RECOVERY_CODES = {"nl": "Herstelcodes", "en": "Recovery codes"}
ADMIN_NAME = {"nl": "Register exportvergunningen", "en": "Export licence register"}
PAGE_SCROLLS_SIDEWAYS = "document.documentElement.scrollWidth > document.documentElement.clientWidth"


@pytest.mark.parametrize("width", list(WIDTHS))
@pytest.mark.parametrize("language", list(LOCALES))
@pytest.mark.parametrize("persona", list(MAIN_PAGES))
def test_main_pages_of_each_role_are_accessible_and_clean_in_both_languages_at_both_widths(
    persona: str, language: str, width: str, browser: Browser, live_server: Any, request: pytest.FixtureRequest
) -> None:
    user = request.getfixturevalue(persona)
    if persona in ("officer", "senior"):
        # Cases of different ages, one overdue: the queue's references, amounts and deadline tags must not wrap.
        for days_ago in (3, 30, 63):
            submitted_application(status=ApplicationStatus.UNDER_REVIEW, assigned_to=user, days_ago=days_ago)
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
            elif path == "/admin/":
                expect(page.locator("#site-name")).to_contain_text(ADMIN_NAME[language])
            name = f"role-{persona}-{number}-{language}-{WIDTHS[width]}"
            screenshot(page, name)
            assert_accessible(page, name=name)
            # The page itself never scrolls sideways; a wide data table scrolls inside its own wrapper (WCAG 1.4.10
            # exempts data tables), so elements clipped by .app-table-wrap do not count.
            assert page.evaluate(PAGE_SCROLLS_SIDEWAYS) is False, f"{path} scrolls sideways at {WIDTHS[width]} px"
        assert errors == []
    finally:
        context.close()


@pytest.mark.parametrize("width", list(WIDTHS))
@pytest.mark.parametrize("language", list(LOCALES))
def test_sign_in_password_and_two_factor_pages_are_in_the_house_style_in_both_languages_at_both_widths(
    language: str, width: str, browser: Browser, live_server: Any, officer: Any
) -> None:
    """A staff member's way in: log-in, the four password reset pages, then setting up the authenticator app (the
    password asked again, the QR code, a code from the app), the recovery codes, and the code asked at the next
    login. Each page carries the register's header, passes axe and does not scroll sideways."""
    context = browser.new_context(
        base_url=live_server.url, locale=LOCALES[language], viewport={"width": WIDTHS[width], "height": 900}
    )
    context.set_default_timeout(TIMEOUT_MS)
    page = context.new_page()
    errors: list[str] = []
    page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
    page.on("pageerror", lambda error: errors.append(str(error)))

    def check(name: str) -> None:
        expect(page.locator("html")).to_have_attribute("lang", language)
        expect(page.locator("header.app-header")).to_be_visible()
        shot = f"sign-in-{name}-{language}-{WIDTHS[width]}"
        screenshot(page, shot)
        assert_accessible(page, name=shot)
        assert page.evaluate(PAGE_SCROLLS_SIDEWAYS) is False, f"{page.url} scrolls sideways at {WIDTHS[width]} px"

    try:
        page.goto("/accounts/login/")
        expect(page.get_by_role("link", name=FORGOT[language])).to_have_count(1)
        check("0-login")
        page.get_by_role("link", name=FORGOT[language]).click()
        check("1-password-reset")
        page.locator("input[name=email]").fill(officer.email)
        page.locator("main form button[type=submit]").click()
        expect(page).to_have_url(re.compile(r"/accounts/password/reset/done/$"))
        check("2-password-reset-sent")
        page.goto("/accounts/password/reset/key/1-no-longer-valid/")
        expect(page.locator("h1")).to_have_text(LINK_EXPIRED[language])
        check("3-password-reset-link-expired")
        page.goto("/accounts/password/reset/key/done/")
        check("4-password-changed")

        login(page, officer)
        page.goto("/accounts/2fa/")
        check("5-account-security")
        page.locator("main").get_by_role("link", name=SET_UP[language]).click()
        page.locator("input[name=password]").fill(PASSWORD)  # allauth asks for the password again first
        page.locator("main form button[type=submit]").click()
        expect(page).to_have_url(re.compile(r"/accounts/2fa/totp/activate/$"))
        check("6-authenticator-set-up")
        secret = page.locator("#authenticator_secret").input_value()
        page.locator("input[name=code]").fill(totp_code(secret))
        page.locator("main form button[type=submit]").click()
        expect(page.locator("main")).to_contain_text(RECOVERY_CODES[language], ignore_case=True)
        page.goto("/accounts/2fa/recovery-codes/")
        check("7-recovery-codes")

        page.locator("header form[action$='/logout/'] button").click()
        page.goto("/accounts/login/")
        form = page.locator("form", has=page.locator("button[name=action_login]"))
        form.locator("input[name=login]").fill(officer.email)
        form.locator("input[name=password]").fill(PASSWORD)
        form.locator("button[name=action_login]").click()
        expect(page).to_have_url(re.compile(r"/accounts/2fa/authenticate/$"))
        check("8-code-at-login")
        assert errors == []
    finally:
        context.close()
