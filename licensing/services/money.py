"""Amounts in euro: every value that a rule or a report compares is converted at the stored rate on a date."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from django.utils.formats import date_format

from core.exceptions import DomainValidationError
from core.i18n import gettext_lazy

from ..models import Currency
from ..models.reference import ExchangeRate

ERR_CURRENCY = gettext_lazy("Choose a currency from the list.")
ERR_NO_RATE = gettext_lazy(
    "There is no exchange rate for {currency} on or before {day}; contact the licensing authority."
)


def _err(field: str, message: str) -> DomainValidationError:
    return DomainValidationError(message, field_errors={field: [message]})


@dataclass(frozen=True)
class Money:
    value_eur: Decimal
    rate: Decimal
    rate_date: date | None


def convert_to_eur(*, amount: Decimal, currency: str, on: date) -> Money:
    if currency not in Currency.values:
        raise _err("currency", ERR_CURRENCY)
    if currency == Currency.EUR:
        return Money(amount.quantize(Decimal("0.01"), ROUND_HALF_UP), Decimal("1"), None)
    rate = ExchangeRate.objects.filter(currency=currency, valid_on__lte=on).order_by("-valid_on").first()
    if rate is None:
        raise _err("currency", ERR_NO_RATE.format(currency=currency, day=date_format(on)))
    return Money(
        (amount * rate.eur_per_unit).quantize(Decimal("0.01"), ROUND_HALF_UP), rate.eur_per_unit, rate.valid_on
    )
