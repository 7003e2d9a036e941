"""Sessions end after SESSION_IDLE_TIMEOUT_SECONDS without a request (core.middleware.SessionIdleTimeoutMiddleware)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.urls import reverse

pytestmark = [pytest.mark.django_db, pytest.mark.urls("tests.security.urls")]

START = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


def test_user_is_logged_out_when_idle_longer_than_the_timeout(client_for, exporter_a, settings):
    with time_machine.travel(START, tick=False) as traveller:
        client = client_for(exporter_a)
        assert client.get(reverse("home")).status_code == 200
        traveller.shift(timedelta(seconds=settings.SESSION_IDLE_TIMEOUT_SECONDS + 61))
        response = client.get(reverse("home"))
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("account_login"))
        assert "_auth_user_id" not in client.session


def test_user_stays_logged_in_when_active_within_the_timeout(client_for, exporter_a, settings):
    with time_machine.travel(START, tick=False) as traveller:
        client = client_for(exporter_a)
        assert client.get(reverse("home")).status_code == 200
        # Three requests, each just inside the timeout: every request counts as activity.
        for _ in range(3):
            traveller.shift(timedelta(seconds=settings.SESSION_IDLE_TIMEOUT_SECONDS - 60))
            assert client.get(reverse("home")).status_code == 200
