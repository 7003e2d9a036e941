"""Issue 18: who a verified eHerkenning or staff-SSO identity is in the register (parties/sign_in.py), and the
sign-in policy. The protocols themselves are exercised end to end against real providers in tests/e2e/test_sso.py."""

from __future__ import annotations

import pytest

from audit.models import AuditEvent, Verb
from core.roles import Role
from parties.models import ExternalIdentity, IdentityProvider, StaffRoleMapping
from parties.sign_in import (
    ERR_KVK_MISMATCH,
    ERR_LEVEL_TOO_LOW,
    ERR_NO_ROLE,
    ERR_ORGANISATION_UNKNOWN,
    ERR_PASSWORDS_OFF,
    SignInRefused,
    assurance_level_meets,
    eherkenning_sign_in,
    exporter_passwords_enabled,
    level_label,
    multi_factor_attested,
    sign_in_policy_update,
    staff_role_mapping_save,
    staff_sso_sign_in,
)
from tests.factories.parties import PASSWORD

pytestmark = pytest.mark.django_db

LOA = "urn:etoegang:core:assurance-class:loa{}"


@pytest.mark.parametrize(
    ("given", "required", "meets"),
    [
        (LOA.format(3), LOA.format(3), True),
        (LOA.format(4), LOA.format(3), True),
        (LOA.format("2plus"), LOA.format(3), False),
        (LOA.format(2), LOA.format("2plus"), False),
        (LOA.format("2plus"), LOA.format(2), True),
        ("", LOA.format(3), False),
        ("urn:oasis:names:tc:SAML:2.0:ac:classes:Password", LOA.format(1), False),
    ],
)
def test_assurance_level_meets_only_when_the_given_level_is_at_least_the_required(given, required, meets):
    assert assurance_level_meets(given, required) is meets


def test_level_label_reads_as_ehherkenning_names_levels_when_shown_to_people():
    assert [level_label(LOA.format(n)) for n in ("2plus", 3)] == ["EH2+", "EH3"]


def test_new_pseudonym_becomes_an_exporter_of_the_company_when_its_kvk_is_registered(org_a):
    user = eherkenning_sign_in(kvk_number="11111111", pseudonym="PSEUDO-1", assurance_level=LOA.format(3))
    assert user.organisation == org_a
    assert {g.name for g in user.groups.all()} == {Role.EXPORTER.value}
    assert not user.has_usable_password()
    identity = ExternalIdentity.objects.get(provider=IdentityProvider.EHERKENNING, subject="PSEUDO-1")
    assert identity.user == user
    event = AuditEvent.objects.get(verb=Verb.IDENTITY_LINKED)
    assert event.payload["kvk_number"] == "11111111"
    # The second time it is the same account, and nothing new is linked.
    again = eherkenning_sign_in(kvk_number="11111111", pseudonym="PSEUDO-1", assurance_level=LOA.format(4))
    assert again == user
    assert AuditEvent.objects.filter(verb=Verb.IDENTITY_LINKED).count() == 1


def test_known_pseudonym_is_refused_when_it_acts_for_another_company(org_a, org_b):
    eherkenning_sign_in(kvk_number="11111111", pseudonym="PSEUDO-1", assurance_level=LOA.format(3))
    with pytest.raises(SignInRefused) as refused:
        eherkenning_sign_in(kvk_number="22222222", pseudonym="PSEUDO-1", assurance_level=LOA.format(3))
    assert refused.value.message == ERR_KVK_MISMATCH % {"kvk": "22222222"}
    assert "22222222" in str(refused.value)


def test_sign_in_is_refused_when_no_company_has_the_kvk_number(org_a):
    with pytest.raises(SignInRefused) as refused:
        eherkenning_sign_in(kvk_number="99999999", pseudonym="PSEUDO-9", assurance_level=LOA.format(3))
    assert refused.value.message == ERR_ORGANISATION_UNKNOWN % {"kvk": "99999999"}
    assert not ExternalIdentity.objects.exists()


def test_sign_in_is_refused_when_the_level_is_below_the_setting(org_a, settings):
    with pytest.raises(SignInRefused) as refused:
        eherkenning_sign_in(kvk_number="11111111", pseudonym="P", assurance_level=LOA.format("2plus"))
    assert refused.value.message == ERR_LEVEL_TOO_LOW % {"required": "EH3", "given": "EH2+"}
    settings.REGISTER_EHERKENNING_LEVEL = LOA.format(2)
    assert eherkenning_sign_in(kvk_number="11111111", pseudonym="P", assurance_level=LOA.format("2plus"))


@pytest.fixture
def mappings(administrator):  # type: ignore[no-untyped-def]
    staff_role_mapping_save(
        actor=administrator, claim_value="exportcontrol-officers", role="licensing_officer", is_active=True
    )
    staff_role_mapping_save(
        actor=administrator, claim_value="exportcontrol-senior", role="senior_licensing_officer", is_active=True
    )
    staff_role_mapping_save(actor=administrator, claim_value="old-group", role="reporting_staff", is_active=False)


