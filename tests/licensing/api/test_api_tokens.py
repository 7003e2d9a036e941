"""API tokens for exporters' systems: created and shown once, recognisable afterwards, revoked at once."""

from __future__ import annotations

import pytest
from rest_framework.test import APIClient

from audit.models import AuditEvent, Verb

pytestmark = pytest.mark.django_db

API = "/api/v1"


def _with_token(key: str) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    return client


def test_exporter_gets_a_working_token_shown_once_when_creating_one(session_client, exporter_a):
    portal = session_client(exporter_a)
    assert portal.get(f"{API}/tokens/").json() == {"exists": False, "key_prefix": None, "created": None}

    created = portal.post(f"{API}/tokens/")
    assert created.status_code == 201
    key = created.json()["key"]
    assert len(key) == 40

    state = portal.get(f"{API}/tokens/").json()
    assert (state["exists"], state["key_prefix"]) == (True, key[:6])
    assert key not in str(state)
    assert _with_token(key).get(f"{API}/applications/").status_code == 200
    assert AuditEvent.objects.filter(verb=Verb.API_TOKEN_ISSUED, actor=exporter_a).count() == 1


def test_token_fails_with_401_when_it_has_been_revoked(session_client, exporter_a):
    portal = session_client(exporter_a)
    key = portal.post(f"{API}/tokens/").json()["key"]
    system = _with_token(key)
    assert system.get(f"{API}/applications/").status_code == 200

    assert portal.delete(f"{API}/tokens/").status_code == 204

    refused = system.get(f"{API}/applications/")
    assert refused.status_code == 401
    assert refused.json()["code"] == "authentication_failed"
    assert refused["WWW-Authenticate"] == "Token"
    assert portal.get(f"{API}/tokens/").json()["exists"] is False
    assert AuditEvent.objects.filter(verb=Verb.API_TOKEN_REVOKED, actor=exporter_a).count() == 1


def test_old_token_fails_when_a_new_one_replaces_it(session_client, exporter_a):
    portal = session_client(exporter_a)
    old = portal.post(f"{API}/tokens/").json()["key"]
    new = portal.post(f"{API}/tokens/").json()["key"]
    assert old != new
    assert _with_token(old).get(f"{API}/applications/").status_code == 401
    assert _with_token(new).get(f"{API}/applications/").status_code == 200


def test_revoking_is_harmless_when_there_is_no_token(session_client, exporter_a):
    assert session_client(exporter_a).delete(f"{API}/tokens/").status_code == 204
    assert not AuditEvent.objects.filter(verb=Verb.API_TOKEN_REVOKED).exists()


def test_token_acts_only_for_its_own_user_when_another_exporter_revokes_theirs(session_client, exporter_a, exporter_b):
    key_a = session_client(exporter_a).post(f"{API}/tokens/").json()["key"]
    session_client(exporter_b).post(f"{API}/tokens/")
    session_client(exporter_b).delete(f"{API}/tokens/")
    assert _with_token(key_a).get(f"{API}/applications/").status_code == 200


def test_staff_get_403_when_asking_for_an_api_token(session_client, officer):
    assert session_client(officer).post(f"{API}/tokens/").status_code == 403
