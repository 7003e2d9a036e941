"""Issue 18, API hygiene: under /api/ every error is the JSON error body, whatever answered (Django's resolver,
a middleware or DRF), and a JSON value of the wrong type is a 400 naming the field rather than being coerced."""

from __future__ import annotations

import pytest

from core.api import ERR_PAGE_SIZE
from tests.factories import ApplicationFactory

pytestmark = pytest.mark.django_db

API = "/api/v1"


def _assert_json_error(response, status: int, code: str) -> dict:  # type: ignore[no-untyped-def]
    assert response.status_code == status, response.content
    assert response["Content-Type"].startswith("application/json")
    body = response.json()
    assert body["code"] == code
    assert set(body) == {"code", "detail", "errors"}
    return body  # type: ignore[no-any-return]


@pytest.mark.parametrize(
    "path",
    [
        "/api/v1/no-such-thing/",
        "/api/v1/applications/abc/",  # not a number: the URL resolver's 404, before any view
        "/api/v1/applications/1/goods/x/",
        "/api/v1/licences/-1/",
        "/api/v2/applications/",
        "/api/",
    ],
)
def test_unknown_api_path_is_a_json_404_when_no_route_matches(token_client, exporter_a, path):
    body = _assert_json_error(token_client(exporter_a).get(path), 404, "not_found")
    assert body["detail"] == "Not found."


def test_unknown_api_path_is_a_json_404_when_called_anonymously(client):
    _assert_json_error(client.get("/api/v1/applications/abc/"), 404, "not_found")


def test_unknown_api_path_is_a_dutch_json_404_when_dutch_is_asked_for(token_client, exporter_a):
    response = token_client(exporter_a).get("/api/v1/nothing/", HTTP_ACCEPT_LANGUAGE="nl")
    assert _assert_json_error(response, 404, "not_found")["detail"] == "Niet gevonden."


def test_other_organisations_application_is_a_json_404_when_asked_for(token_client, exporter_a, exporter_b):
    theirs = ApplicationFactory(organisation=exporter_b.organisation, created_by=exporter_b)
    _assert_json_error(token_client(exporter_a).get(f"{API}/applications/{theirs.pk}/"), 404, "not_found")


def test_pages_outside_the_api_keep_their_html_404_when_not_found(client_for, exporter_a):
    response = client_for(exporter_a).get("/portal/no-such-page/")
    assert response.status_code == 404
    assert response["Content-Type"].startswith("text/html")


def test_wrong_method_is_a_json_405_when_the_route_exists(token_client, exporter_a):
    response = token_client(exporter_a).delete(f"{API}/applications/")
    body = _assert_json_error(response, 405, "method_not_allowed")
    assert "DELETE" in body["detail"]
    assert "GET" in response["Allow"]


@pytest.mark.parametrize(
    ("body", "field", "message"),
    [
        ({"related_licences": 12}, "related_licences", "Must be a string, not a whole number."),
        ({"related_licences": 1.5}, "related_licences", "Must be a string, not a number."),
        ({"related_licences": {"a": 1}}, "related_licences", "Must be a string, not an object."),
        ({"title": True}, "title", "Must be a string, not true or false."),
        ({"licence_type": 1}, "licence_type", "Must be a string, not a whole number."),
        ({"intended_shipment_date": 20270101}, "intended_shipment_date", "Must be a string, not a whole number."),
    ],
)
def test_application_is_refused_with_the_field_named_when_a_value_has_the_wrong_json_type(
    token_client, exporter_a, body, field, message
):
    valid = {"licence_type": "individual_export", "title": "Radar spares"}
    response = token_client(exporter_a).post(f"{API}/applications/", {**valid, **body}, format="json")
    assert _assert_json_error(response, 400, "invalid")["errors"] == {field: [message]}
    assert not exporter_a.organisation.applications.exists()


@pytest.mark.parametrize(
    ("version", "message"),
    [
        ("1", "Must be a whole number, not a string."),
        (1.0, "Must be a whole number, not a number."),
        (True, "Must be a whole number, not true or false."),
    ],
)
def test_update_is_refused_when_the_version_is_not_a_json_integer(token_client, exporter_a, version, message):
    draft = ApplicationFactory(organisation=exporter_a.organisation, created_by=exporter_a, title="Before")
    response = token_client(exporter_a).patch(
        f"{API}/applications/{draft.pk}/", {"version": version, "title": "After"}, format="json"
    )
    assert _assert_json_error(response, 400, "invalid")["errors"] == {"version": [message]}
    draft.refresh_from_db()
    assert draft.title == "Before"


def test_goods_line_is_refused_when_is_component_is_a_string(token_client, exporter_a):
    draft = ApplicationFactory(organisation=exporter_a.organisation, created_by=exporter_a)
    goods = {
        "description": "Goggles",
        "ml_category": "ML15",
        "quantity": 2,  # a number is a fine decimal
        "unit": "pcs",
        "unit_value": "3000",
        "currency": "EUR",
        "is_component": "yes",
    }
    response = token_client(exporter_a).post(f"{API}/applications/{draft.pk}/goods/", goods, format="json")
    errors = _assert_json_error(response, 400, "invalid")["errors"]
    assert errors == {"is_component": ["Must be true or false, not a string."]}
    response = token_client(exporter_a).post(
        f"{API}/applications/{draft.pk}/goods/", {**goods, "is_component": True}, format="json"
    )
    assert response.status_code == 201, response.content


@pytest.mark.parametrize(
    "query",
    ["page_size=abc", "page_size=0", "page_size=101", "page_size=-1", "page_size=1&page_size=2", "page_size=2.5"],
)
def test_list_is_refused_with_page_size_named_when_page_size_is_not_1_to_100(token_client, exporter_a, query):
    response = token_client(exporter_a).get(f"{API}/applications/?{query}")
    assert _assert_json_error(response, 400, "invalid")["errors"] == {"page_size": [ERR_PAGE_SIZE]}


@pytest.mark.parametrize(("size", "rows"), [("1", 1), ("100", 3)])
def test_list_pages_by_the_size_asked_when_page_size_is_at_a_boundary(token_client, exporter_a, size, rows):
    ApplicationFactory.create_batch(3, organisation=exporter_a.organisation, created_by=exporter_a)
    response = token_client(exporter_a).get(f"{API}/applications/?page_size={size}")
    assert response.status_code == 200
    assert len(response.json()["results"]) == rows


def test_schema_states_the_page_size_bounds_when_describing_a_list(client_for, exporter_a):
    schema = client_for(exporter_a).get("/api/schema/?format=json").json()
    parameters = schema["paths"]["/api/v1/applications/"]["get"]["parameters"]
    page_size = next(p for p in parameters if p["name"] == "page_size")
    assert page_size["schema"] == {"type": "integer", "minimum": 1, "maximum": 100}
