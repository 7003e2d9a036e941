"""The login page offers the password reset once."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.django_db


def test_login_page_shows_forgot_your_password_once(client):
    content = client.get("/accounts/login/").content.decode()

    assert content.count("Forgot your password?") == 1
    assert content.count('href="/accounts/password/reset/"') == 1
