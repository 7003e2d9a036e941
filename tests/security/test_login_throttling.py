"""Brute force: after AXES_FAILURE_LIMIT failed logins the account is locked for this address for an hour
(django-axes, AXES_COOLOFF_TIME), with a clear page and a way back (a password reset ends it). The lock is per
account AND address, so nobody elsewhere can lock the owner out; administrators hear of each lock-out."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.core import mail
from django.test import Client
from django.urls import reverse

from core.models import Notification
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


def test_owner_logs_in_when_someone_elsewhere_fails_with_their_address_many_times(client, exporter_a, settings):
    # Issue 14: allauth counted failures per account from any address, so anyone could lock anyone out.
    attacker = Client(REMOTE_ADDR="203.0.113.9")
    for _ in range(settings.AXES_FAILURE_LIMIT * 2):
        attacker.post(reverse("account_login"), {"login": exporter_a.email, "password": "guess-123456"})
    assert attacker.post(reverse("account_login"), {"login": exporter_a.email, "password": PASSWORD}).status_code == 429

    response = _attempt(client, exporter_a.email, PASSWORD)  # the owner, from their own address

    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(exporter_a.pk)


def test_administrators_are_told_once_when_an_account_is_locked(
    client, exporter_a, administrator, settings, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        _fail_until_locked(client, exporter_a.email, settings.AXES_FAILURE_LIMIT + 3)  # locked, then three more

    assert [n.title for n in Notification.objects.filter(user=administrator)] == [
        "Account locked after repeated failed log-ins"
    ]
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == [administrator.email]
    assert exporter_a.email in mail.outbox[0].body


def test_password_reset_ends_the_lock_out_when_the_owner_follows_the_mailed_link(client, exporter_a, settings):
    _fail_until_locked(client, exporter_a.email, settings.AXES_FAILURE_LIMIT)
    assert _attempt(client, exporter_a.email, PASSWORD).status_code == 429

    client.post(reverse("account_reset_password"), {"email": exporter_a.email})
    link = re.search(r"https?://[^/\s]+(/accounts/password/reset/key/\S+)", mail.outbox[-1].body)
    assert link is not None
    form_url = client.get(link.group(1), follow=True).redirect_chain[-1][0]
    new_password = "a-new-long-passphrase-2026"
    client.post(form_url, {"password1": new_password, "password2": new_password})

    response = _attempt(client, exporter_a.email, new_password)
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(exporter_a.pk)
