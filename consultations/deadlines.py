"""Treaty deadline arithmetic: calendar months, no working days.

Source: Agreement on Export Controls in the Field of Defence (Paris, 2021-09-17), the
emergency brake (noodremprocedure), applied to programmes and recognised projects: a party that opposes
a transfer or export informs the other parties concerned "as soon as possible and at the latest
within two months" of becoming aware of the export project.

Treaty deadlines are NOT Dutch statutory terms, so the Algemene termijnenwet does not extend
them: a deadline on a Saturday, Sunday or Dutch holiday stays on that day. Working days
(``core.workdays``) are for national processing targets only.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, timedelta

from dateutil.relativedelta import relativedelta

# Treaty, emergency brake: "at the latest within two months" of becoming aware of the export project.
EMERGENCY_BRAKE_MONTHS = 2

NON_POSITIVE_MONTHS = "The objection period must be at least one month."
NEGATIVE_REMINDER_OFFSET = "Reminder offsets must be zero or more days before the deadline."


def add_calendar_months(d: date, months: int) -> date:
    """The same day number ``months`` later; the last day of the month if that month is shorter.

    ``relativedelta(months=...)`` implements exactly this rule (it clips to the month's last
    day), e.g. 2024-12-31 + 2 = 2025-02-28 and 2023-12-31 + 2 = 2024-02-29, while a day that
    exists keeps its number: 2024-02-29 + 2 = 2024-04-29, 2025-01-31 + 2 = 2025-03-31.
    """
    return d + relativedelta(months=months)


def objection_deadline(aware_on: date, months: int = EMERGENCY_BRAKE_MONTHS) -> date:
    """Last day on which an emergency-brake objection may be sent.

    "At the latest within two months" of becoming aware: the computed day (same day number two
    calendar months on, clipped to the month's end) is itself still in time. No Atw extension.
    """
    if months <= 0:
        raise ValueError(NON_POSITIVE_MONTHS)
    return add_calendar_months(aware_on, months)


def is_objection_in_time(aware_on: date, sent_on: date, months: int = EMERGENCY_BRAKE_MONTHS) -> bool:
    """True when an objection sent on ``sent_on`` meets the emergency-brake deadline.

    Sending on the deadline day counts as in time. The treaty sets only a latest day, so an
    objection dated before the recorded awareness date also counts as in time; whether that
    awareness date is right is a data question for the caller, not a lateness question.
    """
    return sent_on <= objection_deadline(aware_on, months)


def reminder_dates(deadline: date, days_before: Sequence[int]) -> list[tuple[int, date]]:
    """``(offset, date)`` pairs for reminders ``offset`` calendar days before ``deadline``.

    Calendar days, like the deadline itself. Duplicate offsets are dropped and the result is in
    date order (largest offset first), so it can be scheduled as is.
    """
    if any(offset < 0 for offset in days_before):
        raise ValueError(NEGATIVE_REMINDER_OFFSET)
    return [(offset, deadline - timedelta(days=offset)) for offset in sorted(set(days_before), reverse=True)]
