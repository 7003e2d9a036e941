"""The case clock, worked out by hand on a 2026 calendar.

Legal deadline (Awb 4:13(2)): eight weeks after the day of receipt, i.e. the same weekday eight weeks later,
run on to the next working day when it lands on a Saturday, Sunday or holiday (Atw art. 1, 3). The term is
suspended while the exporter is asked for information (Awb 4:15): the days the request was open are added.
Internal target: working days after receipt, per licence type (data/reference/processing_targets.csv).

2026 holidays under the Atw: 1 Jan, Good Friday 3 Apr, Easter Monday 6 Apr, King's Day Mon 27 Apr, 5 May
(every year, not only in lustrum years), Ascension Thu 14 May, Whit Monday 25 May, 25 and 26 Dec.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import time_machine

from core.models import EquatedHoliday
from licensing.models import Application, LicenceType
from licensing.services import applications as apps
from licensing.services import casework
from tests.licensing.services.test_transitions import Cast, ready_draft

pytestmark = pytest.mark.django_db

AMSTERDAM = ZoneInfo("Europe/Amsterdam")


@pytest.fixture
def cast(exporter_a, officer, senior) -> Cast:  # type: ignore[no-untyped-def]
    return Cast(exporter=exporter_a, officer=officer, senior=senior)


def at(day: date, hour: int = 10, minute: int = 0) -> Any:
    return time_machine.travel(datetime(day.year, day.month, day.day, hour, minute, tzinfo=AMSTERDAM), tick=False)


def submitted_on(day: date, cast: Cast, *, licence_type: str = LicenceType.INDIVIDUAL_EXPORT) -> Application:
    application = ready_draft(cast)
    if application.licence_type != licence_type:
        application.licence_type = licence_type
        application.save(update_fields=["licence_type"])
    with at(day):
        apps.application_submit(actor=cast.exporter, application_id=application.pk)
    return Application.objects.get(pk=application.pk)


def information_round(application: Application, cast: Cast, *, asked: date, answered: date) -> Application:
    """The officer asks on `asked`, the exporter answers on `answered`."""
    with at(asked):
        if application.status == "submitted":
            casework.application_assign(actor=cast.officer, application_id=application.pk, assignee=cast.officer)
        casework.information_request(actor=cast.officer, application_id=application.pk, question="Which unit?")
    with at(answered):
        apps.information_provide(actor=cast.exporter, application_id=application.pk, answer="The 2nd battalion.")
    return Application.objects.get(pk=application.pk)


def test_deadlines_are_set_when_submitted_on_an_ordinary_wednesday(cast):
    application = submitted_on(date(2026, 1, 14), cast)
    assert application.received_on == date(2026, 1, 14)
    # 14 Jan + 8 weeks = Wed 11 Mar, a working day.
    assert application.legal_deadline == date(2026, 3, 11)
    # 20 working days after Wed 14 Jan: 15-16 Jan (2), 19-23 (7), 26-30 (12), 2-6 Feb (17), 9-11 Feb (20).
    assert application.target_date == date(2026, 2, 11)


@pytest.mark.parametrize(
    ("received", "deadline"),
    [
        pytest.param(date(2026, 1, 17), date(2026, 3, 16), id="Sat 14 Mar runs on to Monday"),
        pytest.param(date(2026, 2, 6), date(2026, 4, 7), id="Good Friday 3 Apr, weekend, Easter Monday: Tuesday"),
        pytest.param(date(2026, 3, 2), date(2026, 4, 28), id="King's Day Mon 27 Apr: Tuesday"),
        pytest.param(date(2026, 3, 10), date(2026, 5, 6), id="5 May in a non-lustrum year is still a holiday"),
        pytest.param(date(2026, 3, 19), date(2026, 5, 15), id="Ascension Thu 14 May: Friday"),
        pytest.param(date(2026, 3, 30), date(2026, 5, 26), id="Whit Monday 25 May: Tuesday"),
        pytest.param(date(2026, 10, 30), date(2026, 12, 28), id="Christmas Fri, Boxing Day Sat, Sun: Monday"),
        pytest.param(date(2026, 11, 6), date(2027, 1, 4), id="New Year Fri 1 Jan 2027: Monday, next year"),
    ],
)
def test_legal_deadline_runs_on_to_the_next_working_day_when_eight_weeks_land_on_a_weekend_or_holiday(
    received, deadline, cast
):
    application = submitted_on(received, cast)
    assert application.received_on == received
    assert application.legal_deadline == deadline


def test_legal_deadline_runs_on_when_it_lands_on_a_day_equated_with_a_holiday_by_royal_decree(cast):
    # Atw art. 3(3): the Friday after Ascension Day, as an administrator would enter it.
    EquatedHoliday.objects.create(day=date(2026, 5, 15), description="Friday after Ascension Day")
    application = submitted_on(date(2026, 3, 20), cast)
    # Fri 20 Mar + 8 weeks = Fri 15 May (equated), then Sat, Sun: Monday 18 May.
    assert application.legal_deadline == date(2026, 5, 18)


def test_legal_deadline_is_the_plain_eight_weeks_when_that_friday_is_not_equated(cast):
    application = submitted_on(date(2026, 3, 20), cast)
    assert application.legal_deadline == date(2026, 5, 15)


def test_day_of_receipt_is_the_dutch_calendar_day_when_submitted_just_after_midnight(cast):
    application = ready_draft(cast)
    # 00:30 in Amsterdam on Thu 15 Jan is still 14 Jan in UTC.
    with at(date(2026, 1, 15), hour=0, minute=30):
        apps.application_submit(actor=cast.exporter, application_id=application.pk)
    application.refresh_from_db()
    assert application.received_on == date(2026, 1, 15)
    assert application.legal_deadline == date(2026, 3, 12)


def test_request_answered_ten_days_later_suspends_nine_days_when_the_answer_day_is_not_counted(cast):
    application = submitted_on(date(2026, 1, 12), cast)  # a Monday
    assert (application.legal_deadline, application.target_date) == (date(2026, 3, 9), date(2026, 2, 9))
    application = information_round(application, cast, asked=date(2026, 1, 20), answered=date(2026, 1, 30))
    # Awb 4:15(1)(a): from the day after the request (21 Jan) up to, not including, the answer (30 Jan): 9 days.
    assert application.suspended_days == 9
    # Mon 9 Mar + 9 days = Wed 18 Mar.
    assert application.legal_deadline == date(2026, 3, 18)
    # The target counts 20 working days from 12 Jan + 9 days = Wed 21 Jan: 22-23 Jan (2), 26-30 (7),
    # 2-6 Feb (12), 9-13 (17), 16-18 Feb (20).
    assert application.target_date == date(2026, 2, 18)


def test_deadline_is_unchanged_while_the_request_is_still_open(cast):
    application = submitted_on(date(2026, 1, 12), cast)
    with at(date(2026, 1, 20)):
        casework.application_assign(actor=cast.officer, application_id=application.pk, assignee=cast.officer)
        casework.information_request(actor=cast.officer, application_id=application.pk, question="Which unit?")
    application.refresh_from_db()
    assert (application.status, application.legal_deadline, application.suspended_days) == (
        "information_requested",
        date(2026, 3, 9),
        0,
    )


def test_suspension_is_added_before_the_atw_is_applied_when_the_shifted_day_is_a_saturday(cast):
    application = submitted_on(date(2026, 1, 14), cast)  # deadline Wed 11 Mar
    application = information_round(application, cast, asked=date(2026, 1, 20), answered=date(2026, 1, 31))
    # 21 to 30 Jan suspended (10 days); Wed 11 Mar + 10 days = Sat 21 Mar, which runs on to Mon 23 Mar.
    assert application.legal_deadline == date(2026, 3, 23)


def test_two_requests_add_up_when_the_exporter_is_asked_twice(cast):
    application = submitted_on(date(2026, 1, 12), cast)
    application = information_round(application, cast, asked=date(2026, 1, 20), answered=date(2026, 1, 30))
    # 21-29 Jan (9 days); second request Mon 2 Feb, answered on Saturday 7 Feb: 3-6 Feb, 4 more days, 13 in all.
    application = information_round(application, cast, asked=date(2026, 2, 2), answered=date(2026, 2, 7))
    assert application.suspended_days == 13
    # Mon 9 Mar + 13 days = Sun 22 Mar, which runs on to Mon 23 Mar (Atw art. 1).
    assert application.legal_deadline == date(2026, 3, 23)


@pytest.mark.parametrize(
    ("answered", "suspended", "deadline"),
    [
        # Answer-by Fri 30 Jan. Answered on it: 21-29 Jan, 9 days; Mon 9 Mar + 9 = Wed 18 Mar.
        (date(2026, 1, 30), 9, date(2026, 3, 18)),
        # One day late: the term passed unused at the end of 30 Jan, so 21-30 Jan, 10 days: Thu 19 Mar.
        (date(2026, 1, 31), 10, date(2026, 3, 19)),
        # Two weeks late: still only up to the end of the answer-by term, 10 days.
        (date(2026, 2, 13), 10, date(2026, 3, 19)),
    ],
)
def test_late_answer_suspends_only_until_the_answer_by_term_passed_unused(cast, answered, suspended, deadline):
    application = submitted_on(date(2026, 1, 12), cast)
    with at(date(2026, 1, 20)):
        casework.application_assign(actor=cast.officer, application_id=application.pk, assignee=cast.officer)
        casework.information_request(
            actor=cast.officer, application_id=application.pk, question="Which unit?", respond_by=date(2026, 1, 30)
        )
    with at(answered):
        apps.information_provide(actor=cast.exporter, application_id=application.pk, answer="The 2nd battalion.")
    application.refresh_from_db()
    assert (application.suspended_days, application.legal_deadline) == (suspended, deadline)


def test_answer_on_the_day_of_the_request_moves_nothing(cast):
    application = submitted_on(date(2026, 1, 12), cast)
    application = information_round(application, cast, asked=date(2026, 1, 20), answered=date(2026, 1, 20))
    assert (application.suspended_days, application.legal_deadline) == (0, date(2026, 3, 9))


@pytest.mark.parametrize(
    ("licence_type", "target"),
    [
        # 20 working days after Mon 20 Apr, skipping King's Day 27 Apr, 5 May and Ascension 14 May:
        # 21-24 Apr (4), 28-30 Apr (7), 1 May (8), 4 May (9), 6-8 May (12), 11-13 May (15), 15 May (16), 18-21 May (20).
        (LicenceType.INDIVIDUAL_EXPORT, date(2026, 5, 21)),
        # 60 working days: from 21 May (20) on, skipping Whit Monday 25 May: 22 May (21), 26-29 May (25),
        # June: 1-5 (30), 8-12 (35), 15-19 (40), 22-26 (45), 29 Jun-3 Jul (50), 6-10 Jul (55), 13-17 Jul (60).
        (LicenceType.GLOBAL_EXPORT, date(2026, 7, 17)),
    ],
)
def test_internal_target_counts_the_working_days_of_the_licence_type(licence_type, target, cast):
    application = submitted_on(date(2026, 4, 20), cast, licence_type=licence_type)
    assert application.target_date == target
    # The legal deadline does not depend on the type: Mon 20 Apr + 8 weeks = Mon 15 Jun.
    assert application.legal_deadline == date(2026, 6, 15)


def test_internal_target_skips_a_day_equated_with_a_holiday(cast):
    EquatedHoliday.objects.create(day=date(2026, 5, 15), description="Friday after Ascension Day")
    application = submitted_on(date(2026, 4, 20), cast)
    # As above, but 15 May no longer counts: the 20th working day is Fri 22 May.
    assert application.target_date == date(2026, 5, 22)


def test_legal_deadline_is_refreshed_the_day_after_an_answer_by_term_passes_unused(cast):
    """Awb 4:15(1)(a): the suspension ends when "de daarvoor gestelde termijn ongebruikt is verstreken". Received
    Mon 12 Jan (term ends Mon 9 Mar); asked Tue 20 Jan to answer by Fri 30 Jan. The term runs to the end of 30 Jan, so
    21-30 Jan is suspended (10 days) and from Sat 31 Jan the Awb term runs again: Mon 9 Mar + 10 days = Thu 19 Mar.
    The stored deadline says so from 31 Jan, not only when an answer comes; a late answer (10 Feb) adds nothing."""
    from audit.models import AuditEvent, Verb
    from licensing.services.awb import information_terms_lapse

    application = submitted_on(date(2026, 1, 12), cast)
    with at(date(2026, 1, 20)):
        casework.application_assign(actor=cast.officer, application_id=application.pk, assignee=cast.officer)
        casework.information_request(
            actor=cast.officer, application_id=application.pk, question="Which unit?", respond_by=date(2026, 1, 30)
        )
    assert information_terms_lapse(today=date(2026, 1, 30)).lapsed == 0  # the last day of the term is still in it
    application.refresh_from_db()
    assert (application.legal_deadline, application.suspended_days) == (date(2026, 3, 9), 0)
    result = information_terms_lapse(today=date(2026, 1, 31))
    assert (result.lapsed, result.days_added) == (1, 10)
    assert information_terms_lapse(today=date(2026, 2, 1)).lapsed == 0  # counted once
    application.refresh_from_db()
    assert (application.legal_deadline, application.suspended_days) == (date(2026, 3, 19), 10)
    event = AuditEvent.objects.get(verb=Verb.INFORMATION_TERM_LAPSED, target_id=str(application.pk))
    assert event.payload["legal_deadline"] == "2026-03-19"
    with at(date(2026, 2, 10)):
        apps.information_provide(actor=cast.exporter, application_id=application.pk, answer="The 2nd battalion.")
    application.refresh_from_db()
    assert (application.legal_deadline, application.suspended_days) == (date(2026, 3, 19), 10)
