"""Issue 18, end to end in the browser against real identity providers started on this machine: an exporter
signs in through a SAML 2.0 IdP (pysaml2, standing in for an eHerkenning broker) and an officer through an
OpenID Connect provider (django-oauth-toolkit, standing in for the ministry's SSO); a KvK mismatch and a missing
role claim are refused with a clear page."""

from __future__ import annotations

import json
import os
import re
import socket
import subprocess
import sys
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from parties.models import ExternalIdentity, IdentityProvider
from parties.sign_in import staff_role_mapping_save
from tests.e2e.conftest import assert_accessible, screenshot
from tests.sso.keys import key_and_certificate
from tests.sso.saml_idp import Persona, SamlIdP

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def saml_idp(live_server: Any, settings: Any, tmp_path: Path) -> Iterator[SamlIdP]:
    personas = {
        "alpha": Persona("Anna for Alpha Defence (EH3)", kvk_number="11111111", pseudonym="PSEUDO-ANNA"),
        "bravo": Persona("Anna for Bravo Systems (EH3)", kvk_number="22222222", pseudonym="PSEUDO-ANNA"),
        "low": Persona(
            "Anna for Alpha Defence (EH2+)",
            kvk_number="11111111",
            pseudonym="PSEUDO-ANNA",
            level="urn:etoegang:core:assurance-class:loa2plus",
        ),
    }
    idp = SamlIdP(directory=tmp_path, personas=personas)
    key, cert = key_and_certificate(tmp_path, "sp")
    settings.REGISTER_EHERKENNING_IDP_METADATA = str(idp.metadata)
    settings.REGISTER_EHERKENNING_SP_KEY_FILE = str(key)
    settings.REGISTER_EHERKENNING_SP_CERT_FILE = str(cert)
    # The broker learns the register's metadata (its ACS and certificate) from the register itself.
    sp_metadata = tmp_path / "sp-metadata.xml"
    with urllib.request.urlopen(f"{live_server.url}/saml2/metadata/") as response:  # noqa: S310 (our live server)
        sp_metadata.write_bytes(response.read())
    idp.sp_metadata = sp_metadata
    yield idp
    idp.stop()


def _sign_in_with_eherkenning(page: Page, persona: str) -> None:
    page.goto("/accounts/login/")
    page.get_by_role("link", name="Sign in with eHerkenning").click()
    expect(page.get_by_role("heading", name="Test eHerkenning broker")).to_be_visible()
    page.locator(f"button[value={persona}]").click()


def test_exporter_signs_in_through_eherkenning_and_a_kvk_mismatch_is_refused(page: Page, saml_idp, org_a, org_b):
    _sign_in_with_eherkenning(page, "alpha")
    expect(page).not_to_have_url(re.compile(r"/(accounts/login|saml2)/"))
    identity = ExternalIdentity.objects.get(provider=IdentityProvider.EHERKENNING, subject="PSEUDO-ANNA")
    assert identity.user.organisation == org_a
    expect(page.get_by_role("link", name="My applications").first).to_be_visible()
    screenshot(page, "sso-01-eherkenning-signed-in")

    # The same person, now with an authorisation for another company: their account is Alpha's.
    page.context.clear_cookies()
    _sign_in_with_eherkenning(page, "bravo")
    expect(page.get_by_role("heading", level=1)).to_have_text("You could not be signed in")
    expect(page.get_by_role("alert")).to_contain_text("KvK number 22222222")
    screenshot(page, "sso-02-kvk-mismatch")
    assert_accessible(page, name="sso-02-kvk-mismatch")
    page.goto("/portal/applications/")
    expect(page).to_have_url(re.compile(r"/accounts/login/"))


def test_eherkenning_is_refused_when_the_level_is_below_eh3(page: Page, saml_idp, org_a):
    _sign_in_with_eherkenning(page, "low")
    expect(page.get_by_role("alert")).to_contain_text("EH3")
    expect(page.get_by_role("alert")).to_contain_text("EH2+")
    assert not ExternalIdentity.objects.exists()


