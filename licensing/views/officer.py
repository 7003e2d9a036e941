"""Officer case work: the work queue and the permission-checked file downloads. The case page and its actions
are in officer_case.py, registration review in officer_organisations.py."""

from __future__ import annotations

import io
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import FileResponse, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views import View

from core.views.mixins import CapabilityRequiredMixin

from ..documents import licence_pdf
from ..filters import CaseQueueFilter
from ..models import OPEN_STATUSES, Application, ScanStatus
from ..selectors import document_get_for, licence_get_for
from ..selectors_queue import (
    DEFAULT_TAB,
    QUEUE_TABS,
    TAB_DECIDED,
    TAB_MINE,
    TAB_OPEN,
    TAB_UNASSIGNED,
    Urgency,
    calendar_holidays,
    case_queue_counts,
    case_queue_for,
    case_urgency,
    cases_sorted,
    sort_key,
)

QUEUE_PAGE_SIZE = 25
ERR_DOCUMENT_BLOCKED = "This file is blocked: the virus scan found a threat in it."

TAB_LABELS = {
    TAB_UNASSIGNED: _("Unassigned"),
    TAB_MINE: _("My cases"),
    TAB_OPEN: _("All open"),
    TAB_DECIDED: _("Decided"),
}

# (sort key or "" when the column does not sort, label, numeric column)
QUEUE_COLUMNS: tuple[tuple[str, Any, bool], ...] = (
    ("reference", _("Case"), False),
    ("", _("Exporter"), False),
    ("", _("Destination"), False),
    ("", _("Status"), False),
    ("value", _("Value (EUR)"), True),
    ("age", _("Age (days)"), True),
    ("target", _("Target date"), False),
    ("deadline", _("Legal deadline"), False),
    ("", _("Assigned to"), False),
)
# Among decided cases the decision date replaces the (then passed) internal target date.
DECIDED_COLUMN = ("decided", _("Decided"), False)


@dataclass(frozen=True)
class QueueRow:
    application: Application
    urgency: Urgency

    @property
    def can_take(self) -> bool:
        return self.application.assigned_to_id is None and self.application.status in OPEN_STATUSES


def _tab_url(request: HttpRequest, tab: str) -> str:
    """A tab keeps the search and filters but starts on its own first page, in its own default order."""
    query = request.GET.copy()
    query["tab"] = tab
    query.pop("page", None)
    query.pop("sort", None)
    return f"?{query.urlencode()}"


def _columns(current: str, *, tab: str) -> list[dict[str, Any]]:
    """Header cells: a sortable column links to itself ascending, or reversed when it is the current sort."""
    columns = []
    for key, label, numeric in QUEUE_COLUMNS:
        if tab == TAB_DECIDED and key == "target":
            key, label, numeric = DECIDED_COLUMN
        aria_sort = None
        next_sort = key
        if key and current.removeprefix("-") == key:
            aria_sort = "descending" if current.startswith("-") else "ascending"
            next_sort = key if current.startswith("-") else f"-{key}"
        columns.append({"key": key, "label": label, "numeric": numeric, "aria_sort": aria_sort, "next": next_sort})
    return columns


class CaseQueueView(CapabilityRequiredMixin, View):
    """The work queue: what is urgent first (legal deadline), filterable, searchable, sortable."""

    capability = "casework.use"

    def get(self, request: HttpRequest) -> HttpResponse:
        user: Any = request.user
        tab = request.GET.get("tab", DEFAULT_TAB)
        if tab not in QUEUE_TABS:
            tab = DEFAULT_TAB
        filterset = CaseQueueFilter(request.GET, queryset=case_queue_for(user=user, tab=tab), request=request)
        sort = sort_key(request.GET.get("sort"), tab=tab)
        page = Paginator(cases_sorted(filterset.qs, key=sort), QUEUE_PAGE_SIZE).get_page(request.GET.get("page"))
        today = timezone.localdate()
        holidays = calendar_holidays()
        counts = case_queue_counts(user=user)
        context = {
            "tab": tab,
            "tabs": [
                {"key": key, "label": TAB_LABELS[key], "count": counts[key], "url": _tab_url(request, key)}
                for key in QUEUE_TABS
            ],
            "filterset": filterset,
            "filtered": any(request.GET.get(name) for name in filterset.filters),
            "sort": sort,
            "columns": _columns(sort, tab=tab),
            "page": page,
            "rows": [QueueRow(a, case_urgency(a, today=today, holidays=holidays)) for a in page.object_list],
            "today": today,
        }
        return render(request, "licensing/casework/queue.html", context)


class DocumentDownloadView(CapabilityRequiredMixin, View):
    """An uploaded document, checked against the user on every request; always a download (attachment), so
    a file an exporter uploaded is never rendered inside the register's origin."""

    capability = "casework.view_case"

    def get(self, request: HttpRequest, pk: int) -> HttpResponseBase:
        document = document_get_for(user=request.user, pk=pk)
        if document.scan_status == ScanStatus.INFECTED:
            raise PermissionDenied(ERR_DOCUMENT_BLOCKED)
        response = FileResponse(
            document.file.open("rb"),
            as_attachment=True,
            filename=document.original_name,
            content_type=document.content_type,
        )
        response["Cache-Control"] = "private, no-store"
        return response


class LicencePdfView(CapabilityRequiredMixin, View):
    """The licence as issued: the stored PDF, or (before the rendering task has run) rendered on the spot."""

    capability = "casework.view_case"

    def get(self, request: HttpRequest, pk: int) -> HttpResponseBase:
        licence = licence_get_for(user=request.user, pk=pk)
        filename = f"{licence.number}.pdf"
        if licence.document:
            response = FileResponse(licence.document.open("rb"), filename=filename, content_type="application/pdf")
        else:
            content = licence_pdf(licence)
            response = FileResponse(io.BytesIO(content), filename=filename, content_type="application/pdf")
        response["Cache-Control"] = "private, no-store"
        return response
