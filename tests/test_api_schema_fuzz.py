"""Schemathesis against the API, in process over WSGI: whatever an exporter's system or an officer's client sends
within or around the published schema, the answer is never a 5xx, and every error is the JSON error body (never an
HTML page). Each role fuzzes the operations it uses, with ids of records it may see; reporting staff fuzz every
operation and must meet JSON refusals only, except for the reports and their own notifications.

The schema is the one /api/schema/ serves; every call carries the exporter's token and goes through the
whole WSGI stack. Path ids point at the exporter's own records, so every generated body reaches validation and the
services (random ids would only ever meet the 404 that tests/licensing/api/test_api_access.py covers).
"""

from __future__ import annotations

import json
from decimal import Decimal
from typing import Any

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from drf_spectacular.generators import SchemaGenerator
from hypothesis import HealthCheck, settings
from schemathesis.checks import CheckContext, not_a_server_error
from schemathesis.core.failures import Failure

from config.wsgi import application
from core.api_tokens import api_token_issue
from core.webhooks import webhook_endpoint_register
from licensing.models import ApplicationStatus
from licensing.services.treaty import treaty_transfer_save
from tests.factories import complete_draft, submitted_application
from tests.licensing.api.builders import issued_licence, uploaded_euc

# Exporter operations that read or write (tokens are excluded: rotating the token would log the fuzzer out).
EXPORTER_PATHS = r"^/api/v1/(applications|licences|documents|events|webhooks)/"
OFFICER_PATHS = r"^/api/v1/casework/"
EVERY_PATH = r"^/api/v1/(?!tokens/)"
HYPOTHESIS = settings(
    max_examples=15,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow, HealthCheck.filter_too_much],
)


@schemathesis.check
def json_error_body(ctx: CheckContext, response: Any, case: Any) -> bool | None:
    """Every 4xx and 5xx under /api/ is {"code", "detail", "errors"} as JSON (issue 18: no HTML 404 pages)."""
    if response.status_code < 400:
        return None
    content_type = response.headers.get("content-type", [""])
    content_type = content_type[0] if isinstance(content_type, list) else content_type
    body = response.json() if content_type.startswith("application/json") else None
    if not isinstance(body, dict) or not {"code", "detail", "errors"} <= set(body):
        raise Failure(
            operation=case.operation.label,
            title="Error without the JSON error body",
            message=f"{response.status_code} {content_type}: {response.text[:200]}",
        )
    return True


