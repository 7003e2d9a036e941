"""The reports whose point is a share or a trend show a chart next to its table (issue 16): each chart is an image
with a text alternative naming its values, the table holds the same figures, and the page has no axe-core
WCAG 2.1 AA violation. Also the accelerated-information list the reporting staff work from."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import Browser, expect

from tests.e2e.conftest import TIMEOUT_MS, assert_accessible, login, screenshot
from tests.reports import builders as b

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

CHARTED = {
    "/reports/treaty/?year_from=2024&year_to=2025": "end_destinations_summary_chart",
    "/reports/un-register/?year=2025": "by_category_chart",
    "/reports/processing/?date_from=2025-01-01&date_to=2025-12-31": "by_type_chart",
    "/reports/annual/?year=2025": "years_chart",
    "/reports/shares/?date_from=2024-01-01&date_to=2025-12-31&bloc=NATO": "by_production_chart",
}


def test_report_charts_have_text_alternatives_and_tables_and_pass_axe(
    browser: Browser, live_server: Any, analyst: Any, org_a: Any, officer: Any
) -> None:
    # Two licences in 2025 (one outside the EU and NATO), so every chart has bars with values.
    common = {"organisation": org_a, "officer": officer}
    b.licence(**common, destination="IN", issued="2025-03-10", goods=[("ML5", "300000")], received="2025-02-10")
    b.licence(**common, destination="NO", issued="2025-04-10", goods=[("ML10", "100000")], received="2025-02-12")
    context = browser.new_context(base_url=live_server.url, locale="en-GB", viewport={"width": 1366, "height": 900})
    context.set_default_timeout(TIMEOUT_MS)
    page = context.new_page()
    try:
        login(page, analyst)
        for number, (path, key) in enumerate(CHARTED.items()):
            page.goto(path)
            figure = page.locator(f"figure[aria-labelledby='chart-title-{key}']")
            expect(figure).to_have_count(1)
            alt = figure.locator("img").get_attribute("alt") or ""
            # Every bar in words: a share, or "n/a" where there is nothing to divide (this register is empty).
            assert " %" in alt or " n/a" in alt, f"{path}: the chart's text alternative names no value"
            expect(figure.locator("xpath=following::table[1]")).to_be_visible()
            name = f"report-chart-{number}"
            screenshot(page, name)
            assert_accessible(page, name=name)
        page.goto("/reports/parliament/")
        expect(page.locator("h1")).to_contain_text("Accelerated information to parliament")
        assert_accessible(page, name="parliament-list")
    finally:
        context.close()
