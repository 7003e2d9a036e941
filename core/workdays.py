"""Dutch working-day calendar for national (statutory) terms.

Source: Algemene termijnenwet (Atw), BWBR0002448, and the Awb sections cited per function.

Only Dutch statutory terms use this module: the Awb decision term (4:13), the objection term
(6:7) and internal working-day targets. Treaty deadlines are calendar-month deadlines that the Atw
does not extend; they live in ``consultations.deadlines``.

Conventions used throughout:

- A "term of N weeks from day X" starts on the day after X and ends on the same weekday N weeks
  later, i.e. ``X + N weeks`` (Awb 6:8 says so for the objection term; we read Awb 4:13 the same
  way, which is the settled reading).
- ``extra`` is the table of days equated with holidays by royal decree (Atw art. 3(3)), such as
  the Friday after Ascension Day. It is configurable data owned by the caller, not hard-coded here.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, timedelta
from functools import lru_cache

import holidays
from dateutil.easter import easter

NEGATIVE_WORKING_DAYS = "The number of working days must be zero or more."
NEGATIVE_SUSPENSION = "The number of suspended days must be zero or more."
NON_POSITIVE_WEEKS = "The decision term must be at least one week."

# Awb 4:13(2): the reasonable decision term is at most eight weeks after receipt.
AWB_DECISION_WEEKS = 8
# Awb 6:7: the term for lodging an objection (bezwaar) is six weeks.
AWB_OBJECTION_WEEKS = 6

_SATURDAY = 5


@lru_cache(maxsize=256)
def _statutory_holidays(year: int) -> frozenset[date]:
    """Atw art. 3(1) and 3(2) holidays for ``year``, without royal-decree days."""
    # The `holidays` package gives us the moveable feasts (Easter Monday, Ascension Day,
    # Whit Monday) and King's/Queen's Day with its Sunday rule and historic dates, so we do not
    # reimplement them. It differs from the Atw in three ways, corrected below.
    days = set(holidays.country_holidays("NL", years=year).keys())

    # 1. Easter Sunday and Whit Sunday are public holidays in the package but are not listed in
    #    Atw art. 3(1) ("tweede Paas- en Pinksterdag" only). They always fall on a Sunday, so
    #    dropping them changes no term, but it keeps `atw_holidays` an exact copy of the statute.
    easter_sunday = easter(year)
    days.discard(easter_sunday)
    days.discard(easter_sunday + timedelta(days=49))

    # 2. Atw art. 3(1) lists "de vijfde mei" without condition: 5 May is a holiday every year.
    #    The package only includes Liberation Day in lustrum years (2020, 2025, ...), which is the
    #    rule for the collective labour agreement day off, not for statutory terms.
    days.add(date(year, 5, 5))

    # 3. Atw art. 3(2) equates Good Friday with the art. 3(1) holidays. Current package versions
    #    include it, but older ones did not and it is not one of the art. 3(1) days, so add it
    #    explicitly rather than depend on the package's choice.
    days.add(easter_sunday - timedelta(days=2))

    return frozenset(days)


def atw_holidays(year: int, extra: Iterable[date] = ()) -> set[date]:
    """All days in ``year`` that the Atw treats as holidays.

    Atw art. 3(1): New Year's Day, Easter Monday, Whit Monday, Christmas Day, Boxing Day,
    Ascension Day, King's Day (27 April, or 26 April when 27 April is a Sunday) and 5 May.
    Atw art. 3(2): Good Friday. Atw art. 3(3): days equated by royal decree, passed as ``extra``
    (only those falling in ``year`` are returned).
    """
    return set(_statutory_holidays(year)) | {d for d in extra if d.year == year}


def _is_working_day(d: date, extra: frozenset[date]) -> bool:
    # Atw art. 1: Saturdays and Sundays are named in the rule itself, not in the holiday list.
    return d.weekday() < _SATURDAY and d not in _statutory_holidays(d.year) and d not in extra


def is_working_day(d: date, extra: Iterable[date] = ()) -> bool:
    """True when ``d`` is not a Saturday, a Sunday or an Atw holiday (incl. ``extra``)."""
    return _is_working_day(d, frozenset(extra))


def add_working_days(start: date, n: int, extra: Iterable[date] = ()) -> date:
    """The date ``n`` working days after ``start``; ``start`` itself is not counted.

    ``n == 0`` returns ``start`` unchanged, even when ``start`` is not a working day.
    """
    if n < 0:
        raise ValueError(NEGATIVE_WORKING_DAYS)
    extra_days = frozenset(extra)
    current = start
    remaining = n
    while remaining:
        current += timedelta(days=1)
        if _is_working_day(current, extra_days):
            remaining -= 1
    return current


def working_days_between(start: date, end: date, extra: Iterable[date] = ()) -> int:
    """Working days after ``start`` up to and including ``end``; 0 when ``end <= start``.

    This is the inverse of ``add_working_days``: for a working day ``end``,
    ``add_working_days(start, working_days_between(start, end)) == end``.
    """
    extra_days = frozenset(extra)
    count = 0
    current = start + timedelta(days=1)
    while current <= end:
        if _is_working_day(current, extra_days):
            count += 1
        current += timedelta(days=1)
    return count


def atw_extend(deadline: date, extra: Iterable[date] = ()) -> date:
    """Atw art. 1(1): a statutory term ending on a Saturday, Sunday or holiday runs on.

    The term is extended to the next day that is none of these; a deadline that is already a
    working day is returned unchanged. (Atw art. 2, which guarantees two working days inside a
    term of three days or more, never bites on the week-long terms computed here.)
    """
    extra_days = frozenset(extra)
    current = deadline
    while not _is_working_day(current, extra_days):
        current += timedelta(days=1)
    return current


def awb_decision_deadline(
    received: date,
    *,
    suspended_days: int = 0,
    weeks: int = AWB_DECISION_WEEKS,
    extra: Iterable[date] = (),
) -> date:
    """Last day for a decision on an application received on ``received``.

    - Awb 4:13(2): at most eight weeks after receipt. The term starts the day after receipt, so
      "eight weeks from receipt" ends on ``received + 8 weeks`` (same weekday).
    - Awb 4:15(1)(a): the term is suspended from the day after the applicant is asked to complete
      the application until it is completed (or the time given has passed unused). The caller
      counts those calendar days with ``awb_suspended_days`` and passes them as ``suspended_days``;
      they are added 1:1.
    - Atw art. 1: the resulting day is extended past weekends and holidays.
    """
    if weeks <= 0:
        raise ValueError(NON_POSITIVE_WEEKS)
    if suspended_days < 0:
        raise ValueError(NEGATIVE_SUSPENSION)
    raw = received + timedelta(weeks=weeks, days=suspended_days)
    return atw_extend(raw, extra)


def awb_suspended_days(requested: date, respond_by: date, answered: date | None) -> int:
    """Calendar days by which a request to complete the application suspends the Awb decision term.

    Awb 4:15(1)(a): the term is suspended "met ingang van de dag na die waarop het bestuursorgaan ... de aanvrager
    uitnodigt de aanvraag aan te vullen, tot de dag waarop de aanvraag is aangevuld of de daarvoor gestelde termijn
    ongebruikt is verstreken".

    - The suspension starts on the day after the request (``requested + 1``).
    - Convention: "tot" is read as *up to, not including*: the day of the answer is not suspended. So asked on the
      20th and answered on the 30th suspends the 21st to the 29th: 9 days.
    - The suspension also ends when the answer-by term passes unused: the term runs to the end of ``respond_by``,
      so the suspension ends (exclusive) on ``respond_by + 1`` at the latest. A late answer adds nothing after it.
    - ``answered`` None: not answered yet; counted as if the term passed unused (the caller decides whether the
      term has passed).
    """
    unused_end = respond_by + timedelta(days=1)
    end = unused_end if answered is None else min(answered, unused_end)
    return max(0, (end - (requested + timedelta(days=1))).days)


def objection_deadline_awb(decision_sent: date, extra: Iterable[date] = ()) -> date:
    """Last day to lodge an objection (bezwaar) against a decision sent on ``decision_sent``.

    Awb 6:7: the term is six weeks. Awb 6:8(1): it starts on the day after the decision was
    announced (sent), so it ends on ``decision_sent + 6 weeks``. Atw art. 1 then extends it past
    weekends and holidays.
    """
    raw = decision_sent + timedelta(weeks=AWB_OBJECTION_WEEKS)
    return atw_extend(raw, extra)


# Awb 7:10(1): the decision on an objection is taken within six weeks, or twelve weeks where an advisory
# committee (Awb 7:13) advises, counted from the day after the objection term ended.
AWB_OBJECTION_DECISION_WEEKS = 6
AWB_OBJECTION_DECISION_COMMITTEE_WEEKS = 12
# Awb 7:10(3): the authority may postpone that decision by at most six weeks.
AWB_OBJECTION_MAX_POSTPONEMENT_WEEKS = 6
POSTPONEMENT_OUT_OF_RANGE = "A decision on an objection can be postponed by zero to six weeks (Awb 7:10(3))."


def objection_decision_deadline_awb(
    objection_term_end: date,
    *,
    advisory_committee: bool = False,
    postponed_weeks: int = 0,
    extra: Iterable[date] = (),
) -> date:
    """Last day for the decision on an objection whose objection term ended on ``objection_term_end``.

    - Awb 7:10(1): six weeks (twelve with an advisory committee) "gerekend vanaf de dag na die waarop de
      termijn voor het indienen van het bezwaarschrift is verstreken". The objection term expires on its
      last day as the Atw extended it (``objection_deadline_awb``), so that is ``objection_term_end``; the
      term then ends on ``objection_term_end + 6 (or 12) weeks``, same weekday.
    - Awb 7:10(3): postponement by at most six weeks, added to that (unextended) end: a postponement
      lengthens the statutory term, it does not start a new one.
    - Atw art. 1: the resulting day is extended past weekends and holidays (7:10 is a statutory term).
    """
    if not 0 <= postponed_weeks <= AWB_OBJECTION_MAX_POSTPONEMENT_WEEKS:
        raise ValueError(POSTPONEMENT_OUT_OF_RANGE)
    weeks = AWB_OBJECTION_DECISION_COMMITTEE_WEEKS if advisory_committee else AWB_OBJECTION_DECISION_WEEKS
    raw = objection_term_end + timedelta(weeks=weeks + postponed_weeks)
    return atw_extend(raw, extra)
