"""The action forms of the case page: each posts to its own URL, calls one service, and maps its refusals to
HTTP (400 with field errors, 409 for a conflict, 403 for a role that may not act)."""

from __future__ import annotations

import pytest

from audit.models import Verb
from core.access import ERR_SAME_PERSON
from core.notifications import Notification
from core.roles import Role
from licensing.models import ApplicationStatus, CaseNote, Decision, DecisionStatus, InformationRequest
from licensing.services import casework
from licensing.services.casework import ERR_CRITERIA_REQUIRED, ERR_QUESTION_REQUIRED
from licensing.services.workflow import ERR_STALE
from tests.factories import UserFactory, submitted_application
from tests.licensing.views.test_casework_helpers import case_url, events_of, under_review

pytestmark = pytest.mark.django_db


def _refusal(version: int, **extra):
    return {
        "outcome": "refuse",
        "version": version,
        "criteria": ["2", "7"],
        "sub_criteria": "2c",
        "justification": "Clear risk of diversion to a third party.",
        **extra,
    }


def _approval(version: int, **extra):
    return {
        "outcome": "approve",
        "version": version,
        "valid_from": "2026-01-01",
        "valid_until": "2027-12-31",
        "conditions": "",
        "justification": "NATO ally, navy end user, no concerns.",
        **extra,
    }


# --- assignment -------------------------------------------------------------------------------------------


def test_officer_assigns_a_case_to_a_colleague_who_is_notified(client_for, officer, officer2):
    case = under_review(officer=officer)

    response = client_for(officer).post(
        f"/casework/cases/{case.pk}/assign/",
        {"version": case.version, "assignee": officer2.pk, "reason": "holiday cover"},
        follow=True,
    )

    assert response.status_code == 200
    case.refresh_from_db()
    assert case.assigned_to == officer2
    assert f"{case.reference} is assigned to {officer2}." in response.content.decode()
    assert Notification.objects.filter(user=officer2, title__contains=case.reference).exists()


def test_assigning_with_an_old_version_is_refused_with_409(client_for, officer, officer2):
    case = under_review(officer=officer)
    stale = case.version
    casework.application_assign(actor=officer2, application_id=case.pk, assignee=officer2)

    response = client_for(officer).post(
        f"/casework/cases/{case.pk}/assign/", {"version": stale, "assignee": officer.pk}
    )

    assert response.status_code == 409
    assert str(ERR_STALE) in response.content.decode()
    case.refresh_from_db()
    assert case.assigned_to == officer2


@pytest.mark.parametrize("persona", ["exporter_a", "exporter_b", "adviser"])
def test_action_urls_are_forbidden_when_the_user_is_not_an_officer(client_for, persona, request, officer):
    case = under_review(officer=officer)
    user = request.getfixturevalue(persona)
    client = client_for(user)

    for url, data in (
        (f"/casework/cases/{case.pk}/assign/", {"version": case.version, "assignee": ""}),
        (f"/casework/cases/{case.pk}/request-information/", {"version": case.version, "question": "?"}),
        (f"/casework/cases/{case.pk}/notes/", {"version": case.version, "text": "hello"}),
        (f"/casework/cases/{case.pk}/decision/", _refusal(case.version)),
    ):
        assert client.post(url, data).status_code == 403, url
    case.refresh_from_db()
    assert case.assigned_to == officer
    assert not Decision.objects.filter(application=case).exists()


def test_anonymous_post_to_an_action_is_sent_to_login(client):
    case = under_review()
    response = client.post(f"/casework/cases/{case.pk}/notes/", {"version": case.version, "text": "hello"})
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")
    assert not CaseNote.objects.exists()


def test_action_urls_accept_only_post(client_for, officer):
    case = under_review(officer=officer)
    assert client_for(officer).get(f"/casework/cases/{case.pk}/notes/").status_code == 405


# --- questions and notes ---------------------------------------------------------------------------------


def test_officer_asks_the_exporter_and_the_case_waits_for_the_answer(client_for, officer):
    case = under_review(officer=officer)

    response = client_for(officer).post(
        f"/casework/cases/{case.pk}/request-information/",
        {"version": case.version, "question": "Who maintains the cameras?"},
    )

    assert response.status_code == 302
    case.refresh_from_db()
    assert case.status == ApplicationStatus.INFORMATION_REQUESTED
    assert InformationRequest.objects.get(application=case).question == "Who maintains the cameras?"


