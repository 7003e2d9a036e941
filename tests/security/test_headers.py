"""Secure headers on an ordinary page: CSP (self only), no framing, no sniffing, referrer and permissions policy."""

from __future__ import annotations

import pytest
from django.urls import reverse

pytestmark = [pytest.mark.django_db, pytest.mark.urls("tests.security.urls")]


def _assert_secure_headers(response) -> None:  # type: ignore[no-untyped-def]
    csp = response["Content-Security-Policy"]
    assert "default-src 'self'" in csp
    assert "script-src 'self'" in csp
    assert "frame-ancestors 'none'" in csp
    assert "'unsafe-inline'" not in csp
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    permissions = response["Permissions-Policy"]
    assert "camera=()" in permissions
    assert "geolocation=()" in permissions
    assert "microphone=()" in permissions


def test_signed_in_page_carries_the_secure_headers_when_rendered(client_for, exporter_a):
    response = client_for(exporter_a).get(reverse("home"))
    assert response.status_code == 200
    _assert_secure_headers(response)


def test_login_page_carries_the_secure_headers_when_anonymous(client):
    response = client.get(reverse("account_login"))
    assert response.status_code == 200
    _assert_secure_headers(response)


def test_session_cookie_is_http_only_and_same_site_when_logging_in(client, exporter_a):
    from tests.factories.parties import PASSWORD

    response = client.post(reverse("account_login"), {"login": exporter_a.email, "password": PASSWORD})
    cookie = response.cookies["sessionid"]
    assert cookie["httponly"] is True
    assert cookie["samesite"] == "Lax"
