"""The treaty's de minimis rule; shares worked out by hand."""

from __future__ import annotations

import re
from decimal import Decimal

import pytest

from licensing.treaty_rules import (
    COMPONENT_EXCEEDS_TOTAL,
    COMPONENT_NEGATIVE,
    REASON_EXCLUDED,
    REASON_FOLLOW_ON,
    REASON_HOME_NOT_PARTY,
    REASON_HOME_PARTY,
    REASON_NOT_EXCLUDED,
    REASON_RECIPIENT_NOT_PARTY,
    REASON_RECIPIENT_PARTY,
    REASON_SHARE_EXCEEDS,
    REASON_SHARE_EXCEEDS_AFTER_ROUNDING,
    REASON_SHARE_WITHIN,
    SERVICES_EXCEED_GROSS,
    SERVICES_NEGATIVE,
    THRESHOLD_OUT_OF_RANGE,
    TOTAL_NOT_POSITIVE,
    VALUE_NOT_FINITE,
    DeMinimisInput,
    assess_de_minimis,
    system_total_excluding_services,
)

MILLION = Decimal("1000000")


def make_input(
    component: str,
    total: Decimal = MILLION,
    *,
    excluded_item: bool = False,
    recipient_state_is_party: bool = True,
    home_state_is_party: bool = True,
    follow_on_of_de_minimis: bool = False,
) -> DeMinimisInput:
    """A transfer that qualifies on every condition except the share, unless told otherwise."""
    return DeMinimisInput(
        component_value_eur=Decimal(component),
        system_total_value_eur=total,
        excluded_item=excluded_item,
        recipient_state_is_party=recipient_state_is_party,
        home_state_is_party=home_state_is_party,
        follow_on_of_de_minimis=follow_on_of_de_minimis,
    )


# --- the threshold ---------------------------------------------------------------------------


def test_de_minimis_applies_when_share_is_exactly_20_percent() -> None:
    result = assess_de_minimis(make_input("200000"))
    assert result.applies
    assert result.share == Decimal("0.2000")
    assert result.share_percent == Decimal("20.00")
    assert result.threshold_percent == Decimal("20")
    assert result.reasons == [
        REASON_SHARE_WITHIN.format(share="20.00", threshold="20.00"),
        REASON_NOT_EXCLUDED,
        REASON_RECIPIENT_PARTY,
        REASON_HOME_PARTY,
    ]


def test_de_minimis_does_not_apply_when_share_is_20_01_percent() -> None:
    result = assess_de_minimis(make_input("200100"))
    assert not result.applies
    assert result.share == Decimal("0.2001")
    assert result.share_percent == Decimal("20.01")
    assert result.reasons[0] == REASON_SHARE_EXCEEDS.format(share="20.01", threshold="20.00")


def test_de_minimis_applies_when_share_is_19_99_percent() -> None:
    result = assess_de_minimis(make_input("199900"))
    assert result.applies
    assert result.share == Decimal("0.1999")
    assert result.share_percent == Decimal("19.99")


def test_de_minimis_does_not_apply_when_share_only_rounds_down_to_20_percent() -> None:
    # 200,000.04 / 1,000,000 = 20.000004 %: shown as 20.00 %, but it exceeds the threshold.
    result = assess_de_minimis(make_input("200000.04"))
    assert not result.applies
    assert result.share_percent == Decimal("20.00")
    assert result.reasons[0] == REASON_SHARE_EXCEEDS_AFTER_ROUNDING.format(share="20.00", threshold="20.00")


def test_share_is_rounded_half_up_when_fraction_is_recurring() -> None:
    # 1 / 3 = 0.33333... -> 0.3333 and 33.33 %.
    result = assess_de_minimis(make_input("1", total=Decimal("3")))
    assert result.share == Decimal("0.3333")
    assert result.share_percent == Decimal("33.33")


def test_de_minimis_applies_when_threshold_is_raised_above_the_share() -> None:
    result = assess_de_minimis(make_input("210000"), threshold_percent=Decimal("25"))
    assert result.applies
    assert result.threshold_percent == Decimal("25")


# --- the denominator excludes services --------------------------------------------------------


def test_system_total_excludes_maintenance_when_gross_contains_a_maintenance_package() -> None:
    total = system_total_excluding_services(
        Decimal("1250000"), Decimal("250000"), Decimal("0"), Decimal("0"), Decimal("0")
    )
    assert total == Decimal("1000000")


