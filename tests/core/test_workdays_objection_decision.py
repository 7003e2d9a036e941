"""Awb 7:10 terms for the decision on an objection, worked out by hand on a 2026/2027 calendar."""

from __future__ import annotations

import re
from datetime import date

import pytest

from core.workdays import POSTPONEMENT_OUT_OF_RANGE, objection_deadline_awb, objection_decision_deadline_awb


def test_objection_and_decision_terms_are_six_weeks_each_when_no_day_falls_on_a_holiday():
    # Sent Tuesday 3 March 2026: objection term ends Tuesday 14 April (6:7, 6:8; Easter Monday is 6 April);
    # the decision term runs six weeks from the day after: Tuesday 26 May (Whit Monday is 25 May).
    assert objection_deadline_awb(date(2026, 3, 3)) == date(2026, 4, 14)
    assert objection_decision_deadline_awb(date(2026, 4, 14)) == date(2026, 5, 26)


def test_decision_term_is_twelve_weeks_when_an_advisory_committee_advises():
    assert objection_decision_deadline_awb(date(2026, 4, 14), advisory_committee=True) == date(2026, 7, 7)


@pytest.mark.parametrize(
    ("committee", "weeks", "deadline"),
    [
        (False, 0, date(2026, 5, 26)),
        (False, 1, date(2026, 6, 2)),
        (False, 6, date(2026, 7, 7)),  # the most 7:10(3) allows
        (True, 6, date(2026, 8, 18)),  # 12 + 6 weeks
    ],
)
def test_postponement_adds_whole_weeks_when_within_six(committee, weeks, deadline):
    assert (
        objection_decision_deadline_awb(date(2026, 4, 14), advisory_committee=committee, postponed_weeks=weeks)
        == deadline
    )


@pytest.mark.parametrize("weeks", [-1, 7])
def test_postponement_is_refused_when_outside_zero_to_six_weeks(weeks):
    with pytest.raises(ValueError, match=re.escape(POSTPONEMENT_OUT_OF_RANGE)):
        objection_decision_deadline_awb(date(2026, 4, 14), postponed_weeks=weeks)


def test_decision_term_counts_from_the_extended_objection_term_when_that_ended_on_christmas():
    # Sent Friday 13 November 2026: six weeks end on Christmas Day (Friday 25 December); Boxing Day and
    # Sunday follow, so the objection term runs on to Monday 28 December (Atw art. 1). The decision term
    # starts the day after that: six weeks later is Monday 8 February 2027.
    assert objection_deadline_awb(date(2026, 11, 13)) == date(2026, 12, 28)
    assert objection_decision_deadline_awb(date(2026, 12, 28)) == date(2027, 2, 8)


def test_decision_term_runs_on_to_the_next_working_day_when_it_ends_on_liberation_day():
    # Objection term ended Tuesday 24 March 2026; six weeks later is Tuesday 5 May, a holiday every year
    # under Atw art. 3(1): the term ends Wednesday 6 May.
    assert objection_decision_deadline_awb(date(2026, 3, 24)) == date(2026, 5, 6)
    assert objection_decision_deadline_awb(date(2026, 3, 24), extra=[date(2026, 5, 6)]) == date(2026, 5, 7)
