"""Review of company registrations: pending first, approve, reject with a reason."""

from __future__ import annotations

import pytest

from audit.models import AuditEvent, Verb
from parties.models import OrganisationStatus
from parties.services import ERR_ORG_NOT_PENDING, ERR_REASON_REQUIRED
from tests.factories import OrganisationFactory

pytestmark = pytest.mark.django_db

LIST_URL = "/casework/organisations/"


def test_pending_registrations_come_first_in_the_list(client_for, officer, org_a, pending_org):
    rejected = OrganisationFactory(name="Aardvark Arms B.V.", status=OrganisationStatus.REJECTED)

    response = client_for(officer).get(LIST_URL)

    assert response.status_code == 200
    content = response.content.decode()
    assert content.index(pending_org.name) < content.index(org_a.name)
    assert content.index(pending_org.name) < content.index(rejected.name)
    assert pending_org.kvk_number in content
    assert pending_org.contact_email in content


def test_organisation_list_runs_a_constant_number_of_queries(client_for, officer, django_assert_max_num_queries):
    client = client_for(officer)
    client.get(LIST_URL)
    OrganisationFactory.create_batch(3)
    with django_assert_max_num_queries(8):
        client.get(LIST_URL)
    OrganisationFactory.create_batch(30)
    with django_assert_max_num_queries(8):
        client.get(LIST_URL)


@pytest.mark.parametrize("persona", ["exporter_a", "exporter_b", "adviser", "analyst"])
def test_registration_pages_are_forbidden_when_the_user_is_not_an_officer(client_for, request, persona, pending_org):
    client = client_for(request.getfixturevalue(persona))
    assert client.get(LIST_URL).status_code == 403
    assert client.get(f"{LIST_URL}{pending_org.pk}/").status_code == 403
    assert client.post(f"{LIST_URL}{pending_org.pk}/approve/", {"reason": ""}).status_code == 403
    pending_org.refresh_from_db()
    assert pending_org.status == OrganisationStatus.PENDING


def test_anonymous_visitor_is_sent_to_login_from_the_registrations(client):
    response = client.get(LIST_URL)
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_officer_approves_a_pending_registration(client_for, officer, pending_org):
    client = client_for(officer)
    page = client.get(f"{LIST_URL}{pending_org.pk}/").content.decode()
    assert f'action="{LIST_URL}{pending_org.pk}/approve/"' in page

    response = client.post(f"{LIST_URL}{pending_org.pk}/approve/", {"reason": "KvK extract checked"}, follow=True)

    assert response.status_code == 200
    pending_org.refresh_from_db()
    assert pending_org.status == OrganisationStatus.APPROVED
    content = response.content.decode()
    assert "is approved" in content
    assert "KvK extract checked" in content
    assert f'action="{LIST_URL}{pending_org.pk}/approve/"' not in content


def test_rejection_without_a_reason_shows_the_field_error_with_400(client_for, officer, pending_org):
    response = client_for(officer).post(f"{LIST_URL}{pending_org.pk}/reject/", {"reason": " "})

    assert response.status_code == 400
    assert str(ERR_REASON_REQUIRED) in response.content.decode()
    pending_org.refresh_from_db()
    assert pending_org.status == OrganisationStatus.PENDING


def test_officer_rejects_a_registration_with_a_reason_that_is_audited(client_for, officer, pending_org):
    response = client_for(officer).post(f"{LIST_URL}{pending_org.pk}/reject/", {"reason": "Unknown at the KvK"})

    assert response.status_code == 302
    pending_org.refresh_from_db()
    assert pending_org.status == OrganisationStatus.REJECTED
    event = AuditEvent.objects.get(verb=Verb.ORGANISATION_REJECTED, target_id=str(pending_org.pk))
    assert event.reason == "Unknown at the KvK"


def test_deciding_an_already_decided_registration_is_refused_with_409(client_for, officer, org_a):
    response = client_for(officer).post(f"{LIST_URL}{org_a.pk}/reject/", {"reason": "Second thoughts"})

    assert response.status_code == 409
    assert str(ERR_ORG_NOT_PENDING) in response.content.decode()
    org_a.refresh_from_db()
    assert org_a.status == OrganisationStatus.APPROVED


def test_registration_page_answers_404_for_a_missing_organisation(client_for, officer):
    assert client_for(officer).get(f"{LIST_URL}999999/").status_code == 404