def test_empty_question_shows_the_field_error_with_400(client_for, officer):
    case = under_review(officer=officer)

    response = client_for(officer).post(
        f"/casework/cases/{case.pk}/request-information/", {"version": case.version, "question": "  "}
    )

    assert response.status_code == 400
    content = response.content.decode()
    assert str(ERR_QUESTION_REQUIRED) in content
    assert 'id="request-information" open' in content  # the form the officer used stays open
    assert not InformationRequest.objects.exists()


def test_question_on_a_case_not_under_review_is_refused_with_409(client_for, officer):
    case = submitted_application()

    response = client_for(officer).post(
        f"/casework/cases/{case.pk}/request-information/", {"version": case.version, "question": "Why?"}
    )

    assert response.status_code == 409
    assert "not possible now" in response.content.decode()
    assert not InformationRequest.objects.exists()


def test_officer_adds_a_note_that_shows_on_the_case(client_for, officer):
    case = under_review(officer=officer)
    client = client_for(officer)

    response = client.post(
        f"/casework/cases/{case.pk}/notes/", {"version": case.version, "text": "Called the exporter."}, follow=True
    )

    assert response.status_code == 200
    assert "Called the exporter." in response.content.decode()
    assert events_of(case, Verb.APPLICATION_NOTE_ADDED) == 1


def test_note_written_on_an_older_view_of_the_case_is_still_added(client_for, officer, officer2):
    case = under_review(officer=officer)
    seen = case.version
    casework.application_assign(actor=officer2, application_id=case.pk, assignee=officer2)

    response = client_for(officer).post(f"/casework/cases/{case.pk}/notes/", {"version": seen, "text": "Late note"})

    assert response.status_code == 302
    assert CaseNote.objects.get(application=case).text == "Late note"


# --- decisions -------------------------------------------------------------------------------------------


def test_approval_without_four_eyes_issues_the_licence(client_for, officer):
    case = under_review(officer=officer)

    response = client_for(officer).post(f"/casework/cases/{case.pk}/decision/", _approval(case.version), follow=True)

    assert response.status_code == 200
    case.refresh_from_db()
    assert case.status == ApplicationStatus.APPROVED
    content = response.content.decode()
    assert "Approved. The licence is issued" in content
    assert case.licence.number in content
    assert f"/casework/licences/{case.licence.pk}/pdf/" in content


def test_refusal_without_criteria_shows_the_field_error_with_400(client_for, officer):
    case = under_review(officer=officer)
    data = _refusal(case.version)
    del data["criteria"]

    response = client_for(officer).post(f"/casework/cases/{case.pk}/decision/", data)

    assert response.status_code == 400
    content = response.content.decode()
    assert str(ERR_CRITERIA_REQUIRED) in content
    assert 'id="refuse" open' in content
    assert not Decision.objects.filter(application=case).exists()


def test_approval_ending_before_it_starts_shows_the_service_error_with_400(client_for, officer):
    case = under_review(officer=officer)
    data = _approval(case.version, valid_from="2027-01-01", valid_until="2026-01-01")

    response = client_for(officer).post(f"/casework/cases/{case.pk}/decision/", data)

    assert response.status_code == 400
    assert str(casework.ERR_VALIDITY) in response.content.decode()
    assert not Decision.objects.filter(application=case).exists()


def test_refusal_waits_for_a_senior_and_the_page_says_who_proposed_it(client_for, officer, senior):
    case = under_review(officer=officer)
    client_for(officer).post(f"/casework/cases/{case.pk}/decision/", _refusal(case.version))

    decision = Decision.objects.get(application=case)
    assert decision.status == DecisionStatus.PROPOSED
    assert sorted(decision.criteria.values_list("number", flat=True)) == [2, 7]
    content = client_for(senior).get(case_url(case)).content.decode()
    assert f"proposed by {officer}" in content
    assert f'action="/casework/decisions/{decision.pk}/countersign/"' in content
    assert f'action="/casework/cases/{case.pk}/decision/"' not in content  # one pending decision at a time


