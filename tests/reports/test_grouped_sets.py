"""Rows.grouped_sets (reports.queries.base): the groups of several key sets from one statement (GROUPING SETS on
PostgreSQL), equal to grouping the rows once per set, live and as of a moment. Figures worked out by hand from the
register fixture (tests/reports/conftest.py): licences issued in 2024 are l1 (SE, ML5 100 000), l2 (SE, ML5 200 000
and ML11 50 000), l3 (US, ML10 1 000 000), l4 (IN, ML15 40 000), l5 (several destinations, ML15 60 000) and l7 (FR,
ML10 30 000)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

import pytest
from django.db import connection
from django.db.models import Count, Sum
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from reports.queries import base
from reports.queries.snapshot import Snapshot, day_range

from . import builders as b

pytestmark = pytest.mark.django_db

SETS = [["ml"], ["dest"], ["ml", "dest"]]


def _sets(snap: Snapshot) -> tuple[list[dict[Any, tuple[int, Decimal]]], int]:
    start, end = day_range(date(2024, 1, 1), date(2024, 12, 31))
    rows = base.issued(snap, start=start, end=end)
    with CaptureQueriesContext(connection) as statements:
        groups = rows.grouped_sets(SETS, n=Count("licence_id", distinct=True), v=Sum("amount"))
    per_set = [
        {tuple(g[k] for k in keys): (g["n"], g["v"]) for g in found} for keys, found in zip(SETS, groups, strict=True)
    ]
    # The same groups, one grouping per set.
    assert per_set == [
        {tuple(g[k] for k in keys): (g["n"], g["v"]) for g in rows.grouped(keys, n=Count("licence_id", distinct=True),
                                                                          v=Sum("amount"))}
        for keys in SETS
    ]  # fmt: skip
    return per_set, len(statements)


def test_grouping_sets_count_each_licence_once_per_group_and_keep_several_destinations_apart(register):
    (by_ml, by_dest, by_both), statements = _sets(Snapshot())

    assert by_ml == {
        ("ML5",): (2, Decimal("300000")),
        ("ML11",): (1, Decimal("50000")),
        ("ML10",): (2, Decimal("1030000")),
        ("ML15",): (2, Decimal("100000")),
    }
    # l2's two goods lines count as one licence for Sweden; the licence for several destinations is its own group.
    assert by_dest == {
        ("SE",): (2, Decimal("350000")),
        ("US",): (1, Decimal("1000000")),
        ("IN",): (1, Decimal("40000")),
        (None,): (1, Decimal("60000")),
        ("FR",): (1, Decimal("30000")),
    }
    assert by_both[("ML15", None)] == (1, Decimal("60000"))
    assert by_both[("ML15", "IN")] == (1, Decimal("40000"))
    assert len(by_both) == 6
    assert statements == (1 if connection.vendor == "postgresql" else len(SETS))


def test_grouping_sets_as_of_a_moment_read_touched_licences_as_they_stood(register):
    moment = timezone.now()
    goods = register.l2.goods.get(ml_category_id="ML11")
    goods.value_eur = Decimal("70000")
    b.saved(goods, timezone.now())

    (live_ml, live_dest, _both), _statements = _sets(Snapshot())
    (then_ml, then_dest, _both_then), statements = _sets(Snapshot(moment))

    assert live_ml[("ML11",)] == (1, Decimal("70000"))
    assert live_dest[("SE",)] == (2, Decimal("370000"))
    # As of the moment: l2 (touched since) from its history, the others live, in one statement on PostgreSQL.
    assert then_ml[("ML11",)] == (1, Decimal("50000"))
    assert then_dest[("SE",)] == (2, Decimal("350000"))
    assert then_ml[("ML5",)] == (2, Decimal("300000"))
    assert statements == (1 if connection.vendor == "postgresql" else len(SETS))
