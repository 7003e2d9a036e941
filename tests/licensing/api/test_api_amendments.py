"""The exporter API for changing a licence: ask for an amendment or extension, follow it, withdraw it, surrender
the licence. Same services as the portal; another company's licence or request answers 404."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
import time_machine

from licensing.models import AmendmentStatus, LicenceAmendment
from licensing.services import amendments
from licensing.services.amendments import ERR_QUANTITY
from tests.licensing.views.test_portal_helpers import licence_for

pytestmark = pytest.mark.django_db

API = "/api/v1"
AMSTERDAM = ZoneInfo("Europe/Amsterdam")


@pytest.fixture
def licence(exporter_a, officer):  # type: ignore[no-untyped-def]
    with time_machine.travel(dt.datetime(2026, 3, 10, 10, 0, tzinfo=AMSTERDAM), tick=False):
        yield licence_for(exporter_a, officer, valid_from=dt.date(2026, 3, 1), valid_until=dt.date(2027, 2, 28))


def test_exporter_asks_for_more_and_ships_against_version_two_when_approved(token_client, exporter_a, officer, licence):
    client = token_client(exporter_a)
    goods = licence.goods.get()
    response = client.post(
        f"{API}/licences/{licence.pk}/amendments/",
        {
            "kind": "amendment",
            "reason": "Second batch ordered.",
            "goods_changes": [{"goods": goods.pk, "quantity": "11", "value_eur": "11000.00"}],
        },
        format="json",
    )
    assert response.status_code == 201, response.json()
    body = response.json()
    assert (body["status"], body["based_on_version"], body["goods_changes"]) == (
        "requested",
        1,
        [{"goods": goods.pk, "quantity": "11.000", "value_eur": "11000.00"}],
    )
    amendments.licence_amendment_decide(actor=officer, amendment_id=body["id"], outcome="approve", reasons="Fine.")
    assert client.get(f"{API}/amendments/{body['id']}/").json()["resulting_version"] == 2
    detail = client.get(f"{API}/licences/{licence.pk}/").json()
    assert (detail["version"], detail["goods"][0]["quantity"]) == (2, "11.000")
    shipped = client.post(
        f"{API}/licences/{licence.pk}/shipments/",
        {"licensed_goods": goods.pk, "shipped_on": "2026-03-10", "quantity": "11", "value_eur": "11000.00"},
        format="json",
    )
    assert shipped.status_code == 201 and shipped.json()["licence_version"] == 2


def test_a_quantity_below_what_was_shipped_is_a_400_naming_the_line(token_client, exporter_a, licence):
    client = token_client(exporter_a)
    goods = licence.goods.get()
    client.post(
        f"{API}/licences/{licence.pk}/shipments/",
        {"licensed_goods": goods.pk, "shipped_on": "2026-03-10", "quantity": "4", "value_eur": "4000.00"},
        format="json",
    )
    response = client.post(
        f"{API}/licences/{licence.pk}/amendments/",
        {
            "kind": "amendment",
            "reason": "Less.",
            "goods_changes": [{"goods": goods.pk, "quantity": "3", "value_eur": "4000"}],
        },
        format="json",
    )
    assert response.status_code == 400
    assert response.json()["errors"] == {f"goods-{goods.pk}-quantity": [ERR_QUANTITY.format(shipped="4", unit="pcs")]}


def test_exporter_withdraws_a_request_and_surrenders_the_licence(token_client, exporter_a, licence):
    client = token_client(exporter_a)
    created = client.post(
        f"{API}/licences/{licence.pk}/amendments/",
        {"kind": "extension", "reason": "Delay.", "new_valid_until": "2027-06-30"},
        format="json",
    ).json()
    withdrawn = client.post(f"{API}/amendments/{created['id']}/withdraw/", {"reason": "Not needed."}, format="json")
    assert withdrawn.status_code == 200 and withdrawn.json()["status"] == AmendmentStatus.WITHDRAWN
    missing_reason = client.post(f"{API}/licences/{licence.pk}/surrender/", {"reason": ""}, format="json")
    assert missing_reason.status_code == 400 and "reason" in missing_reason.json()["errors"]
    surrendered = client.post(f"{API}/licences/{licence.pk}/surrender/", {"reason": "Contract ended."}, format="json")
    assert surrendered.status_code == 200 and surrendered.json()["status"] == "surrendered"
    again = client.post(f"{API}/licences/{licence.pk}/surrender/", {"reason": "Again."}, format="json")
    assert again.status_code == 409


def test_exporter_b_gets_404_on_another_companys_licence_and_request(token_client, exporter_a, exporter_b, licence):
    amendment = amendments.licence_amendment_request(
        actor=exporter_a, licence_id=licence.pk, kind="extension", reason="Delay.", new_valid_until=dt.date(2027, 6, 30)
    )
    client = token_client(exporter_b)
    assert client.get(f"{API}/licences/{licence.pk}/amendments/").status_code == 404
    assert client.post(f"{API}/licences/{licence.pk}/amendments/", {}, format="json").status_code == 404
    assert client.post(f"{API}/licences/{licence.pk}/surrender/", {"reason": "x"}, format="json").status_code == 404
    assert client.get(f"{API}/amendments/{amendment.pk}/").status_code == 404
    assert client.post(f"{API}/amendments/{amendment.pk}/withdraw/", {"reason": "x"}, format="json").status_code == 404
    assert LicenceAmendment.objects.get(pk=amendment.pk).status == AmendmentStatus.REQUESTED
