"""Auditor pages: a record's readable history (with CSV and PDF export) and the record as it was on a date.

Only staff with "audit.view" (core.access) get here; exporters get 403. Which records have a history page is
the allowlist in audit.timeline.TIMELINE_SOURCES; any other kind of record is a 404.
"""

from __future__ import annotations

from datetime import datetime, time
from typing import Any

from django import forms
from django.conf import settings
from django.core.files.storage import default_storage
from django.core.paginator import Paginator
from django.http import FileResponse, HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import render
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _
from django.views import View

from core.enqueue import enqueue
from core.views.mixins import CapabilityRequiredMixin

from .exports import export_filename, history_pdf_path, timeline_csv
from .tasks import history_pdf_render
from .timeline import record_heading_for, snapshot_for, timeline_for

PAGE_SIZE = 50


class AsOfForm(forms.Form):
    """The moment to look back to; without a time, the end of that day (Europe/Amsterdam)."""

    date = forms.DateField(label=_("Date"), widget=forms.DateInput(attrs={"type": "date"}))
    time = forms.TimeField(
        label=_("Time"),
        required=False,
        widget=forms.TimeInput(attrs={"type": "time"}),
        help_text=_("Optional. Leave empty to see the record at the end of the day."),
    )

    def moment(self) -> datetime:
        at = self.cleaned_data["time"] or time.max
        return timezone.make_aware(datetime.combine(self.cleaned_data["date"], at))


class HistoryView(CapabilityRequiredMixin, View):
    capability = "audit.view"

    def get(self, request: HttpRequest, label: str, pk: str) -> HttpResponse:
        timeline = timeline_for(user=request.user, label=label, pk=pk)
        page = Paginator(timeline.entries, PAGE_SIZE).get_page(request.GET.get("page"))
        context: dict[str, Any] = {"timeline": timeline, "page": page, "form": AsOfForm()}
        return render(request, "audit/history.html", context)


class HistoryCsvView(CapabilityRequiredMixin, View):
    capability = "audit.view"

    def get(self, request: HttpRequest, label: str, pk: str) -> HttpResponse:
        timeline = timeline_for(user=request.user, label=label, pk=pk)
        response = HttpResponse(timeline_csv(timeline), content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="{export_filename(timeline, "csv")}"'
        return response


class HistoryPdfView(CapabilityRequiredMixin, View):
    capability = "audit.view"

    def get(self, request: HttpRequest, label: str, pk: str) -> HttpResponseBase:
        """The stored PDF of the timeline as it is now, or "being prepared" (202) while Celery renders it: never
        rendered in the request (issue 14)."""
        user: Any = request.user  # logged in: the capability mixin let them in
        # The PDF is in the authority's language whatever the reader's (Awb 2:6); its name is the digest of that.
        with translation.override(settings.LANGUAGE_CODE):
            timeline = timeline_for(user=user, label=label, pk=pk)
            path = history_pdf_path(user_id=user.pk, label=label, pk=pk, timeline=timeline)
        response: HttpResponseBase
        if default_storage.exists(path):
            response = FileResponse(
                default_storage.open(path, "rb"),
                as_attachment=True,
                filename=export_filename(timeline, "pdf"),
                content_type="application/pdf",
            )
        else:
            enqueue(history_pdf_render, user.pk, label, pk)
            response = render(request, "audit/history_pdf_preparing.html", {"timeline": timeline}, status=202)
        response["Cache-Control"] = "private, no-store"
        return response


class AsOfView(CapabilityRequiredMixin, View):
    capability = "audit.view"

    def get(self, request: HttpRequest, label: str, pk: str) -> HttpResponse:
        form = AsOfForm(request.GET if "date" in request.GET else None)
        snapshot = None
        if form.is_valid():
            snapshot = snapshot_for(user=request.user, label=label, pk=pk, at=form.moment())
            kind, title = snapshot.verbose_name, snapshot.title
        else:
            kind, title = record_heading_for(user=request.user, label=label, pk=pk)
        context = {"form": form, "snapshot": snapshot, "label": label, "pk": pk, "kind": kind, "title": title}
        status = 400 if form.is_bound and not form.is_valid() else 200
        return render(request, "audit/as_of.html", context, status=status)
