"""The de minimis share over the whole final system (domain README "Clarifications (second round)"): every
transfer of Dutch components into the same registered system adds up, and the component value is the goods.

Worked out by hand: the final system is worth EUR 1,000,000 without services; the threshold is 20 % and "does not
exceed" (n'excède pas) means 200,000.00 qualifies and 200,100.00 (20.01 %) does not."""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal

import pytest
import time_machine

from core.exceptions import DomainValidationError
from licensing.models import ApplicationStatus
from licensing.models.treaty import FinalSystem, TreatyTransfer
from licensing.services.treaty_share import ERR_SYSTEM_BELOW_COMPONENTS
from licensing.treaty_rules import (
    REASON_EARLIER_DECIDED,
    REASON_PENDING_WARNING,
    REASON_SHARE_EXCEEDS,
    REASON_SHARE_WITHIN,
)

from .conftest import save_transfer, submit_and_decide, treaty_draft


def _text(page: str) -> str:
    """The page as read: tags removed (amounts are wrapped in a span that keeps them on one line)."""
    return re.sub(r"<[^>]+>", "", page)


pytestmark = pytest.mark.django_db

DAY = date(2026, 9, 15)


@pytest.mark.parametrize(
    ("second_goods", "share", "applies"),
    [
        # 50,000 approved earlier + 150,000 now = 200,000 / 1,000,000 = 20.00 %: does not exceed, qualifies.
        ("150000.00", Decimal("20.00"), True),
        # 50,000 + 150,100 = 200,100 / 1,000,000 = 20.01 %: exceeds. On its own 150,100 would be 15.01 %.
        ("150100.00", Decimal("20.01"), False),
    ],
)
@time_machine.travel(DAY, tick=False)
def test_share_adds_the_earlier_approved_transfer_when_both_go_into_the_same_system(
    exporter_a, officer, second_goods, share, applies
):
    first = treaty_draft(exporter_a, title="Radar modules, first batch", goods_value="50000.00")
    save_transfer(exporter_a, first)
    submit_and_decide(exporter_a, officer, first)
    assert first.status == ApplicationStatus.APPROVED

    second = treaty_draft(exporter_a, title="Radar modules, second batch", goods_value=second_goods)
    # The identifier spelled differently (case, spaces) is still the same registered system.
    transfer = save_transfer(exporter_a, second, final_system_identifier=" nadr-2026 ")

    assert FinalSystem.objects.count() == 1
    assert transfer.component_value_eur == Decimal(second_goods)
    assert transfer.earlier_decided_eur == Decimal("50000.00")
    assert transfer.system_components_eur == Decimal("50000.00") + Decimal(second_goods)
    assert transfer.share_percent == share
    assert transfer.de_minimis is applies
    template = REASON_SHARE_WITHIN if applies else REASON_SHARE_EXCEEDS
    assert transfer.reasons[0] == template.format(share=f"{share:.2f}", threshold="20.00")
    assert transfer.reasons[1] == REASON_EARLIER_DECIDED.format(earlier="50000.00", count=1, this=second_goods)
    assert transfer.earlier_transfers == [
        {
            "application_id": first.pk,
            "reference": first.reference,
            "organisation_id": exporter_a.organisation_id,
            "value_eur": "50000.00",
            "status": "approved",
            "counts": True,
        }
    ]


@time_machine.travel(DAY, tick=False)
def test_same_share_qualifies_alone_when_the_earlier_transfer_went_into_another_system(exporter_a, officer):
    first = treaty_draft(exporter_a, title="Radar modules for another system", goods_value="50000.00")
    save_transfer(exporter_a, first, final_system_identifier="OTHER-1")
    submit_and_decide(exporter_a, officer, first)

    second = treaty_draft(exporter_a, goods_value="150100.00")
    transfer = save_transfer(exporter_a, second)
    assert (transfer.earlier_decided_eur, transfer.share_percent, transfer.de_minimis) == (
        Decimal("0"),
        Decimal("15.01"),
        True,
    )


