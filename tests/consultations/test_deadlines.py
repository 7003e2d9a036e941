"""Treaty (emergency brake) deadlines in calendar months; expected dates worked out by hand."""

from __future__ import annotations

import re
from datetime import date

import pytest

from consultations.deadlines import (
    NEGATIVE_REMINDER_OFFSET,
    NON_POSITIVE_MONTHS,
    add_calendar_months,
    is_objection_in_time,
    objection_deadline,
    reminder_dates,
)


@pytest.mark.parametrize(
    ("start", "expected"),
    [
        (date(2024, 12, 31), date(2025, 2, 28)),  # February 2025 has 28 days
        (date(2025, 1, 31), date(2025, 3, 31)),  # March has a 31st
        (date(2024, 2, 29), date(2024, 4, 29)),  # the day number is kept, not "end of month"
        (date(2023, 12, 31), date(2024, 2, 29)),  # leap-year February
        (date(2026, 3, 15), date(2026, 5, 15)),
    ],
)
def test_add_calendar_months_keeps_day_or_clips_to_month_end_when_adding_two(start: date, expected: date) -> None:
    assert add_calendar_months(start, 2) == expected


def test_objection_deadline_is_two_calendar_months_on_when_month_is_shorter() -> None:
    assert objection_deadline(date(2024, 12, 31)) == date(2025, 2, 28)


def test_objection_deadline_stays_on_saturday_when_it_falls_on_a_weekend_holiday() -> None:
    # 26 Dec 2026 is a Saturday and Boxing Day; the Atw does not apply to treaty deadlines.
    assert objection_deadline(date(2026, 10, 26)) == date(2026, 12, 26)


def test_objection_deadline_raises_when_months_is_zero() -> None:
    with pytest.raises(ValueError, match=re.escape(NON_POSITIVE_MONTHS)):
        objection_deadline(date(2026, 1, 1), months=0)


def test_objection_is_in_time_when_sent_on_the_deadline_day() -> None:
    assert is_objection_in_time(date(2024, 12, 31), date(2025, 2, 28))


def test_objection_is_late_when_sent_the_day_after_the_deadline() -> None:
    assert not is_objection_in_time(date(2024, 12, 31), date(2025, 3, 1))


def test_objection_is_in_time_when_sent_on_a_saturday_deadline() -> None:
    assert is_objection_in_time(date(2026, 10, 26), date(2026, 12, 26))


def test_objection_is_late_when_sent_on_the_monday_after_a_saturday_deadline() -> None:
    assert not is_objection_in_time(date(2026, 10, 26), date(2026, 12, 28))


def test_objection_is_in_time_when_sent_on_the_day_of_awareness() -> None:
    assert is_objection_in_time(date(2026, 10, 26), date(2026, 10, 26))


def test_reminder_dates_are_in_date_order_when_offsets_are_given_unsorted() -> None:
    assert reminder_dates(date(2025, 2, 28), [1, 14, 7]) == [
        (14, date(2025, 2, 14)),
        (7, date(2025, 2, 21)),
        (1, date(2025, 2, 27)),
    ]


def test_reminder_dates_cross_month_end_when_deadline_is_first_of_month() -> None:
    assert reminder_dates(date(2025, 3, 1), [1, 0]) == [(1, date(2025, 2, 28)), (0, date(2025, 3, 1))]


def test_reminder_dates_drop_duplicates_when_offset_repeats() -> None:
    assert reminder_dates(date(2025, 2, 28), [7, 7]) == [(7, date(2025, 2, 21))]


def test_reminder_dates_raise_when_offset_is_negative() -> None:
    with pytest.raises(ValueError, match=re.escape(NEGATIVE_REMINDER_OFFSET)):
        reminder_dates(date(2025, 2, 28), [-1])
