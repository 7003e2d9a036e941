"""The working-day table behind the processing-time report.

Working days follow core.workdays (Algemene termijnenwet art. 1 and 3, plus the days equated by royal decree,
core.models.EquatedHoliday). Counting them per case in Python would mean loading every case; instead each
calendar day carries the running number of working days up to it, and SQL subtracts two numbers:
working days after `start` up to and including `end` = number(end) - number(start), exactly what
core.workdays.working_days_between returns.
"""

from __future__ import annotations

import hashlib
from datetime import date, timedelta

from django.db import transaction
from django.db.models import OuterRef, Subquery
from django.db.models.expressions import Combinable

from core.models import EquatedHoliday
from core.workdays import is_working_day

from .models import WorkingCalendar, WorkingDay

CALENDAR_FIRST_DAY = date(2015, 1, 1)
# Keep this far ahead of today, so open cases and next year's targets never fall off the table.
CALENDAR_AHEAD_DAYS = 3 * 366


def _digest(holidays: list[date]) -> str:
    return hashlib.sha256(",".join(d.isoformat() for d in sorted(holidays)).encode()).hexdigest()


def working_calendar_ensure(*, until: date) -> None:
    """Make sure WorkingDay covers CALENDAR_FIRST_DAY..until with the equated holidays in force now."""
    holidays = list(EquatedHoliday.objects.values_list("day", flat=True))
    digest = _digest(holidays)
    stamp = WorkingCalendar.objects.filter(pk=1).first()
    if stamp and stamp.holidays_digest == digest and stamp.last_day >= until:
        return
    last = until + timedelta(days=CALENDAR_AHEAD_DAYS)
    # One transaction: a report running meanwhile sees the old table or the new one, never half of each.
    with transaction.atomic():
        WorkingCalendar.objects.get_or_create(
            pk=1, defaults={"first_day": CALENDAR_FIRST_DAY, "last_day": CALENDAR_FIRST_DAY, "holidays_digest": ""}
        )
        # Lock the stamp: two requests rebuilding at once would otherwise insert the same days twice.
        stamp = WorkingCalendar.objects.select_for_update().get(pk=1)
        if stamp.holidays_digest == digest and stamp.last_day >= until:
            return  # the other request rebuilt it while we waited for the lock
        WorkingDay.objects.all().delete()
        WorkingDay.objects.bulk_create(_days(last, frozenset(holidays)), batch_size=2000)
        stamp.first_day, stamp.last_day, stamp.holidays_digest = CALENDAR_FIRST_DAY, last, digest
        stamp.save(update_fields=["first_day", "last_day", "holidays_digest"])


def _days(last: date, extra: frozenset[date]) -> list[WorkingDay]:
    rows = []
    number = 0
    day = CALENDAR_FIRST_DAY
    while day <= last:
        if is_working_day(day, extra):
            number += 1
        rows.append(WorkingDay(day=day, ordinal=day.toordinal(), number=number))
        day += timedelta(days=1)
    return rows


def working_day_number(day_ref: str | Combinable) -> Subquery:
    """SQL for the running working-day number of the date in `day_ref` (a field name or expression)."""
    ref = OuterRef(day_ref) if isinstance(day_ref, str) else day_ref
    return Subquery(WorkingDay.objects.filter(day=ref).values("number")[:1])


def working_day_number_after(day_ref: str, *, plus_days_ref: str) -> Subquery:
    """SQL for the working-day number of (the date in `day_ref` + the calendar days in `plus_days_ref`)."""
    ordinal = WorkingDay.objects.filter(day=OuterRef(OuterRef(day_ref))).values("ordinal")[:1]
    return Subquery(WorkingDay.objects.filter(ordinal=Subquery(ordinal) + OuterRef(plus_days_ref)).values("number")[:1])


def day_ordinal(day_ref: str) -> Subquery:
    """SQL for date.toordinal() of the date in `day_ref`, so calendar days between two dates are a subtraction
    on every database (NULL when the date is NULL)."""
    return Subquery(WorkingDay.objects.filter(day=OuterRef(day_ref)).values("ordinal")[:1])