@time_machine.travel(DAY, tick=False)
def test_a_pending_transfer_only_warns_when_it_is_not_yet_decided(exporter_a, exporter_b, officer):
    # Another Dutch exporter's transfer of 60,000 into the same system is submitted but not decided.
    pending = treaty_draft(exporter_b, title="Antenna parts", goods_value="60000.00")
    save_transfer(exporter_b, pending)
    submit_and_decide(exporter_b, officer, pending, approve=False)

    draft = treaty_draft(exporter_a, goods_value="150000.00")
    transfer = save_transfer(exporter_a, draft)
    # Decided: 150,000 / 1,000,000 = 15.00 %; with the pending one 210,000 = 21.00 %: a warning only.
    assert transfer.share_percent == Decimal("15.00")
    assert transfer.de_minimis is True
    assert transfer.earlier_pending_eur == Decimal("60000.00")
    assert transfer.reasons[-1] == REASON_PENDING_WARNING.format(count=1, pending="60000.00", share="21.00")


@time_machine.travel(DAY, tick=False)
def test_follow_on_spares_add_nothing_and_stay_de_minimis_when_the_system_is_full(exporter_a, officer):
    first = treaty_draft(exporter_a, title="Radar modules", goods_value="200000.00")
    save_transfer(exporter_a, first)
    submit_and_decide(exporter_a, officer, first)

    spares = treaty_draft(exporter_a, title="Spare receiver modules", goods_value="30000.00")
    transfer = save_transfer(exporter_a, spares, follow_on_of_id=first.pk)
    # Follow-on spares are treated as de minimis; they are not part of the system's value and do not add up.
    assert transfer.earlier_decided_eur == Decimal("0")
    assert transfer.de_minimis is True

    third = treaty_draft(exporter_a, title="More radar modules", goods_value="1.00")
    # The approved 200,000 fills the 20 %; the spares (not yet decided, and follow-on) are not counted.
    later = save_transfer(exporter_a, third)
    assert later.earlier_decided_eur == Decimal("200000.00")
    assert later.share_percent == Decimal("20.00")  # 200,001 / 1,000,000 = 20.0001 %, shown rounded
    assert later.de_minimis is False  # the exact share exceeds 20 %


@time_machine.travel(DAY, tick=False)
def test_system_total_below_the_goods_is_a_field_error_when_one_cent_short(exporter_a):
    # Goods of EUR 1,000,000.01 against a declared final system of EUR 1,000,000.00.
    draft = treaty_draft(exporter_a, goods_value="1000000.01")
    with pytest.raises(DomainValidationError) as excinfo:
        save_transfer(exporter_a, draft)
    message = ERR_SYSTEM_BELOW_COMPONENTS.format(total="1,000,000.00", components="1,000,000.01")
    assert excinfo.value.field_errors == {"gross_total_value": [message]}
    assert not TreatyTransfer.objects.filter(application=draft).exists()


@time_machine.travel(DAY, tick=False)
def test_system_total_equal_to_the_goods_is_accepted_when_not_de_minimis(exporter_a):
    draft = treaty_draft(exporter_a, goods_value="1000000.00")
    transfer = save_transfer(exporter_a, draft)
    assert (transfer.share_percent, transfer.de_minimis) == (Decimal("100.00"), False)


@time_machine.travel(DAY, tick=False)
def test_component_value_follows_the_goods_when_a_line_changes_before_submission(exporter_a):
    from licensing.services import applications as apps

    draft = treaty_draft(exporter_a, goods_value="150000.00", euc=True)  # 25 % after the change: not de minimis
    save_transfer(exporter_a, draft)
    line = draft.goods.get()
    apps.goods_line_save(
        actor=exporter_a,
        application_id=draft.pk,
        line_id=line.pk,
        description=line.description,
        ml_category_id="ML11",
        quantity=Decimal("1"),
        unit="pcs",
        unit_value=Decimal("250000.00"),
        currency="EUR",
        is_component=True,
    )
    apps.application_submit(actor=exporter_a, application_id=draft.pk)
    transfer = TreatyTransfer.objects.get(application=draft)
    assert (transfer.component_value_eur, transfer.share_percent, transfer.de_minimis) == (
        Decimal("250000.00"),
        Decimal("25.00"),
        False,
    )


@time_machine.travel(DAY, tick=False)
def test_officer_sees_each_transfer_and_the_exporter_only_their_own_when_both_look_at_the_computation(
    client_for, exporter_a, exporter_b, officer
):
    from django.urls import reverse

    other = treaty_draft(exporter_b, title="Antenna parts", goods_value="50000.00")
    save_transfer(exporter_b, other)
    submit_and_decide(exporter_b, officer, other)
    draft = treaty_draft(exporter_a, goods_value="150000.00")
    save_transfer(exporter_a, draft)
    submit_and_decide(exporter_a, officer, draft, approve=False)

    case_page = client_for(officer).get(reverse("casework:case_detail", args=[draft.pk])).content.decode()
    assert other.reference in case_page
    assert "200,000.00 ÷ 1,000,000.00 = 20.00 %" in _text(case_page)

    exporter_page = (
        client_for(exporter_a).get(reverse("consultations:exporter_transfer", args=[draft.pk])).content.decode()
    )
    assert other.reference not in exporter_page
    assert "another Dutch exporter" in exporter_page
    assert "200,000.00 ÷ 1,000,000.00 = 20.00 %" in _text(exporter_page)


