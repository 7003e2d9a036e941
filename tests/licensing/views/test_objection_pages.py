"""The objection pages: the exporter objects in the portal, the officer handles it in case work."""

from __future__ import annotations

from datetime import date, datetime

import pytest
import time_machine
from django.urls import reverse

from licensing.models import DecisionObjection, ObjectionStatus
from licensing.services.objections import ERR_GROUNDS, decision_objection_file
from tests.licensing.objections.builders import AMSTERDAM, refused_on

pytestmark = pytest.mark.django_db

SENT = datetime(2026, 3, 3, 10, 0)


@pytest.fixture
def refused(exporter_a, officer, senior):  # type: ignore[no-untyped-def]
    return refused_on(SENT, exporter=exporter_a, officer=officer, senior=senior)


@pytest.fixture
def on_day():  # type: ignore[no-untyped-def]
    with time_machine.travel(datetime(2026, 4, 14, 12, 0, tzinfo=AMSTERDAM), tick=False):
        yield date(2026, 4, 14)


def test_exporter_files_an_objection_and_sees_its_term_when_within_six_weeks(client_for, refused, exporter_a, on_day):
    client = client_for(exporter_a)
    case_page = client.get(reverse("portal:application_detail", args=[refused.pk])).content.decode()
    assert reverse("portal:objection_start", args=[refused.pk]) in case_page
    start = client.get(reverse("portal:objection_start", args=[refused.pk])).content.decode()
    assert "Tuesday 14 April 2026" in start
    response = client.post(reverse("portal:objection_start", args=[refused.pk]), {"grounds": "Criterion 7 misread."})
    objection = DecisionObjection.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse(
        "portal:objection_detail", args=[objection.pk]
    )
    detail = client.get(response["Location"]).content.decode()
    assert "Tuesday 26 May 2026" in detail and "Criterion 7 misread." in detail


def test_objection_form_names_the_missing_grounds_when_empty(client_for, refused, exporter_a, on_day):
    response = client_for(exporter_a).post(reverse("portal:objection_start", args=[refused.pk]), {"grounds": ""})
    assert response.status_code == 400
    assert response.context["form"].errors == {"grounds": [ERR_GROUNDS]}


def test_exporter_b_gets_404_when_opening_another_companys_objection(
    client_for, refused, exporter_a, exporter_b, on_day
):
    objection = decision_objection_file(actor=exporter_a, application_id=refused.pk, grounds="No.")
    client = client_for(exporter_b)
    assert client.get(reverse("portal:objection_start", args=[refused.pk])).status_code == 404
    assert client.get(reverse("portal:objection_detail", args=[objection.pk])).status_code == 404
    assert client.post(reverse("portal:objection_withdraw", args=[objection.pk]), {"reason": "x"}).status_code == 404


def test_exporter_cannot_open_the_officers_objection_pages_when_logged_in(client_for, refused, exporter_a, on_day):
    objection = decision_objection_file(actor=exporter_a, application_id=refused.pk, grounds="No.")
    assert client_for(exporter_a).get(reverse("casework:objection_detail", args=[objection.pk])).status_code == 403


def test_officer_hears_and_decides_the_objection_when_not_involved_in_the_decision(
    client_for, refused, exporter_a, officer2, on_day
):
    objection = decision_objection_file(actor=exporter_a, application_id=refused.pk, grounds="No.")
    client = client_for(officer2)
    response = client.post(
        reverse("casework:objection_hearing", args=[objection.pk]),
        {"version": 1, "held_on": "2026-04-14", "record_text": "Heard the objector by phone."},
    )
    assert response.status_code == 302
    response = client.post(
        reverse("casework:objection_decide", args=[objection.pk]),
        {"version": 2, "outcome": "upheld", "reasons": "Criterion 7 applies as stated."},
    )
    assert response.status_code == 302
    objection.refresh_from_db()
    assert objection.status == ObjectionStatus.DECIDED and objection.outcome == "upheld"
    page = client.get(reverse("casework:objection_detail", args=[objection.pk])).content.decode()
    assert "Unfounded: the decision is upheld" in page and "Heard the objector by phone." in page
    case_page = client.get(reverse("casework:case_detail", args=[refused.pk])).content.decode()
    assert reverse("casework:objection_detail", args=[objection.pk]) in case_page


def test_stale_objection_form_is_a_409_when_someone_else_acted_first(client_for, refused, exporter_a, officer2, on_day):
    objection = decision_objection_file(actor=exporter_a, application_id=refused.pk, grounds="No.")
    client = client_for(officer2)
    data = {"version": 1, "held_on": "2026-04-14", "record_text": "Heard."}
    assert client.post(reverse("casework:objection_hearing", args=[objection.pk]), data).status_code == 302
    assert client.post(reverse("casework:objection_hearing", args=[objection.pk]), data).status_code == 409


def test_objection_list_uses_a_constant_number_of_queries_when_it_grows(
    client_for, exporter_a, officer, senior, officer2, django_assert_max_num_queries
):
    for day in (2, 3, 4):
        application = refused_on(datetime(2026, 3, day, 10, 0), exporter=exporter_a, officer=officer, senior=senior)
        with time_machine.travel(datetime(2026, 4, 1, 12, 0, tzinfo=AMSTERDAM), tick=False):
            decision_objection_file(actor=exporter_a, application_id=application.pk, grounds="No.")
    client = client_for(officer2)
    with (
        time_machine.travel(datetime(2026, 4, 1, 12, 0, tzinfo=AMSTERDAM), tick=False),
        django_assert_max_num_queries(12),
    ):
        page = client.get(reverse("casework:objection_list")).content.decode()
    # Sorted by term: the decision sent on 2 March has the earliest objection and decision terms.
    references = [o.application.reference for o in DecisionObjection.objects.order_by("decision_deadline")]
    positions = [page.index(reference) for reference in references]
    assert positions == sorted(positions)
