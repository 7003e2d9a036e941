"""The ministry's report pages: each report as HTML with its parameters, prepared downloads (report runs, made
by a Celery worker, polled with htmx), the list of earlier runs, and the monthly open-data export."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.decorators import method_decorator
from django.utils.translation import gettext as _
from django.views import View

from core.access import can
from core.exceptions import DomainValidationError
from core.views.mixins import CapabilityRequiredMixin

from ..charts import svg_data_uri
from ..definitions import AGGREGATES, BY_KIND, ReportDefinition
from ..forms import MonthForm
from ..open_data import ERR_NOT_PUBLISHED, NotPublished, monthly_open_data, published_as_of
from ..selectors import (
    report_compute_for,
    report_definitions_for,
    report_file_get_for,
    report_run_get_for,
    report_run_list_for,
)
from ..services import report_run_request
from ..tables import format_cell

RUNS_PAGE_SIZE = 25
RECENT_RUNS = 5


class ReportIndexView(CapabilityRequiredMixin, View):
    capability = AGGREGATES

    def get(self, request: HttpRequest) -> HttpResponse:
        runs = list(report_run_list_for(user=request.user)[:RECENT_RUNS])
        context = {
            "definitions": report_definitions_for(user=request.user),
            "runs": runs,
            "parliament": can(request.user, "reports.parliament"),
        }
        return render(request, "reports/index.html", context)


def _sections(report: Any) -> list[dict[str, Any]]:
    """Tables with their cells formatted for reading, and the chart that belongs next to each."""
    sections = []
    for table in report.tables:
        chart = report.chart_for(table.key)
        sections.append(
            {
                "table": table,
                "body": [[(c, format_cell(c.kind, v)) for c, v in row] for row in table.body],
                "foot": [[(c, format_cell(c.kind, v)) for c, v in row] for row in table.foot],
                "chart": chart,
                "chart_src": svg_data_uri(chart.svg) if chart else "",
            }
        )
    return sections


class ReportPageView(CapabilityRequiredMixin, View):
    """One report: the parameters form (GET), the figures, and a button to prepare the downloads."""

    definition: ReportDefinition | None = None

    def get(self, request: HttpRequest) -> HttpResponse:
        assert self.definition is not None  # noqa: S101 - set by urls.py
        form = self.definition.bind(request.GET.dict(), today=timezone.localdate())
        report = None
        if form.is_valid():
            report = report_compute_for(user=request.user, definition=self.definition, form=form)
        runs = report_run_list_for(user=request.user).filter(kind=self.definition.kind)[:RECENT_RUNS]
        context = {
            "definition": self.definition,
            "form": form,
            "report": report,
            "sections": _sections(report) if report else [],
            "run_parameters": form.data if form.is_valid() else {},
            "runs": list(runs),
            "open_data": _open_data_links(self.definition, form) if report else [],
        }
        return render(request, "reports/report.html", context)


def _open_data_links(definition: ReportDefinition, form: Any) -> list[tuple[str, str]]:
    if definition.slug != "monthly":
        return []
    kwargs = {"year": f"{form.cleaned_data['year']:04d}", "month": f"{form.cleaned_data['month']:02d}"}
    return [
        (_("Open data (CSV)"), reverse("reports:open_data_monthly", kwargs={**kwargs, "fmt": "csv"})),
        (_("Open data (JSON)"), reverse("reports:open_data_monthly", kwargs={**kwargs, "fmt": "json"})),
    ]


class ReportRunCreateView(CapabilityRequiredMixin, View):
    """Queue the downloads (CSV, XLSX, PDF) of a report with the parameters on the page."""

    definition: ReportDefinition | None = None

    def post(self, request: HttpRequest) -> HttpResponse:
        assert self.definition is not None  # noqa: S101 - set by urls.py
        parameters = {k: v for k, v in request.POST.items() if k != "csrfmiddlewaretoken"}
        try:
            run = report_run_request(actor=request.user, slug=self.definition.slug, parameters=parameters)
        except DomainValidationError as exc:
            messages.error(request, f"{exc.message} {_format_errors(exc.field_errors)}".strip())
            return redirect(f"reports:{self.definition.slug}")
        messages.success(request, _("The downloads are being prepared."))
        return redirect("reports:run_detail", pk=run.pk)


def _format_errors(errors: dict[str, list[str]] | None) -> str:
    return " ".join(str(m) for messages_ in (errors or {}).values() for m in messages_)


class ReportRunListView(CapabilityRequiredMixin, View):
    capability = AGGREGATES

    def get(self, request: HttpRequest) -> HttpResponse:
        page = Paginator(report_run_list_for(user=request.user), RUNS_PAGE_SIZE).get_page(request.GET.get("page"))
        return render(request, "reports/run_list.html", {"page": page, "runs": page.object_list})


class ReportRunDetailView(CapabilityRequiredMixin, View):
    capability = AGGREGATES

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        run = report_run_get_for(user=request.user, pk=pk)
        return render(request, "reports/run_detail.html", {"run": run, "definition": BY_KIND[run.kind]})


class ReportRunProgressView(CapabilityRequiredMixin, View):
    """The run's status panel alone, polled by the detail page (hx-get every 2 s until the run finishes)."""

    capability = AGGREGATES

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        run = report_run_get_for(user=request.user, pk=pk)
        return render(request, "reports/includes/run_status.html", {"run": run})


class ReportFileDownloadView(CapabilityRequiredMixin, View):
    capability = AGGREGATES

    def get(self, request: HttpRequest, pk: int, file_pk: int) -> HttpResponseBase:
        stored = report_file_get_for(user=request.user, run_id=pk, file_id=file_pk)
        return FileResponse(stored.file.open("rb"), as_attachment=True, filename=stored.name)


@method_decorator(login_not_required, name="dispatch")
class OpenDataMonthlyView(View):
    """The monthly overview's published columns as open data (CSV, JSON, metadata), public WITHOUT login.

    Declared public in core.access.PUBLIC_ROUTES: it holds only queries.monthly.published_columns() (no company,
    licence number or end user's name), which the ministry publishes each month anyway (reports.open_data).
    """

    def get(self, request: HttpRequest, year: str, month: str, fmt: str) -> HttpResponse:
        form = MonthForm(data={"year": year, "month": int(month), "as_of": request.GET.get("as_of", "")})
        if not form.is_valid():
            raise Http404
        try:
            day = published_as_of(
                year=int(year), month=int(month), chosen=form.cleaned_data["as_of"], today=timezone.localdate()
            )
        except NotPublished as exc:
            raise Http404(ERR_NOT_PUBLISHED) from exc
        data = monthly_open_data(year=int(year), month=int(month), as_of_day=day)
        stem = f"monthly-licence-overview-{year}-{month}"
        content, content_type, name = {
            "csv": (data.csv, "text/csv; charset=utf-8", f"{stem}.csv"),
            "json": (data.json, "application/json; charset=utf-8", f"{stem}.json"),
            "metadata.json": (data.metadata_json, "application/json; charset=utf-8", f"{stem}.metadata.json"),
        }[fmt]
        response = HttpResponse(content, content_type=content_type)
        response["Content-Disposition"] = f'attachment; filename="{name}"'
        response["Cache-Control"] = "public, max-age=3600"
        return response
