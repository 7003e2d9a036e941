"""Working-day calendar under the Algemene termijnenwet; expected dates worked out by hand."""

from __future__ import annotations

import re
from datetime import date

import pytest

from core.workdays import (
    NEGATIVE_SUSPENSION,
    NEGATIVE_WORKING_DAYS,
    NON_POSITIVE_WEEKS,
    add_working_days,
    atw_extend,
    atw_holidays,
    awb_decision_deadline,
    is_working_day,
    objection_deadline_awb,
    working_days_between,
)

# Royal decree (Atw art. 3(3)) equating the Friday after Ascension Day 2026 with a holiday.
FRIDAY_AFTER_ASCENSION_2026 = date(2026, 5, 15)


# --- atw_holidays --------------------------------------------------------------------------


def test_atw_holidays_match_the_statute_when_year_is_2026() -> None:
    # Easter Sunday 2026 is 5 April: Good Friday 3 Apr, Easter Monday 6 Apr, Ascension (+39)
    # 14 May, Whit Monday (+50) 25 May. 27 April 2026 is a Monday.
    assert atw_holidays(2026) == {
        date(2026, 1, 1),
        date(2026, 4, 3),
        date(2026, 4, 6),
        date(2026, 4, 27),
        date(2026, 5, 5),
        date(2026, 5, 14),
        date(2026, 5, 25),
        date(2026, 12, 25),
        date(2026, 12, 26),
    }


def test_atw_holidays_exclude_easter_and_whit_sunday_when_package_lists_them() -> None:
    holidays_2026 = atw_holidays(2026)
    assert date(2026, 4, 5) not in holidays_2026  # Easter Sunday
    assert date(2026, 5, 24) not in holidays_2026  # Whit Sunday


def test_kings_day_is_26_april_when_27_april_is_a_sunday() -> None:
    # 27 April 2025 is a Sunday, so King's Day is celebrated on Saturday 26 April 2025.
    holidays_2025 = atw_holidays(2025)
    assert date(2025, 4, 26) in holidays_2025
    assert date(2025, 4, 27) not in holidays_2025


def test_five_may_is_a_holiday_when_year_is_not_a_lustrum_year() -> None:
    assert date(2026, 5, 5) in atw_holidays(2026)
    assert date(2027, 5, 5) in atw_holidays(2027)


def test_extra_day_is_included_when_it_falls_in_the_year() -> None:
    assert FRIDAY_AFTER_ASCENSION_2026 in atw_holidays(2026, extra=[FRIDAY_AFTER_ASCENSION_2026])


def test_extra_day_is_ignored_when_it_falls_in_another_year() -> None:
    assert FRIDAY_AFTER_ASCENSION_2026 not in atw_holidays(2025, extra=[FRIDAY_AFTER_ASCENSION_2026])


# --- is_working_day ------------------------------------------------------------------------


def test_five_may_is_not_a_working_day_when_year_is_2026() -> None:
    # Tuesday 5 May 2026; the `holidays` package only lists it in lustrum years.
    assert not is_working_day(date(2026, 5, 5))


def test_good_friday_is_not_a_working_day_when_year_is_2026() -> None:
    assert not is_working_day(date(2026, 4, 3))


def test_easter_monday_is_not_a_working_day_when_year_is_2026() -> None:
    assert not is_working_day(date(2026, 4, 6))


def test_weekend_is_not_a_working_day_when_no_holiday() -> None:
    assert not is_working_day(date(2026, 3, 7))  # Saturday
    assert not is_working_day(date(2026, 3, 8))  # Sunday


def test_ordinary_weekday_is_a_working_day_when_no_holiday() -> None:
    assert is_working_day(date(2026, 5, 6))  # Wednesday after 5 May


def test_friday_after_ascension_is_a_working_day_when_not_equated() -> None:
    assert is_working_day(FRIDAY_AFTER_ASCENSION_2026)


def test_friday_after_ascension_is_not_a_working_day_when_equated_by_decree() -> None:
    assert not is_working_day(FRIDAY_AFTER_ASCENSION_2026, extra=[FRIDAY_AFTER_ASCENSION_2026])


# --- add_working_days / working_days_between -----------------------------------------------


def test_add_working_days_skips_christmas_and_new_year_when_counting_20_days() -> None:
    # From Monday 15 Dec 2025: 16-19 Dec (4), 22-24 Dec (7), 25-26 Dec holidays, 29-31 Dec (10),
    # 1 Jan holiday, 2 Jan (11), 5-9 Jan (16), 12-15 Jan (20).
    assert add_working_days(date(2025, 12, 15), 20) == date(2026, 1, 15)


def test_working_days_between_counts_20_when_range_spans_christmas() -> None:
    assert working_days_between(date(2025, 12, 15), date(2026, 1, 15)) == 20


def test_add_working_days_does_not_count_start_when_start_is_a_working_day() -> None:
    assert add_working_days(date(2026, 3, 2), 1) == date(2026, 3, 3)  # Monday -> Tuesday


def test_add_working_days_returns_start_when_n_is_zero() -> None:
    assert add_working_days(date(2026, 3, 7), 0) == date(2026, 3, 7)


def test_add_working_days_skips_ascension_when_counting_from_wednesday() -> None:
    # Wed 13 May 2026: Thu 14 Ascension, Fri 15 (1), Mon 18 (2).
    assert add_working_days(date(2026, 5, 13), 2) == date(2026, 5, 18)


def test_add_working_days_skips_equated_day_when_passed_as_extra() -> None:
    # As above, with Fri 15 equated: Mon 18 (1), Tue 19 (2).
    assert add_working_days(date(2026, 5, 13), 2, extra=[FRIDAY_AFTER_ASCENSION_2026]) == date(2026, 5, 19)


