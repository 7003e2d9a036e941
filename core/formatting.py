"""Numbers as people read them, in the active language: one format per language on every page and document.

Amounts: "€ 1.250.000,00" in Dutch, "€ 1,250,000.00" in English. The space after the sign is a no-break space, so
an amount never wraps (the tables also set white-space: nowrap on numeric cells).
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.utils.formats import number_format

NO_BREAK_SPACE = "\u00a0"
CURRENCY_SIGNS = {"EUR": "€"}


def format_amount(value: Any, *, decimals: int = 2) -> str:
    """A number with the language's grouping and decimal separator ("1.250.000,00" / "1,250,000.00")."""
    return str(number_format(Decimal(value), decimal_pos=decimals, use_l10n=True, force_grouping=True))


def format_money(value: Any, currency: str = "EUR") -> str:
    """An amount with its currency sign ("€ 1.250.000,00"); an empty value reads as a dash."""
    if value is None or value == "":
        return "—"
    sign = CURRENCY_SIGNS.get(currency, currency)
    return f"{sign}{NO_BREAK_SPACE}{format_amount(value)}"


def format_integer(value: Any) -> str:
    return str(number_format(int(value), use_l10n=True, force_grouping=True))
