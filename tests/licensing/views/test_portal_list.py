"""The exporter's application list and starting a new application."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext

from licensing.models import Application, ApplicationStatus
from licensing.services import casework
from tests.factories import ApplicationFactory
from tests.licensing.views.test_portal_helpers import draft_for, portal_url, under_review_for

pytestmark = pytest.mark.django_db

LIST_MAX_QUERIES = 14
AMSTERDAM = ZoneInfo("Europe/Amsterdam")


def test_exporter_sees_only_their_own_applications_when_opening_the_list(client_for, exporter_a, exporter_b):
    mine = draft_for(exporter_a, title="Radar spares for Norway")
    theirs = draft_for(exporter_b, title="Bravo's secret contract")

    response = client_for(exporter_a).get(portal_url("application_list"))

    content = response.content.decode()
    assert response.status_code == 200
    assert content.count("<h1>") == 1
    assert mine.reference in content and "Radar spares for Norway" in content
    assert theirs.reference not in content and "Bravo&#x27;s secret contract" not in content
    assert "Start a new application" in content


def test_open_question_stands_out_with_its_answer_date_when_information_is_requested(client_for, exporter_a, officer):
    with time_machine.travel(dt.datetime(2026, 3, 10, 10, 0, tzinfo=AMSTERDAM), tick=False):
        application = under_review_for(exporter_a, officer)
        casework.information_request(
            actor=officer,
            application_id=application.pk,
            question="Who maintains the radar after delivery?",
            respond_by=dt.date(2026, 3, 24),
        )
        draft_for(exporter_a, title="Another draft")

        content = client_for(exporter_a).get(portal_url("application_list")).content.decode()

    assert "The licensing authority is waiting for your answer" in content
    assert "Who maintains the radar after delivery?" in content
    assert "Tuesday 24 March 2026" in content
    # The box comes before the table, so it is the first thing the exporter reads.
    assert content.index("waiting for your answer") < content.index("<table")


def test_list_shows_only_the_chosen_status_when_filtered(client_for, exporter_a, officer):
    draft = draft_for(exporter_a, title="Still a draft")
    reviewed = under_review_for(exporter_a, officer)

    content = client_for(exporter_a).get(portal_url("application_list"), {"status": "under_review"}).content.decode()

    assert reviewed.reference in content
    assert draft.reference not in content


def test_list_shows_25_per_page_when_there_are_more(client_for, exporter_a):
    for _ in range(26):
        ApplicationFactory(organisation=exporter_a.organisation, created_by=exporter_a)
    client = client_for(exporter_a)

    first = client.get(portal_url("application_list")).content.decode()
    second = client.get(portal_url("application_list"), {"page": 2}).content.decode()

    assert first.count('<th scope="row"') == 25
    assert second.count('<th scope="row"') == 1
    assert "Page 2 of 2" in second


def test_list_runs_the_same_number_of_queries_when_there_are_more_applications(
    client_for, exporter_a, officer, django_assert_max_num_queries
):
    client = client_for(exporter_a)
    under_review_for(exporter_a, officer)
    draft_for(exporter_a)
    client.get(portal_url("application_list"))  # warm the session
    with CaptureQueriesContext(connection) as few:
        client.get(portal_url("application_list"))
    for _ in range(20):
        draft_for(exporter_a)
    with django_assert_max_num_queries(LIST_MAX_QUERIES), CaptureQueriesContext(connection) as many:
        client.get(portal_url("application_list"))
    assert len(many) == len(few)


def test_exporter_gets_a_draft_when_starting_an_application(client_for, exporter_a):
    response = client_for(exporter_a).post(
        portal_url("application_create"), {"licence_type": "individual_export", "title": "Sights for Norway"}
    )

    application = Application.objects.get(title="Sights for Norway")
    assert response.status_code == 302
    assert response["Location"] == portal_url("draft_step", application.pk, "goods")
    assert application.status == ApplicationStatus.DRAFT
    assert application.organisation == exporter_a.organisation
    assert application.created_by == exporter_a


def test_start_page_explains_each_licence_type_when_opened(client_for, exporter_a):
    content = client_for(exporter_a).get(portal_url("application_create")).content.decode()

    assert "Which licence do you need?" in content
    assert "Treaty component transfer" in content
    assert "No end-user certificate is needed" in content


def test_start_answers_400_with_the_message_when_no_licence_type_is_chosen(client_for, exporter_a):
    response = client_for(exporter_a).post(portal_url("application_create"), {"title": "Sights"})

    assert response.status_code == 400
    assert "This field is required." in response.content.decode()
    assert not Application.objects.exists()
