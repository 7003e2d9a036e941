"""A submitted application in the portal: its status and deadline, answering a question, withdrawing, the
decision, downloading documents. And who may see any of it."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.utils.html import escape

from licensing.models import ApplicationStatus, DecisionOutcome, DocumentKind
from licensing.services import casework
from licensing.services.applications import ERR_NO_OPEN_REQUEST
from tests.licensing.services.pdfs import MINIMAL_PDF, pdf_upload
from tests.licensing.views.test_portal_helpers import (
    licence_for,
    portal_url,
    submitted_for,
    under_review_for,
)

pytestmark = pytest.mark.django_db

AMSTERDAM = ZoneInfo("Europe/Amsterdam")
CASE_MAX_QUERIES = 25


def _asked(exporter, officer, question="Who maintains the radar?"):  # type: ignore[no-untyped-def]
    application = under_review_for(exporter, officer)
    casework.information_request(
        actor=officer, application_id=application.pk, question=question, respond_by=dt.date(2026, 3, 24)
    )
    return application


def test_submitted_application_shows_its_status_deadline_and_what_happens_next(client_for, exporter_a):
    with time_machine.travel(dt.datetime(2026, 3, 2, 10, 0, tzinfo=AMSTERDAM), tick=False):
        application = submitted_for(exporter_a)
        content = client_for(exporter_a).get(portal_url("application_detail", application.pk)).content.decode()

    assert content.count("<h1>") == 1
    assert "Submitted" in content
    # Received Monday 2 March 2026; eight weeks later is Monday 27 April 2026, King's Day, a holiday under the
    # Algemene termijnenwet art. 3, so the term runs to Tuesday 28 April 2026.
    assert "Tuesday 28 April 2026" in content
    assert "What happens next" in content
    assert "Save details" not in content  # read-only now
    assert "Withdraw the application" in content


def test_open_question_is_shown_first_with_an_answer_form_when_information_is_requested(
    client_for, exporter_a, officer
):
    with time_machine.travel(dt.datetime(2026, 3, 10, 10, 0, tzinfo=AMSTERDAM), tick=False):
        application = _asked(exporter_a, officer)
        content = client_for(exporter_a).get(portal_url("application_detail", application.pk)).content.decode()

    assert "The licensing authority asks" in content
    assert "Who maintains the radar?" in content
    assert "Tuesday 24 March 2026" in content
    assert content.index("The licensing authority asks") < content.index("Where your application stands")
    assert "Send your answer" in content


def test_answer_with_a_document_resumes_the_review_and_appears_as_earlier_q_and_a(client_for, exporter_a, officer):
    application = _asked(exporter_a, officer)
    client = client_for(exporter_a)

    response = client.post(
        portal_url("information_provide", application.pk),
        {"answer": "Our own depot in Den Helder.", "document": pdf_upload("maintenance plan.pdf")},
    )
    page = client.get(portal_url("application_detail", application.pk)).content.decode()

    application.refresh_from_db()
    assert response.status_code == 302
    assert application.status == ApplicationStatus.UNDER_REVIEW
    document = application.documents.get(kind=DocumentKind.INFORMATION)
    assert document.original_name == "maintenance plan.pdf"
    assert "Earlier questions and answers" in page
    assert "Our own depot in Den Helder." in page
    assert "maintenance plan.pdf" in page
    assert "Send your answer" not in page


def test_answer_answers_400_with_the_message_when_it_is_empty(client_for, exporter_a, officer):
    application = _asked(exporter_a, officer)

    response = client_for(exporter_a).post(portal_url("information_provide", application.pk), {"answer": "   "})

    assert response.status_code == 400
    assert "This field is required." in response.content.decode()
    application.refresh_from_db()
    assert application.status == ApplicationStatus.INFORMATION_REQUESTED


def test_answer_answers_409_with_the_message_when_no_question_is_open(client_for, exporter_a, officer):
    application = under_review_for(exporter_a, officer)

    response = client_for(exporter_a).post(portal_url("information_provide", application.pk), {"answer": "Hello"})

    assert response.status_code == 409
    assert str(ERR_NO_OPEN_REQUEST) in response.content.decode()


def test_application_is_withdrawn_when_a_reason_is_given(client_for, exporter_a):
    application = submitted_for(exporter_a)

    response = client_for(exporter_a).post(
        portal_url("application_withdraw", application.pk), {"reason": "The contract was cancelled."}
    )

    application.refresh_from_db()
    assert response.status_code == 302
    assert application.status == ApplicationStatus.WITHDRAWN


def test_withdrawal_answers_400_when_no_reason_is_given(client_for, exporter_a):
    application = submitted_for(exporter_a)

    response = client_for(exporter_a).post(portal_url("application_withdraw", application.pk), {"reason": ""})

    assert response.status_code == 400
    assert "This field is required." in response.content.decode()
    application.refresh_from_db()
    assert application.status == ApplicationStatus.SUBMITTED


def test_refused_application_shows_the_reasons_and_criteria(client_for, exporter_a, officer, senior):
    application = under_review_for(exporter_a, officer)
    decision = casework.decision_propose(
        actor=officer,
        application_id=application.pk,
        outcome=DecisionOutcome.REFUSE,
        justification="Clear risk of diversion to an embargoed destination.",
        criteria=[7],
    )
    casework.decision_countersign(actor=senior, decision_id=decision.pk)

    content = client_for(exporter_a).get(portal_url("application_detail", application.pk)).content.decode()

    assert "Reasons for the refusal" in content
    assert "Clear risk of diversion to an embargoed destination." in content
    assert "7. " in content
    assert "six weeks" in content  # Awb 6:7 objection period


def test_approved_application_links_to_its_licence(client_for, exporter_a, officer):
    licence = licence_for(exporter_a, officer)

    content = client_for(exporter_a).get(portal_url("application_detail", licence.application_id)).content.decode()

    assert f"Go to licence {licence.number}" in content
    assert portal_url("licence_detail", licence.pk) in content


def test_case_page_runs_a_bounded_number_of_queries(client_for, exporter_a, officer, django_assert_max_num_queries):
    application = _asked(exporter_a, officer)
    client = client_for(exporter_a)
    client.get(portal_url("application_list"))

    with django_assert_max_num_queries(CASE_MAX_QUERIES):
        client.get(portal_url("application_detail", application.pk))


def test_document_is_downloaded_as_an_attachment_with_nosniff(client_for, exporter_a):
    application = submitted_for(exporter_a)
    document = application.documents.get()

    response = client_for(exporter_a).get(portal_url("document_download", document.pk))

    assert response.status_code == 200
    assert b"".join(response.streaming_content) == MINIMAL_PDF
    assert response["Content-Disposition"] == 'attachment; filename="euc.pdf"'
    assert response["Content-Type"] == "application/pdf"
    assert response["X-Content-Type-Options"] == "nosniff"


def _portal_requests(exporter_a, officer):  # type: ignore[no-untyped-def]
    """Every portal URL, with exporter A's ids: (method, url, data)."""
    case = under_review_for(exporter_a, officer)
    asked = _asked(exporter_a, officer)
    line = asked.goods.get()
    party = asked.parties.first()
    document = asked.documents.get()
    licence = licence_for(exporter_a, officer)
    goods = licence.goods.get()
    return [
        ("get", portal_url("application_detail", case.pk), {}),
        ("post", portal_url("application_update", case.pk), {"version": 1, "title": "x", "end_use": "x"}),
        ("post", portal_url("goods_save", case.pk), {}),
        ("post", portal_url("goods_remove", asked.pk, line.pk), {}),
        ("post", portal_url("party_save", case.pk), {}),
        ("post", portal_url("party_remove", asked.pk, party.pk), {}),
        ("post", portal_url("document_upload", case.pk), {}),
        ("post", portal_url("application_submit", case.pk), {"version": 1}),
        ("post", portal_url("information_provide", asked.pk), {"answer": "x"}),
        ("post", portal_url("application_withdraw", asked.pk), {"reason": "x"}),
        ("get", portal_url("document_download", document.pk), {}),
        ("get", portal_url("licence_detail", licence.pk), {}),
        ("get", portal_url("licence_pdf", licence.pk), {}),
        (
            "post",
            portal_url("shipment_record", licence.pk),
            {"licensed_goods": goods.pk, "shipped_on": "2026-03-10", "quantity": "1", "value_eur": "1"},
        ),
    ]


