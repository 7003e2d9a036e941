"""Deny by default: anonymous users are sent to the login page from every page; roles see only their own work."""

from __future__ import annotations

import re

import pytest
from django.urls import URLPattern, URLResolver, get_resolver

from core.access import CAPABILITIES, can
from core.navigation import NAV_ENTRIES

pytestmark = pytest.mark.django_db

# Pages that must work without logging in; everything else needs a login.
PUBLIC_PREFIXES = (
    "/accounts/login/",
    "/accounts/password/reset/",
    "/accounts/signup/",
    "/accounts/3rdparty/",
    "/accounts/confirm-email/",
    "/accounts/inactive/",
    "/accounts/2fa/authenticate/",
    "/accounts/login/code/",
    "/accounts/reauthenticate/",
    "/healthz",
    "/i18n/",
    "/oidc/",
    "/saml2/",
    "/portal/register/",
    "/static/",
)


def _all_paths(resolver: URLResolver | None = None, prefix: str = "") -> list[str]:
    resolver = resolver or get_resolver()
    paths: list[str] = []
    for pattern in resolver.url_patterns:
        route = prefix + str(pattern.pattern)
        if isinstance(pattern, URLResolver):
            paths += _all_paths(pattern, route)
        elif isinstance(pattern, URLPattern):
            path = re.sub(r"<(?:int:)?\w+>", "1", route)
            path = re.sub(r"<(?:uuid:)\w+>", "00000000-0000-0000-0000-000000000001", path)
            path = re.sub(r"<\w+:\w+>", "x", path)
            path = path.replace("^", "").replace("$", "").replace("\\Z", "")
            if "(" in path or "?" in path:
                continue  # regex routes (admin internals) are covered by the admin's own login
            paths.append("/" + path)
    return paths


def test_anonymous_user_is_sent_to_login_when_opening_any_page(client):
    checked, open_pages = 0, []
    for path in _all_paths():
        if path.startswith(PUBLIC_PREFIXES) or path.startswith("/admin/"):
            continue
        response = client.get(path)
        if path.startswith("/api/"):
            denied = response.status_code in (401, 403)
        else:
            denied = response.status_code == 302 and "/accounts/login/" in response["Location"]
        if not denied:
            open_pages.append((path, response.status_code))
        checked += 1
    assert open_pages == [], "\n".join(f"{p} {s}" for p, s in open_pages)
    assert checked >= 3


def test_admin_is_closed_to_anonymous_users_when_opened(client):
    response = client.get("/admin/")
    assert response.status_code == 302
    assert "/admin/login/" in response["Location"]


def test_each_role_home_shows_only_what_that_role_may_use(client_for, exporter_a, officer, analyst, adviser):
    for user in (exporter_a, officer, analyst, adviser):
        html = client_for(user).get("/").content.decode()
        for entry in NAV_ENTRIES:
            shown = f">{entry.label}<" in html
            if shown:
                assert can(user, entry.capability), (user.username, entry.url_name)


def test_exporter_has_no_internal_capability_when_asked():
    # Exporters may use only the portal capabilities.
    exporter_caps = {name for name in CAPABILITIES if name.startswith("portal.")}
    assert exporter_caps == {
        "portal.use",
        "portal.submit",
        "portal.upload",
        "portal.api_token",
        "portal.invite_colleague",
        "portal.events",
        "portal.webhooks",
    }


def test_capabilities_follow_the_roles_when_checked(exporter_a, officer, senior, analyst, adviser, administrator):
    assert can(exporter_a, "portal.submit")
    assert not can(exporter_a, "casework.use")
    assert not can(exporter_a, "reports.aggregates")
    assert can(officer, "casework.use") and not can(officer, "casework.countersign")
    assert can(senior, "casework.use") and can(senior, "casework.countersign")
    assert can(analyst, "reports.aggregates") and not can(analyst, "reports.confidential")
    assert not can(analyst, "casework.use")
    assert can(adviser, "casework.advise") and not can(adviser, "casework.use")
    assert can(administrator, "admin.reference_data") and not can(administrator, "casework.use")


def test_exporter_of_pending_company_cannot_submit_when_registration_is_not_approved(pending_org):
    from core.roles import Role
    from tests.factories import UserFactory

    user = UserFactory(organisation=pending_org, roles=[Role.EXPORTER])
    assert can(user, "portal.use")
    assert not can(user, "portal.submit")


def test_unknown_capability_is_a_programming_error_when_asked(officer):
    with pytest.raises(KeyError):
        can(officer, "casework.fly")
