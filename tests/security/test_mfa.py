"""Staff need a second factor (TOTP); exporters may add one. allauth.mfa does the work, core.mfa enforces it."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
import time_machine
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import TOTP
from django.urls import reverse

from core.mfa import MSG_SET_UP
from tests.factories.parties import PASSWORD

from .totp import totp_code

pytestmark = [pytest.mark.django_db, pytest.mark.urls("tests.security.urls")]

# A fixed instant, so a code computed here is still the current one when allauth checks it (no 30 s boundary).
NOW = datetime(2026, 3, 2, 9, 0, 10, tzinfo=UTC)
SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"


def _login(client, user):  # type: ignore[no-untyped-def]
    return client.post(reverse("account_login"), {"login": user.email, "password": PASSWORD})


def test_totp_helper_matches_the_rfc_6238_test_vector_when_given_its_secret_and_time():
    # RFC 6238 appendix B: ASCII secret "12345678901234567890", T = 59 s -> 94287082 (8 digits).
    secret = "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ"
    assert totp_code(secret, at=59, digits=8) == "94287082"
    assert totp_code(secret, at=1111111109, digits=8) == "07081804"


def test_staff_member_is_sent_to_totp_setup_when_they_have_no_second_factor(staff_mfa_required, client_for, officer):
    client = client_for(officer)
    response = client.get(reverse("home"))
    assert response.status_code == 302
    assert response["Location"] == reverse("mfa_activate_totp")
    follow = client.get(reverse("mfa_index"))
    assert follow.status_code == 200
    assert str(MSG_SET_UP) in follow.content.decode()


@pytest.mark.parametrize("persona", ["senior", "adviser", "analyst", "administrator"])
def test_every_staff_role_is_sent_to_totp_setup_when_without_second_factor(
    staff_mfa_required, client_for, persona, request
):
    user = request.getfixturevalue(persona)
    response = client_for(user).get(reverse("home"))
    assert response.status_code == 302
    assert response["Location"] == reverse("mfa_activate_totp")


def test_staff_member_can_still_log_out_when_without_second_factor(staff_mfa_required, client_for, officer):
    client = client_for(officer)
    response = client.post(reverse("account_logout"))
    assert response.status_code == 302
    assert response["Location"] != reverse("mfa_activate_totp")
    assert "_auth_user_id" not in client.session


def test_exporter_is_not_forced_to_set_up_totp_when_mfa_is_required_for_staff(
    staff_mfa_required, client_for, exporter_a
):
    response = client_for(exporter_a).get(reverse("home"))
    assert response.status_code == 200


def test_exporter_can_open_the_account_security_page_when_they_want_a_second_factor(
    staff_mfa_required, client_for, exporter_a
):
    response = client_for(exporter_a).get(reverse("mfa_index"))
    assert response.status_code == 200


def test_nobody_is_forced_when_the_setting_is_off(client_for, officer, settings):
    settings.REGISTER_STAFF_MFA_REQUIRED = False
    assert client_for(officer).get(reverse("home")).status_code == 200


def test_staff_member_sets_up_totp_and_then_reaches_the_app_when_the_code_is_right(staff_mfa_required, client, officer):
    with time_machine.travel(NOW, tick=False):
        assert _login(client, officer).status_code == 302
        assert client.get(reverse("home"))["Location"] == reverse("mfa_activate_totp")
        # allauth asks for the password again before a second factor is added.
        ask = client.get(reverse("mfa_activate_totp"))
        assert ask["Location"].startswith(reverse("account_reauthenticate"))
        client.post(ask["Location"], {"password": PASSWORD})
        setup = client.get(reverse("mfa_activate_totp"))
        assert setup.status_code == 200
        secret = client.session["mfa.totp.secret"]  # what the QR code on the page encodes

        wrong = client.post(
            reverse("mfa_activate_totp"), {"code": "000000" if totp_code(secret) != "000000" else "111111"}
        )
        assert wrong.status_code == 200
        assert not Authenticator.objects.filter(user=officer, type=Authenticator.Type.TOTP).exists()

        done = client.post(reverse("mfa_activate_totp"), {"code": totp_code(secret)})
        assert done.status_code == 302
        assert Authenticator.objects.filter(user=officer, type=Authenticator.Type.TOTP).exists()
        assert client.get(reverse("home")).status_code == 200


def test_login_asks_for_the_code_when_the_staff_member_has_totp(staff_mfa_required, client, officer):
    TOTP.activate(officer, SECRET)
    with time_machine.travel(NOW, tick=False):
        response = _login(client, officer)
        assert response.status_code == 302
        assert response["Location"] == reverse("mfa_authenticate")
        # The password alone does not log in.
        assert "_auth_user_id" not in client.session
        assert client.get(reverse("home")).status_code == 302

        wrong = client.post(
            reverse("mfa_authenticate"), {"code": "123456" if totp_code(SECRET) != "123456" else "654321"}
        )
        assert wrong.status_code == 200
        assert "_auth_user_id" not in client.session

        right = client.post(reverse("mfa_authenticate"), {"code": totp_code(SECRET)})
        assert right.status_code == 302
        assert client.session["_auth_user_id"] == str(officer.pk)
        assert client.get(reverse("home")).status_code == 200


def test_staff_session_gets_403_mfa_required_from_the_api_when_without_second_factor(
    staff_mfa_required, client_for, officer
):
    response = client_for(officer).get(reverse("throttle_probe"))
    assert response.status_code == 403
    assert response.json()["code"] == "mfa_required"


def test_django_admin_login_goes_through_allauth_when_mfa_is_required(staff_mfa_required, client):
    response = client.get("/admin/login/?next=/admin/")
    assert response.status_code == 302
    assert response["Location"] == f"{reverse('account_login')}?next=%2Fadmin%2F"


def test_removing_totp_is_noticed_on_the_next_request_when_staff_had_it(staff_mfa_required, client_for, officer):
    TOTP.activate(officer, SECRET)
    client = client_for(officer)
    assert client.get(reverse("home")).status_code == 200
    client.get(reverse("mfa_index"))  # an MFA page: the session's "has TOTP" mark is dropped
    Authenticator.objects.filter(user=officer).delete()
    response = client.get(reverse("home"))
    assert response.status_code == 302
    assert response["Location"] == reverse("mfa_activate_totp")