@time_machine.travel(DAY, tick=False)
def test_decision_waits_for_a_fresh_share_when_a_side_by_side_transfer_was_approved_first(exporter_a, officer):
    from core.exceptions import TransitionNotAllowed
    from licensing.decision_gate import MSG_SHARE_OUTDATED as BLOCK_SHARE_OUTDATED
    from licensing.services import casework
    from licensing.services.corrections import treaty_transfer_correct
    from licensing.services.treaty import TreatyDetails

    # Two consignments of 15 % and 15.01 % submitted side by side: each alone is de minimis.
    first = treaty_draft(exporter_a, title="First half", goods_value="150000.00")
    save_transfer(exporter_a, first)
    second = treaty_draft(exporter_a, title="Second half", goods_value="150100.00")
    save_transfer(exporter_a, second)
    submit_and_decide(exporter_a, officer, second, approve=False)
    submit_and_decide(exporter_a, officer, first)  # approved first
    assert TreatyTransfer.objects.get(application=second).de_minimis is True  # computed before that

    with pytest.raises(TransitionNotAllowed) as excinfo:
        casework.decision_propose(
            actor=officer,
            application_id=second.pk,
            outcome="approve",
            justification="De minimis.",
            valid_from=DAY,
            valid_until=date(2027, 9, 15),
        )
    assert str(BLOCK_SHARE_OUTDATED).format(stored="0.00", now="150000.00") in excinfo.value.message

    transfer = treaty_transfer_correct(
        actor=officer,
        application_id=second.pk,
        details=TreatyDetails(
            final_system_name="Naval air-defence radar",
            final_system_identifier="NADR-2026",
            final_system_ml_category_id="ML11",
            integrator_name="Integrateur Radar SA",
            integrator_country_id="FR",
            end_destination_ids=("IN",),
            gross_total_value=Decimal("1000000.00"),
        ),
        reason="Apply the rule again: the first half was approved.",
    )
    # 150,000 + 150,100 = 300,100 / 1,000,000 = 30.01 %: no longer de minimis, and the share is current.
    assert (transfer.share_percent, transfer.de_minimis) == (Decimal("30.01"), False)
    from licensing.decision_gate import BlockerCode, decision_gate

    gate = decision_gate(second, outcome="approve")
    assert BlockerCode.SHARE_OUTDATED not in [b.code for b in gate.blockers]


@time_machine.travel(DAY, tick=False)
def test_de_minimis_reasons_read_dutch_with_dutch_amounts_on_the_dutch_page_and_english_on_the_english_one(
    client_for, exporter_a, officer
):
    from django.urls import reverse

    first = treaty_draft(exporter_a, title="Radar modules, first batch", goods_value="50000.00")
    save_transfer(exporter_a, first)
    submit_and_decide(exporter_a, officer, first)
    second = treaty_draft(exporter_a, title="Radar modules, second batch", goods_value="150000.00")
    save_transfer(exporter_a, second)
    url = reverse("consultations:exporter_transfer", args=[second.pk])
    client = client_for(exporter_a)

    dutch = " ".join(_text(client.get(url, HTTP_ACCEPT_LANGUAGE="nl").content.decode()).split())
    english = " ".join(_text(client.get(url, HTTP_ACCEPT_LANGUAGE="en").content.decode()).split())

    # 50,000 approved earlier + 150,000 now = 200,000 / 1,000,000 = 20.00 %: does not exceed the threshold.
    assert "Een aandeel van 20,00 % overschrijdt de drempel van 20,00 % niet." in dutch
    assert "EUR 50.000,00 in 1 eerdere overdracht(en), plus EUR 150.000,00 in deze aanvraag." in dutch
    assert "Share of 20.00 % does not exceed the 20.00 % threshold." in english
    assert "EUR 50,000.00 in 1 earlier transfer(s), plus EUR 150,000.00 in this application." in english
    assert "Share of" not in dutch
