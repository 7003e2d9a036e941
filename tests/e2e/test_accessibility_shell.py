"""The shell every page shares (templates/base.html, static/css/app.css), in a real browser: it is styled,
has no WCAG 2.1 AA violations that axe-core can find, reflows at 320 CSS pixels, and switches to Dutch."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, ViewportSize, expect

from tests.e2e.conftest import (
    assert_accessible,
    assert_styles_loaded,
    horizontal_overflow,
    login,
    screenshot,
)

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

PERSONAS = ["exporter_a", "officer", "senior", "adviser", "analyst", "administrator"]
NARROW: ViewportSize = {"width": 320, "height": 640}  # WCAG 1.4.10: 320 CSS pixels wide, no scrolling in two directions


def test_login_page_is_styled_and_has_no_accessibility_violations_when_anonymous(page: Page):
    page.goto("/accounts/login/")
    expect(page.locator("h1")).to_have_text("Log in")
    assert_styles_loaded(page)
    screenshot(page, "login")
    assert_accessible(page, name="login")


@pytest.mark.parametrize("persona", PERSONAS)
def test_home_page_has_no_accessibility_violations_when_logged_in_as_each_role(persona, page: Page, request):
    user = request.getfixturevalue(persona)
    login(page, user)
    page.goto("/")
    expect(page.locator("h1")).to_have_count(1)
    expect(page.locator("h1")).to_contain_text("Welcome")
    assert_styles_loaded(page)
    screenshot(page, f"home-{persona}")
    assert_accessible(page, name=f"home-{persona}")


def test_login_page_needs_no_sideways_scrolling_when_the_window_is_320_pixels_wide(page: Page):
    page.set_viewport_size(NARROW)
    page.goto("/accounts/login/")
    assert horizontal_overflow(page) == []


def test_home_page_needs_no_sideways_scrolling_when_the_window_is_320_pixels_wide(page: Page, officer):
    page.set_viewport_size(NARROW)
    login(page, officer)
    page.goto("/")
    screenshot(page, "home-officer-320px")
    assert horizontal_overflow(page) == []


def test_language_switch_turns_the_page_dutch_when_nl_is_pressed(page: Page):
    page.goto("/accounts/login/")
    expect(page.locator("html")).to_have_attribute("lang", "en")
    page.locator("form.app-lang button[name=language][value=nl]").click()
    expect(page.locator("html")).to_have_attribute("lang", "nl")
    expect(page).to_have_url(re.compile(r"/accounts/login/$"))
    expect(page.locator("form.app-lang button[value=nl]")).to_have_attribute("aria-current", "true")
    screenshot(page, "login-nl")
    assert_accessible(page, name="login-nl")


def test_language_choice_is_kept_when_the_user_logs_in_afterwards(page: Page, officer):
    page.goto("/accounts/login/")
    page.locator("form.app-lang button[name=language][value=nl]").click()
    expect(page.locator("html")).to_have_attribute("lang", "nl")
    login(page, officer)
    expect(page.locator("html")).to_have_attribute("lang", "nl")


def test_accessibility_check_names_rule_and_element_when_a_page_breaks_wcag(page: Page):
    # The harness itself: a form field without a label and an image without text must be reported.
    page.goto("/accounts/login/")
    page.evaluate(
        """() => {
            const main = document.querySelector('main');
            main.insertAdjacentHTML('beforeend', '<input id="nameless" type="text"><img id="wordless" src="x.png">');
        }"""
    )
    with pytest.raises(AssertionError) as raised:
        assert_accessible(page)
    report = str(raised.value)
    assert "- label (critical)" in report and "#nameless" in report
    assert "- image-alt (critical)" in report and "#wordless" in report
