"""Reuse: an organisation's products and saved parties, kept and picked from when filling in a draft. Exporters
only ever see their own organisation's (scoped in the query: another company's id is a 404)."""

from __future__ import annotations

import pytest

from audit.models import AuditEvent, Verb
from core.exceptions import DomainValidationError
from licensing.catalogue_selectors import product_list_for, saved_party_list_for
from licensing.models import DocumentKind
from licensing.services.catalogue import ERR_TECHNICAL_FILE, product_save, saved_party_save
from tests.factories import DocumentFactory, ProductFactory, SavedPartyFactory, complete_draft

pytestmark = pytest.mark.django_db


def test_product_is_saved_with_history_and_an_audit_event(exporter_a):
    product = product_save(actor=exporter_a, description="Thermal sight TIS-400", ml_category_id="ML15")
    assert product.organisation == exporter_a.organisation
    assert product.history.get().history_user == exporter_a
    assert AuditEvent.objects.get(verb=Verb.PRODUCT_SAVED).payload["ml_category"] == "ML15"


def test_technical_file_of_another_organisation_is_refused_as_a_field_error(exporter_a, exporter_b):
    theirs = DocumentFactory(
        application=complete_draft(organisation=exporter_b.organisation, created_by=exporter_b),
        kind=DocumentKind.TECHNICAL,
    )
    with pytest.raises(DomainValidationError) as exc:
        product_save(actor=exporter_a, description="Sight", ml_category_id="ML15", technical_file_id=theirs.pk)
    assert exc.value.field_errors == {"technical_file": [str(ERR_TECHNICAL_FILE)]}


def test_exporters_see_only_their_own_products_and_parties(exporter_a, exporter_b, officer):
    ProductFactory(organisation=exporter_a.organisation, description="Ours")
    ProductFactory(organisation=exporter_b.organisation, description="Theirs")
    saved_party_save(actor=exporter_a, role="end_user", name="Royal Norwegian Navy", address="Bergen",
                     country_id="NO", party_type="armed_forces")  # fmt: skip
    SavedPartyFactory(organisation=exporter_b.organisation, name="Theirs")
    assert [p.description for p in product_list_for(user=exporter_a)] == ["Ours"]
    assert [p.name for p in saved_party_list_for(user=exporter_a)] == ["Royal Norwegian Navy"]
    assert not product_list_for(user=officer).exists()


def test_draft_goods_and_party_forms_are_filled_from_a_chosen_product_and_party(client_for, exporter_a):
    draft = complete_draft(organisation=exporter_a.organisation, created_by=exporter_a)
    product = ProductFactory(organisation=exporter_a.organisation, description="Thermal sight TIS-400")
    party = SavedPartyFactory(organisation=exporter_a.organisation, name="Royal Norwegian Navy")
    client = client_for(exporter_a)
    page = client.get(f"/portal/applications/{draft.pk}/draft/goods/")
    assert b"Choose from your products" in page.content
    assert b"Choose from your parties" in client.get(f"/portal/applications/{draft.pk}/draft/parties/").content
    goods = client.get(f"/portal/applications/{draft.pk}/draft/goods/?product={product.pk}").context["goods_form"]
    assert (goods.initial["description"], goods.initial["ml_category"]) == ("Thermal sight TIS-400", "ML15")
    parties = client.get(f"/portal/applications/{draft.pk}/draft/parties/?saved_party={party.pk}").context["party_form"]
    assert (parties.initial["name"], parties.initial["role"]) == ("Royal Norwegian Navy", "end_user")


def test_exporter_b_gets_404_when_picking_another_companys_product_or_party(client_for, exporter_a, exporter_b):
    draft = complete_draft(organisation=exporter_b.organisation, created_by=exporter_b)
    product = ProductFactory(organisation=exporter_a.organisation)
    party = SavedPartyFactory(organisation=exporter_a.organisation)
    client = client_for(exporter_b)
    assert client.get(f"/portal/applications/{draft.pk}/draft/goods/?product={product.pk}").status_code == 404
    assert client.get(f"/portal/applications/{draft.pk}/draft/parties/?saved_party={party.pk}").status_code == 404


def test_catalogue_page_saves_a_party_and_shows_field_errors(client_for, exporter_a, django_assert_max_num_queries):
    client = client_for(exporter_a)
    bad = client.post("/portal/catalogue/parties/", {"role": "end_user", "name": "", "country": "NO"})
    assert bad.status_code == 400
    assert "name" in bad.context["party_form"].errors
    ok = client.post("/portal/catalogue/parties/", {"role": "consignee", "name": "Kongsberg", "address": "Kongsberg",
                                                    "country": "NO", "party_type": "commercial"})  # fmt: skip
    assert ok.status_code == 302
    for _ in range(3):
        ProductFactory(organisation=exporter_a.organisation)
    with django_assert_max_num_queries(15):
        assert client.get("/portal/catalogue/").status_code == 200
