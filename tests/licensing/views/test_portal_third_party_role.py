"""What a third party does is asked of third parties only (issue 15): the field is on the party form when the role
is "third party", and a third party without it gets a field error, in the exporter's language."""

from __future__ import annotations

import pytest

from licensing.models import PartyRole
from tests.licensing.views.test_portal_helpers import draft_for, party_post, portal_url

pytestmark = pytest.mark.django_db

THIRD_PARTY_FIELD = 'name="third_party_role"'


def test_party_form_asks_what_the_party_does_only_when_adding_a_third_party(client_for, exporter_a):
    application = draft_for(exporter_a)
    client = client_for(exporter_a)
    step = portal_url("draft_step", application.pk, "parties")

    end_user_form = client.get(f"{step}?role=end_user").content.decode()
    third_party_form = client.get(f"{step}?role=third_party", HTTP_ACCEPT_LANGUAGE="nl").content.decode()

    assert THIRD_PARTY_FIELD not in end_user_form
    assert THIRD_PARTY_FIELD in third_party_form
    assert "Wat doet deze derde partij?" in third_party_form


@pytest.mark.parametrize(
    ("language", "message"),
    [
        ("nl", "Geef aan wat deze derde partij doet, bijvoorbeeld expediteur of tussenhandelaar."),
        ("en", "Say what this third party does, for example freight forwarder or broker."),
    ],
)
def test_third_party_gets_a_field_error_in_the_readers_language_when_it_has_no_role(
    client_for, exporter_a, language, message
):
    application = draft_for(exporter_a)
    before = application.parties.count()

    response = client_for(exporter_a).post(
        portal_url("party_save", application.pk),
        party_post(role="third_party", name="Volga Brokers", party_type="commercial", third_party_role="  "),
        HTTP_ACCEPT_LANGUAGE=language,
    )

    assert response.status_code == 400
    page = response.content.decode()
    assert message in page
    assert THIRD_PARTY_FIELD in page  # the field is there to fill in
    assert application.parties.count() == before


def test_role_text_is_not_kept_when_the_party_is_not_a_third_party(client_for, exporter_a):
    application = draft_for(exporter_a, destination=None)

    client_for(exporter_a).post(
        portal_url("party_save", application.pk), party_post(name="Royal Navy HQ", third_party_role="broker")
    )

    saved = application.parties.get(name="Royal Navy HQ")
    assert (saved.role, saved.third_party_role) == (PartyRole.END_USER, "")