def test_second_officer_with_a_stale_form_gets_409_and_only_one_decision_is_recorded(client_for, officer, officer2):
    case = under_review(officer=officer)
    seen_by_both = case.version
    first = client_for(officer).post(f"/casework/cases/{case.pk}/decision/", _refusal(seen_by_both))
    assert first.status_code == 302

    second = client_for(officer2).post(
        f"/casework/cases/{case.pk}/decision/",
        _approval(seen_by_both, justification="Looks fine to me."),
    )

    assert second.status_code == 409
    assert "Someone else changed this case" in second.content.decode()
    assert Decision.objects.filter(application=case).count() == 1
    assert events_of(case, Verb.DECISION_PROPOSED) == 1


def test_senior_cannot_countersign_their_own_proposal(client_for, senior):
    case = under_review(officer=senior)
    client = client_for(senior)
    client.post(f"/casework/cases/{case.pk}/decision/", _refusal(case.version))
    decision = Decision.objects.get(application=case)
    case.refresh_from_db()
    page = client.get(case_url(case)).content.decode()
    assert "You proposed this decision" in page
    assert f"/casework/decisions/{decision.pk}/countersign/" not in page

    response = client.post(f"/casework/decisions/{decision.pk}/countersign/", {"version": case.version})

    assert response.status_code == 403
    assert str(ERR_SAME_PERSON) in response.content.decode()
    decision.refresh_from_db()
    assert decision.status == DecisionStatus.PROPOSED


def test_another_senior_countersigns_and_the_refusal_takes_effect(client_for, officer, senior):
    case = under_review(officer=officer)
    client_for(officer).post(f"/casework/cases/{case.pk}/decision/", _refusal(case.version))
    decision = Decision.objects.get(application=case)
    case.refresh_from_db()

    response = client_for(senior).post(
        f"/casework/decisions/{decision.pk}/countersign/", {"version": case.version, "reason": "Agreed."}
    )

    assert response.status_code == 302
    case.refresh_from_db()
    decision.refresh_from_db()
    assert case.status == ApplicationStatus.REFUSED
    assert decision.countersigned_by == senior


def test_officer_without_senior_role_cannot_countersign(client_for, officer, officer2):
    case = under_review(officer=officer)
    client_for(officer).post(f"/casework/cases/{case.pk}/decision/", _refusal(case.version))
    decision = Decision.objects.get(application=case)
    case.refresh_from_db()

    response = client_for(officer2).post(f"/casework/decisions/{decision.pk}/countersign/", {"version": case.version})

    assert response.status_code == 403
    decision.refresh_from_db()
    assert decision.status == DecisionStatus.PROPOSED


def test_senior_sends_a_decision_back_with_a_reason_and_it_can_be_proposed_again(client_for, officer, senior):
    case = under_review(officer=officer)
    client_for(officer).post(f"/casework/cases/{case.pk}/decision/", _refusal(case.version))
    decision = Decision.objects.get(application=case)
    case.refresh_from_db()
    senior_client = client_for(senior)

    no_reason = senior_client.post(f"/casework/decisions/{decision.pk}/return/", {"version": case.version})
    assert no_reason.status_code == 400
    assert str(casework.ERR_RETURN_REASON) in no_reason.content.decode()

    response = senior_client.post(
        f"/casework/decisions/{decision.pk}/return/",
        {"version": case.version, "reason": "Cite sub-criterion 7b as well."},
    )

    assert response.status_code == 302
    decision.refresh_from_db()
    assert decision.status == DecisionStatus.RETURNED
    page = client_for(officer).get(case_url(case)).content.decode()
    assert "Cite sub-criterion 7b as well." in page
    assert f'action="/casework/cases/{case.pk}/decision/"' in page


def test_countersigning_a_decision_already_sent_back_is_refused_with_409(client_for, officer, senior):
    other_senior = UserFactory(username="sven", roles=[Role.SENIOR_OFFICER])
    case = under_review(officer=officer)
    client_for(officer).post(f"/casework/cases/{case.pk}/decision/", _refusal(case.version))
    decision = Decision.objects.get(application=case)
    case.refresh_from_db()
    casework.decision_return(actor=other_senior, decision_id=decision.pk, reason="Not yet.")

    response = client_for(senior).post(f"/casework/decisions/{decision.pk}/countersign/", {"version": case.version})

    assert response.status_code == 409
    assert str(casework.ERR_NO_PENDING_DECISION) in response.content.decode()
