"""core.api_rows.RowOutput writes every value as the field's own to_representation would: the plain values it writes
itself (strings, whole numbers, ISO dates, choices, decimals at their places, aware times) and the odd ones it
hands to the field (a date given as text, a choice outside the list, a float for a decimal, a naive time)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.utils import timezone
from rest_framework import serializers as drf

from core.api_rows import RowOutput


class _Everything(RowOutput):
    text = drf.CharField()
    number = drf.IntegerField()
    day = drf.DateField(allow_null=True)
    kind = drf.ChoiceField(choices=[("a", "A"), ("b", "B")])
    amount = drf.DecimalField(max_digits=6, decimal_places=2)
    rounded = drf.DecimalField(max_digits=4, decimal_places=1)
    moment = drf.DateTimeField()


AMSTERDAM_SUMMER = dt.timezone(dt.timedelta(hours=2))
ROWS: list[dict[str, Any]] = [
    {
        "text": "plain",
        "number": 7,
        "day": dt.date(2026, 3, 16),
        "kind": "a",
        "amount": Decimal("1234.50"),
        "rounded": Decimal("12.25"),
        "moment": dt.datetime(2026, 7, 1, 8, 0, 0, 123456, tzinfo=dt.UTC),
    },
    {
        "text": 12,  # not a string: str() of it
        "number": True,
        "day": "2026-03-16",  # text: as given
        "kind": "c",  # outside the choices: as given
        "amount": 3.5,  # a float: DRF's own conversion
        "rounded": Decimal("-0.05"),
        "moment": dt.datetime(2026, 7, 1, 10, 0, tzinfo=AMSTERDAM_SUMMER),
    },
    {
        "text": "",
        "number": 0,
        "day": None,
        "kind": "",
        "amount": Decimal("0"),
        "rounded": Decimal("999.94"),
        "moment": dt.datetime(2026, 1, 5, 10, 0),  # naive: made aware in the current zone, as DRF does
    },
]


def test_rows_are_what_drf_writes_field_by_field_for_plain_and_odd_values():
    for zone in ("Europe/Amsterdam", "UTC"):
        with timezone.override(zone):
            drf_own = [drf.Serializer.to_representation(_Everything(), row) for row in ROWS]
            assert _Everything(ROWS, many=True).data == drf_own
            assert _Everything(ROWS[0]).data == drf_own[0]
    assert drf_own[0]["moment"] == "2026-07-01T08:00:00.123456Z" and drf_own[0]["amount"] == "1234.50"
