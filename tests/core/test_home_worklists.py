"""The home page is each role's worklist: counts that link to the filtered list, nearest deadlines first, in a
constant number of queries."""

from __future__ import annotations

import re
from datetime import date, timedelta

import pytest
import time_machine
from django.utils import timezone

from licensing.models import Application, ApplicationStatus
from tests.factories import InformationRequestFactory, complete_draft, submitted_application

pytestmark = pytest.mark.django_db

# Monday 2 March 2026. Ten working days ahead is Monday 16 March (no holidays in between).
TODAY = date(2026, 3, 2)


def _case(*, officer=None, legal_deadline: date, target_date: date | None = None) -> Application:  # type: ignore[no-untyped-def]
    application = submitted_application(status=ApplicationStatus.UNDER_REVIEW, assigned_to=officer)
    Application.objects.filter(pk=application.pk).update(
        legal_deadline=legal_deadline, target_date=target_date or legal_deadline
    )
    return application


def _count_for(content: str, href: str) -> int:
    """The number shown in the home page's link to `href`."""
    match = re.search(rf'href="{re.escape(href)}"[^>]*><span class="app-stat__n">(\d+)</span>', content)
    assert match, f"no count links to {href}"
    return int(match.group(1))


@time_machine.travel(TODAY, tick=False)
def test_officer_home_counts_my_cases_by_deadline_and_links_each_count_to_the_filtered_queue(client_for, officer):
    due_soon = _case(officer=officer, legal_deadline=date(2026, 3, 16))  # the 10th working day: included
    _case(officer=officer, legal_deadline=date(2026, 3, 17))  # the 11th working day: not yet
    overdue = _case(officer=officer, legal_deadline=date(2026, 2, 27))
    _case(legal_deadline=date(2026, 4, 30))  # unassigned
    answered = _case(officer=officer, legal_deadline=date(2026, 4, 20))
    InformationRequestFactory(application=answered, answered_on=TODAY - timedelta(days=3), answered_at=timezone.now())

    content = client_for(officer).get("/").content.decode()

    assert _count_for(content, "/casework/?tab=mine") == 4
    assert _count_for(content, "/casework/?tab=mine&amp;due_soon=true") == 1
    assert _count_for(content, "/casework/?tab=mine&amp;overdue=true") == 1
    assert _count_for(content, "/casework/?tab=mine&amp;answered=true") == 1
    assert _count_for(content, "/casework/?tab=unassigned") == 1
    # Nearest deadline first: the overdue case heads the list, then the one due on 16 March.
    assert content.index(overdue.reference) < content.index(due_soon.reference)
    queue = client_for(officer).get("/casework/?tab=mine&due_soon=true").content.decode()
    assert due_soon.reference in queue and overdue.reference not in queue


@time_machine.travel(TODAY, tick=False)
def test_officer_home_uses_the_same_number_of_queries_for_few_and_many_cases(
    client_for, officer, django_assert_max_num_queries
):
    client = client_for(officer)
    _case(officer=officer, legal_deadline=date(2026, 3, 10))
    client.get("/")  # warm the session and caches
    with django_assert_max_num_queries(14) as few:
        client.get("/")
    for day in range(12):
        _case(officer=officer, legal_deadline=date(2026, 3, 3) + timedelta(days=day))
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get("/")


@time_machine.travel(TODAY, tick=False)
def test_exporter_home_shows_the_open_question_the_drafts_and_a_new_application_button(client_for, exporter_a):
    asked = submitted_application(status=ApplicationStatus.INFORMATION_REQUESTED, organisation=exporter_a.organisation)
    InformationRequestFactory(application=asked, respond_by=date(2026, 3, 30))
    complete_draft(organisation=exporter_a.organisation, created_by=exporter_a)

    content = client_for(exporter_a).get("/").content.decode()

    assert 'href="/portal/applications/new/"' in content
    assert asked.reference in content
    assert _count_for(content, "/portal/applications/?status=draft") == 1


@time_machine.travel(TODAY, tick=False)
def test_exporter_home_does_not_show_another_company_s_question(client_for, exporter_a, exporter_b):
    asked = submitted_application(status=ApplicationStatus.INFORMATION_REQUESTED, organisation=exporter_a.organisation)
    InformationRequestFactory(application=asked)

    content = client_for(exporter_b).get("/").content.decode()

    assert asked.reference not in content


def test_senior_home_lists_the_objection_another_officer_proposed(client_for, officer, senior):
    from consultations.services.objections import objection_propose
    from tests.factories import nl_treaty_accession
    from tests.treaty.test_emergency_brake import incoming

    nl_treaty_accession()
    notification = incoming(officer, received_on=TODAY)
    with time_machine.travel(TODAY, tick=False):
        objection_propose(
            actor=officer, notification_id=notification.pk, ground="national_security", reasons="Sensitive radar."
        )
        content = client_for(senior).get("/").content.decode()
        own = client_for(officer).get("/").content.decode()

    assert _count_for(content, "/consultations/?status=running") == 1
    assert "Frigate with Dutch radar to Indonesia" in content
    assert "Objections to approve" not in own  # officers propose; only senior officers approve