def test_add_working_days_raises_when_n_is_negative() -> None:
    with pytest.raises(ValueError, match=re.escape(NEGATIVE_WORKING_DAYS)):
        add_working_days(date(2026, 3, 2), -1)


def test_working_days_between_is_zero_when_end_is_not_after_start() -> None:
    assert working_days_between(date(2026, 3, 3), date(2026, 3, 3)) == 0
    assert working_days_between(date(2026, 3, 3), date(2026, 3, 2)) == 0


def test_working_days_between_skips_easter_when_range_spans_it() -> None:
    # Thu 2 Apr 2026 -> Tue 7 Apr: Fri 3 Good Friday, weekend, Mon 6 Easter Monday, Tue 7 (1).
    assert working_days_between(date(2026, 4, 2), date(2026, 4, 7)) == 1


# --- atw_extend ----------------------------------------------------------------------------


def test_atw_extend_moves_to_monday_when_deadline_is_boxing_day_on_saturday() -> None:
    assert atw_extend(date(2026, 12, 26)) == date(2026, 12, 28)


def test_atw_extend_moves_to_monday_when_deadline_is_christmas_on_friday() -> None:
    assert atw_extend(date(2026, 12, 25)) == date(2026, 12, 28)


def test_atw_extend_keeps_deadline_when_it_is_a_working_day() -> None:
    assert atw_extend(date(2026, 12, 24)) == date(2026, 12, 24)


def test_atw_extend_moves_to_tuesday_when_deadline_is_good_friday() -> None:
    # Fri 3 Apr 2026 Good Friday, Sat, Sun, Mon 6 Easter Monday -> Tue 7 Apr.
    assert atw_extend(date(2026, 4, 3)) == date(2026, 4, 7)


def test_atw_extend_moves_to_next_day_when_deadline_is_five_may() -> None:
    assert atw_extend(date(2026, 5, 5)) == date(2026, 5, 6)


def test_atw_extend_skips_equated_day_when_passed_as_extra() -> None:
    # Thu 14 May 2026 Ascension, Fri 15 equated, weekend -> Mon 18 May.
    assert atw_extend(date(2026, 5, 14), extra=[FRIDAY_AFTER_ASCENSION_2026]) == date(2026, 5, 18)


# --- awb_decision_deadline -----------------------------------------------------------------


def test_awb_decision_deadline_is_eight_weeks_on_when_no_suspension_or_holiday() -> None:
    # Tue 6 Jan 2026 + 56 days = Tue 3 Mar 2026.
    assert awb_decision_deadline(date(2026, 1, 6)) == date(2026, 3, 3)


def test_awb_decision_deadline_adds_suspended_days_when_information_was_requested() -> None:
    # Tue 3 Mar 2026 + 14 suspended days = Tue 17 Mar 2026.
    assert awb_decision_deadline(date(2026, 1, 6), suspended_days=14) == date(2026, 3, 17)


def test_awb_decision_deadline_is_extended_when_suspension_ends_on_saturday() -> None:
    # Tue 3 Mar 2026 + 4 days = Sat 7 Mar -> Mon 9 Mar 2026.
    assert awb_decision_deadline(date(2026, 1, 6), suspended_days=4) == date(2026, 3, 9)


def test_awb_decision_deadline_is_extended_when_it_falls_on_five_may() -> None:
    # Tue 10 Mar 2026 + 56 days = Tue 5 May 2026 (Atw holiday) -> Wed 6 May 2026.
    assert awb_decision_deadline(date(2026, 3, 10)) == date(2026, 5, 6)


def test_awb_decision_deadline_raises_when_suspension_is_negative() -> None:
    with pytest.raises(ValueError, match=re.escape(NEGATIVE_SUSPENSION)):
        awb_decision_deadline(date(2026, 1, 6), suspended_days=-1)


def test_awb_decision_deadline_raises_when_weeks_is_zero() -> None:
    with pytest.raises(ValueError, match=re.escape(NON_POSITIVE_WEEKS)):
        awb_decision_deadline(date(2026, 1, 6), weeks=0)


# --- objection_deadline_awb ----------------------------------------------------------------


def test_objection_deadline_awb_is_six_weeks_on_when_no_holiday() -> None:
    # Sent Mon 1 Jun 2026; term starts Tue 2 Jun and ends Mon 13 Jul 2026.
    assert objection_deadline_awb(date(2026, 6, 1)) == date(2026, 7, 13)


def test_objection_deadline_awb_is_extended_when_it_falls_on_five_may() -> None:
    # Sent Tue 24 Mar 2026 + 42 days = Tue 5 May 2026 -> Wed 6 May 2026.
    assert objection_deadline_awb(date(2026, 3, 24)) == date(2026, 5, 6)


@pytest.mark.parametrize(
    ("answered", "days"),
    [
        (date(2026, 1, 20), 0),  # the day of the request: nothing
        (date(2026, 1, 21), 0),  # the day after: suspension would start that day, and ends (exclusive) on it
        (date(2026, 1, 22), 1),  # 21 Jan only
        (date(2026, 1, 30), 9),  # on the answer-by day: 21-29 Jan
        (date(2026, 1, 31), 10),  # late: up to the end of the answer-by term, 21-30 Jan
        (None, 10),  # never answered: the term passed unused
    ],
)
def test_awb_suspension_runs_from_the_day_after_the_request_up_to_the_answer_or_the_unused_term(answered, days) -> None:
    from core.workdays import awb_suspended_days

    assert awb_suspended_days(date(2026, 1, 20), date(2026, 1, 30), answered) == days
