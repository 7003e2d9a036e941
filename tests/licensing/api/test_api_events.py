"""The event feed (GET /api/v1/events/?after=<cursor>): each change an exporter's system needs is an event written
by the service in its own transaction, with a stable id, listed to the organisation only, in the order it became
visible; a client that follows the cursor meets every event once."""

from __future__ import annotations

import uuid
from datetime import date, datetime, timedelta

import pytest
import time_machine
from django.db import transaction
from django.utils import timezone

from core.events import event_record, events_sequence
from core.models import Event, EventType
from licensing.models import ApplicationStatus, ObjectionOutcome
from licensing.services import casework, objections
from licensing.services.documents import document_scan_record
from licensing.virus_scan import ScanVerdict
from tests.factories import submitted_application
from tests.licensing.objections.builders import AMSTERDAM, refused_on

from .builders import issued_licence, uploaded_euc

pytestmark = pytest.mark.django_db

FEED = "/api/v1/events/"


def _types(client, after: int = 0) -> list[str]:  # type: ignore[no-untyped-def]
    return [event["type"] for event in client.get(FEED, {"after": after}).data["results"]]


def test_feed_lists_the_decision_and_the_licence_when_an_officer_approves(token_client, exporter_a, officer):
    licence = issued_licence(organisation=exporter_a.organisation, officer=officer)

    answer = token_client(exporter_a).get(FEED)

    assert answer.status_code == 200
    decision, issued = answer.data["results"]
    assert decision["type"] == "decision.taken"
    assert decision["subject"] == f"application:{licence.application_id}"
    assert decision["data"]["outcome"] == "approve"
    assert decision["data"]["status"] == "approved"
    assert decision["data"]["application"]["reference"] == licence.application.reference
    assert issued["type"] == "licence.issued"
    assert issued["data"]["licence"] == {"id": licence.pk, "number": licence.number}
    assert issued["data"]["valid_until"] == licence.valid_until.isoformat()
    assert uuid.UUID(decision["id"]) != uuid.UUID(issued["id"])
    assert answer.data["cursor"] == issued["cursor"] and issued["cursor"] > decision["cursor"]
    assert answer.data["more"] is False


def test_feed_lists_each_kind_of_change_when_the_services_make_them(token_client, exporter_a, officer):
    case = submitted_application(organisation=exporter_a.organisation, status=ApplicationStatus.UNDER_REVIEW,
                                 assigned_to=officer)  # fmt: skip
    casework.information_request(actor=officer, application_id=case.pk, question="Who maintains the radar?")
    licence = issued_licence(organisation=exporter_a.organisation, officer=officer)
    casework.licence_change_status(actor=officer, licence_id=licence.pk, action="suspend", reason="Embargo review.")
    draft = submitted_application(organisation=exporter_a.organisation, status=ApplicationStatus.DRAFT)
    document = uploaded_euc(exporter=exporter_a, application_id=draft.pk)
    document_scan_record(document_id=document.pk, verdict=ScanVerdict(infected=False))

    results = token_client(exporter_a).get(FEED).data["results"]

    assert [e["type"] for e in results] == [
        "information.requested",
        "decision.taken",
        "licence.issued",
        "licence.changed",
        "document.scanned",
    ]
    asked, changed, scanned = results[0], results[3], results[4]
    assert asked["data"]["application"]["id"] == case.pk and asked["data"]["respond_by"]
    assert (changed["data"]["from"], changed["data"]["status"]) == ("issued", "suspended")
    assert scanned["data"] == {
        "document": document.pk,
        "application": {"id": draft.pk, "reference": draft.reference},
        "scan_status": "clean",
    }


def test_feed_continues_after_the_cursor_when_a_client_polls_again(token_client, exporter_a, officer):
    client = token_client(exporter_a)
    issued_licence(organisation=exporter_a.organisation, officer=officer)
    first = client.get(FEED, {"limit": 1}).data
    assert [e["type"] for e in first["results"]] == ["decision.taken"] and first["more"] is True

    second = client.get(FEED, {"after": first["cursor"]}).data
    assert [e["type"] for e in second["results"]] == ["licence.issued"] and second["more"] is False
    again = client.get(FEED, {"after": second["cursor"]}).data
    assert again == {"results": [], "cursor": second["cursor"], "more": False}