def test_staff_get_the_mapped_roles_when_their_groups_claim_matches(mappings):
    claims = {"sub": "s-1", "groups": ["exportcontrol-senior", "exportcontrol-officers", "other"], "email": "o@min.nl"}
    user = staff_sso_sign_in(claims=claims)
    assert {g.name for g in user.groups.all()} == {"licensing_officer", "senior_licensing_officer"}
    assert user.email == "o@min.nl"
    assert user.organisation is None
    # A group taken away at the provider is a role gone at the next sign-in.
    user = staff_sso_sign_in(claims={**claims, "groups": ["exportcontrol-officers"]})
    assert {g.name for g in user.groups.all()} == {"licensing_officer"}
    assert ExternalIdentity.objects.filter(provider=IdentityProvider.STAFF_SSO).count() == 1


@pytest.mark.parametrize("groups", [None, [], ["unmapped"], ["old-group"], "unmapped other"])
def test_staff_sign_in_is_refused_when_no_active_mapping_gives_a_role(mappings, groups):
    claims = {"sub": "s-2"} if groups is None else {"sub": "s-2", "groups": groups}
    with pytest.raises(SignInRefused) as refused:
        staff_sso_sign_in(claims=claims)
    assert refused.value.message == ERR_NO_ROLE
    assert not ExternalIdentity.objects.exists()


def test_mapping_changes_are_audited_when_the_administrator_saves_them(administrator):
    mapping = staff_role_mapping_save(actor=administrator, claim_value="g", role="policy_adviser", is_active=True)
    staff_role_mapping_save(
        actor=administrator, claim_value="g", role="policy_adviser", is_active=False, mapping_id=mapping.pk
    )
    events = list(AuditEvent.objects.filter(verb=Verb.STAFF_ROLE_MAPPING_SAVED).order_by("sequence"))
    assert [e.payload["after"]["is_active"] for e in events] == [True, False]
    assert events[1].payload["before"]["is_active"] is True
    assert StaffRoleMapping.history.count() == 2  # type: ignore[attr-defined]


@pytest.mark.parametrize(
    ("claims", "attested"),
    [
        ({"amr": ["pwd", "mfa"]}, True),
        ({"amr": ["pwd"]}, False),
        ({"amr": "mfa"}, True),
        ({}, False),
        ({"acr": "http://eidas.europa.eu/LoA/substantial"}, True),
        ({"acr": "http://eidas.europa.eu/LoA/low"}, False),
    ],
)
def test_multi_factor_is_attested_only_by_amr_mfa_or_a_listed_acr(settings, claims, attested):
    settings.REGISTER_STAFF_SSO_MFA_ACR_VALUES = ["http://eidas.europa.eu/LoA/substantial"]
    assert multi_factor_attested(claims) is attested


def test_exporter_password_is_refused_when_the_administrator_switched_passwords_off(
    client, exporter_a, officer, administrator
):
    assert exporter_passwords_enabled()
    sign_in_policy_update(actor=administrator, exporter_passwords_enabled=False)
    response = client.post("/accounts/login/", {"login": exporter_a.email, "password": PASSWORD})
    assert response.status_code == 403
    assert str(ERR_PASSWORDS_OFF) in response.content.decode()
    assert "_auth_user_id" not in client.session
    # Staff keep their passwords.
    response = client.post("/accounts/login/", {"login": officer.email, "password": PASSWORD})
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(officer.pk)
    assert AuditEvent.objects.filter(verb=Verb.SIGN_IN_POLICY_CHANGED).count() == 1


def test_administrator_adds_a_role_mapping_in_the_admin_and_it_is_audited(client_for, administrator):
    response = client_for(administrator).post(
        "/admin/parties/staffrolemapping/add/",
        {"claim_value": "exportcontrol-advisers", "role": "policy_adviser", "is_active": "on"},
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    mapping = StaffRoleMapping.objects.get()
    assert (mapping.claim_value, mapping.role, mapping.is_active) == ("exportcontrol-advisers", "policy_adviser", True)
    event = AuditEvent.objects.get(verb=Verb.STAFF_ROLE_MAPPING_SAVED)
    assert event.payload["after"]["claim_value"] == "exportcontrol-advisers"


def test_administrator_cannot_map_a_claim_to_the_exporter_role_when_adding_a_mapping(client_for, administrator):
    response = client_for(administrator).post(
        "/admin/parties/staffrolemapping/add/", {"claim_value": "x", "role": "exporter", "is_active": "on"}
    )
    assert response.status_code == 200  # the form again, with the error
    assert not StaffRoleMapping.objects.exists()


def test_login_page_offers_eherkenning_and_staff_sso_only_when_configured(client, settings):
    page = client.get("/accounts/login/").content.decode()
    assert "Sign in with eHerkenning" not in page
    assert "sign in with the ministry account" not in page
    settings.REGISTER_EHERKENNING_IDP_METADATA = "/etc/broker-metadata.xml"
    settings.OIDC_OP_AUTHORIZATION_ENDPOINT = "https://sso.example/authorize"
    page = client.get("/accounts/login/?next=/casework/").content.decode()
    assert 'href="/saml2/login/?next=/casework/"' in page
    assert 'href="/oidc/authenticate/?next=/casework/"' in page