def test_system_total_subtracts_all_four_services_when_each_is_present() -> None:
    # 1,500,000 - 100,000 - 50,000 - 25,000 - 25,000 = 1,300,000
    total = system_total_excluding_services(
        Decimal("1500000"), Decimal("100000"), Decimal("50000"), Decimal("25000"), Decimal("25000")
    )
    assert total == Decimal("1300000")


def test_de_minimis_does_not_apply_when_share_of_net_total_exceeds_although_share_of_gross_does_not() -> None:
    # 210,000 is 16.8 % of the gross 1,250,000 but 21.0 % of the 1,000,000 net of maintenance.
    net = system_total_excluding_services(
        Decimal("1250000"), Decimal("250000"), Decimal("0"), Decimal("0"), Decimal("0")
    )
    result = assess_de_minimis(make_input("210000", total=net))
    assert not result.applies
    assert result.share == Decimal("0.2100")
    assert result.share_percent == Decimal("21.00")

    wrong_on_gross = assess_de_minimis(make_input("210000", total=Decimal("1250000")))
    assert wrong_on_gross.share_percent == Decimal("16.80")
    assert wrong_on_gross.applies


# --- scope and parties ------------------------------------------------------------------------


def test_de_minimis_does_not_apply_when_item_is_on_the_exclusion_list() -> None:
    result = assess_de_minimis(make_input("100000", excluded_item=True))
    assert not result.applies
    assert REASON_EXCLUDED in result.reasons


def test_de_minimis_does_not_apply_when_recipient_state_is_not_yet_a_party() -> None:
    result = assess_de_minimis(make_input("100000", recipient_state_is_party=False))
    assert not result.applies
    assert REASON_RECIPIENT_NOT_PARTY in result.reasons


def test_de_minimis_does_not_apply_when_home_state_is_not_a_party() -> None:
    result = assess_de_minimis(make_input("100000", home_state_is_party=False))
    assert not result.applies
    assert REASON_HOME_NOT_PARTY in result.reasons


def test_de_minimis_applies_when_follow_on_support_exceeds_the_threshold() -> None:
    result = assess_de_minimis(make_input("600000", follow_on_of_de_minimis=True))
    assert result.applies
    assert result.share_percent == Decimal("60.00")
    assert result.reasons[0] == REASON_FOLLOW_ON.format(share="60.00", threshold="20.00")


def test_de_minimis_does_not_apply_when_follow_on_goes_to_a_non_party() -> None:
    result = assess_de_minimis(make_input("600000", follow_on_of_de_minimis=True, recipient_state_is_party=False))
    assert not result.applies


# --- invalid input ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("component", "total", "message"),
    [
        ("0", Decimal("0"), TOTAL_NOT_POSITIVE),
        ("0", Decimal("-1"), TOTAL_NOT_POSITIVE),
        ("-1", MILLION, COMPONENT_NEGATIVE),
        ("1000000.01", MILLION, COMPONENT_EXCEEDS_TOTAL),
        ("NaN", MILLION, VALUE_NOT_FINITE),
        ("1", Decimal("Infinity"), VALUE_NOT_FINITE),
    ],
)
def test_assess_de_minimis_raises_when_values_are_invalid(component: str, total: Decimal, message: str) -> None:
    with pytest.raises(ValueError, match=re.escape(message)):
        assess_de_minimis(make_input(component, total=total))


@pytest.mark.parametrize("threshold", [Decimal("0"), Decimal("-5"), Decimal("100.01")])
def test_assess_de_minimis_raises_when_threshold_is_out_of_range(threshold: Decimal) -> None:
    with pytest.raises(ValueError, match=re.escape(THRESHOLD_OUT_OF_RANGE)):
        assess_de_minimis(make_input("1"), threshold_percent=threshold)


def test_system_total_raises_when_a_service_value_is_negative() -> None:
    with pytest.raises(ValueError, match=re.escape(SERVICES_NEGATIVE)):
        system_total_excluding_services(MILLION, Decimal("-1"), Decimal("0"), Decimal("0"), Decimal("0"))


def test_system_total_raises_when_services_exceed_the_gross_value() -> None:
    with pytest.raises(ValueError, match=re.escape(SERVICES_EXCEED_GROSS)):
        system_total_excluding_services(MILLION, Decimal("600000"), Decimal("400000.01"), Decimal("0"), Decimal("0"))
