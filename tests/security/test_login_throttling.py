"""Brute force: after AXES_FAILURE_LIMIT failed logins the account is locked for this address for an hour
(django-axes, AXES_COOLOFF_TIME), with a clear page. allauth's own limiter (5 failures per account per 5 minutes)
also refuses logins in the first minutes, with its form error; both keep the attacker out."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.urls import reverse

from tests.factories.parties import PASSWORD

pytestmark = [pytest.mark.django_db, pytest.mark.urls("tests.security.urls")]

LOCKED_OUT_HEADING = "Too many failed log-in attempts"
START = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


def _attempt(client, email: str, password: str):  # type: ignore[no-untyped-def]
    return client.post(reverse("account_login"), {"login": email, "password": password})


def _fail_until_locked(client, email: str, limit: int) -> None:  # type: ignore[no-untyped-def]
    for _ in range(limit):
        _attempt(client, email, "wrong-password-123")


def test_login_shows_the_lock_out_page_when_the_failure_limit_is_reached(client, exporter_a, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        response = _attempt(client, exporter_a.email, "wrong-password-123")
        assert response.status_code == 200  # the form again, with its error
        assert LOCKED_OUT_HEADING not in response.content.decode()
    response = _attempt(client, exporter_a.email, "wrong-password-123")
    assert response.status_code == 429
    page = response.content.decode()
    assert LOCKED_OUT_HEADING in page
    assert "blocked for one hour" in page


def test_right_password_still_gets_the_lock_out_page_when_the_account_is_locked(client, exporter_a, settings):
    with time_machine.travel(START, tick=False) as traveller:
        _fail_until_locked(client, exporter_a.email, settings.AXES_FAILURE_LIMIT)
        traveller.shift(timedelta(minutes=10))  # past allauth's 5-minute window: axes alone holds the lock
        response = _attempt(client, exporter_a.email, PASSWORD)
        assert response.status_code == 429
        assert LOCKED_OUT_HEADING in response.content.decode()
        assert "_auth_user_id" not in client.session


def test_lock_out_holds_when_the_address_is_typed_in_capitals(client, exporter_a, settings):
    with time_machine.travel(START, tick=False) as traveller:
        _fail_until_locked(client, exporter_a.email, settings.AXES_FAILURE_LIMIT)
        traveller.shift(timedelta(minutes=10))
        response = _attempt(client, exporter_a.email.upper(), PASSWORD)
        assert response.status_code == 429
        assert "_auth_user_id" not in client.session


def test_login_works_again_when_the_hour_has_passed(client, exporter_a, settings):
    with time_machine.travel(START, tick=False) as traveller:
        _fail_until_locked(client, exporter_a.email, settings.AXES_FAILURE_LIMIT)
        traveller.shift(timedelta(minutes=61))
        response = _attempt(client, exporter_a.email, PASSWORD)
        assert response.status_code == 302
        assert client.session["_auth_user_id"] == str(exporter_a.pk)


def test_login_works_when_failures_stay_below_the_limit(client, exporter_a, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        _attempt(client, exporter_a.email, "wrong-password-123")
    response = _attempt(client, exporter_a.email, PASSWORD)
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(exporter_a.pk)


def test_lock_out_of_one_account_leaves_another_alone_when_both_log_in_from_one_address(
    client, exporter_a, exporter_b, settings
):
    # A ministry or company network shows one address for everyone: one user's typos must not lock out all.
    _fail_until_locked(client, exporter_a.email, settings.AXES_FAILURE_LIMIT)
    response = _attempt(client, exporter_b.email, PASSWORD)
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(exporter_b.pk)