def test_exporter_b_gets_404_on_every_portal_url_with_exporter_a_ids(client_for, exporter_a, exporter_b, officer):
    requests = _portal_requests(exporter_a, officer)
    client = client_for(exporter_b)

    for method, url, data in requests:
        response = getattr(client, method)(url, data)
        assert response.status_code == 404, (method, url, response.status_code)


@pytest.mark.parametrize("persona", ["officer", "analyst", "senior", "administrator"])
def test_staff_get_403_on_portal_pages(client_for, request, persona, exporter_a, officer):
    requests = _portal_requests(exporter_a, officer)
    client = client_for(request.getfixturevalue(persona))

    for url in (portal_url("application_list"), portal_url("application_create"), portal_url("licence_list")):
        assert client.get(url).status_code == 403, url
    for method, url, data in requests:
        assert getattr(client, method)(url, data).status_code == 403, (method, url)


def test_anonymous_visitor_is_sent_to_log_in_when_opening_the_portal(client):
    response = client.get(portal_url("application_list"))

    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


def test_question_text_is_escaped_when_shown(client_for, exporter_a, officer):
    application = _asked(exporter_a, officer, question="<script>alert(1)</script> Which ships?")

    content = client_for(exporter_a).get(portal_url("application_detail", application.pk)).content.decode()

    assert "<script>alert(1)</script>" not in content
    assert escape("<script>alert(1)</script>") in content


def test_answering_a_question_also_works_for_a_colleague_of_the_same_company(client_for, exporter_a, officer):
    from core.roles import Role
    from tests.factories import UserFactory

    colleague = UserFactory(organisation=exporter_a.organisation, roles=[Role.EXPORTER])
    application = _asked(exporter_a, officer)

    response = client_for(colleague).post(portal_url("information_provide", application.pk), {"answer": "Depot."})

    assert response.status_code == 302
    application.refresh_from_db()
    assert application.status == ApplicationStatus.UNDER_REVIEW


def test_application_is_withdrawn_when_the_reason_is_longer_than_a_hundred_characters(client_for, exporter_a):
    application = submitted_for(exporter_a)
    reason = "The customer cancelled the contract after a change of government; we will apply again next year. " * 2

    response = client_for(exporter_a).post(portal_url("application_withdraw", application.pk), {"reason": reason})

    assert response.status_code == 302
