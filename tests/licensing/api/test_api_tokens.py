"""API tokens for exporters' systems: created and shown once, recognisable afterwards, revoked at once."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Group
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from audit.models import AuditEvent, Verb
from core.access import can, roles_of
from core.api_auth import ScopedTokenAuthentication
from core.api_tokens import api_token_issue
from core.roles import Role
from parties.models import User

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


def test_token_user_gets_the_same_roles_as_a_fresh_read_when_the_token_query_reads_them_too(exporter_a):
    # ScopedTokenAuthentication reads the roles in its own query and hands them to core.access.roles_of: they
    # must be what roles_of works out itself, for an administrator (a superuser) and for several roles alike.
    exporter_a.is_superuser = True
    exporter_a.save()
    exporter_a.groups.add(Group.objects.get_or_create(name=Role.REPORTING.value)[0])
    key = api_token_issue(actor=exporter_a).key

    user, token = ScopedTokenAuthentication().authenticate_credentials(key)

    assert roles_of(user) == roles_of(User.objects.get(pk=exporter_a.pk))
    assert roles_of(user) == {Role.EXPORTER.value, Role.REPORTING.value, Role.ADMINISTRATOR.value}
    assert (token.key, token.user_id, token.created) == (key, exporter_a.pk, Token.objects.get(key=key).created)


def test_token_of_a_user_without_roles_or_deactivated_is_refused(exporter_a):
    key = api_token_issue(actor=exporter_a).key
    exporter_a.groups.clear()
    assert _with_token(key).get(f"{API}/applications/").status_code == 403  # a token, but no role that may list

    exporter_a.is_active = False
    exporter_a.save()
    refused = _with_token(key).get(f"{API}/applications/")
    assert refused.status_code == 401 and refused.json()["code"] == "authentication_failed"


def test_a_token_request_reads_token_user_and_roles_in_one_query(exporter_a, django_assert_num_queries):
    key = api_token_issue(actor=exporter_a).key
    with django_assert_num_queries(1):
        user, _ = ScopedTokenAuthentication().authenticate_credentials(key)
        assert can(user, "portal.use")
