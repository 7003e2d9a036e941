"""The de minimis share through the exporter's service, with the values worked out by hand.

Share = Dutch components ÷ (gross system value − maintenance − spares − training − repairs); the rule applies when
the share does not exceed 20 % (treaty de minimis provisions, "n'excède pas")."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
import time_machine

from core.exceptions import DomainValidationError, NotAllowed, StaleVersion, TransitionNotAllowed
from licensing.models import LicenceType
from licensing.services import applications as apps
from licensing.treaty_rules import (
    REASON_HOME_NOT_PARTY,
    REASON_RECIPIENT_NOT_PARTY,
    REASON_RECIPIENT_PARTY,
    REASON_SHARE_EXCEEDS,
    REASON_SHARE_WITHIN,
    SERVICES_EXCEED_GROSS,
)
from parties.models import Membership

from .conftest import save_transfer, treaty_draft

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("component", "share", "applies"),
    [
        ("200000.00", Decimal("20.00"), True),  # 200,000 / 1,000,000 = 20.00 %: does not exceed 20 %
        ("200100.00", Decimal("20.01"), False),  # 200,100 / 1,000,000 = 20.01 %: exceeds
        ("199900.00", Decimal("19.99"), True),  # 199,900 / 1,000,000 = 19.99 %
    ],
)
@time_machine.travel(date(2026, 9, 15), tick=False)
def test_share_is_stored_with_the_threshold_when_the_exporter_saves_the_details(exporter_a, component, share, applies):
    draft = treaty_draft(exporter_a, goods_value=component)
    transfer = save_transfer(exporter_a, draft)
    assert transfer.share_percent == share
    assert transfer.de_minimis is applies
    assert transfer.threshold_percent == Decimal("20.00")
    assert transfer.threshold_parameter.name == "de_minimis_threshold_percent"
    assert transfer.assessed_on == date(2026, 9, 15)
    template = REASON_SHARE_WITHIN if applies else REASON_SHARE_EXCEEDS
    assert transfer.reasons[0] == template.format(share=f"{share:.2f}", threshold="20.00")


@time_machine.travel(date(2026, 9, 15), tick=False)
def test_maintenance_package_is_left_out_of_the_total_when_the_gross_value_includes_it(exporter_a):
    # Gross 1,250,000 includes maintenance 150,000, spares 50,000, training 30,000 and repairs 20,000 (together
    # 250,000): the share is 200,000 / 1,000,000 = 20.00 %, not 200,000 / 1,250,000 = 16 %.
    draft = treaty_draft(exporter_a)
    transfer = save_transfer(
        exporter_a,
        draft,
        gross_total_value=Decimal("1250000.00"),
        maintenance_value=Decimal("150000.00"),
        spares_value=Decimal("50000.00"),
        training_value=Decimal("30000.00"),
        repairs_value=Decimal("20000.00"),
    )
    assert transfer.system_total_eur == Decimal("1000000.00")
    assert transfer.share_percent == Decimal("20.00")
    assert transfer.de_minimis is True


@time_machine.travel(date(2026, 9, 15), tick=False)
def test_deducting_a_maintenance_package_can_lift_the_share_over_the_threshold_when_the_package_is_large(exporter_a):
    # 190,000 of a gross 1,000,000 looks like 19 %, but 100,000 of it is maintenance: 190,000 / 900,000 = 21.11 %.
    draft = treaty_draft(exporter_a, goods_value="190000.00")
    transfer = save_transfer(
        exporter_a,
        draft,
        gross_total_value=Decimal("1000000.00"),
        maintenance_value=Decimal("100000.00"),
    )
    assert transfer.share_percent == Decimal("21.11")
    assert transfer.de_minimis is False


@time_machine.travel(date(2025, 12, 9), tick=False)
def test_rule_does_not_apply_when_the_recipients_state_is_not_yet_a_party_on_the_application_date(exporter_a):
    # The UK acceded on 2025-12-10 (data/reference/memberships.csv); on 2025-12-09 it is not yet a party.
    draft = treaty_draft(exporter_a, goods_value="100000.00")
    transfer = save_transfer(exporter_a, draft, integrator_country_id="GB")
    assert transfer.share_percent == Decimal("10.00")
    assert transfer.de_minimis is False
    assert REASON_RECIPIENT_NOT_PARTY in transfer.reasons


@time_machine.travel(date(2025, 12, 10), tick=False)
def test_rule_applies_to_a_uk_integrator_when_the_application_date_is_the_accession_day(exporter_a):
    draft = treaty_draft(exporter_a, goods_value="100000.00")
    transfer = save_transfer(exporter_a, draft, integrator_country_id="GB")
    assert transfer.de_minimis is True
    assert REASON_RECIPIENT_PARTY in transfer.reasons


@time_machine.travel(date(2026, 9, 15), tick=False)
def test_rule_does_not_apply_when_the_home_state_is_not_a_party(exporter_a, nl_accession):
    Membership.objects.filter(pk=nl_accession.pk).delete()
    draft = treaty_draft(exporter_a, goods_value="100000.00")
    transfer = save_transfer(exporter_a, draft)
    assert transfer.de_minimis is False
    assert REASON_HOME_NOT_PARTY in transfer.reasons


@time_machine.travel(date(2026, 9, 15), tick=False)
def test_item_on_the_exclusion_list_is_not_de_minimis_when_the_exporter_marks_it(exporter_a):
    from licensing.models.treaty import ExclusionListEntry

    aero_engines = ExclusionListEntry.objects.get(description="Aero-engines")
    draft = treaty_draft(exporter_a, goods_value="50000.00")
    transfer = save_transfer(exporter_a, draft, exclusion_entry_id=aero_engines.pk)
    assert transfer.share_percent == Decimal("5.00")
    assert transfer.excluded_item is True
    assert transfer.de_minimis is False


@time_machine.travel(date(2026, 9, 15), tick=False)
def test_foreign_currency_values_are_converted_with_the_rate_of_the_application_date(exporter_a):
    # data/reference/exchange_rates.csv: GBP 1.150000 EUR from 2026-01-02. 400,000 GBP = 460,000 EUR;
    # EUR 92,000 of components / 460,000 = 20.00 %.
    draft = treaty_draft(exporter_a, goods_value="92000.00")
    transfer = save_transfer(
        exporter_a,
        draft,
        system_currency="GBP",
        gross_total_value=Decimal("400000.00"),
    )
    assert transfer.system_total_eur == Decimal("460000.00")
    assert transfer.system_exchange_rate == Decimal("1.150000")
    assert transfer.rate_date == date(2026, 1, 2)
    assert transfer.share_percent == Decimal("20.00")


def test_services_larger_than_the_gross_value_are_refused_on_the_maintenance_field(exporter_a):
    draft = treaty_draft(exporter_a)
    with pytest.raises(DomainValidationError) as excinfo:
        save_transfer(exporter_a, draft, maintenance_value=Decimal("1000000.01"))
    assert excinfo.value.field_errors == {"maintenance_value": [SERVICES_EXCEED_GROSS]}


def test_details_are_refused_when_the_application_is_not_a_treaty_transfer(exporter_a):
    draft = apps.application_create(actor=exporter_a, licence_type=LicenceType.INDIVIDUAL_EXPORT, title="Radar")
    with pytest.raises(TransitionNotAllowed):
        save_transfer(exporter_a, draft)


def test_details_are_refused_when_another_organisation_tries(exporter_a, exporter_b):
    draft = treaty_draft(exporter_a)
    with pytest.raises(NotAllowed):
        save_transfer(exporter_b, draft)


def test_a_stale_form_is_refused_when_a_colleague_saved_in_between(exporter_a):
    draft = treaty_draft(exporter_a)
    save_transfer(exporter_a, draft, expected_version=0)
    with pytest.raises(StaleVersion):
        save_transfer(exporter_a, draft, expected_version=0)
