"""The exporter API for the catalogue, saved parties and end-user certificates: confined to the caller's own
organisation (another company's id is a 404, its rows never listed), field-level 400s, cursor pages at a constant
number of queries, and staff kept out."""

from __future__ import annotations

from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from audit.models import AuditEvent, Verb
from licensing.api_catalogue import ERR_COUNTRY, ERR_ML_CATEGORY
from licensing.models import EndUserCertificate, Product, SavedParty
from licensing.services.certificates import ERR_EUC_DATES
from tests.factories import EndUserCertificateFactory, ProductFactory, SavedPartyFactory

pytestmark = pytest.mark.django_db

API = "/api/v1"
FACTORIES = {
    "products": ProductFactory,
    "saved-parties": SavedPartyFactory,
    "end-user-certificates": EndUserCertificateFactory,
}


@pytest.mark.parametrize("resource", FACTORIES)
def test_exporter_b_gets_404_for_exporter_a_rows_and_never_sees_them_listed(
    token_client, exporter_a, exporter_b, resource
):
    ours = FACTORIES[resource](organisation=exporter_a.organisation)
    theirs = FACTORIES[resource](organisation=exporter_b.organisation)
    alice, bob = token_client(exporter_a), token_client(exporter_b)
    assert alice.get(f"{API}/{resource}/{ours.pk}/").status_code == 200
    assert bob.get(f"{API}/{resource}/{ours.pk}/").status_code == 404
    assert bob.get(f"{API}/{resource}/999999/").status_code == 404  # missing answers the same
    assert [row["id"] for row in bob.get(f"{API}/{resource}/").data["results"]] == [theirs.pk]


@pytest.mark.parametrize("resource", FACTORIES)
def test_officers_have_no_catalogue(session_client, officer, resource):
    assert session_client(officer).get(f"{API}/{resource}/").status_code == 403


def test_exporter_adds_a_product_and_an_unknown_category_is_a_field_error(token_client, exporter_a):
    alice = token_client(exporter_a)
    bad = alice.post(f"{API}/products/", {"description": "Radar", "ml_category": "ML99"}, format="json")
    assert bad.status_code == 400
    assert bad.json()["errors"]["ml_category"] == [ERR_ML_CATEGORY]
    created = alice.post(
        f"{API}/products/", {"description": "Fire control radar FCR-2", "ml_category": "ML5"}, format="json"
    )
    assert created.status_code == 201
    product = Product.objects.get(pk=created.data["id"])
    assert (product.organisation_id, product.ml_category_id) == (exporter_a.organisation_id, "ML5")
    assert AuditEvent.objects.filter(verb=Verb.PRODUCT_SAVED, target_id=str(product.pk)).exists()


def test_exporter_saves_a_party_and_an_unknown_country_is_a_field_error(token_client, exporter_a):
    alice = token_client(exporter_a)
    party = {
        "role": "consignee",
        "name": "Nammo Raufoss Logistics AS",
        "address": "Enggata 37, 2830 Raufoss",
        "country": "XX",
        "party_type": "commercial",
    }
    bad = alice.post(f"{API}/saved-parties/", party, format="json")
    assert bad.status_code == 400 and bad.json()["errors"]["country"] == [ERR_COUNTRY]
    created = alice.post(f"{API}/saved-parties/", {**party, "country": "NO"}, format="json")
    assert created.status_code == 201
    assert SavedParty.objects.get(pk=created.data["id"]).organisation_id == exporter_a.organisation_id


def test_certificate_valid_until_before_its_issue_is_a_field_error_and_a_good_one_is_registered(
    token_client, exporter_a
):
    alice = token_client(exporter_a)
    certificate = {
        "issuer": "Danish Ministry of Defence",
        "number": "DK-MOD-2026-0042",
        "issued_on": "2026-03-01",
        "valid_until": "2026-02-28",
        "re_export_clause": True,
        "end_user_name": "Royal Danish Navy",
        "end_user_country": "DK",
    }
    bad = alice.post(f"{API}/end-user-certificates/", certificate, format="json")
    assert bad.status_code == 400 and bad.json()["errors"]["valid_until"] == [ERR_EUC_DATES]
    created = alice.post(f"{API}/end-user-certificates/", {**certificate, "valid_until": "2026-03-01"}, format="json")
    assert created.status_code == 201
    row = EndUserCertificate.objects.get(pk=created.data["id"])
    assert (row.organisation_id, row.valid_until) == (exporter_a.organisation_id, date(2026, 3, 1))


@pytest.mark.parametrize("resource", FACTORIES)
def test_list_runs_the_same_queries_with_25_rows_as_with_2_and_pages_by_cursor(
    token_client, exporter_a, django_assert_max_num_queries, resource
):
    alice = token_client(exporter_a)
    for _ in range(2):
        FACTORIES[resource](organisation=exporter_a.organisation)
    url = f"{API}/{resource}/?page_size=20"
    alice.get(url)  # warm up
    with CaptureQueriesContext(connection) as captured:
        assert alice.get(url).status_code == 200
    for _ in range(23):
        FACTORIES[resource](organisation=exporter_a.organisation)
    with django_assert_max_num_queries(len(captured)):
        first = alice.get(url)
    assert len(first.data["results"]) == 20 and first.data["next"]
    second = alice.get(first.data["next"])
    assert len(second.data["results"]) == 5 and second.data["next"] is None
    ids = [row["id"] for row in first.data["results"] + second.data["results"]]
    assert len(set(ids)) == 25