def test_feed_shows_nothing_of_another_company_when_exporter_b_polls(token_client, exporter_a, exporter_b, officer):
    issued_licence(organisation=exporter_a.organisation, officer=officer)
    assert _types(token_client(exporter_b)) == []
    assert len(_types(token_client(exporter_a))) == 2


def test_feed_refuses_staff_when_an_officer_asks(session_client, officer):
    answer = session_client(officer).get(FEED)
    assert answer.status_code == 403
    assert answer.json()["code"] == "permission_denied"


@pytest.mark.parametrize("after", ["-1", "abc", "1.5", "9223372036854775808", ""])
def test_feed_answers_400_naming_the_cursor_when_it_is_not_a_whole_number(token_client, exporter_a, after):
    answer = token_client(exporter_a).get(FEED, {"after": after})
    assert answer.status_code == 400
    assert list(answer.json()["errors"]) == ["after"]


@pytest.mark.parametrize("limit", ["0", "101", "x"])
def test_feed_answers_400_naming_the_limit_when_it_is_out_of_range(token_client, exporter_a, limit):
    answer = token_client(exporter_a).get(FEED, {"limit": limit})
    assert answer.status_code == 400
    assert list(answer.json()["errors"]) == ["limit"]


def test_no_event_is_written_when_the_service_transaction_rolls_back(exporter_a, officer):
    case = submitted_application(organisation=exporter_a.organisation, status=ApplicationStatus.UNDER_REVIEW,
                                 assigned_to=officer)  # fmt: skip
    with pytest.raises(RuntimeError), transaction.atomic():
        event_record(organisation_id=case.organisation_id, type=EventType.DECISION_TAKEN, subject="x", data={})
        raise RuntimeError("the change failed after the event was written")
    assert not Event.objects.exists()


def test_sequencer_numbers_events_in_id_order_after_the_highest_position_when_run_again(exporter_a):
    org = exporter_a.organisation_id
    with transaction.atomic():
        first = event_record(organisation_id=org, type=EventType.LICENCE_CHANGED, subject="licence:1", data={})
    assert events_sequence() == 1
    with transaction.atomic():
        second = event_record(organisation_id=org, type=EventType.LICENCE_CHANGED, subject="licence:2", data={})
        third = event_record(organisation_id=org, type=EventType.LICENCE_CHANGED, subject="licence:3", data={})
    assert events_sequence() == 2
    assert events_sequence() == 0  # nothing left: safe to run again
    positions = [Event.objects.get(pk=e.pk).position for e in (first, second, third)]
    assert positions == sorted(positions) and len(set(positions)) == 3


def test_feed_lists_events_oldest_first_whatever_their_age_when_read(token_client, exporter_a, officer):
    issued_licence(organisation=exporter_a.organisation, officer=officer)
    Event.objects.filter(type="decision.taken").update(occurred_at=timezone.now() - timedelta(days=400))
    assert _types(token_client(exporter_a)) == ["decision.taken", "licence.issued"]


def test_feed_lists_the_decision_on_an_objection_when_it_is_decided(
    token_client, exporter_a, officer, senior, officer2
):
    refused = refused_on(datetime(2026, 3, 3, 10, 0), exporter=exporter_a, officer=officer, senior=senior)
    with time_machine.travel(datetime(2026, 4, 14, 12, 0, tzinfo=AMSTERDAM), tick=False):
        objection = objections.decision_objection_file(actor=exporter_a, application_id=refused.pk, grounds="No risk.")
    with time_machine.travel(datetime(2026, 4, 28, 12, 0, tzinfo=AMSTERDAM), tick=False):
        objections.decision_objection_set_term(
            actor=officer2, objection_id=objection.pk, advisory_committee=False, postponed_weeks=0, reason="Term."
        )
        objections.decision_objection_record_hearing(
            actor=officer2, objection_id=objection.pk, held_on=date(2026, 4, 27), record_text="Heard."
        )
        objections.decision_objection_decide(
            actor=officer2, objection_id=objection.pk, outcome=ObjectionOutcome.REVOKED, reasons="Refusal revoked."
        )

    decided = [e for e in token_client(exporter_a).get(FEED).data["results"] if e["type"] == "decision.taken"]

    assert [e["data"]["decision_on"] for e in decided] == ["application", "objection"]
    assert decided[0]["data"]["outcome"] == "refuse"
    assert (decided[1]["data"]["objection"], decided[1]["data"]["outcome"]) == (objection.pk, "revoked")
