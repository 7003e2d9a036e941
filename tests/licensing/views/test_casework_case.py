"""The officer's case page: who may open it, what it shows above the fold, and its constant query count."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext

from licensing.models import ApplicationStatus
from licensing.selectors_queue import case_history_of
from licensing.services import casework
from licensing.views.officer_case import CASE_HISTORY_SHOWN
from tests.factories import CheckResultFactory, CheckRunFactory, DenialMatchFactory, submitted_application
from tests.licensing.views.test_casework_helpers import case_url, case_via_services, under_review

pytestmark = pytest.mark.django_db

# The session, the user's roles, the case with its five prefetched lists, its licence, the officers, the treaty
# transfers, the open consultations, the criteria and their assessments, the latest check run and its results,
# the denial matches (each read once for the decision gate and the panels: licensing/case_reads.py), the newest
# history, the holidays, the notes, and one query for each other panel (delay notices, earlier decisions, advice,
# certificates, treaty notification and its objections), the unread notifications: constant whatever the size of
# the case, which is what the tests below assert. (36 before the gate and the panels shared their reads.)
CASE_MAX_QUERIES = 27


def test_officer_sees_goods_parties_end_use_documents_and_history_when_opening_a_case(client_for, officer, exporter_a):
    case = case_via_services(
        exporter_a, title="Radar spares", end_user="Royal Norwegian Navy", goods="Radar transmitter module"
    )

    response = client_for(officer).get(case_url(case))

    assert response.status_code == 200
    content = response.content.decode()
    assert content.count("<h1>") == 1
    for text in (
        case.reference,
        "Alpha Defence B.V.",
        "Radar transmitter module",
        "ML5",
        "100,000.00",  # 4 × 25,000 EUR
        "Royal Norwegian Navy",
        "Naval air defence",
        "euc.pdf",
        "Legal deadline",
        "Target date",
        'id="history"',
        "Application status changed",
        "Draft → Submitted",
    ):
        assert text in content, text


@pytest.mark.parametrize("persona", ["exporter_a", "exporter_b", "analyst"])
def test_case_page_is_forbidden_when_the_user_is_not_case_work_staff(client_for, persona, request, org_a):
    case = submitted_application(organisation=org_a)  # exporter A's own case: still not theirs to open here
    response = client_for(request.getfixturevalue(persona)).get(case_url(case))
    assert response.status_code == 403


def test_anonymous_visitor_is_sent_to_login_when_opening_a_case(client):
    case = submitted_application()
    response = client.get(case_url(case))
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_case_page_answers_404_when_the_case_does_not_exist(client_for, officer):
    assert client_for(officer).get("/casework/cases/999999/").status_code == 404


def test_case_page_answers_404_when_the_application_is_still_a_draft(client_for, officer):
    draft = submitted_application(status=ApplicationStatus.DRAFT)
    assert client_for(officer).get(case_url(draft)).status_code == 404


def test_policy_adviser_reads_the_case_without_any_action_form_when_asked_for_advice(client_for, adviser, officer):
    from django.utils import timezone

    from licensing.models.assessment import AdviceRequest

    case = under_review()
    AdviceRequest.objects.create(
        application=case, adviser=adviser, requested_by=officer, question="Criterion 2?", requested_at=timezone.now()
    )
    response = client_for(adviser).get(case_url(case))

    assert response.status_code == 200
    content = response.content.decode()
    assert case.reference in content
    assert "You can read this case" in content
    assert 'method="post" action="/casework/' not in content
    assert 'id="history"' not in content  # the audit trail is for officers (capability audit.view)


def test_policy_adviser_gets_404_when_not_asked_about_the_case(client_for, adviser):
    # Advisers see only the cases they were asked to advise on (selectors._scope_applications).
    case = under_review()
    assert client_for(adviser).get(case_url(case)).status_code == 404


def test_submitted_case_offers_assignment_but_no_question_or_decision_yet(client_for, officer):
    case = submitted_application()
    content = client_for(officer).get(case_url(case)).content.decode()

    assert f'action="/casework/cases/{case.pk}/assign/"' in content
    assert f'action="/casework/cases/{case.pk}/request-information/"' not in content
    assert "Only while the case is under review (it is submitted now)." in content
    assert f'action="/casework/cases/{case.pk}/decision/"' not in content


def test_case_under_review_offers_question_approval_refusal_and_note(client_for, officer):
    case = under_review(officer=officer)
    content = client_for(officer).get(case_url(case)).content.decode()

    for url in ("request-information", "decision", "notes", "assign"):
        assert f'action="/casework/cases/{case.pk}/{url}/"' in content, url
    assert 'name="outcome" value="approve"' in content
    assert 'name="outcome" value="refuse"' in content
    assert f'name="version" value="{case.version}"' in content
    # Refusal criteria are offered with their short titles (Common Position 2008/944/CFSP, Art. 2).
    assert "1. International obligations and commitments" in content
    assert content.count('name="criteria"') == 8


@time_machine.travel(dt.datetime(2026, 3, 2, 10, 0, tzinfo=dt.UTC), tick=False)
def test_case_page_says_how_late_the_case_is_above_the_fold(client_for, officer):
    case = under_review(officer=officer, days_ago=70)  # legal deadline was 16 Feb 2026
    content = client_for(officer).get(case_url(case)).content.decode()

    summary = content[: content.index('id="goods"')]
    assert "overdue by 14 days" in summary
    assert "16 Feb 2026" in summary


def test_case_page_says_the_clock_is_paused_while_the_exporter_is_asked(client_for, officer):
    case = under_review(officer=officer)
    casework.information_request(actor=officer, application_id=case.pk, question="Who maintains the radar?")

    content = client_for(officer).get(case_url(case)).content.decode()

    assert "Paused since" in content
    assert "Who maintains the radar?" in content
    assert "waiting for the exporter" in content


def _count(client, url: str) -> int:
    with CaptureQueriesContext(connection) as context:
        response = client.get(url)
    assert response.status_code == 200
    return len(context.captured_queries)


def test_case_page_runs_the_same_number_of_queries_when_it_has_1_or_50_goods_lines(
    client_for, officer, django_assert_max_num_queries
):
    small = under_review(officer=officer, goods=1)
    large = under_review(officer=officer, goods=50)
    client = client_for(officer)
    client.get(case_url(small))  # warm up: the first request of a session also writes the session

    with django_assert_max_num_queries(CASE_MAX_QUERIES):
        few = _count(client, case_url(small))
    with django_assert_max_num_queries(CASE_MAX_QUERIES):
        many = _count(client, case_url(large))

    assert few == many


def test_case_page_runs_the_same_number_of_queries_when_it_has_0_or_30_audit_events(
    client_for, officer, django_assert_max_num_queries
):
    quiet = under_review(officer=officer)
    busy = under_review(officer=officer)
    for n in range(30):
        casework.note_add(actor=officer, application_id=busy.pk, text=f"Checked item {n}")
    client = client_for(officer)
    client.get(case_url(quiet))

    with django_assert_max_num_queries(CASE_MAX_QUERIES):
        few = _count(client, case_url(quiet))
    with django_assert_max_num_queries(CASE_MAX_QUERIES):
        many = _count(client, case_url(busy))

    assert few == many
    assert client.get(case_url(busy)).content.decode().count("Checked item") == 30


def test_history_lists_who_did_what_and_why_newest_first(client_for, officer, senior):
    case = under_review(officer=officer)
    casework.note_add(actor=officer, application_id=case.pk, text="First look")
    casework.application_assign(actor=officer, application_id=case.pk, assignee=senior, reason="holiday cover")

    content = client_for(officer).get(case_url(case)).content.decode()
    history = content[content.index('id="history"') :]

    assert history.index("Case assigned") < history.index("Note added")
    assert "holiday cover" in history
    assert f"to {senior}" in history


def _history_rows(content: str) -> int:
    section = content[content.index('id="history"') :].split("</section>", 1)[0]
    return section.split("<tbody>", 1)[-1].split("</tbody>", 1)[0].count("<tr>")


def _events_on(case) -> int:  # type: ignore[no-untyped-def]
    return len(case_history_of(case, licence=None))


def _case_with_events(officer, senior, *, count: int):  # type: ignore[no-untyped-def]
    """A case whose history is `count` events: the oldest an assignment "first of all", then notes."""
    case = under_review(officer=officer, criteria_cleared_by=None)
    assert _events_on(case) == 0
    casework.application_assign(actor=officer, application_id=case.pk, assignee=senior, reason="first of all")
    for n in range(count - 1):
        casework.note_add(actor=officer, application_id=case.pk, text=f"Note {n}")
    assert _events_on(case) == count
    return case


def test_case_page_lists_every_event_and_no_link_when_the_case_has_exactly_50(client_for, officer, senior):
    case = _case_with_events(officer, senior, count=CASE_HISTORY_SHOWN)

    content = client_for(officer).get(case_url(case)).content.decode()
    history = content[content.index('id="history"') :].split("</section>", 1)[0]

    assert CASE_HISTORY_SHOWN == 50
    assert _history_rows(content) == 50
    assert "first of all" in history
    assert "The newest 50 events are shown here." not in history


def test_case_page_lists_the_newest_50_events_and_links_to_the_whole_history_when_the_case_has_51(
    client_for, officer, senior
):
    case = _case_with_events(officer, senior, count=CASE_HISTORY_SHOWN + 1)

    content = client_for(officer).get(case_url(case)).content.decode()
    history = content[content.index('id="history"') :].split("</section>", 1)[0]

    assert _history_rows(content) == 50
    assert "first of all" not in history
    assert "The newest 50 events are shown here." in history
    assert f'href="/audit/licensing.application/{case.pk}/"' in history


def test_case_page_runs_the_same_number_of_queries_with_results_matches_and_80_events_as_an_empty_case(
    client_for, officer, senior, django_assert_max_num_queries
):
    quiet = under_review(officer=officer)
    CheckRunFactory(application=quiet)
    busy = _case_with_events(officer, senior, count=80)
    run = CheckRunFactory(application=busy)
    CheckResultFactory.create_batch(5, run=run)
    DenialMatchFactory.create_batch(3, application=busy)
    client = client_for(officer)
    client.get(case_url(quiet))

    with django_assert_max_num_queries(CASE_MAX_QUERIES):
        few = _count(client, case_url(quiet))
    with django_assert_max_num_queries(CASE_MAX_QUERIES):
        many = _count(client, case_url(busy))

    assert few == many
