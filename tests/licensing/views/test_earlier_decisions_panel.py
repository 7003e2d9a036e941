"""The officer's case page shows earlier final decisions on the same end user, consignee or product.

The panel is read after the page (licensing/case_panels.py, issue 19): the page carries its heading and a link to
it, which htmx follows once the page has loaded (the panel alone) and a browser without JavaScript opens as a page.
"""

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

HTMX = {"HTTP_HX_REQUEST": "true"}  # what htmx sends with the request it makes for the page


def panel_url(application) -> str:  # type: ignore[no-untyped-def]
    return reverse("casework:case_earlier_decisions", args=[application.pk])


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

    client = client_for(officer)
    page = client.get(reverse("casework:case_detail", args=[case.pk])).content.decode()
    assert 'id="panel-earlier_decisions-heading"' in page
    assert f'hx-get="{panel_url(case)}"' in page and f'href="{panel_url(case)}"' in page
    panel = client.get(panel_url(case), **HTMX).content.decode()
    assert same_end_user.reference in panel and same_product.reference in panel
    assert unrelated.reference not in panel
    assert "<html" not in panel  # the panel alone, put in the page in place of its link


def test_earlier_decisions_open_as_a_page_of_their_own_without_javascript(client_for, exporter_b, officer):
    earlier = issued_licence(organisation=exporter_b.organisation, officer=officer).application
    _rename(earlier, end_user="Royal Norwegian Navy")
    case = submitted_application(organisation=exporter_b.organisation, assigned_to=officer)
    _rename(case, end_user="Royal Norwegian Navy", consignee="Haakonsvern Depot")

    response = client_for(officer).get(panel_url(case))

    assert response.status_code == 200
    page = response.content.decode()
    assert "<h1>" in page and case.reference in page
    assert earlier.reference in page
    assert f'href="{case_url(case)}#panel-earlier_decisions"' in page  # back to where the panel sits on the case
    assert "HX-Request" in response["Vary"]


def test_earlier_decisions_are_refused_as_the_case_is_to_who_may_not_open_it(client_for, exporter_a, adviser):
    case = submitted_application(organisation=exporter_a.organisation)

    assert client_for(exporter_a).get(panel_url(case), **HTMX).status_code == 403
    assert client_for(adviser).get(panel_url(case), **HTMX).status_code == 404  # not asked about this case


def test_earlier_decisions_answer_404_for_a_draft(client_for, exporter_a, officer):
    draft = submitted_application(organisation=exporter_a.organisation, status=ApplicationStatus.DRAFT)
    assert client_for(officer).get(panel_url(draft), **HTMX).status_code == 404


def test_case_page_says_so_when_no_earlier_decision_shares_anything(client_for, exporter_a, officer):
    issued_licence(organisation=exporter_a.organisation, officer=officer)
    case = submitted_application(organisation=exporter_a.organisation, assigned_to=officer)
    _rename(case, consignee="Haakonsvern Depot")
    page = client_for(officer).get(panel_url(case), **HTMX).content.decode()
    assert "No earlier decision shares the end user, the consignee or a product with this case." in page


def test_case_page_and_panel_run_the_same_number_of_queries_with_1_or_12_earlier_decisions_and_1_or_50_goods_lines(
    client_for, exporter_a, officer, django_assert_max_num_queries
):
    # Every factory case ships to the same consignee, so each issued licence is an earlier decision on it.
    first = issued_licence(organisation=exporter_a.organisation, officer=officer).application
    small = under_review(officer=officer, organisation=exporter_a.organisation, goods=1)
    client = client_for(officer)
    client.get(case_url(small))  # warm up: the first request of a session also writes the session

    with django_assert_max_num_queries(CASE_MAX_QUERIES), CaptureQueriesContext(connection) as one:
        client.get(case_url(small))
    with django_assert_max_num_queries(PANEL_MAX_QUERIES), CaptureQueriesContext(connection) as one_panel:
        panel = client.get(panel_url(small), **HTMX).content.decode()
    assert _panel_rows(panel) == [first.reference]

    later = [issued_licence(organisation=exporter_a.organisation, officer=officer).application for _ in range(11)]
    large = under_review(officer=officer, organisation=exporter_a.organisation, goods=50)
    with django_assert_max_num_queries(CASE_MAX_QUERIES), CaptureQueriesContext(connection) as twelve:
        client.get(case_url(large))
    with django_assert_max_num_queries(PANEL_MAX_QUERIES), CaptureQueriesContext(connection) as twelve_panel:
        panel = client.get(panel_url(large), **HTMX).content.decode()
    # The ten newest of the twelve, newest first (all decided in the same second: the later id first).
    assert _panel_rows(panel) == [a.reference for a in reversed(later)][:10]
    assert len(one.captured_queries) == len(twelve.captured_queries)
    assert len(one_panel.captured_queries) == len(twelve_panel.captured_queries)


# The session, the user and their roles, the case, its goods lines and its parties, and the panel's one query.
PANEL_MAX_QUERIES = 7


def _panel_rows(page: str) -> list[str]:
    """The case references in the earlier-decisions panel, top to bottom."""
    section = page.split('id="panel-earlier_decisions-heading"', 1)[1].split("</section>", 1)[0]
    return re.findall(r'<th scope="row"><a class="utrecht-link" href="[^"]+">([^<]+)</a></th>', section)
