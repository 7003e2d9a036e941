"""The authorization matrix: every route × every persona × GET and POST, checked against one declared policy.

POLICY below is the declaration: for each named route, the capability (core.access) a user needs, or "public" /
"login". The test enumerates the URL resolver, so a new route without a POLICY entry fails here. Expectations:
- anonymous: public routes answer; web pages redirect to the login page; the API answers 401/403;
- a persona whose roles lack the capability: 403 (never the page);
- exporter B on exporter A's objects: 404, so existence does not leak;
- a persona with the capability: neither 401/403 nor a login redirect, and never a 5xx.
"""

from __future__ import annotations

import re
from datetime import timedelta
from typing import Any

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver
from django.utils import timezone

from core.access import PUBLIC_ROUTES, can
from licensing.models import ApplicationStatus
from licensing.services import casework
from tests.factories import AdviceRequestFactory, DocumentFactory, submitted_application

EXCLUDED_PREFIXES = ("admin/", "accounts/")  # Django admin and allauth guard themselves (tested elsewhere)

POLICY: dict[str, str] = {
    "home": "login",
    "notifications": "login",
    "notifications_mark_read": "login",
    "healthz": "public",
    "set_language": "public",
    "api-schema": "login",
    "api-notifications": "login",
    "api-reports": "reports.aggregates",
    "api-report": "reports.aggregates",
    "api-docs": "login",
    "portal:register": "public",
    # Sign-in through eHerkenning and the staff SSO: public (404 while not configured, as in this test).
    "saml2_login": "public",
    "saml2_acs": "public",
    "saml2_metadata": "public",
    "oidc_authentication_init": "public",
    "oidc_authentication_callback": "public",
    "portal:register_done": "public",
    "portal:colleague_invite": "portal.invite_colleague",
    "portal:webhooks": "portal.webhooks",
    "portal:webhook_rotate": "portal.webhooks",
    "portal:webhook_disable": "portal.webhooks",
    "api-events": "portal.events",
    "api-webhooks": "portal.webhooks",
    "api-webhook": "portal.webhooks",
    "api-webhook-rotate": "portal.webhooks",
    "api-webhook-deliveries": "portal.webhooks",
    "api-treaty-transfer": "portal.use",
    "casework:queue": "casework.use",
    "casework:case_detail": "casework.view_case",
    "casework:case_earlier_decisions": "casework.view_case",
    "casework:licence_pdf": "casework.view_case",
    "casework:document_download": "casework.view_case",
    "casework:decision_countersign": "casework.countersign",
    "casework:decision_return": "casework.countersign",
    "casework:amendment_countersign": "casework.countersign",
    "casework:amendment_return": "casework.countersign",
    "casework:organisation_list": "organisations.review",
    "casework:organisation_detail": "organisations.review",
    "casework:organisation_approve": "organisations.review",
    "casework:organisation_reject": "organisations.review",
    "casework:advice_list": "casework.advise",
    "casework:advice_detail": "casework.advise",
    "consultations:objection_approve": "consultations.approve_objection",
    "consultations:objection_return": "consultations.approve_objection",
    "consultations:exporter_transfer": "portal.use",
    "reports:monthly-confidential": "reports.confidential",
    "reports:monthly-confidential_run": "reports.confidential",
    "reports:treaty-confidential": "reports.confidential",
    "reports:open_data_monthly": "public",
    "reports:treaty-confidential_run": "reports.confidential",
    "reports:general-licence-registrations": "reports.confidential",
    "reports:general-licence-registrations_run": "reports.confidential",
    "reports:parliament_list": "reports.parliament",
    "reports:parliament_detail": "reports.parliament",
    "reports:parliament_letter": "reports.parliament",
    "licensing_api:application-submit": "portal.submit",
    "licensing_api:decision-countersign": "casework.countersign",
    "licensing_api:decision-return": "casework.countersign",
    "licensing_api:case-document-download": "casework.view_case",
    "api-general-licences": "portal.use",
    "api-general-licence-register": "portal.submit",
    "api-general-licence-registration": "portal.use",
    "api-usage-returns": "portal.submit",
    "audit:history": "audit.view",
    "audit:history_csv": "audit.view",
    "audit:history_pdf": "audit.view",
    "audit:as_of": "audit.view",
}
# Whole namespaces with one capability, unless named above.
NAMESPACE_POLICY = {
    "portal": "portal.use",
    "casework": "casework.use",
    "consultations": "consultations.use",
    "reports": "reports.aggregates",
    "licensing_api": "portal.use",
    "gl_portal": "portal.use",
    "gl_casework": "casework.use",
}
API_CASEWORK = re.compile(r"^api/v1/casework/")

PERSONAS = ["anonymous", "exporter_a", "exporter_b", "officer", "senior", "adviser", "analyst", "administrator"]


