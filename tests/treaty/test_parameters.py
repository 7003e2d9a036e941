"""Treaty parameters as dated data: loaded idempotently from the CSV, read for the day of the event."""

from __future__ import annotations

import io
from datetime import date
from decimal import Decimal

import pytest
import time_machine
from django.core.management import call_command

from audit.models import AuditEvent, Verb
from core.exceptions import DomainValidationError
from licensing.models.treaty import ExclusionListEntry, TreatyParameter, TreatyParameterName
from licensing.services.treaty_parameters import ERR_PARAMETER_MISSING, parameter_on, treaty_parameters_load

from .conftest import save_transfer, treaty_draft

pytestmark = pytest.mark.django_db

THRESHOLD = TreatyParameterName.DE_MINIMIS_THRESHOLD


def test_loading_again_changes_nothing_when_the_csv_is_unchanged():
    before = AuditEvent.objects.filter(verb=Verb.TREATY_PARAMETERS_LOADED).count()
    counts = treaty_parameters_load()
    assert counts == {"created": 0, "updated": 0, "unchanged": 12}
    assert AuditEvent.objects.filter(verb=Verb.TREATY_PARAMETERS_LOADED).count() == before
    assert TreatyParameter.objects.count() == 5
    assert ExclusionListEntry.objects.count() == 7


def test_command_reports_what_it_loaded():
    out = io.StringIO()
    call_command("load_treaty_parameters", stdout=out)
    assert "created   0  updated   0  unchanged  12" in out.getvalue()


def test_loaded_values_carry_their_source_note():
    threshold = parameter_on(THRESHOLD, date(2026, 1, 1))
    assert (threshold.as_decimal, threshold.valid_from) == (Decimal("20"), date(2021, 9, 17))
    assert "n'excède pas" in threshold.source
    assert parameter_on(TreatyParameterName.REMINDER_DAYS, date(2026, 1, 1)).as_int_list == [20, 10, 5, 1]


def test_new_threshold_applies_from_its_start_date_when_the_committee_changes_it(exporter_a):
    TreatyParameter.objects.filter(name=THRESHOLD).update(valid_until=date(2026, 12, 31))
    raised = TreatyParameter.objects.create(
        name=THRESHOLD, value="25", valid_from=date(2027, 1, 1), source="Test: hypothetical committee decision."
    )
    assert parameter_on(THRESHOLD, date(2026, 12, 31)).as_decimal == Decimal("20")
    assert parameter_on(THRESHOLD, date(2027, 1, 1)) == raised
    with time_machine.travel(date(2027, 1, 4), tick=False):
        draft = treaty_draft(exporter_a, goods_value="220000.00")
        transfer = save_transfer(exporter_a, draft)  # 22 %
    assert (transfer.de_minimis, transfer.threshold_percent, transfer.threshold_parameter) == (
        True,
        Decimal("25.00"),
        raised,
    )


def test_missing_parameter_is_named_when_none_is_in_force():
    with pytest.raises(DomainValidationError) as excinfo:
        parameter_on(THRESHOLD, date(2020, 1, 1))
    assert excinfo.value.message == ERR_PARAMETER_MISSING.format(name=THRESHOLD, day="1 January 2020")
