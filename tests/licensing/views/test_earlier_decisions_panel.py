"""The officer's case page shows earlier final decisions on the same end user, consignee or product."""

from __future__ import annotations

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from licensing.earlier_decisions import earlier_decisions_of
from licensing.models import ApplicationStatus, PartyRole
from tests.factories import submitted_application
from tests.licensing.api.builders import issued_licence
from tests.licensing.views.test_casework_case import CASE_MAX_QUERIES
from tests.licensing.views.test_casework_helpers import case_url, under_review

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


def test_case_page_runs_the_same_number_of_queries_with_1_or_12_earlier_decisions_and_1_or_50_goods_lines(
    client_for, exporter_a, officer, django_assert_max_num_queries
):
    # Every factory case ships to the same consignee, so each issued licence is an earlier decision on it.
    first = issued_licence(organisation=exporter_a.organisation, officer=officer).application
    small = under_review(officer=officer, organisation=exporter_a.organisation, goods=1)
    client = client_for(officer)
    client.get(case_url(small))  # warm up: the first request of a session also writes the session

    with django_assert_max_num_queries(CASE_MAX_QUERIES), CaptureQueriesContext(connection) as one:
        page = client.get(case_url(small)).content.decode()
    assert _panel_rows(page) == [first.reference]

    later = [issued_licence(organisation=exporter_a.organisation, officer=officer).application for _ in range(11)]
    large = under_review(officer=officer, organisation=exporter_a.organisation, goods=50)
    with django_assert_max_num_queries(CASE_MAX_QUERIES), CaptureQueriesContext(connection) as twelve:
        page = client.get(case_url(large)).content.decode()
    # The ten newest of the twelve, newest first (all decided in the same second: the later id first).
    assert _panel_rows(page) == [a.reference for a in reversed(later)][:10]
    assert len(one.captured_queries) == len(twelve.captured_queries)


def _panel_rows(page: str) -> list[str]:
    """The case references in the earlier-decisions panel, top to bottom."""
    section = page.split('id="panel-earlier_decisions-heading"', 1)[1].split("</section>", 1)[0]
    return re.findall(r'<th scope="row"><a class="utrecht-link" href="[^"]+">([^<]+)</a></th>', section)
