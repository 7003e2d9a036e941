"""Usage returns through the one reminder engine (core.reminders), worked by hand: a six-monthly licence with 30 days
to report; registered on 10 February 2026, the period January-June 2026 ends on 30 June and its return is due on
Thursday 30 July 2026. Reminder points 14, 3 and 0 days before, 1 day after (overdue) and 14 days after, when a
return nobody filed goes to the senior officers too. Only a registration in effect is reminded."""

from __future__ import annotations

from datetime import date

import pytest
from django.test import override_settings

from core.models import DeadlineReminder, Notification, ReminderKind
from core.reminders import reminders_send
from general_licences.models import GeneralLicenceRegistration
from general_licences.reminders import usage_return_deadlines
from general_licences.selectors import periods_of
from general_licences.services import general_licence_register, general_licence_registration_decide
from tests.general_licences.helpers import on, publish

pytestmark = pytest.mark.django_db

DUE = date(2026, 7, 30)


def _registered(officer, exporter) -> GeneralLicenceRegistration:  # type: ignore[no-untyped-def]
    licence = publish(officer, requires_approval=False)
    with on(date(2026, 2, 10)):
        return general_licence_register(actor=exporter, licence_id=licence.pk)


def _sweep(day: date):  # type: ignore[no-untyped-def]
    with on(day):
        return reminders_send(deadlines=usage_return_deadlines(day), today=day)


def _bodies(user) -> list[str]:  # type: ignore[no-untyped-def]
    return list(Notification.objects.filter(user=user, title__contains="usage return").values_list("body", flat=True))


@pytest.mark.parametrize(
    ("day", "point", "body"),
    [
        (date(2026, 7, 15), None, None),  # 15 days before: nothing due yet
        (date(2026, 7, 16), 14, "Due on 30 July 2026: 14 days left."),
        (date(2026, 7, 27), 3, "Due on 30 July 2026: 3 days left."),
        (date(2026, 7, 30), 0, "Due today, 30 July 2026."),
        (date(2026, 7, 31), -1, "Overdue: the deadline of 30 July 2026 passed 1 day ago."),
    ],
)
def test_missing_return_is_reminded_once_at_each_boundary(officer, exporter_a, senior, day, point, body):
    _registered(officer, exporter_a)
    first, again = _sweep(day), _sweep(day)
    sent = 0 if point is None else 1
    assert (first.sent, again.sent, first.escalated) == (sent, 0, 0)
    rows = DeadlineReminder.objects.filter(kind=ReminderKind.USAGE_RETURN)
    assert [r.offset_days for r in rows] == ([] if point is None else [point])
    assert _bodies(exporter_a) == ([] if body is None else [body])
    assert _bodies(senior) == []  # before two weeks overdue, the holder's own deadline


def test_overdue_flag_is_raised_the_day_after_the_due_date(officer, exporter_a):
    registration = _registered(officer, exporter_a)
    [on_the_day] = periods_of(registration, today=DUE)
    [day_after] = periods_of(registration, today=date(2026, 7, 31))
    assert (on_the_day.period.due_on, on_the_day.overdue, day_after.overdue) == (DUE, False, True)


def test_return_still_missing_two_weeks_after_its_due_date_is_escalated_to_the_seniors(officer, exporter_a, senior):
    _registered(officer, exporter_a)
    assert _sweep(date(2026, 8, 12)).escalated == 0  # 13 days overdue: the -1 point, to the holder only
    result = _sweep(date(2026, 8, 13))  # 14 days overdue: nobody filed it
    assert (result.sent, result.escalated) == (1, 1)
    assert _bodies(senior) == [
        "Overdue: the deadline of 30 July 2026 passed 14 days ago.\n"
        "Sent to the senior officers as well: nobody has acted on it yet."
    ]
    registration = GeneralLicenceRegistration.objects.get()
    # The seniors open the officers' page of the registration; the holder its own portal page.
    assert Notification.objects.filter(user=senior).get().link == (
        f"/casework/general-licences/registrations/{registration.pk}/"
    )
    assert Notification.objects.filter(user=exporter_a, title__contains="usage return").last().link == (
        f"/portal/general-licences/registrations/{registration.pk}/"
    )
    assert len(_bodies(exporter_a)) == 2


def test_registration_not_in_effect_gets_no_reminders(officer, exporter_a, exporter_b):
    licence = publish(officer, requires_approval=True)
    with on(date(2026, 2, 10)):
        pending = general_licence_register(actor=exporter_a, licence_id=licence.pk)
        rejected = general_licence_register(actor=exporter_b, licence_id=licence.pk)
        general_licence_registration_decide(actor=officer, registration_id=rejected.pk, approve=False, reason="No")
    assert pending.status == "pending"
    for day in (date(2026, 7, 16), DUE, date(2026, 7, 31), date(2026, 8, 13)):
        assert usage_return_deadlines(day) == []


@override_settings(LANGUAGE_CODE="nl")
def test_usage_return_reminder_reads_in_dutch_when_the_authoritys_language_is_dutch(officer, exporter_a):
    _registered(officer, exporter_a)
    _sweep(date(2026, 7, 27))
    [reminder] = Notification.objects.filter(user=exporter_a, title__contains="gebruiksopgave")
    assert reminder.title == "NL-GTL-2026-01: gebruiksopgave over 1 januari 2026 tot en met 30 juni 2026"
    assert reminder.body == "Uiterlijk 30 juli 2026: nog 3 dagen."
