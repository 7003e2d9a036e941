"""A published general licence and its holders, built through the real services."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

import time_machine

from general_licences.services import LicenceData, LineData, general_licence_publish


def on(day: date) -> Any:
    return time_machine.travel(
        datetime(day.year, day.month, day.day, 12, tzinfo=ZoneInfo("Europe/Amsterdam")), tick=False
    )


def publish(officer: Any, *, requires_approval: bool = True, reference: str = "NL-GTL-2026-01", **changes: Any) -> Any:
    data = {
        "reference": reference,
        "title": "Transfers to the armed forces of EU Member States",
        "kind": "eu_transfer",
        "transfer_ground": "a",
        "ml_category_codes": ["ML10", "ML15"],
        "destination_codes": ["DE", "FR"],
        "conditions": "Tell the recipient of the end-use and export limits.",
        "valid_from": date(2026, 1, 1),
        "valid_until": date(2028, 12, 31),
        "requires_approval": requires_approval,
        "return_period_months": 6,
        "return_due_days": 30,
    }
    data.update(changes)
    return general_licence_publish(actor=officer, data=LicenceData(**data), reason="published for the demo")


def line(**changes: Any) -> LineData:
    data = {
        "ml_category_code": "ML15",
        "description": "Thermal imaging sights",
        "quantity": Decimal("12"),
        "unit": "pcs",
        "value_eur": Decimal("84000.00"),
        "recipient": "Bundeswehr, BAAINBw",
        "country_code": "DE",
    }
    data.update(changes)
    return LineData(**data)
