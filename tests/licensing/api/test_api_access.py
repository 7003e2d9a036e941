"""Who may call what: exporter B gets 404 on everything of exporter A's (the same answer as for a missing id),
exporters get 403 from the officers' endpoints, and nobody gets in without a session or a valid token."""

from __future__ import annotations

import pytest

from licensing.models import ApplicationStatus
from tests.factories import complete_draft, submitted_application
from tests.licensing.api.builders import issued_licence, uploaded_euc
from tests.licensing.services.pdfs import pdf_upload

pytestmark = pytest.mark.django_db

API = "/api/v1"

GOODS = {
    "description": "Night vision goggles",
    "ml_category": "ML15",
    "quantity": "2",
    "unit": "pcs",
    "unit_value": "3000",
    "currency": "EUR",
}
PARTY = {"role": "consignee", "name": "Forsvaret", "address": "Oslo", "country": "NO", "party_type": "government"}


@pytest.fixture
def a_records(exporter_a, officer):  # type: ignore[no-untyped-def]
    """Exporter A's draft (with a goods line, parties and a document), a submitted case and a licence."""
    draft = complete_draft(organisation=exporter_a.organisation, created_by=exporter_a)
    document = uploaded_euc(exporter=exporter_a, application_id=draft.pk)
    submitted = submitted_application(organisation=exporter_a.organisation, status=ApplicationStatus.SUBMITTED)
    licence = issued_licence(organisation=exporter_a.organisation, officer=officer)
    return {
        "draft": draft.pk,
        "line": draft.goods.get().pk,
        "party": draft.parties.first().pk,  # type: ignore[union-attr]
        "document": document.pk,
        "submitted": submitted.pk,
        "licence": licence.pk,
        "licensed_goods": licence.goods.get().pk,
    }


def _exporter_calls(ids: dict[str, int]) -> list[tuple[str, str, dict | None, str]]:
    d, s, lic = ids["draft"], ids["submitted"], ids["licence"]
    shipment = {"licensed_goods": ids["licensed_goods"], "shipped_on": "2026-01-05", "quantity": "1", "value_eur": "1"}
    return [
        ("get", f"{API}/applications/{d}/", None, "json"),
        ("patch", f"{API}/applications/{d}/", {"version": 1, "title": "Taken over"}, "json"),
        ("post", f"{API}/applications/{d}/goods/", GOODS, "json"),
        ("put", f"{API}/applications/{d}/goods/{ids['line']}/", GOODS, "json"),
        ("delete", f"{API}/applications/{d}/goods/{ids['line']}/", None, "json"),
        ("post", f"{API}/applications/{d}/parties/", PARTY, "json"),
        ("put", f"{API}/applications/{d}/parties/{ids['party']}/", PARTY, "json"),
        ("delete", f"{API}/applications/{d}/parties/{ids['party']}/", None, "json"),
        ("post", f"{API}/applications/{d}/documents/", {"kind": "euc", "file": pdf_upload()}, "multipart"),
        ("get", f"{API}/applications/{d}/submission-problems/", None, "json"),
        ("post", f"{API}/applications/{d}/submit/", {}, "json"),
        ("post", f"{API}/applications/{s}/withdraw/", {"reason": "Not ours to withdraw"}, "json"),
        ("post", f"{API}/applications/{s}/answer/", {"answer": "Not ours to answer"}, "json"),
        ("get", f"{API}/licences/{lic}/", None, "json"),
        ("post", f"{API}/licences/{lic}/shipments/", shipment, "json"),
        ("get", f"{API}/documents/{ids['document']}/download/", None, "json"),
    ]


def test_exporter_b_gets_404_when_calling_any_exporter_endpoint_on_exporter_a_records(
    token_client, exporter_b, a_records
):
    bob = token_client(exporter_b)
    answers = {}
    for method, url, body, fmt in _exporter_calls(a_records):
        response = getattr(bob, method)(url, body, format=fmt)
        answers[f"{method.upper()} {url}"] = (response.status_code, response.json()["code"])
    assert answers == dict.fromkeys(answers, (404, "not_found"))


