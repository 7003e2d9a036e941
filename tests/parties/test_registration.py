"""Company onboarding (public) and inviting colleagues to the portal."""

from __future__ import annotations

import re

import pytest
from django.core import mail
from django.urls import reverse
from django.utils.html import escape

from core.access import can
from core.roles import Role
from parties.models import Organisation, OrganisationStatus, User
from parties.services import ERR_EMAIL_TAKEN
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

REGISTER = reverse("portal:register")
COLLEAGUES = reverse("portal:colleague_invite")
ERR_KVK = "A KvK (Chamber of Commerce) number has exactly 8 digits."


def _registration(**overrides: str) -> dict[str, str]:
    data = {
        "name": "Zeeland Sensors B.V.",
        "kvk_number": "45678901",
        "address": "Kanaalweg 3\n4381 AA Vlissingen",
        "country": "NL",
        "contact_name": "Dirk Visser",
        "contact_email": "dirk@zeeland-sensors.example",
        "contact_phone": "+31 118 123 456",
        "first_name": "Dirk",
        "last_name": "Visser",
        "password1": "harbour-lights-on-the-scheldt",
        "password2": "harbour-lights-on-the-scheldt",
    }
    data.update(overrides)
    return data


def test_company_is_registered_as_pending_with_its_first_user_as_administrator(client):
    response = client.post(REGISTER, _registration())
    done = client.get(response["Location"]).content.decode()

    organisation = Organisation.objects.get(kvk_number="45678901")
    user = User.objects.get(email="dirk@zeeland-sensors.example")
    assert response.status_code == 302
    assert response["Location"] == reverse("portal:register_done")
    assert organisation.status == OrganisationStatus.PENDING
    assert user.organisation == organisation and user.is_org_admin
    assert user.check_password("harbour-lights-on-the-scheldt")
    assert can(user, "portal.use") and not can(user, "portal.submit")
    assert "Zeeland Sensors B.V." in done
    assert "checks your company against the KvK register" in done


def test_registration_page_is_public_with_one_heading(client):
    response = client.get(REGISTER)

    assert response.status_code == 200
    assert response.content.decode().count("<h1>") == 1


@pytest.mark.parametrize("kvk", ["1234567", "1234567A", "ABCDEFGH", "123456789"])
def test_registration_answers_400_with_the_kvk_message_when_the_number_is_wrong(client, kvk):
    response = client.post(REGISTER, _registration(kvk_number=kvk))

    assert response.status_code == 400
    assert escape(ERR_KVK) in response.content.decode()
    assert not Organisation.objects.filter(name="Zeeland Sensors B.V.").exists()


def test_kvk_number_with_spaces_is_accepted_as_its_eight_digits(client):
    client.post(REGISTER, _registration(kvk_number="4567 8901"))

    assert Organisation.objects.filter(kvk_number="45678901").exists()


def test_registration_answers_400_when_the_password_is_weak(client):
    response = client.post(REGISTER, _registration(password1="password", password2="password"))

    content = response.content.decode()
    assert response.status_code == 400
    assert "This password is too short" in content
    assert "This password is too common." in content
    assert not User.objects.filter(email="dirk@zeeland-sensors.example").exists()


def test_registration_answers_400_when_the_passwords_differ(client):
    response = client.post(REGISTER, _registration(password2="something-else-entirely"))

    assert response.status_code == 400
    assert "The two passwords are not the same." in response.content.decode()


def test_registration_answers_400_when_the_e_mail_address_is_taken(client, exporter_a):
    response = client.post(REGISTER, _registration(contact_email=exporter_a.email))

    assert response.status_code == 400
    assert str(ERR_EMAIL_TAKEN) in response.content.decode()
    assert not Organisation.objects.filter(name="Zeeland Sensors B.V.").exists()


def test_registration_answers_400_when_the_kvk_number_is_registered_already(client, org_a):
    response = client.post(REGISTER, _registration(kvk_number=org_a.kvk_number))

    assert response.status_code == 400
    assert "KvK number already exists" in response.content.decode()


def test_organisation_administrator_invites_a_colleague_who_gets_a_link_to_choose_a_password(client_for, exporter_a):
    client = client_for(exporter_a)

    response = client.post(COLLEAGUES, {"first_name": "Eva", "last_name": "Mulder", "email": "eva@alpha.example"})

    colleague = User.objects.get(email="eva@alpha.example")
    assert response.status_code == 302
    assert colleague.organisation == exporter_a.organisation
    assert not colleague.is_org_admin and not colleague.has_usable_password()
    assert can(colleague, "portal.use")
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["eva@alpha.example"]
    assert "Alpha Defence B.V." in message.subject
    link = re.search(r"https?://\S+/accounts/password/reset/key/\S+/", message.body)
    assert link, message.body
    # The link opens allauth's "choose a new password" page for this user.
    page = client.get(link.group(0).split("testserver", 1)[1], follow=True)
    assert page.status_code == 200
    assert 'name="password1"' in page.content.decode()


def test_colleagues_page_lists_the_organisations_people_only(client_for, exporter_a, exporter_b):
    UserFactory(first_name="Eva", last_name="Mulder", organisation=exporter_a.organisation, roles=[Role.EXPORTER])

    content = client_for(exporter_a).get(COLLEAGUES).content.decode()

    assert "Eva Mulder" in content
    assert exporter_b.email not in content


def test_invitation_answers_400_when_the_e_mail_address_is_taken(client_for, exporter_a, exporter_b):
    response = client_for(exporter_a).post(
        COLLEAGUES, {"first_name": "Bob", "last_name": "B", "email": exporter_b.email}
    )

    assert response.status_code == 400
    assert str(ERR_EMAIL_TAKEN) in response.content.decode()
    assert not mail.outbox


@pytest.mark.parametrize("who", ["plain_exporter", "pending_admin", "officer"])
def test_colleagues_page_is_forbidden_when_not_an_approved_organisations_administrator(
    client_for, who, org_a, pending_org, officer
):
    user = {
        "plain_exporter": lambda: UserFactory(organisation=org_a, roles=[Role.EXPORTER]),
        "pending_admin": lambda: UserFactory(organisation=pending_org, is_org_admin=True, roles=[Role.EXPORTER]),
        "officer": lambda: officer,
    }[who]()

    client = client_for(user)

    assert client.get(COLLEAGUES).status_code == 403
    assert client.post(COLLEAGUES, {"first_name": "X", "last_name": "Y", "email": "x@y.example"}).status_code == 403
    assert not User.objects.filter(email="x@y.example").exists()
