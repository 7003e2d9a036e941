"""The officer's case page shows earlier final decisions on the same end user, consignee or product."""

from __future__ import annotations

import pytest
from django.urls import reverse

from licensing.earlier_decisions import earlier_decisions_of
from licensing.models import ApplicationStatus, PartyRole
from tests.factories import submitted_application
from tests.licensing.api.builders import issued_licence

pytestmark = pytest.mark.django_db


def _rename(application, *, end_user=None, consignee=None, product=None):  # type: ignore[no-untyped-def]
    if end_user:
        application.parties.filter(role=PartyRole.END_USER).update(name=end_user, country_id="NO")
    if consignee:
        application.parties.filter(role=PartyRole.CONSIGNEE).update(name=consignee, country_id="NO")
    if product:
        application.goods.update(description=product, ml_category_id="ML15")


def test_case_page_lists_earlier_decisions_sharing_a_party_or_product_when_there_are_some(
    client_for, exporter_a, exporter_b, officer
):
    same_end_user = issued_licence(organisation=exporter_b.organisation, officer=officer).application
    _rename(same_end_user, end_user="Royal Norwegian Navy")
    same_product = issued_licence(organisation=exporter_a.organisation, officer=officer).application
    _rename(same_product, product="Thermal sight TS-4")
    unrelated = issued_licence(organisation=exporter_a.organisation, officer=officer).application

    case = submitted_application(
        organisation=exporter_a.organisation, status=ApplicationStatus.UNDER_REVIEW, assigned_to=officer
    )
    # Every factory case ships to the same consignee: give this one its own, so only the end user and the
    # product can match (names compared ignoring case).
    _rename(case, end_user="ROYAL norwegian NAVY", consignee="Haakonsvern Depot", product="thermal sight ts-4")

    found = {d.application_id: d for d in earlier_decisions_of(case)}
    assert set(found) == {same_end_user.pk, same_product.pk}
    assert found[same_end_user.pk].same_end_user and not found[same_end_user.pk].same_product
    assert found[same_product.pk].same_product and not found[same_product.pk].same_end_user

    page = client_for(officer).get(reverse("casework:case_detail", args=[case.pk])).content.decode()
    assert same_end_user.reference in page and same_product.reference in page
    assert unrelated.reference not in page


def test_case_page_says_so_when_no_earlier_decision_shares_anything(client_for, exporter_a, officer):
    issued_licence(organisation=exporter_a.organisation, officer=officer)
    case = submitted_application(organisation=exporter_a.organisation, assigned_to=officer)
    _rename(case, consignee="Haakonsvern Depot")
    page = client_for(officer).get(reverse("casework:case_detail", args=[case.pk])).content.decode()
    assert "No earlier decision shares the end user, the consignee or a product with this case." in page
