"""Issue 18, end to end in the browser against real identity providers started on this machine: an exporter
signs in through a SAML 2.0 IdP (pysaml2, standing in for an eHerkenning broker), and a KvK mismatch is refused
with a clear page."""

from __future__ import annotations

import re
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from parties.models import ExternalIdentity, IdentityProvider
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