def test_exporter_a_records_stay_unchanged_when_exporter_b_tries_to_change_them(token_client, exporter_b, a_records):
    from licensing.models import Application, LicensedGoods

    before = Application.objects.get(pk=a_records["draft"])
    bob = token_client(exporter_b)
    for method, url, body, fmt in _exporter_calls(a_records):
        getattr(bob, method)(url, body, format=fmt)
    after = Application.objects.get(pk=a_records["draft"])
    assert (after.title, after.version, after.status) == (before.title, before.version, "draft")
    assert after.goods.count() == 1 and after.parties.count() == 2 and after.documents.count() == 1
    assert Application.objects.get(pk=a_records["submitted"]).status == "submitted"
    assert LicensedGoods.objects.get(pk=a_records["licensed_goods"]).shipped_quantity == 0


def test_exporter_b_sees_none_of_exporter_a_records_when_listing(token_client, exporter_b, a_records):
    bob = token_client(exporter_b)
    assert bob.get(f"{API}/applications/").json() == {"next": None, "previous": None, "results": []}
    assert bob.get(f"{API}/licences/").json() == {"next": None, "previous": None, "results": []}


def test_exporter_gets_404_when_the_id_does_not_exist_at_all(token_client, exporter_a):
    alice = token_client(exporter_a)
    assert alice.get(f"{API}/applications/999999999/").status_code == 404
    # An id beyond the database's integer range is still just "not found", never a server error.
    assert alice.get(f"{API}/applications/99999999999999999999999/").status_code == 404
    assert alice.delete(f"{API}/applications/999999999/goods/1/").status_code == 404


def test_exporter_gets_404_when_the_goods_line_belongs_to_another_application(token_client, exporter_a):
    alice = token_client(exporter_a)
    first = complete_draft(organisation=exporter_a.organisation, created_by=exporter_a)
    second = complete_draft(organisation=exporter_a.organisation, created_by=exporter_a)
    response = alice.put(f"{API}/applications/{first.pk}/goods/{second.goods.get().pk}/", GOODS, format="json")
    assert response.status_code == 404
    assert second.goods.get().description != GOODS["description"]


OFFICER_CALLS = [
    ("get", "casework/cases/", None),
    ("get", "casework/cases/{case}/", None),
    ("post", "casework/cases/{case}/assign/", {"assignee": None}),
    ("post", "casework/cases/{case}/request-information/", {"question": "Who?"}),
    ("post", "casework/cases/{case}/notes/", {"text": "Note"}),
    ("post", "casework/cases/{case}/decisions/", {"outcome": "refuse", "justification": "x", "criteria": [1]}),
    ("post", "casework/decisions/1/countersign/", {}),
    ("post", "casework/decisions/1/return/", {"reason": "x"}),
    ("post", "casework/licences/1/status/", {"action": "revoke", "reason": "x"}),
    ("get", "casework/documents/1/download/", None),
]


def test_exporter_gets_403_when_calling_officer_endpoints_even_on_their_own_case(token_client, exporter_a):
    case = submitted_application(organisation=exporter_a.organisation)
    alice = token_client(exporter_a)
    answers = {}
    for method, url, body in OFFICER_CALLS:
        path = f"{API}/{url.format(case=case.pk)}"
        answers[f"{method.upper()} {path}"] = getattr(alice, method)(path, body, format="json").status_code
    assert answers == dict.fromkeys(answers, 403)
    case.refresh_from_db()
    assert (case.status, case.assigned_to_id) == (ApplicationStatus.SUBMITTED, None)


def test_officer_gets_403_when_calling_exporter_endpoints(session_client, officer):
    olivia = session_client(officer)
    assert olivia.get(f"{API}/applications/").status_code == 403
    assert olivia.post(f"{API}/applications/", {"licence_type": "individual_export", "title": "x"}).status_code == 403


def test_officer_gets_403_when_countersigning_without_senior_rights(session_client, officer):
    assert session_client(officer).post(f"{API}/casework/decisions/1/countersign/", {}).status_code == 403


def test_anonymous_caller_gets_401_when_calling_without_credentials(client):
    for url in ("applications/", "licences/", "casework/cases/", "tokens/"):
        response = client.get(f"{API}/{url}")
        assert response.status_code == 401, url
        assert response.json()["code"] == "not_authenticated"


def test_exporter_of_a_pending_company_gets_403_when_submitting(session_client, pending_org):
    from core.roles import Role
    from tests.factories import UserFactory

    charlie = UserFactory(organisation=pending_org, roles=[Role.EXPORTER])
    draft = complete_draft(organisation=pending_org, created_by=charlie)
    # A pending company has no API token (issue 14); in the browser's session the submit is refused too.
    response = session_client(charlie).post(f"{API}/applications/{draft.pk}/submit/", {}, format="json")
    assert response.status_code == 403
