"""Reporting periods aligned to the calendar year, with their due dates, worked by hand."""

from __future__ import annotations

from datetime import date

import pytest

from general_licences.periods import ended_periods, period_containing


@pytest.mark.parametrize(
    ("day", "months", "start", "end", "due"),
    [
        (date(2026, 5, 14), 6, date(2026, 1, 1), date(2026, 6, 30), date(2026, 7, 30)),
        (date(2026, 7, 1), 6, date(2026, 7, 1), date(2026, 12, 31), date(2027, 1, 30)),
        (date(2026, 3, 31), 3, date(2026, 1, 1), date(2026, 3, 31), date(2026, 4, 30)),
        (date(2028, 2, 29), 1, date(2028, 2, 1), date(2028, 2, 29), date(2028, 3, 30)),
        (date(2026, 12, 31), 12, date(2026, 1, 1), date(2026, 12, 31), date(2027, 1, 30)),
    ],
)
def test_period_is_the_calendar_aligned_one_containing_the_day_when_due_thirty_days_after(day, months, start, end, due):
    period = period_containing(day, months=months, due_days=30)
    assert (period.start, period.end, period.due_on) == (start, end, due)


def test_return_is_overdue_only_from_the_day_after_its_due_date_when_not_filed():
    period = period_containing(date(2026, 2, 1), months=6, due_days=30)
    assert not period.is_overdue(date(2026, 7, 30))
    assert period.is_overdue(date(2026, 7, 31))


def test_ended_periods_start_with_the_period_of_registration_when_registered_mid_period():
    periods = ended_periods(date(2026, 2, 1), today=date(2027, 1, 1), last_day=None, months=6, due_days=30)
    assert [(p.start, p.end) for p in periods] == [
        (date(2026, 1, 1), date(2026, 6, 30)),
        (date(2026, 7, 1), date(2026, 12, 31)),
    ]
    # On the period's last day it has not ended yet.
    assert ended_periods(date(2026, 2, 1), today=date(2026, 6, 30), last_day=None, months=6, due_days=30) == []


def test_period_length_outside_the_year_divisors_is_refused():
    with pytest.raises(ValueError, match="1, 3, 6, 12"):
        period_containing(date(2026, 1, 1), months=5, due_days=30)
