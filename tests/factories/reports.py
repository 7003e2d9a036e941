"""Factories for reports: report runs with their files, and the working-day calendar."""

from __future__ import annotations

import hashlib
from datetime import date, timedelta

import factory
from django.utils import timezone

from core.roles import Role
from core.workdays import working_days_between
from reports.calendar import CALENDAR_FIRST_DAY
from reports.models import FileFormat, ReportFile, ReportKind, ReportRun, RunStatus, WorkingCalendar, WorkingDay

from .parties import UserFactory

CSV_BYTES = b"month,licences,value_eur\n2026-01,12,3450000.00\n"
CSV_SHA256 = hashlib.sha256(CSV_BYTES).hexdigest()


class ReportRunFactory(factory.django.DjangoModelFactory):
    """A queued monthly overview requested by reporting staff."""

    class Meta:
        model = ReportRun

    kind = ReportKind.MONTHLY
    parameters = factory.LazyFunction(lambda: {"year": 2026, "month": 1})
    as_of = factory.LazyFunction(timezone.now)
    requested_by = factory.SubFactory(UserFactory, roles=[Role.REPORTING])
    status = RunStatus.QUEUED


class ReportFileFactory(factory.django.DjangoModelFactory):
    """A CSV of a finished run (a done run must carry a checksum: report_run_done_has_checksum)."""

    class Meta:
        model = ReportFile

    run = factory.SubFactory(ReportRunFactory, status=RunStatus.DONE, progress=100, sha256=CSV_SHA256)
    format = FileFormat.CSV
    name = factory.Sequence(lambda n: f"monthly-2026-01-{n}.csv")
    file = factory.django.FileField(filename="monthly-2026-01.csv", data=CSV_BYTES)
    sha256 = CSV_SHA256
    size = len(CSV_BYTES)


class WorkingDayFactory(factory.django.DjangoModelFactory):
    """One day of the derived calendar (reports.calendar), numbered as the rebuild would (core.workdays)."""

    class Meta:
        model = WorkingDay
        django_get_or_create = ("day",)

    day = factory.Sequence(lambda n: date(2026, 1, 1) + timedelta(days=n))
    ordinal = factory.LazyAttribute(lambda o: o.day.toordinal())
    number = factory.LazyAttribute(lambda o: working_days_between(CALENDAR_FIRST_DAY - timedelta(days=1), o.day))


class WorkingCalendarFactory(factory.django.DjangoModelFactory):
    """The single stamp row (pk 1)."""

    class Meta:
        model = WorkingCalendar
        django_get_or_create = ("id",)

    id = 1
    first_day = CALENDAR_FIRST_DAY
    last_day = date(2029, 12, 31)
    holidays_digest = hashlib.sha256(b"").hexdigest()
