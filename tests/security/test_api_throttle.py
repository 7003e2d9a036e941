"""API rate limit per token (DRF UserRateThrottle, API_RATE): over the limit, 429 with the one error body."""

from __future__ import annotations

import pytest
from django.core.cache import cache
from django.urls import reverse
from rest_framework.authtoken.models import Token
from rest_framework.settings import api_settings
from rest_framework.throttling import UserRateThrottle

pytestmark = [pytest.mark.django_db, pytest.mark.urls("tests.security.urls")]


@pytest.fixture
def two_per_minute(settings, monkeypatch):  # type: ignore[no-untyped-def]
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "DEFAULT_THROTTLE_RATES": {"user": "2/minute"}}
    # DRF copies the rates onto the throttle class when it is imported, so the new setting must reach it too.
    monkeypatch.setattr(UserRateThrottle, "THROTTLE_RATES", api_settings.DEFAULT_THROTTLE_RATES)
    yield
    cache.clear()


def _token_client(client, user):  # type: ignore[no-untyped-def]
    token = Token.objects.create(user=user)
    cache.delete(f"throttle_user_{user.pk}")
    client.defaults["HTTP_AUTHORIZATION"] = f"Token {token.key}"
    return client


def test_third_call_in_a_minute_gets_429_when_the_rate_is_two_per_minute(two_per_minute, client, exporter_a):
    assert "rest_framework.throttling.UserRateThrottle" in api_settings.DEFAULT_THROTTLE_CLASSES.__repr__()
    api = _token_client(client, exporter_a)
    assert api.get(reverse("throttle_probe")).status_code == 200
    assert api.get(reverse("throttle_probe")).status_code == 200
    response = api.get(reverse("throttle_probe"))
    assert response.status_code == 429
    assert response.json()["code"] == "throttled"
    assert int(response["Retry-After"]) > 0


def test_each_token_has_its_own_budget_when_another_one_is_exhausted(two_per_minute, client, exporter_a, exporter_b):
    from django.test import Client

    api_a = _token_client(client, exporter_a)
    for _ in range(3):
        api_a.get(reverse("throttle_probe"))
    assert api_a.get(reverse("throttle_probe")).status_code == 429
    api_b = _token_client(Client(), exporter_b)
    assert api_b.get(reverse("throttle_probe")).status_code == 200
