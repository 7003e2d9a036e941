"""Licences in the portal: what is left on them, recording shipments (and the refusals), the licence PDF."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.files.base import ContentFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils.html import escape

from licensing.models import LicenceStatus, Shipment
from licensing.services import casework
from licensing.services.casework import ERR_SHIP_EXPIRED, ERR_SHIP_QUANTITY, ERR_SHIP_STATUS
from licensing.transitions import LicenceAction
from tests.licensing.views.test_portal_helpers import licence_for, portal_url

pytestmark = pytest.mark.django_db

AMSTERDAM = ZoneInfo("Europe/Amsterdam")
LIST_MAX_QUERIES = 12
DETAIL_MAX_QUERIES = 15


@pytest.fixture
def march_2026():  # type: ignore[no-untyped-def]
    with time_machine.travel(dt.datetime(2026, 3, 10, 10, 0, tzinfo=AMSTERDAM), tick=False):
        yield


@pytest.fixture
def licence(exporter_a, officer, march_2026):  # type: ignore[no-untyped-def]
    """Valid 1 March 2026 to 28 February 2027, for 10 pieces at EUR 1,000."""
    return licence_for(exporter_a, officer, valid_from=dt.date(2026, 3, 1), valid_until=dt.date(2027, 2, 28))


def _ship(client, licence, *, quantity="4", value="4000", day="2026-03-10"):  # type: ignore[no-untyped-def]
    goods = licence.goods.get()
    return client.post(
        portal_url("shipment_record", licence.pk),
        {"licensed_goods": goods.pk, "shipped_on": day, "quantity": quantity, "value_eur": value},
    )


def test_licence_list_shows_the_exporters_licences_in_constant_queries(
    client_for, exporter_a, exporter_b, officer, django_assert_max_num_queries, march_2026
):
    mine = licence_for(exporter_a, officer)
    theirs = licence_for(exporter_b, officer)
    client = client_for(exporter_a)
    client.get(portal_url("licence_list"))
    with CaptureQueriesContext(connection) as one:
        client.get(portal_url("licence_list"))
    for _ in range(3):
        licence_for(exporter_a, officer)

    with django_assert_max_num_queries(LIST_MAX_QUERIES), CaptureQueriesContext(connection) as four:
        content = client.get(portal_url("licence_list")).content.decode()

    assert mine.number in content
    assert theirs.number not in content
    assert len(four) == len(one)


def test_licence_page_shows_licensed_shipped_and_remaining_when_opened(
    client_for, exporter_a, licence, django_assert_max_num_queries
):
    client = client_for(exporter_a)
    _ship(client, licence, quantity="4", value="4000")

    with django_assert_max_num_queries(DETAIL_MAX_QUERIES):
        content = client.get(portal_url("licence_detail", licence.pk)).content.decode()

    assert content.count("<h1>") == 1
    assert f"Licence {licence.number}" in content
    assert "up to and including 28 February 2027" in content
    for text in ("10 pcs", "4 pcs", "6 pcs", "10,000.00", "4,000.00", "6,000.00", "Record a shipment"):
        assert text in content, text


def test_shipment_is_recorded_when_within_the_balance_and_validity(client_for, exporter_a, licence):
    response = _ship(client_for(exporter_a), licence, quantity="10", value="10000")

    goods = licence.goods.get()
    assert response.status_code == 302
    assert goods.remaining_quantity == Decimal("0")
    assert Shipment.objects.get(licence=licence).quantity == Decimal("10")


def test_shipment_answers_400_with_the_balance_when_it_exceeds_what_is_left(client_for, exporter_a, licence):
    client = client_for(exporter_a)
    _ship(client, licence, quantity="8", value="8000")

    response = _ship(client, licence, quantity="3", value="3000")

    assert response.status_code == 400
    assert ERR_SHIP_QUANTITY.format(remaining="2", unit="pcs") in response.content.decode()
    assert licence.goods.get().shipped_quantity == Decimal("8")


def test_shipment_answers_400_when_it_falls_after_the_validity(client_for, exporter_a, licence):
    response = _ship(client_for(exporter_a), licence, day="2027-03-01")

    assert response.status_code == 400
    message = ERR_SHIP_EXPIRED.format(number=licence.number, until="28 February 2027", day="1 March 2027")
    assert escape(message) in response.content.decode()
    assert not Shipment.objects.exists()


def test_shipment_answers_409_with_the_message_when_the_licence_is_suspended(client_for, exporter_a, officer, licence):
    casework.licence_change_status(
        actor=officer, licence_id=licence.pk, action=LicenceAction.SUSPEND, reason="End-use check pending"
    )
    client = client_for(exporter_a)

    page = client.get(portal_url("licence_detail", licence.pk)).content.decode()
    response = _ship(client, licence)

    assert "This licence is suspended" in page and "End-use check pending" in page
    assert "Record a shipment" not in page
    assert response.status_code == 409
    expected = ERR_SHIP_STATUS.format(number=licence.number, status=LicenceStatus.SUSPENDED.label.lower())
    assert expected in response.content.decode()
    assert not Shipment.objects.exists()


def test_licence_pdf_is_being_prepared_until_the_task_has_run(client_for, exporter_a, licence):
    assert not licence.document
    client = client_for(exporter_a)

    first = client.get(portal_url("licence_pdf", licence.pk))
    assert first.status_code == 202  # never rendered in the request (issue 14)
    assert "Reload this page in a minute" in first.content.decode()
    response = client.get(portal_url("licence_pdf", licence.pk))  # the task has run (eager in tests)

    assert response.status_code == 200
    assert b"".join(response.streaming_content).startswith(b"%PDF")
    assert response["Content-Disposition"] == f'attachment; filename="{licence.number}.pdf"'
    assert response["X-Content-Type-Options"] == "nosniff"


def test_licence_pdf_is_the_stored_document_when_it_was_rendered(client_for, exporter_a, licence):
    licence.document.save(f"{licence.number}.pdf", ContentFile(b"%PDF-1.4 stored copy"), save=True)

    response = client_for(exporter_a).get(portal_url("licence_pdf", licence.pk))

    assert response.status_code == 200
    assert b"".join(response.streaming_content) == b"%PDF-1.4 stored copy"
    assert response["Content-Disposition"] == f'attachment; filename="{licence.number}.pdf"'
