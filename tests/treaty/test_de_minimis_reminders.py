"""The de minimis "without delay" target in the reminder engine: submitted Tue 15 Sep 2026, target Tue 22 Sep
(5 working days); points 2 days before, on the day and the day after; nobody took the case, so the reminder
goes to the senior officers."""

from __future__ import annotations

from datetime import date

import pytest
import time_machine

from core.models import DeadlineReminder, Notification, ReminderKind
from core.reminders import reminders_send
from licensing.models.treaty import TreatyTransfer
from licensing.services import applications as apps
from licensing.services.reminders import licensing_deadlines

from .conftest import save_transfer, treaty_draft

pytestmark = pytest.mark.django_db


def _sweep(day: date):  # type: ignore[no-untyped-def]
    with time_machine.travel(day, tick=False):
        return reminders_send(deadlines=licensing_deadlines(day), today=day)


def test_unassigned_de_minimis_case_is_escalated_two_days_before_its_target(exporter_a, senior):
    with time_machine.travel(date(2026, 9, 15), tick=False):
        draft = treaty_draft(exporter_a, goods_value="100000.00")
        save_transfer(exporter_a, draft)
        apps.application_submit(actor=exporter_a, application_id=draft.pk)
    assert TreatyTransfer.objects.get(application=draft).target_date == date(2026, 9, 22)

    assert _sweep(date(2026, 9, 19)).sent == 0  # 3 days before
    result = _sweep(date(2026, 9, 20))  # 2 days before
    assert (result.sent, result.escalated) == (1, 1)
    reminder = DeadlineReminder.objects.get(kind=ReminderKind.DE_MINIMIS_TARGET)
    assert (reminder.subject, reminder.offset_days, reminder.escalated) == (f"application:{draft.pk}", 2, True)
    assert Notification.objects.filter(user=senior, title__contains="licensed without delay").count() == 1
    assert _sweep(date(2026, 9, 20)).already_sent == 1
