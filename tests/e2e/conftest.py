"""Browser tests: Debian's Chromium, driven by Playwright's sync API, against pytest-django's live server.

- The live server runs in a thread of this process and reads the database through its own connection, so
  e2e tests use `@pytest.mark.django_db(transaction=True)`: what a test creates must be committed to be seen.
- pytest-django's live server serves static files through django.contrib.staticfiles' finders (the test
  settings use StaticFilesStorage; no collectstatic needed). `assert_styles_loaded` checks that they arrive.
- Helpers: `login(page, user)` through the real login form, `screenshot(page, name)` into
  test-artifacts/screenshots/, `assert_accessible(page)` with axe-core on the WCAG 2.1 A/AA rules.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Browser, Page, expect, sync_playwright

from tests.factories.parties import PASSWORD

CHROMIUM = "/usr/bin/chromium"  # Debian's package; Playwright's own browser downloads are not used
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
SCREENSHOTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "screenshots"
WCAG_21_AA = {
    "runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]},
    "resultTypes": ["violations"],
}
TIMEOUT_MS = 15_000
APP_BLUE = "rgb(21, 66, 115)"  # --app-blue in static/css/app.css, the header's background


@pytest.fixture(autouse=True)
def reference_data(transactional_db: None) -> None:
    """pytest-django empties every table after a transaction=True test, reference data included: load it
    again when it is gone (personas need their country and role groups)."""
    from core.roles_setup import roles_sync
    from parties.models import Country
    from seeding.reference_data import reference_data_load

    roles_sync()
    if not Country.objects.exists():
        reference_data_load()


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    if not Path(CHROMIUM).exists():
        pytest.skip(f"{CHROMIUM} is missing: install Debian's chromium package (make test does)")
    # Playwright's sync API keeps an asyncio loop running in this thread, and Django then refuses ORM calls
    # from it (SynchronousOnlyOperation) although they are plain synchronous calls. Allow them while the
    # browser is up; the module scope keeps that to the browser tests.
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    try:
        with sync_playwright() as playwright:
            chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            yield chromium
            chromium.close()
    finally:
        if previous is None:
            os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


@pytest.fixture
def page(browser: Browser, live_server: Any) -> Iterator[Page]:
    """A fresh browser context (no cookies) per test, with relative URLs resolved against the live server."""
    context = browser.new_context(base_url=live_server.url, locale="en-GB", viewport={"width": 1280, "height": 900})
    context.set_default_timeout(TIMEOUT_MS)
    new_page = context.new_page()
    yield new_page
    context.close()


def login(page: Page, user: Any) -> None:
    """Log in through the real login form (allauth, e-mail and password), as a person would."""
    page.goto("/accounts/login/")
    form = page.locator("form", has=page.locator("button[name=action_login]"))
    # By field name, not label: the labels change with the language.
    form.locator("input[name=login]").fill(user.email)
    form.locator("input[name=password]").fill(PASSWORD)
    # The header's language switch also has submit buttons: press the login form's own.
    form.locator("button[name=action_login]").click()
    expect(page).not_to_have_url(re.compile(r"/accounts/login/"))


def screenshot(page: Page, name: str) -> Path:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path


def describe_violations(violations: list[dict[str, Any]]) -> str:
    lines = []
    for violation in violations:
        lines.append(f"- {violation['id']} ({violation.get('impact')}): {violation['help']} [{violation['helpUrl']}]")
        for node in violation["nodes"]:
            lines.append(f"    at {', '.join(map(str, node['target']))}: {node['html'][:200]}")
    return "\n".join(lines)


def assert_accessible(page: Page, *, name: str | None = None) -> None:
    """No axe-core violations of WCAG 2.0/2.1 level A and AA on the page as it is now."""
    results = Axe().run(page, options=WCAG_21_AA)
    violations = results.response["violations"]
    if violations:
        if name:
            screenshot(page, f"{name}-axe-violations")
        report = describe_violations(violations)
        print(f"axe found {len(violations)} WCAG 2.1 AA violation(s) on {page.url}:\n{report}")
        raise AssertionError(f"{len(violations)} axe violation(s) on {page.url}:\n{report}")
    assert results.violations_count == 0


def horizontal_overflow(page: Page) -> list[str]:
    """Elements sticking out to the right of the viewport (they force horizontal scrolling)."""
    return list(
        page.evaluate(
            """() => {
                const width = document.documentElement.clientWidth;
                return Array.from(document.querySelectorAll('body *'))
                    .filter(e => e.getBoundingClientRect().right > width + 1)
                    .map(e => `${e.tagName.toLowerCase()}.${e.className} ends at `
                        + `${Math.round(e.getBoundingClientRect().right)}px`);
            }"""
        )
    )


def assert_styles_loaded(page: Page) -> None:
    """Every stylesheet arrived with rules in it, and app.css is applied (the header is the register's blue)."""
    sheets = page.evaluate(
        "() => Array.from(document.querySelectorAll('link[rel=stylesheet]')).map("
        "l => [l.href, l.sheet ? l.sheet.cssRules.length : 0])"
    )
    assert sheets, "the page links no stylesheets"
    empty = [href for href, rules in sheets if rules == 0]
    assert not empty, f"stylesheets not served: {empty}"
    expect(page.locator("header.app-header")).to_have_css("background-color", APP_BLUE)