@pytest.fixture
def keep_test_connection():  # type: ignore[no-untyped-def]
    """Calls go straight into the WSGI handler, which closes "old" connections at the end of each request;
    inside the test's transaction that would drop it. django.test.Client disconnects the same receivers."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture
def exporter_world(db, exporter_a, officer, keep_test_connection):  # type: ignore[no-untyped-def]
    draft = complete_draft(organisation=exporter_a.organisation, created_by=exporter_a)
    document = uploaded_euc(exporter=exporter_a, application_id=draft.pk)
    licence = issued_licence(organisation=exporter_a.organisation, officer=officer)
    submitted = submitted_application(organisation=exporter_a.organisation, status=ApplicationStatus.SUBMITTED)
    treaty = complete_draft(
        organisation=exporter_a.organisation, created_by=exporter_a, licence_type="treaty_component"
    )
    treaty_transfer_save(
        actor=exporter_a,
        application_id=treaty.pk,
        final_system_name="Naval radar",
        final_system_identifier="NR-1",
        final_system_ml_category_id="ML15",
        integrator_name="Radar SA",
        integrator_country_id="FR",
        end_destination_ids=["IN"],
        gross_total_value=Decimal(10**7),
    )
    endpoint = webhook_endpoint_register(actor=exporter_a, url="http://127.0.0.1:9/hook").endpoint
    return {
        "token": api_token_issue(actor=exporter_a).key,
        "exporter": exporter_a,
        # Per path: which of the exporter's records an `{id}` means there.
        "ids": {
            "applications": draft.pk,
            "withdraw": submitted.pk,
            "answer": submitted.pk,
            "licences": licence.pk,
            "documents": document.pk,
            "line_id": draft.goods.get().pk,
            "party_id": draft.parties.first().pk,  # type: ignore[union-attr]
            "treaty-transfer": treaty.pk,
            "webhooks": endpoint.pk,
        },
    }


def _served_schema() -> dict[str, Any]:
    """The document /api/schema/ serves, generated by the same drf-spectacular generator in process.

    Loaded at collection time, before any test database exists, so not over HTTP (that needs a login);
    schemathesis.pytest.from_fixture, which could wait for the database, does not yet work with pytest 9."""
    return SchemaGenerator().get_schema(request=None, public=True)  # type: ignore[no-any-return]


def _schema_for(path_regex: str, *, coverage: bool = True) -> Any:
    loaded = schemathesis.openapi.from_dict(json.loads(json.dumps(_served_schema(), default=str))).include(
        path_regex=path_regex, method=["GET", "POST", "PUT", "PATCH"]
    )
    loaded.app = application  # calls go in process, through the whole WSGI stack and its middleware
    loaded.config.phases.coverage.enabled = coverage
    return loaded


# The exporter and the officer fuzz the operations they use with every phase, the coverage phase's boundary values
# of every field included (about 45 calls an operation). The other roles go over every operation for who may do
# what: the schema's examples and generated input, without the coverage phase, which tried each operation's
# boundary values again in another role and made those five tests a quarter of the whole suite's time.
schema = _schema_for(EXPORTER_PATHS)
officer_schema = _schema_for(OFFICER_PATHS)
every_schema = _schema_for(EVERY_PATH, coverage=False)


def _own_ids(path: str, parameters: dict[str, Any], ids: dict[str, int]) -> dict[str, Any]:
    kind = next((k for k in ("withdraw", "answer", "treaty-transfer") if path.endswith(f"/{k}/")), path.split("/")[3])
    return {name: ids[kind] if name == "id" else ids[name] for name in parameters}


@schema.parametrize()
@HYPOTHESIS
@pytest.mark.django_db
def test_exporter_api_never_answers_5xx_when_fuzzed_with_schema_shaped_input(case, exporter_world):  # type: ignore[no-untyped-def]
    if case.path_parameters:
        case.path_parameters = _own_ids(case.path, case.path_parameters, exporter_world["ids"])
    case.call_and_validate(
        headers={"Authorization": f"Token {exporter_world['token']}"}, checks=[not_a_server_error, json_error_body]
    )


@pytest.fixture
def officer_world(db, exporter_a, officer, keep_test_connection):  # type: ignore[no-untyped-def]
    submitted = submitted_application(organisation=exporter_a.organisation, status=ApplicationStatus.SUBMITTED)
    licence = issued_licence(organisation=exporter_a.organisation, officer=officer)
    return {"token": api_token_issue(actor=officer).key, "case": submitted.pk, "licence": licence.pk}


@officer_schema.parametrize()
@HYPOTHESIS
@pytest.mark.django_db
def test_officer_api_never_answers_5xx_or_html_when_fuzzed_with_schema_shaped_input(case, officer_world):  # type: ignore[no-untyped-def]
    if case.path_parameters:
        record = officer_world["licence"] if "/licences/" in case.path else officer_world["case"]
        case.path_parameters = dict.fromkeys(case.path_parameters, record)
    case.call_and_validate(
        headers={"Authorization": f"Token {officer_world['token']}"}, checks=[not_a_server_error, json_error_body]
    )


@every_schema.parametrize()
@settings(HYPOTHESIS, max_examples=5)
@pytest.mark.django_db
def test_reporting_staff_meet_only_json_refusals_when_fuzzing_every_operation(case, analyst, keep_test_connection):  # type: ignore[no-untyped-def]
    token = api_token_issue(actor=analyst).key
    response = case.call_and_validate(
        headers={"Authorization": f"Token {token}"}, checks=[not_a_server_error, json_error_body]
    )
    if case.path.startswith(("/api/v1/reports/", "/api/v1/notifications/")):
        assert response.status_code in (200, 400, 404, 405), response.status_code  # theirs to read
    else:
        assert response.status_code in (400, 403, 404, 405), response.status_code


# --- The other roles over every operation: no 5xx, and every refusal the JSON error body -------------------------


@pytest.fixture
def staff_world(db, exporter_a, officer, keep_test_connection):  # type: ignore[no-untyped-def]
    """Records staff may reach: a submitted case and an issued licence of exporter A."""
    submitted = submitted_application(organisation=exporter_a.organisation, status=ApplicationStatus.SUBMITTED)
    licence = issued_licence(organisation=exporter_a.organisation, officer=officer)
    return {"case": submitted.pk, "licence": licence.pk}


def _fuzz_as(case: Any, user: Any, record_for: Any) -> Any:
    if case.path_parameters:
        case.path_parameters = dict.fromkeys(case.path_parameters, record_for(case.path))
    token = api_token_issue(actor=user).key
    return case.call_and_validate(
        headers={"Authorization": f"Token {token}"}, checks=[not_a_server_error, json_error_body]
    )


def _staff_record(world: dict[str, int]) -> Any:
    return lambda path: world["licence"] if "/licences/" in path else world["case"]


@every_schema.parametrize()
@settings(HYPOTHESIS, max_examples=5)
@pytest.mark.django_db
def test_senior_officer_meets_no_5xx_or_html_when_fuzzing_every_operation(case, senior, staff_world):  # type: ignore[no-untyped-def]
    _fuzz_as(case, senior, _staff_record(staff_world))


@every_schema.parametrize()
@settings(HYPOTHESIS, max_examples=5)
@pytest.mark.django_db
def test_policy_adviser_meets_no_5xx_or_html_when_fuzzing_every_operation(case, adviser, staff_world):  # type: ignore[no-untyped-def]
    _fuzz_as(case, adviser, _staff_record(staff_world))


@every_schema.parametrize()
@settings(HYPOTHESIS, max_examples=5)
@pytest.mark.django_db
def test_administrator_meets_no_5xx_or_html_when_fuzzing_every_operation(case, administrator, staff_world):  # type: ignore[no-untyped-def]
    _fuzz_as(case, administrator, _staff_record(staff_world))


@every_schema.parametrize()
@settings(HYPOTHESIS, max_examples=5)
@pytest.mark.django_db
def test_exporter_b_meets_only_json_refusals_on_exporter_a_s_records_when_fuzzing_every_operation(  # type: ignore[no-untyped-def]
    case, exporter_b, exporter_world
):
    ids = exporter_world["ids"]
    response = _fuzz_as(case, exporter_b, lambda path: ids["licences"] if "/licences/" in path else ids["applications"])
    # Schemathesis also tries methods an operation lacks; OPTIONS answers DRF's metadata (no record data) with 200.
    method = str(getattr(getattr(response, "request", None), "method", case.method)).upper()
    if case.path_parameters and method != "OPTIONS":
        assert response.status_code in (400, 403, 404, 405), (method, response.status_code)  # nothing of A's to B
