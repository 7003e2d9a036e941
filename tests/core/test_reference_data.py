from __future__ import annotations

import pytest

from licensing.models import Criterion, DenyType, MLCategory
from parties.models import Country, Embargo
from seeding.reference_data import reference_data_load

pytestmark = pytest.mark.django_db


def test_reference_data_is_complete_when_loaded():
    assert MLCategory.objects.count() == 22
    assert list(MLCategory.objects.values_list("code", flat=True)[:3]) == ["ML1", "ML2", "ML3"]
    assert Criterion.objects.count() == 8
    assert {c.number for c in Criterion.objects.all() if c.is_deny_criterion} == {1, 2, 3, 4}
    assert Criterion.objects.get(number=2).deny_type == DenyType.SHALL_DENY_PARTIAL
    assert Country.objects.get(iso2="NL").name_nl == "Nederland"
    russia = Embargo.objects.get(country_id="RU")
    assert "2014/512/CFSP" in russia.legal_act
    assert str(russia.since) == "2014-07-31"


def test_reloading_changes_nothing_and_writes_no_history_when_data_is_unchanged():
    history_before = Country.history.count()
    counts = reference_data_load()
    assert all(t["created"] == 0 and t["updated"] == 0 for t in counts.values())
    assert Country.history.count() == history_before


def test_unconfirmed_embargo_rows_stay_flagged_when_loaded():
    assert Embargo.objects.get(country_id="IR").needs_verification is True
    assert Embargo.objects.get(country_id="RU").needs_verification is False
    # Sudan: the source gives only a year (1994), so the day is not confirmed.
    assert Embargo.objects.get(country_id="SD").needs_verification is True
