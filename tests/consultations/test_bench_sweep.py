"""bench/sweep.py: the sweep benchmark puts the bulk notifications back as seeded before it measures, so a second
run measures the same work as the first, although the sweep changed what it touched."""

from __future__ import annotations

from datetime import date

import pytest
import time_machine

from bench.sweep import measure
from consultations.models.treaty import DEADLINE_RUNNING, TreatyNotification

pytestmark = pytest.mark.django_db


@time_machine.travel(date(2026, 12, 3), tick=False)  # a fixed seeding day: the same deadlines every run
def test_second_measurement_sweeps_the_same_items_as_the_first_when_run_again():
    first = measure(seed=13, open_notifications=60, days=3)
    running_after_first = TreatyNotification.objects.filter(status__in=DEADLINE_RUNNING).count()
    second = measure(seed=13, open_notifications=60, days=3)

    work = [(d["today"], d["reminders_sent"], d["no_objection_recorded"]) for d in first["days"]]
    assert work == [(d["today"], d["reminders_sent"], d["no_objection_recorded"]) for d in second["days"]]
    assert sum(d["items"] for d in first["days"]) > 0
    assert first["open_notifications"] == second["open_notifications"] == 60
    assert second["reset"]["reminders_unsent"] > 0  # the first run's reminders were sent, and put back
    assert running_after_first < 60
