"""Stored report runs (so a figure sent to parliament can be downloaded again) and the working-day calendar
the processing-time report joins against."""

from __future__ import annotations

from urllib.parse import urlencode

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class ReportKind(models.TextChoices):
    MONTHLY = "monthly", _("Monthly licence overview")
    MONTHLY_CONFIDENTIAL = "monthly_confidential", _("Monthly licence overview with exporters (confidential)")
    ANNUAL = "annual", _("Annual report (COARM layout)")
    TREATY = "treaty", _("Treaty transparency report")
    TREATY_CONFIDENTIAL = "treaty_confidential", _("Treaty transparency report with the brake details (confidential)")
    SHARES = "shares", _("NATO/non-NATO share of licensed exports")
    PROCESSING = "processing", _("Processing times")
    ACCESSION = "accession", _("Before and after accession")
    UN_REGISTER = "un_register", _("UN Register and Arms Trade Treaty report")
    GL_REGISTRATIONS = "gl_registrations", _("General licences: registrations and usage per company (confidential)")


class RunStatus(models.TextChoices):
    QUEUED = "queued", _("Queued")
    RUNNING = "running", _("Running")
    DONE = "done", _("Done")
    FAILED = "failed", _("Failed")


class FileFormat(models.TextChoices):
    CSV = "csv", "CSV"
    XLSX = "xlsx", "XLSX"
    PDF = "pdf", "PDF"


class ReportRun(models.Model):
    """One generation of a report's downloads, kept with its parameters, requester and checksum.

    `as_of` is frozen when the run is requested: the run's figures are the register as it stood then, so
    running the same parameters again (with this `as_of`) gives the same numbers.
    """

    kind = models.CharField(_("report"), max_length=24, choices=ReportKind.choices)
    parameters = models.JSONField(_("parameters"), default=dict)
    confidential = models.BooleanField(_("confidential"), default=False)
    as_of = models.DateTimeField(_("register as of"))
    # The language the requester read the register in: the files are written in it (Awb 2:6; empty on runs from
    # before, which are written in the authority's language, settings.LANGUAGE_CODE).
    language = models.CharField(_("language"), max_length=8, blank=True)
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    status = models.CharField(max_length=8, choices=RunStatus.choices, default=RunStatus.QUEUED)
    progress = models.PositiveSmallIntegerField(_("progress (%)"), default=0)
    error = models.TextField(blank=True)
    sha256 = models.CharField(
        _("checksum (SHA-256)"), max_length=64, blank=True, help_text=_("Over the files' own checksums, in order.")
    )
    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("report run")
        verbose_name_plural = _("report runs")
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["kind", "-created_at"]),
            models.Index(fields=["status", "started_at"]),
            models.Index(fields=["confidential", "-created_at"]),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(progress__lte=100), name="report_run_progress_max_100"),
            models.CheckConstraint(condition=~Q(status="done") | ~Q(sha256=""), name="report_run_done_has_checksum"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} #{self.pk} ({self.status})"

    @property
    def is_finished(self) -> bool:
        return self.status in {RunStatus.DONE, RunStatus.FAILED}

    @property
    def parameters_text(self) -> str:
        return ", ".join(f"{key}: {value}" for key, value in self.parameters.items())

    @property
    def query_string(self) -> str:
        """The run's parameters and as-of day as the report page's query string."""
        query = {**self.parameters, "as_of": timezone.localtime(self.as_of).date().isoformat()}
        return urlencode(query)


class ReportFile(models.Model):
    run = models.ForeignKey(ReportRun, on_delete=models.CASCADE, related_name="files")
    format = models.CharField(max_length=4, choices=FileFormat.choices)
    name = models.CharField(max_length=200)
    file = models.FileField(upload_to="reports/%Y/%m/")
    sha256 = models.CharField(max_length=64)
    size = models.PositiveIntegerField()

    class Meta:
        ordering = ["run_id", "id"]
        constraints = [models.UniqueConstraint(fields=["run", "name"], name="report_file_unique_name")]

    def __str__(self) -> str:
        return self.name


class WorkingDay(models.Model):
    """One calendar day with its running count of Dutch working days (core.workdays, Algemene termijnenwet).

    A derived table, rebuilt by reports.calendar when its range or the equated holidays change. With it the
    database counts working days between two dates as a subtraction, so processing times are grouped in SQL.
    """

    day = models.DateField(primary_key=True)
    ordinal = models.PositiveIntegerField(unique=True, help_text=_("date.toordinal(): lets SQL add days portably."))
    number = models.PositiveIntegerField(help_text=_("Working days from the calendar's first day up to this day."))

    class Meta:
        ordering = ["day"]

    def __str__(self) -> str:
        return f"{self.day}: {self.number}"


class WorkingCalendar(models.Model):
    """The single row describing what WorkingDay holds, so a stale calendar is noticed with one query."""

    id = models.PositiveSmallIntegerField(primary_key=True, default=1)
    first_day = models.DateField()
    last_day = models.DateField()
    holidays_digest = models.CharField(max_length=64, help_text=_("SHA-256 of the equated holidays used."))

    def __str__(self) -> str:
        return f"{self.first_day}–{self.last_day}"
