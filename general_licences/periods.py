"""Reporting periods of a general licence: when usage returns fall due, and which are overdue. Pure functions.

Source: Directive 2009/43/EC art. 8(1)-(2) (suppliers inform the authority of their first use of a general
transfer licence and keep records of their transfers; the Member State sets the reporting requirements) and
../shared/domain/README.md "General transfer licences": the Dutch general licences' reporting periods were not
found, so the period length (in months) and the days allowed after a period ends are data on each licence.

Periods are aligned to the calendar year (a 6-month licence reports January-June and July-December), so every
holder of a licence reports the same periods. The first period is the one in which the registration took effect;
a period is due `due_days` calendar days after its last day and overdue from the day after that.
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date, timedelta

# Period lengths that divide the year, so periods never straddle a year boundary unevenly.
PERIOD_MONTHS = (1, 3, 6, 12)


@dataclass(frozen=True)
class Period:
    start: date
    end: date  # last day, inclusive
    due_on: date

    def is_overdue(self, today: date) -> bool:
        return today > self.due_on


def period_containing(day: date, *, months: int, due_days: int) -> Period:
    if months not in PERIOD_MONTHS:
        raise ValueError(f"A reporting period is one of {PERIOD_MONTHS} months, not {months}.")
    first_month = ((day.month - 1) // months) * months + 1
    last_month = first_month + months - 1
    start = date(day.year, first_month, 1)
    end = date(day.year, last_month, calendar.monthrange(day.year, last_month)[1])
    return Period(start=start, end=end, due_on=end + timedelta(days=due_days))


def periods_from(active_from: date, *, until: date, months: int, due_days: int) -> list[Period]:
    """Every period from the one containing `active_from` up to the one containing `until`, oldest first."""
    periods: list[Period] = []
    period = period_containing(active_from, months=months, due_days=due_days)
    while period.start <= until:
        periods.append(period)
        period = period_containing(period.end + timedelta(days=1), months=months, due_days=due_days)
    return periods


def ended_periods(active_from: date, *, today: date, last_day: date | None, months: int, due_days: int) -> list[Period]:
    """The periods a holder must report on by now: those that have ended (their last day is before today),
    counted from the registration up to the licence's last day of validity (or today)."""
    until = min(today - timedelta(days=1), last_day) if last_day else today - timedelta(days=1)
    if until < active_from:
        return []
    return [p for p in periods_from(active_from, until=until, months=months, due_days=due_days) if p.end < today]
