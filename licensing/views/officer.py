"""Officer case work: the work queue and the permission-checked file downloads. The case page and its actions
are in officer_case.py, registration review in officer_organisations.py."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import FileResponse, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views import View

from core.pagination import KeysetPage, KeysetPaginator
from core.views.mixins import CapabilityRequiredMixin

from ..filters import CaseQueueFilter
from ..models import OPEN_STATUSES, Application
from ..selectors import document_get_for, licence_get_for
from ..selectors_queue import (
    DEFAULT_TAB,
    QUEUE_COUNT_CAP,
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
    queue_ordering,
    sort_key,
)
from ..virus_scan import download_refusal
from .licence_document import licence_document_response

QUEUE_PAGE_SIZE = 25
CURSOR_PARAM = "cursor"
ERR_DOCUMENT_BLOCKED = _("This file is blocked: the virus scan found a threat in it.")

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


def _query_url(request: HttpRequest, **changes: str | None) -> str:
    """The current query string with some parameters set, or dropped when None (filters stay across links)."""
    query = request.GET.copy()
    for key, value in changes.items():
        if value is None:
            query.pop(key, None)
        else:
            query[key] = value
    return f"?{query.urlencode()}"


def _tab_url(request: HttpRequest, tab: str) -> str:
    """A tab keeps the search and filters but starts on its own first page, in its own default order."""
    return _query_url(request, tab=tab, sort=None, page=None, **{CURSOR_PARAM: None})


def _columns(request: HttpRequest, current: str, *, tab: str) -> list[dict[str, Any]]:
    """Header cells: a sortable column links to itself ascending, or reversed when it is the current sort; a new
    sort starts at the first page."""
    columns = []
    for key, label, numeric in QUEUE_COLUMNS:
        if tab == TAB_DECIDED and key == "target":
            key, label, numeric = DECIDED_COLUMN
        aria_sort = None
        next_sort = key
        if key and current.removeprefix("-") == key:
            aria_sort = "descending" if current.startswith("-") else "ascending"
            next_sort = key if current.startswith("-") else f"-{key}"
        url = _query_url(request, sort=next_sort, page=None, **{CURSOR_PARAM: None}) if key else ""
        columns.append({"key": key, "label": label, "numeric": numeric, "aria_sort": aria_sort, "url": url})
    return columns


def _queue_paginator(queryset: QuerySet[Application], *, tab: str, sort: str) -> KeysetPaginator[Application]:
    return KeysetPaginator(queryset, queue_ordering(sort), per_page=QUEUE_PAGE_SIZE, scope=f"queue:{tab}:{sort}")


@dataclass(frozen=True)
class Pager:
    """The pager under the queue (and the treaty dashboard): links carry a keyset cursor (core.pagination) instead
    of a page number."""

    page: KeysetPage[Any]
    previous_url: str | None
    next_url: str | None
    first_url: str | None  # only when the previous page is not already the first one

    @classmethod
    def of(cls, request: HttpRequest, page: KeysetPage[Any]) -> Pager:
        def link(cursor: str | None) -> str | None:
            if cursor is None:
                return None
            return _query_url(request, page=None, **{CURSOR_PARAM: cursor or None})

        first = _query_url(request, page=None, **{CURSOR_PARAM: None}) if page.previous_cursor else None
        return cls(page, link(page.previous_cursor), link(page.next_cursor), first)


def _known_total(page: KeysetPage[Application], *, tab_count: int | None) -> int | None:
    """The size of the whole list when it is known without counting it: every row is on this page, or it is
    the tab's own count (no filter). Otherwise the pager says "cases 26–50" and nothing more."""
    if not page.has_other_pages:
        return len(page.rows)
    return tab_count if tab_count is not None and tab_count <= QUEUE_COUNT_CAP else None


class CaseQueueView(CapabilityRequiredMixin, View):
    """The work queue: what is urgent first (legal deadline), filterable, searchable, sortable. Pages are read by
    keyset, so every page costs the same few queries, the first as well as the ten-thousandth."""

    capability = "casework.use"

    def get(self, request: HttpRequest) -> HttpResponse:
        user: Any = request.user
        tab = request.GET.get("tab", DEFAULT_TAB)
        if tab not in QUEUE_TABS:
            tab = DEFAULT_TAB
        filterset = CaseQueueFilter(request.GET, queryset=case_queue_for(user=user, tab=tab), request=request)
        sort = sort_key(request.GET.get("sort"), tab=tab)
        page = _queue_paginator(filterset.qs, tab=tab, sort=sort).page(request.GET.get(CURSOR_PARAM))
        today = timezone.localdate()
        holidays = calendar_holidays()
        counts = case_queue_counts(user=user)
        filtered = any(request.GET.get(name) for name in filterset.filters)
        context = {
            "tab": tab,
            "tabs": [
                {
                    "key": key,
                    "label": TAB_LABELS[key],
                    "count": None if counts[key] is None else min(counts[key] or 0, QUEUE_COUNT_CAP),
                    "more": (counts[key] or 0) > QUEUE_COUNT_CAP,  # shown as "10,000+"
                    "url": _tab_url(request, key),
                }
                for key in QUEUE_TABS
            ],
            "filterset": filterset,
            "filtered": filtered,
            "sort": sort,
            "columns": _columns(request, sort, tab=tab),
            "pager": Pager.of(request, page),
            "total": _known_total(page, tab_count=None if filtered else counts[tab]),
            "rows": [QueueRow(a, case_urgency(a, today=today, holidays=holidays)) for a in page.rows],
            "today": today,
        }
        return render(request, "licensing/casework/queue.html", context)


def queue_url_at(*, user: Any, tab: str, position: int, sort: str | None = None) -> str:
    """The queue URL of the page that starts at row `position` (0-based) of a tab. Finding that row costs an
    OFFSET, so this is for the benchmark and for links from elsewhere, never for the pager itself."""
    key = sort_key(sort, tab=tab)
    paginator = _queue_paginator(case_queue_for(user=user, tab=tab), tab=tab, sort=key)
    edge = paginator.row_at(position - 1) if position > 0 else None
    if edge is None:
        return f"?tab={tab}&sort={key}"
    return f"?tab={tab}&sort={key}&{CURSOR_PARAM}={paginator.cursor_at(edge, start=position)}"


class DocumentDownloadView(CapabilityRequiredMixin, View):
    """An uploaded document, checked against the user on every request; always a download (attachment), so
    a file an exporter uploaded is never rendered inside the register's origin."""

    capability = "casework.view_case"

    def get(self, request: HttpRequest, pk: int) -> HttpResponseBase:
        document = document_get_for(user=request.user, pk=pk)
        if refusal := download_refusal(document.scan_status):
            raise PermissionDenied(refusal)
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
        return licence_document_response(request, licence_get_for(user=request.user, pk=pk))
