"""Changing an issued licence: amendments, extensions, surrender, and what an approved change does to the
licence (a new version, the old one kept) and to shipments (they count against the version in force).

The licence of every test: 10 pieces at EUR 1,000 each (EUR 10,000), valid 1 March 2026 to 28 February 2027,
decided on 10 March 2026 by one officer (no concerns, so no countersignature on the original decision)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
import time_machine

from audit.models import AuditEvent, Verb
from core.exceptions import DecisionBlocked, DomainValidationError, NotAllowed, StaleVersion, TransitionNotAllowed
from licensing.amendment_rules import REASON_DESTINATION, REASON_MATERIAL, REASON_REFUSAL
from licensing.decision_gate import BlockerCode
from licensing.models import AmendmentStatus, Licence, LicenceStatus, LicenceVersion
from licensing.services import amendments, casework
from licensing.services.amendments import ERR_EXTENSION_LATER, ERR_OPEN_REQUEST, ERR_QUANTITY
from licensing.services.casework import ERR_SHIP_QUANTITY, ERR_SHIP_STATUS
from licensing.tasks import licence_render_pdf
from reports.queries.monthly import monthly_overview
from tests.licensing.views.test_portal_helpers import licence_for
from tests.reports.helpers import keyed

pytestmark = pytest.mark.django_db

AMSTERDAM = ZoneInfo("Europe/Amsterdam")
REASON = "The customer ordered more."


@pytest.fixture
def march_2026():  # type: ignore[no-untyped-def]
    with time_machine.travel(dt.datetime(2026, 3, 10, 10, 0, tzinfo=AMSTERDAM), tick=False):
        yield


@pytest.fixture
def licence(exporter_a, officer, march_2026):  # type: ignore[no-untyped-def]
    return licence_for(exporter_a, officer, valid_from=dt.date(2026, 3, 1), valid_until=dt.date(2027, 2, 28))


def _ask(exporter, licence, quantity: str, value: str, **extra):  # type: ignore[no-untyped-def]
    goods = licence.goods.get()
    return amendments.licence_amendment_request(
        actor=exporter,
        licence_id=licence.pk,
        kind="amendment",
        reason=REASON,
        goods_changes=[{"goods": goods.pk, "quantity": quantity, "value_eur": value}],
        **extra,
    )


def _ship(exporter, licence, quantity: str, value: str):  # type: ignore[no-untyped-def]
    return casework.shipment_record(
        actor=exporter,
        licence_id=licence.pk,
        licensed_goods_id=licence.goods.get().pk,
        shipped_on=dt.date(2026, 3, 10),
        quantity=Decimal(quantity),
        value_eur=Decimal(value),
    )


def test_one_officer_approves_a_new_version_when_the_value_rises_by_exactly_ten_percent(exporter_a, officer, licence):
    # 10 -> 11 pieces, EUR 10,000 -> 11,000: +10 %, not more than the material threshold.
    amendment = _ask(exporter_a, licence, "11", "11000")
    decided = amendments.licence_amendment_decide(
        actor=officer, amendment_id=amendment.pk, outcome="approve", reasons="Same end use, small increase."
    )
    assert decided.status == AmendmentStatus.APPROVED
    assert decided.four_eyes_reasons == []
    assert decided.resulting_version == 2
    licence = Licence.objects.get(pk=licence.pk)
    assert (licence.terms_version, licence.total_value_eur, licence.status) == (2, Decimal("11000.00"), "issued")
    assert licence.goods.get().quantity == Decimal("11")
    old = LicenceVersion.objects.get(licence=licence)
    assert (old.number, old.goods[0]["quantity"], old.total_value_eur) == (1, "10.000", Decimal("10000.00"))
    verbs = list(
        AuditEvent.objects.filter(target_id=str(licence.pk), target_type="licensing.licence").values_list(
            "verb", flat=True
        )
    )
    assert verbs[-1] == Verb.LICENCE_AMENDED


def test_a_senior_countersigns_when_the_value_rises_by_more_than_ten_percent(exporter_a, officer, senior, licence):
    amendment = _ask(exporter_a, licence, "15", "15000")
    proposed = amendments.licence_amendment_decide(
        actor=officer, amendment_id=amendment.pk, outcome="approve", reasons="Acceptable increase."
    )
    assert proposed.status == AmendmentStatus.PROPOSED
    assert proposed.four_eyes_reasons == [str(REASON_MATERIAL).format(percent=10, before="10000.00", after="15000.00")]
    assert Licence.objects.get(pk=licence.pk).terms_version == 1  # nothing takes effect before the countersignature
    with pytest.raises(NotAllowed):
        amendments.licence_amendment_countersign(actor=officer, amendment_id=amendment.pk)
    amendments.licence_amendment_countersign(actor=senior, amendment_id=amendment.pk, reason="Agreed.")
    licence = Licence.objects.get(pk=licence.pk)
    assert licence.terms_version == 2
    assert licence.goods.get().quantity == Decimal("15")


def test_shipments_count_against_the_version_in_force_when_the_quantity_went_up(exporter_a, officer, licence):
    _ship(exporter_a, licence, "4", "4000")  # under version 1: 6 left
    amendment = _ask(exporter_a, licence, "11", "11000")
    amendments.licence_amendment_decide(actor=officer, amendment_id=amendment.pk, outcome="approve", reasons="Fine.")
    # Version 2 allows 11 in all; 4 were shipped, so 7 remain (not 6, not 11).
    with pytest.raises(DomainValidationError) as raised:
        _ship(exporter_a, licence, "8", "1")
    assert raised.value.field_errors == {"quantity": [ERR_SHIP_QUANTITY.format(remaining="7", unit="pcs")]}
    shipment = _ship(exporter_a, licence, "7", "7000")
    assert shipment.terms_version == 2
    version_1 = LicenceVersion.objects.get(licence=licence, number=1)
    assert version_1.goods[0]["shipped_quantity"] == "4.000"  # the old version is kept as it stood


def test_a_quantity_below_what_was_shipped_is_a_field_error_when_requested(exporter_a, licence):
    _ship(exporter_a, licence, "4", "4000")
    goods = licence.goods.get()
    with pytest.raises(DomainValidationError) as raised:
        _ask(exporter_a, licence, "3", "4000")
    assert raised.value.field_errors == {f"goods-{goods.pk}-quantity": [ERR_QUANTITY.format(shipped="4", unit="pcs")]}


def test_a_second_request_is_refused_while_one_is_open(exporter_a, licence):
    _ask(exporter_a, licence, "11", "11000")
    with pytest.raises(TransitionNotAllowed) as raised:
        _ask(exporter_a, licence, "12", "12000")
    assert raised.value.message == ERR_OPEN_REQUEST


def test_extension_makes_version_two_with_the_later_end_when_approved(exporter_a, officer, licence):
    amendment = amendments.licence_amendment_request(
        actor=exporter_a,
        licence_id=licence.pk,
        kind="extension",
        reason="Delivery delayed.",
        new_valid_until=dt.date(2027, 8, 31),
    )
    amendments.licence_amendment_decide(actor=officer, amendment_id=amendment.pk, outcome="approve", reasons="Fine.")
    licence = Licence.objects.get(pk=licence.pk)
    assert (licence.valid_until, licence.terms_version) == (dt.date(2027, 8, 31), 2)
    assert LicenceVersion.objects.get(licence=licence).valid_until == dt.date(2027, 2, 28)
    event = AuditEvent.objects.filter(target_type="licensing.licence", target_id=str(licence.pk)).last()
    assert event is not None and event.verb == Verb.LICENCE_EXTENDED
    assert event.payload["valid_until"] == {"from": "2027-02-28", "to": "2027-08-31"}


def test_extension_to_the_same_or_an_earlier_day_is_a_field_error(exporter_a, licence):
    for day in (dt.date(2027, 2, 28), dt.date(2027, 1, 31)):
        with pytest.raises(DomainValidationError) as raised:
            amendments.licence_amendment_request(
                actor=exporter_a, licence_id=licence.pk, kind="extension", reason="Delay.", new_valid_until=day
            )
        assert raised.value.field_errors == {"valid_until": [ERR_EXTENSION_LATER.format(until=dt.date(2027, 2, 28))]}


def test_a_new_destination_always_needs_four_eyes(exporter_a, officer, licence):
    goods = licence.goods.get()
    amendment = amendments.licence_amendment_request(
        actor=exporter_a,
        licence_id=licence.pk,
        kind="amendment",
        reason="The navy moved the programme.",
        new_destination="NZ",
        goods_changes=[{"goods": goods.pk, "quantity": "10", "value_eur": "10000"}],
    )
    proposed = amendments.licence_amendment_decide(
        actor=officer, amendment_id=amendment.pk, outcome="approve", reasons="Same end use."
    )
    assert proposed.status == AmendmentStatus.PROPOSED
    assert str(REASON_DESTINATION) in proposed.four_eyes_reasons


def test_an_arms_embargo_on_the_new_destination_blocks_the_approval(exporter_a, officer, licence):
    amendment = amendments.licence_amendment_request(
        actor=exporter_a, licence_id=licence.pk, kind="amendment", reason="New customer.", new_destination="RU"
    )
    with pytest.raises(DecisionBlocked) as raised:
        amendments.licence_amendment_decide(actor=officer, amendment_id=amendment.pk, outcome="approve", reasons="x")
    assert BlockerCode.EMBARGO in [b.code for b in raised.value.blockers]
    assert Licence.objects.get(pk=licence.pk).destination_id != "RU"


def test_refusing_a_change_needs_a_countersignature_and_leaves_the_licence_as_it_was(
    exporter_a, officer, senior, licence
):
    amendment = _ask(exporter_a, licence, "11", "11000")
    proposed = amendments.licence_amendment_decide(
        actor=officer, amendment_id=amendment.pk, outcome="refuse", reasons="No need shown."
    )
    assert (proposed.status, proposed.four_eyes_reasons) == (AmendmentStatus.PROPOSED, [str(REASON_REFUSAL)])
    refused = amendments.licence_amendment_countersign(actor=senior, amendment_id=amendment.pk)
    assert refused.status == AmendmentStatus.REFUSED
    licence = Licence.objects.get(pk=licence.pk)
    assert (licence.terms_version, licence.goods.get().quantity) == (1, Decimal("10"))


def test_surrender_ends_shipments_and_withdraws_the_open_request(exporter_a, licence):
    amendment = _ask(exporter_a, licence, "11", "11000")
    amendments.licence_surrender(actor=exporter_a, licence_id=licence.pk, reason="Contract cancelled.")
    licence = Licence.objects.get(pk=licence.pk)
    assert (licence.status, licence.status_reason) == (LicenceStatus.SURRENDERED, "Contract cancelled.")
    amendment.refresh_from_db()
    assert amendment.status == AmendmentStatus.WITHDRAWN
    with pytest.raises(TransitionNotAllowed) as raised:
        _ship(exporter_a, licence, "1", "1000")
    assert raised.value.message == ERR_SHIP_STATUS.format(number=licence.number, status="surrendered")


def test_another_company_cannot_ask_to_change_or_surrender_the_licence(exporter_b, licence):
    with pytest.raises(NotAllowed):
        _ask(exporter_b, licence, "11", "11000")
    with pytest.raises(NotAllowed):
        amendments.licence_surrender(actor=exporter_b, licence_id=licence.pk, reason="Not ours.")


def test_the_new_version_gets_its_own_pdf_and_the_old_one_keeps_its_own(exporter_a, officer, licence):
    licence_render_pdf(licence.pk)
    first = Licence.objects.get(pk=licence.pk)
    assert first.document
    amendment = _ask(exporter_a, licence, "11", "11000")
    amendments.licence_amendment_decide(actor=officer, amendment_id=amendment.pk, outcome="approve", reasons="Fine.")
    assert not Licence.objects.get(pk=licence.pk).document  # being rendered by Celery
    assert licence_render_pdf(licence.pk) == "rendered"
    second = Licence.objects.get(pk=licence.pk)
    old = LicenceVersion.objects.get(licence=licence, number=1)
    assert old.document.name == first.document.name
    assert old.document_sha256 == first.document_sha256
    assert second.document.name != first.document.name
    assert second.document_sha256 != first.document_sha256


def test_the_monthly_overview_counts_the_changes_decided_in_the_month(exporter_a, officer, senior, licence):
    amendment = _ask(exporter_a, licence, "11", "11000")
    amendments.licence_amendment_decide(actor=officer, amendment_id=amendment.pk, outcome="approve", reasons="Fine.")
    extension = amendments.licence_amendment_request(
        actor=exporter_a, licence_id=licence.pk, kind="extension", reason="Delay.", new_valid_until=dt.date(2027, 5, 31)
    )
    amendments.licence_amendment_decide(actor=officer, amendment_id=extension.pk, outcome="refuse", reasons="No.")
    amendments.licence_amendment_countersign(actor=senior, amendment_id=extension.pk)
    amendments.licence_surrender(actor=exporter_a, licence_id=licence.pk, reason="Done.")
    changes = keyed(monthly_overview(year=2026, month=3).table("changes"), "change")
    assert changes == {
        "Amendments approved": {"count": 1},
        "Extensions approved": {"count": 0},
        "Changes refused": {"count": 1},
        "Licences surrendered": {"count": 1},
    }
    assert keyed(monthly_overview(year=2026, month=4).table("changes"), "change")["Amendments approved"] == {"count": 0}


def test_a_senior_sends_the_proposal_back_and_the_officer_decides_again(exporter_a, officer, senior, licence):
    amendment = _ask(exporter_a, licence, "15", "15000")
    amendments.licence_amendment_decide(actor=officer, amendment_id=amendment.pk, outcome="approve", reasons="Fine.")
    returned = amendments.licence_amendment_return(
        actor=senior, amendment_id=amendment.pk, reason="Ask for the end-use statement first."
    )
    assert returned.status == AmendmentStatus.REQUESTED
    assert Licence.objects.get(pk=licence.pk).terms_version == 1
    with pytest.raises(StaleVersion):
        amendments.licence_amendment_decide(
            actor=officer, amendment_id=amendment.pk, outcome="approve", reasons="x", expected_version=2
        )
    again = amendments.licence_amendment_decide(
        actor=officer,
        amendment_id=amendment.pk,
        outcome="approve",
        reasons="Statement received.",
        expected_version=returned.version,
    )
    assert again.status == AmendmentStatus.PROPOSED
