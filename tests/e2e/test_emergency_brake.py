"""The emergency brake in the browser: an officer records an incoming notification and sees its deadline,
proposes an objection, a senior officer approves it, it is sent, and the high-level consultation is concluded
by consensus; the notification's history tells the whole story. The dashboard and the notification page have
no WCAG 2.1 AA violations that axe-core can find."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from consultations.deadlines import objection_deadline
from consultations.models.treaty import NotificationStatus, TreatyNotification
from consultations.services.notifications import notification_record_incoming
from licensing.services.treaty_parameters import treaty_parameters_load
from tests.e2e.conftest import assert_accessible, login, screenshot
from tests.factories import nl_treaty_accession
from tests.security.forms_templates import make_form_templates_available

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

STORY = [
    "Treaty notification recorded",
    "Objection proposed",
    "Objection approved",
    "Objection sent",
    "Consultation opened",
    "Consultation concluded",
]


@pytest.fixture(autouse=True)
def _form_templates(settings):  # type: ignore[no-untyped-def]
    make_form_templates_available(settings)  # until "django.forms" is in INSTALLED_APPS


def _log_out(page: Page) -> None:
    page.get_by_role("button", name="Log out").click()


def test_officer_objects_in_time_and_the_consultation_ends_in_consensus(page: Page, officer, senior):
    treaty_parameters_load()
    nl_treaty_accession()
    today = timezone.localdate()
    # Another notification already on the dashboard, so the table is there when axe looks.
    notification_record_incoming(
        actor=officer,
        counterpart_id="DE",
        subject_kind="home_state_content",
        subject="Trainer aircraft avionics to Brazil",
        third_country_id="BR",
        received_on=today - timedelta(days=57),
    )
    deadline = objection_deadline(today)

    login(page, officer)
    page.goto("/consultations/")
    expect(page.locator("h1")).to_have_text("Treaty deadlines")
    expect(page.get_by_role("row", name="Trainer aircraft avionics to Brazil")).to_contain_text("unassigned")
    screenshot(page, "treaty-dashboard")
    assert_accessible(page, name="treaty-dashboard")

    page.get_by_role("link", name="Record an incoming notification").click()
    page.get_by_label("Notifying party").select_option("FR")
    page.get_by_label("Date of becoming aware").fill(today.isoformat())
    page.get_by_label("What is exported").select_option("home_state_content")
    page.get_by_label("Export project").fill("Frigate with Dutch radar to India")
    page.get_by_label("Third-country destination").select_option("IN")
    page.get_by_label("Assign to").select_option(str(officer.pk))
    page.get_by_role("button", name="Record notification").click()

    expect(page.get_by_text(f"The objection deadline is {deadline.isoformat()}.")).to_be_visible()
    expect(page.locator(".app-treaty-deadline")).to_contain_text(f"{deadline:%A} {deadline.day} {deadline:%B %Y}")
    expect(page.get_by_text(f"{today.isoformat()} + 2 months = {deadline.isoformat()}")).to_be_visible()
    assert_accessible(page, name="treaty-notification")
    notification_url = page.url

    page.get_by_label("National security compromised").check()
    page.get_by_label("Reasons").fill("The radar's Dutch signal processing must not reach this destination.")
    page.get_by_role("button", name="Propose objection").click()
    expect(page.get_by_text("Objection proposed. A senior officer must approve it")).to_be_visible()
    expect(page.get_by_text("A senior officer other than you must approve this objection")).to_be_visible()

    _log_out(page)
    login(page, senior)
    page.goto(notification_url)
    page.get_by_label("Comment (required when sending back)").fill("Exceptional case: agreed.")
    page.get_by_role("button", name="Approve objection").click()
    expect(page.get_by_text("Objection approved. It can now be sent.")).to_be_visible()

    _log_out(page)
    login(page, officer)
    page.goto(notification_url)
    page.get_by_role("button", name="Send objection").click()
    expect(page.get_by_text("Objection sent. A high-level consultation is now open.")).to_be_visible()

    page.get_by_label("Date", exact=True).fill(today.isoformat())
    page.get_by_label("Participants").fill("Export control directors of France and the Netherlands")
    page.get_by_label("Alternatives proposed").fill("Deliver the radar with the export variant of its processor.")
    page.get_by_role("button", name="Record meeting").click()
    expect(page.get_by_text("Meeting recorded.")).to_be_visible()

    page.get_by_label("Consensus solution").check()
    page.get_by_label("Solution reached").fill("The export variant is delivered instead.")
    page.get_by_role("button", name="Conclude consultation").click()
    expect(page.get_by_text("Consultation concluded after 0 day(s).")).to_be_visible()

    history = page.locator("section", has=page.locator("h2#history-heading")).locator("li")
    expect(history).to_have_count(len(STORY) + 1)  # and the meeting
    texts = history.all_inner_texts()
    positions = [next(i for i, text in enumerate(texts) if step in text) for step in STORY]
    assert positions == sorted(positions), texts
    assert "Outcome: Consensus solution" in texts[-1]
    screenshot(page, "treaty-consultation-concluded")
    assert_accessible(page, name="treaty-notification-concluded")

    recorded = TreatyNotification.objects.get(subject="Frigate with Dutch radar to India")
    assert (recorded.objection_deadline, recorded.status) == (deadline, NotificationStatus.CLOSED)
