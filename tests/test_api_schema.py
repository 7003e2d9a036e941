"""The OpenAPI document: served to logged-in users, valid OpenAPI 3, generated without warnings, and listing
every API v1 path with its request, response and error bodies."""

from __future__ import annotations

import json

import pytest
from django.core.management import call_command
from drf_spectacular.validation import validate_schema

pytestmark = pytest.mark.django_db

EXPECTED_PATHS = {
    "/api/v1/applications/",
    "/api/v1/applications/{id}/",
    "/api/v1/applications/{id}/goods/",
    "/api/v1/applications/{id}/goods/{line_id}/",
    "/api/v1/applications/{id}/parties/",
    "/api/v1/applications/{id}/parties/{party_id}/",
    "/api/v1/applications/{id}/documents/",
    "/api/v1/applications/{id}/submission-problems/",
    "/api/v1/applications/{id}/submit/",
    "/api/v1/applications/{id}/withdraw/",
    "/api/v1/applications/{id}/answer/",
    "/api/v1/applications/{id}/information-requests/",
    "/api/v1/applications/{id}/treaty-transfer/",
    "/api/v1/events/",
    "/api/v1/webhooks/",
    "/api/v1/webhooks/{id}/",
    "/api/v1/webhooks/{id}/rotate-secret/",
    "/api/v1/webhooks/{id}/deliveries/",
    "/api/v1/licences/",
    "/api/v1/licences/{id}/",
    "/api/v1/licences/{id}/shipments/",
    "/api/v1/documents/{id}/download/",
    "/api/v1/products/",
    "/api/v1/products/{id}/",
    "/api/v1/saved-parties/",
    "/api/v1/saved-parties/{id}/",
    "/api/v1/end-user-certificates/",
    "/api/v1/end-user-certificates/{id}/",
    "/api/v1/casework/cases/",
    "/api/v1/casework/cases/{id}/",
    "/api/v1/casework/cases/{id}/assign/",
    "/api/v1/casework/cases/{id}/request-information/",
    "/api/v1/casework/cases/{id}/notes/",
    "/api/v1/casework/cases/{id}/decisions/",
    "/api/v1/casework/decisions/{id}/countersign/",
    "/api/v1/casework/decisions/{id}/return/",
    "/api/v1/casework/licences/{id}/status/",
    "/api/v1/casework/documents/{id}/download/",
    "/api/v1/tokens/",
    "/api/v1/notifications/",
    "/api/v1/reports/",
    "/api/v1/reports/{slug}/",
}
ERROR_REF = "#/components/schemas/ErrorOutput"


@pytest.fixture
def schema(client_for, exporter_a):  # type: ignore[no-untyped-def]
    response = client_for(exporter_a).get("/api/schema/?format=json")
    assert response.status_code == 200
    return json.loads(response.content)


def test_schema_is_a_valid_openapi_3_document_when_fetched_by_a_logged_in_user(schema):
    validate_schema(schema)  # raises on any violation of the OpenAPI 3 JSON schema
    assert schema["openapi"].startswith("3.")
    assert set(schema["paths"]) >= EXPECTED_PATHS


def test_schema_is_closed_to_anonymous_visitors_when_fetched_without_login(client):
    assert client.get("/api/schema/").status_code in (302, 401, 403)


def test_schema_generates_without_errors_or_warnings_when_validated_strictly(tmp_path):
    # The same as `manage.py spectacular --validate --fail-on-warn`: raises on any warning or error.
    call_command("spectacular", validate=True, fail_on_warn=True, file=str(tmp_path / "schema.yaml"))
    assert (tmp_path / "schema.yaml").stat().st_size > 0


def test_schema_documents_bodies_and_the_error_body_when_an_operation_can_fail(schema):
    goods = schema["paths"]["/api/v1/applications/{id}/goods/"]["post"]
    assert goods["requestBody"]["content"]["application/json"]["schema"]["$ref"].endswith("GoodsLineInputRequest")
    assert goods["responses"]["201"]["content"]["application/json"]["schema"]["$ref"].endswith("GoodsLineOutput")
    for status in ("400", "403", "404", "409"):
        assert goods["responses"][status]["content"]["application/json"]["schema"]["$ref"] == ERROR_REF, status
    upload = schema["paths"]["/api/v1/applications/{id}/documents/"]["post"]
    assert set(upload["requestBody"]["content"]) == {"multipart/form-data"}
    error = schema["components"]["schemas"]["ErrorOutput"]
    assert set(error["properties"]) == {"code", "detail", "errors"}


def test_schema_lists_the_filters_when_describing_the_case_list(schema):
    parameters = {p["name"] for p in schema["paths"]["/api/v1/casework/cases/"]["get"]["parameters"]}
    assert {
        "status",
        "licence_type",
        "destination",
        "ml_category",
        "organisation",
        "assigned_to",
        "overdue",
        "search",
        "ordering",
        "cursor",
        "page_size",
    } <= parameters


@pytest.mark.parametrize(
    "path",
    [
        "/api/v1/casework/cases/",
        "/api/v1/applications/",
        "/api/v1/licences/",
        "/api/v1/products/",
        "/api/v1/saved-parties/",
        "/api/v1/end-user-certificates/",
    ],
)
def test_schema_describes_cursor_pages_without_a_count_when_a_list_is_paged_by_cursor(schema, path):
    operation = schema["paths"][path]["get"]
    assert "page" not in {p["name"] for p in operation["parameters"]}
    page_ref = operation["responses"]["200"]["content"]["application/json"]["schema"]["$ref"]
    page = schema["components"]["schemas"][page_ref.rsplit("/", 1)[-1]]
    assert set(page["properties"]) == {"next", "previous", "results"}
    assert page["properties"]["next"]["nullable"] is True


def test_schema_documents_the_event_feed_and_webhooks_with_examples_when_served(schema):
    feed = schema["paths"]["/api/v1/events/"]["get"]
    assert {p["name"] for p in feed["parameters"]} == {"after", "limit"}
    assert "decision.taken" in feed["description"]
    assert feed["responses"]["200"]["content"]["application/json"]["examples"]
    register = schema["paths"]["/api/v1/webhooks/"]["post"]
    assert "Register-Signature" in register["description"] and "HMAC-SHA256" in register["description"]
    assert register["responses"]["201"]["content"]["application/json"]["examples"]
    treaty = schema["paths"]["/api/v1/applications/{id}/treaty-transfer/"]["put"]
    assert treaty["requestBody"]["content"]["application/json"]["examples"]
    for status in ("400", "404", "409"):
        assert treaty["responses"][status]["content"]["application/json"]["schema"]["$ref"] == ERROR_REF, status