# --- Staff: OpenID Connect ------------------------------------------------------------------------------------

OP_CLIENT_ID, OP_SECRET = "exportregister", "test-client-secret-0123456789"


@pytest.fixture
def oidc_provider(live_server: Any, settings: Any, tmp_path: Path) -> Iterator[str]:
    """django-oauth-toolkit with OIDC on, in its own process (tests/sso/oidc_provider), with two people: Olga,
    in the officers' group and signed in with two factors, and Nico, in no group the register knows."""
    key, _cert = key_and_certificate(tmp_path, "op")
    key.rename(tmp_path / "op.key")
    people = {
        "olga": {
            "password": "olga-secret-1",
            "email": "olga@minbuza.example",
            "given_name": "Olga",
            "family_name": "Officer",
            "groups": ["exportcontrol-officers"],
            "amr": ["pwd", "otp", "mfa"],
        },
        "nico": {"password": "nico-secret-1", "email": "nico@minbuza.example", "groups": ["catering"], "amr": ["pwd"]},
    }
    (tmp_path / "people.json").write_text(json.dumps(people))
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    redirect_uri = f"{live_server.url}/oidc/callback/"
    process = subprocess.Popen(
        [sys.executable, "-m", "tests.sso.oidc_provider.serve", str(port), OP_CLIENT_ID, OP_SECRET, redirect_uri],
        cwd=Path(__file__).resolve().parents[2],
        env={**os.environ, "OIDC_PROVIDER_STATE": str(tmp_path)},
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert process.stdout is not None
        assert process.stdout.readline().strip() == "ready"
        base = f"http://localhost:{port}/o"
        settings.OIDC_RP_CLIENT_ID, settings.OIDC_RP_CLIENT_SECRET = OP_CLIENT_ID, OP_SECRET
        settings.OIDC_OP_AUTHORIZATION_ENDPOINT = f"{base}/authorize/"
        settings.OIDC_OP_TOKEN_ENDPOINT = f"{base}/token/"
        settings.OIDC_OP_USER_ENDPOINT = f"{base}/userinfo/"
        settings.OIDC_OP_JWKS_ENDPOINT = f"{base}/.well-known/jwks.json"
        yield base
    finally:
        process.terminate()
        process.wait(timeout=10)


def _sign_in_with_ministry_account(page: Page, username: str, password: str) -> None:
    page.goto("/accounts/login/")
    page.get_by_role("link", name="Staff: sign in with the ministry account").click()
    expect(page.get_by_role("heading", name="Ministry sign-in (test)")).to_be_visible()
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in").click()


def test_officer_signs_in_through_oidc_with_the_mapped_role_and_no_role_claim_is_refused(
    page: Page, oidc_provider, administrator, settings
):
    staff_role_mapping_save(
        actor=administrator, claim_value="exportcontrol-officers", role="licensing_officer", is_active=True
    )
    # The provider attests two factors (amr "mfa"), so the staff MFA rule is met without the register's TOTP.
    settings.REGISTER_STAFF_MFA_REQUIRED = True
    _sign_in_with_ministry_account(page, "olga", "olga-secret-1")
    expect(page).not_to_have_url(re.compile(r"/(accounts|oidc|mfa)/"))
    identity = ExternalIdentity.objects.get(provider=IdentityProvider.STAFF_SSO)
    assert {g.name for g in identity.user.groups.all()} == {"licensing_officer"}
    assert identity.user.email == "olga@minbuza.example"
    page.goto("/casework/")
    expect(page).not_to_have_url(re.compile(r"/(accounts/login|mfa)/"))
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    screenshot(page, "sso-03-officer-signed-in")

    page.context.clear_cookies()
    _sign_in_with_ministry_account(page, "nico", "nico-secret-1")
    expect(page.get_by_role("heading", level=1)).to_have_text("You could not be signed in")
    expect(page.get_by_role("alert")).to_contain_text("gives you no role in the export licence register")
    screenshot(page, "sso-04-no-role")
    assert ExternalIdentity.objects.filter(provider=IdentityProvider.STAFF_SSO).count() == 1