def _routes(resolver: URLResolver | None = None, prefix: str = "", namespace: str = "") -> list[tuple[str, str]]:
    resolver = resolver or get_resolver()
    found: list[tuple[str, str]] = []
    for pattern in resolver.url_patterns:
        route = prefix + str(pattern.pattern)
        if isinstance(pattern, URLResolver):
            ns = namespace + (f"{pattern.namespace}:" if pattern.namespace else "")
            found += _routes(pattern, route, ns)
        elif isinstance(pattern, URLPattern) and not route.startswith(EXCLUDED_PREFIXES):
            found.append((route, namespace + (pattern.name or "")))
    return found


def policy_for(route: str, name: str) -> str:
    if name in POLICY:
        return POLICY[name]
    if API_CASEWORK.match(route):
        return "casework.use"
    namespace = name.split(":", 1)[0] if ":" in name else ""
    return NAMESPACE_POLICY.get(namespace, "UNDECLARED")


ROUTES = _routes()


def test_every_route_has_a_declared_policy_when_the_urlconf_is_read():
    undeclared = [name or route for route, name in ROUTES if not name or policy_for(route, name) == "UNDECLARED"]
    assert undeclared == []


def _world(persona_users: dict[str, Any]) -> dict[str, Any]:
    """Exporter A's approved case with a licence and a document, so object routes have real ids."""
    exporter_a, officer = persona_users["exporter_a"], persona_users["officer"]
    case = submitted_application(
        organisation=exporter_a.organisation,
        created_by=exporter_a,
        status=ApplicationStatus.UNDER_REVIEW,
        assigned_to=officer,
        criteria_cleared_by=officer,
    )
    today = timezone.localdate()
    casework.decision_propose(
        actor=officer,
        application_id=case.pk,
        outcome="approve",
        justification="No concerns.",
        valid_from=today,
        valid_until=today + timedelta(days=365),
    )
    case.refresh_from_db()
    return {"application": case, "licence": case.licence}


def _url(route: str, name: str, world: dict[str, Any]) -> str:
    application, licence = world["application"], world["licence"]
    pk = licence.pk if "licence" in name else application.pk
    if route.startswith("reports/^open-data"):
        return "/reports/open-data/monthly/2024-01.csv"
    url = "/" + route
    url = url.replace("<str:label>", "licensing.application").replace("<str:pk>", str(application.pk))
    url = url.replace("<int:application_pk>", str(application.pk)).replace("<slug:slug>", "monthly")
    url = url.replace("<slug:step>", "goods")
    url = re.sub(r"<int:pk>", str(pk), url)
    url = re.sub(r"<int:\w+>", "1", url)
    return url


def _is_login_redirect(response: Any) -> bool:
    return response.status_code == 302 and "/accounts/login/" in response.get("Location", "")


@pytest.mark.django_db
@pytest.mark.parametrize(("route", "name"), ROUTES, ids=[name or route for route, name in ROUTES])
def test_route_answers_each_persona_as_the_policy_declares(
    route, name, exporter_a, exporter_b, officer, senior, adviser, analyst, administrator
):
    users = {
        "exporter_a": exporter_a,
        "exporter_b": exporter_b,
        "officer": officer,
        "senior": senior,
        "adviser": adviser,
        "analyst": analyst,
        "administrator": administrator,
    }
    world = _world(users)
    policy = policy_for(route, name)
    url = _url(route, name, world)
    is_api = route.startswith("api/")
    has_object = "<" in route and not route.startswith(("reports/runs", "audit/"))
    problems = []
    for persona in PERSONAS:
        client = Client()
        user = users.get(persona)
        if user is not None:
            client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
        for method in ("get", "post"):
            response = getattr(client, method)(url)
            status = response.status_code
            if status >= 500:
                problems.append(f"{persona} {method.upper()} {url}: {status}")
                continue
            if policy == "public":
                if _is_login_redirect(response) or status in (401, 403):
                    problems.append(f"{persona} {method.upper()} {url}: public route denied ({status})")
                continue
            if user is None:
                denied = status in (401, 403) if is_api else _is_login_redirect(response)
                if not denied:
                    problems.append(f"anonymous {method.upper()} {url}: not denied ({status})")
                continue
            allowed = policy == "login" or can(user, policy)
            if persona == "exporter_b" and allowed and has_object and policy.startswith("portal."):
                # Another organisation's object: 404, never its content (405 for a method the route never takes
                # says nothing about the object either).
                if status not in (404, 405):
                    problems.append(f"exporter_b {method.upper()} {url}: expected 404, got {status}")
            elif allowed:
                if status in (401, 403) or _is_login_redirect(response):
                    problems.append(f"{persona} {method.upper()} {url}: allowed by policy but denied ({status})")
            elif status not in (403, 404, 405):
                problems.append(f"{persona} {method.upper()} {url}: expected 403, got {status}")
    assert problems == [], "\n".join(problems)


