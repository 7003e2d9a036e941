"""API clients for the personas: exporters call with their token (as their own systems would), staff with a
browser session (as the case-work screens would)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from rest_framework.test import APIClient

from core.api_tokens import api_token_issue


@pytest.fixture
def token_client() -> Callable[[Any], APIClient]:
    def make(user: Any) -> APIClient:
        client = APIClient()
        client.credentials(HTTP_AUTHORIZATION=f"Token {api_token_issue(actor=user).key}")
        return client

    return make


@pytest.fixture
def session_client() -> Callable[[Any], APIClient]:
    def make(user: Any) -> APIClient:
        client = APIClient()
        client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
        return client

    return make
