"""The pages for changing a licence: the exporter's request form and licence page (versions), the officer's list
and request page; other companies get 404, field errors come back with 400, lists take a fixed number of queries."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.urls import reverse
from django.utils.html import escape

from licensing.models import AmendmentStatus, LicenceAmendment
from licensing.services import amendments
from licensing.services.amendments import ERR_EXTENSION_LATER, ERR_REASON_REQUIRED
from tests.licensing.views.test_portal_helpers import licence_for, portal_url

pytestmark = pytest.mark.django_db

AMSTERDAM = ZoneInfo("Europe/Amsterdam")


@pytest.fixture
def licence(exporter_a, officer):  # type: ignore[no-untyped-def]
    with time_machine.travel(dt.datetime(2026, 3, 10, 10, 0, tzinfo=AMSTERDAM), tick=False):
        yield licence_for(exporter_a, officer, valid_from=dt.date(2026, 3, 1), valid_until=dt.date(2027, 2, 28))


def _extension(exporter, licence):  # type: ignore[no-untyped-def]
    return amendments.licence_amendment_request(
        actor=exporter, licence_id=licence.pk, kind="extension", reason="Delay.", new_valid_until=dt.date(2027, 6, 30)
    )


def test_exporter_asks_for_an_amendment_on_the_form_and_sees_it_on_the_licence_page(client_for, exporter_a, licence):
    client = client_for(exporter_a)
    goods = licence.goods.get()
    url = portal_url("amendment_request", licence.pk, "amendment")
    assert client.get(url).status_code == 200
    empty = client.post(url, {f"goods-{goods.pk}-quantity": "12", f"goods-{goods.pk}-value_eur": "12000"})
    assert empty.status_code == 400
    assert escape(str(ERR_REASON_REQUIRED)) in empty.content.decode()
    response = client.post(
        url,
        {"reason": "More needed.", f"goods-{goods.pk}-quantity": "12", f"goods-{goods.pk}-value_eur": "12000"},
    )
    assert response.status_code == 302
    amendment = LicenceAmendment.objects.get(licence=licence)
    assert amendment.goods_changes == [{"goods": goods.pk, "quantity": "12.000", "value_eur": "12000.00"}]
    page = client.get(portal_url("licence_detail", licence.pk)).content.decode()
    assert "Version 1 (in force)" in page and "Withdraw the request" in page


def test_an_extension_not_later_than_now_is_a_field_error_with_400(client_for, exporter_a, licence):
    response = client_for(exporter_a).post(
        portal_url("amendment_request", licence.pk, "extension"), {"reason": "Delay.", "valid_until": "2027-02-01"}
    )
    assert response.status_code == 400
    assert escape(str(ERR_EXTENSION_LATER.format(until=dt.date(2027, 2, 28)))) in response.content.decode()


def test_exporter_b_gets_404_on_the_forms_and_the_withdrawal(client_for, exporter_a, exporter_b, licence):
    amendment = _extension(exporter_a, licence)
    client = client_for(exporter_b)
    assert client.get(portal_url("amendment_request", licence.pk, "amendment")).status_code == 404
    assert client.get(portal_url("licence_surrender", licence.pk)).status_code == 404
    assert client.post(portal_url("amendment_withdraw", amendment.pk), {"reason": "x"}).status_code == 404
    assert LicenceAmendment.objects.get(pk=amendment.pk).status == AmendmentStatus.REQUESTED


def test_exporter_surrenders_the_licence_on_its_page(client_for, exporter_a, licence):
    client = client_for(exporter_a)
    assert client.post(portal_url("licence_surrender", licence.pk), {"reason": ""}).status_code == 400
    assert client.post(portal_url("licence_surrender", licence.pk), {"reason": "Contract ended."}).status_code == 302
    page = client.get(portal_url("licence_detail", licence.pk)).content.decode()
    assert "You have surrendered this licence" in page


def test_officer_approves_an_extension_on_its_page_and_the_versions_show_both(client_for, exporter_a, officer, licence):
    amendment = _extension(exporter_a, licence)
    client = client_for(officer)
    page = client.get(reverse("casework:amendment_detail", args=[amendment.pk])).content.decode()
    assert "Only what changes is assessed; you may approve it on your own." in page
    response = client.post(
        reverse("casework:amendment_decide", args=[amendment.pk]),
        {"version": amendment.version, "outcome": "approve", "reasons": "Delivery delayed by the yard."},
    )
    assert response.status_code == 302
    versions = client.get(reverse("casework:licence_versions", args=[licence.pk])).content.decode()
    assert "Version 2 (in force)" in versions and "Version 1" in versions


def test_exporters_cannot_open_the_officers_pages(client_for, exporter_a, licence):
    amendment = _extension(exporter_a, licence)
    client = client_for(exporter_a)
    assert client.get(reverse("casework:amendment_list")).status_code == 403
    assert client.get(reverse("casework:amendment_detail", args=[amendment.pk])).status_code == 403


def test_the_officers_list_stays_within_twelve_queries_when_four_requests_are_open(
    client_for, exporter_a, officer, django_assert_max_num_queries
):
    with time_machine.travel(dt.datetime(2026, 3, 10, 10, 0, tzinfo=AMSTERDAM), tick=False):
        for _ in range(4):
            issued = licence_for(exporter_a, officer, valid_from=dt.date(2026, 3, 1), valid_until=dt.date(2027, 2, 28))
            _extension(exporter_a, issued)
        client = client_for(officer)
        client.get(reverse("casework:amendment_list"))
        with django_assert_max_num_queries(12):
            response = client.get(reverse("casework:amendment_list"))
    assert response.content.decode().count("/casework/amendments/") >= 4