def test_the_public_routes_are_exactly_those_core_access_declares_public():
    public = {name for route, name in ROUTES if policy_for(route, name) == "public"}

    assert public == set(PUBLIC_ROUTES)


# Object scope (issue 14): a route that serves one object answers 404 to staff outside that object's scope, even
# when their role may use the route: a policy adviser who was not asked about the case, an officer on an exporter's
# draft. Every object route is enumerated, so a new download path whose selector forgets the scope fails here.
OBJECT_ROUTES = [
    (route, name)
    for route, name in ROUTES
    if re.search(r"<(int|str):(pk|application_pk)>", route) and not route.startswith("reports/")
]
DRAFT_KEYED = ("document", "application", "audit:", "case")  # routes a draft's id can reach


def _object_url(route: str, name: str, application: Any, licence: Any, document: Any) -> str:
    url = "/" + route.replace("<str:label>", "licensing.application")
    pk = document.pk if "document" in name else (licence.pk if licence is not None and "licence" in name else None)
    url = url.replace("<str:pk>", str(application.pk)).replace("<int:application_pk>", str(application.pk))
    url = url.replace("<slug:step>", "goods")
    url = re.sub(r"<int:pk>", str(pk if pk is not None else application.pk), url)
    return re.sub(r"<int:\w+>", "1", url)


# An empty POST may be refused for its missing fields (400) before the object is read: the same answer as for an
# id that does not exist, so it tells nothing about the object.
REFUSED = {"get": (403, 404, 405), "post": (400, 403, 404, 405)}


def _statuses(user: Any, url: str) -> dict[str, int]:
    client = Client()
    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    post = client.post(url, {}, content_type="application/json") if url.startswith("/api/") else client.post(url)
    return {"get": client.get(url).status_code, "post": post.status_code}


@pytest.mark.django_db
@pytest.mark.parametrize(("route", "name"), OBJECT_ROUTES, ids=[name for _, name in OBJECT_ROUTES])
def test_object_route_answers_404_to_staff_outside_the_objects_scope(route, name, exporter_a, officer, adviser):
    world = _world({"exporter_a": exporter_a, "officer": officer})
    case, licence = world["application"], world["licence"]
    document = DocumentFactory(application=case, uploaded_by=exporter_a)
    draft = submitted_application(
        organisation=exporter_a.organisation, created_by=exporter_a, status=ApplicationStatus.DRAFT
    )
    draft_document = DocumentFactory(application=draft, uploaded_by=exporter_a)

    problems = []
    url = _object_url(route, name, case, licence, document)
    for method, status in _statuses(adviser, url).items():
        if status not in REFUSED[method]:
            problems.append(f"adviser (not asked) {method.upper()} {url}: {status}")
    if any(key in name for key in DRAFT_KEYED):
        draft_url = _object_url(route, name, draft, None, draft_document)
        for method, status in _statuses(officer, draft_url).items():
            if status not in REFUSED[method]:
                problems.append(f"officer on a draft {method.upper()} {draft_url}: {status}")
    assert problems == [], "\n".join(problems)


@pytest.mark.django_db
def test_adviser_opens_the_licence_pdf_and_documents_of_a_case_they_are_asked_about(exporter_a, officer, adviser):
    world = _world({"exporter_a": exporter_a, "officer": officer})
    case, licence = world["application"], world["licence"]
    document = DocumentFactory(application=case, uploaded_by=exporter_a)
    AdviceRequestFactory(application=case, adviser=adviser, requested_by=officer)

    assert _statuses(adviser, f"/casework/documents/{document.pk}/")["get"] == 200
    assert _statuses(adviser, f"/casework/licences/{licence.pk}/pdf/")["get"] in (200, 202)


@pytest.mark.django_db
def test_every_download_is_an_attachment_with_a_safe_type_when_an_officer_opens_it(exporter_a, officer):
    world = _world({"exporter_a": exporter_a, "officer": officer})
    document = DocumentFactory(application=world["application"], uploaded_by=exporter_a)
    client = Client()
    client.force_login(officer, backend="django.contrib.auth.backends.ModelBackend")
    licence_url = f"/casework/licences/{world['licence'].pk}/pdf/"
    assert client.get(licence_url).status_code == 202  # being prepared; the render task runs (eager in tests)
    for url in (f"/casework/documents/{document.pk}/", licence_url):
        response = client.get(url)
        assert response["Content-Disposition"].startswith("attachment"), url
        assert response["Content-Type"] == "application/pdf", url
        assert response["X-Content-Type-Options"] == "nosniff", url
