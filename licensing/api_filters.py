"""Query-string filters of the licensing API lists (django-filter). Each filter uses an indexed column of
Application (see its Meta.indexes and migration licensing 0009_api_indexes) or is cheap while the list is read in
its order; the ML-category filter is an EXISTS on the goods' (ml_category, application) index, so a case with
several matching lines still appears once.

The lists are read a page at a time from a cursor (core.api.KeysetPagination), which makes the order unique by
adding the primary key: pages never repeat or skip a row when sort keys tie."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from typing import Any

import django_filters
from django.db.models import Exists, OuterRef, QuerySet
from django.utils import timezone
from rest_framework.exceptions import ValidationError

from core.i18n import gettext_lazy
from parties.models import Country, Organisation

from .models import OPEN_STATUSES, Application, ApplicationStatus, GoodsLine, LicenceType, MLCategory
from .selectors_queue import cases_search, overdue_q, queue_ordering

ASSIGNED_ME = "me"
ASSIGNED_NONE = "none"
# The case list's `ordering` values and the officer queue's sort of the same column (selectors_queue.SORTS):
# the API lists cases in the queue's order, so the queue's indexes (migration licensing 0009) serve it too.
CASE_ORDERINGS = {
    "legal_deadline": "deadline",
    "target_date": "target",
    "submitted_at": "submitted",
    "total_value_eur": "value",
}
DEFAULT_CASE_ORDERING = "legal_deadline"
ERR_ONE_ORDERING = gettext_lazy("Order by one column.")


class _AskedFiltersOnly(django_filters.FilterSet):
    """Builds the form from the filters the query string names, not from all of them.

    django-filter copies every filter and builds a form field for each on every request (choices with
    translated labels included), which cost more than the rest of an unfiltered page; a filter left out of the
    query string filters nothing, so leaving it out of the form changes no answer. Every filter here reads one
    parameter named as the filter."""

    base_filters: dict[str, django_filters.Filter]  # set by django-filter's metaclass

    def __init__(self, data: Any = None, queryset: Any = None, *, request: Any = None, prefix: Any = None) -> None:
        browsable = getattr(getattr(request, "accepted_renderer", None), "format", None) == "api"
        if data is not None and prefix is None and not browsable:  # the browsable API shows the whole form
            # An instance attribute: the class's own base_filters stay whole (the OpenAPI schema lists them).
            self.base_filters = {name: f for name, f in self.base_filters.items() if name in data}
        super().__init__(data, queryset, request=request, prefix=prefix)


class ApplicationFilter(_AskedFiltersOnly):
    """The exporter's list of their own applications."""

    status = django_filters.ChoiceFilter(choices=ApplicationStatus.choices)
    licence_type = django_filters.ChoiceFilter(choices=LicenceType.choices)
    destination = django_filters.ModelChoiceFilter(
        queryset=Country.objects.all(), help_text="ISO 3166-1 alpha-2 code of the destination."
    )
    submitted_after = django_filters.DateFilter(
        field_name="submitted_at", method="filter_submitted_after", help_text="Submitted on or after this day."
    )
    submitted_before = django_filters.DateFilter(
        field_name="submitted_at", method="filter_submitted_before", help_text="Submitted on or before this day."
    )

    class Meta:
        model = Application
        fields = ["status", "licence_type", "destination", "submitted_after", "submitted_before"]

    def filter_queryset(self, queryset: QuerySet[Application]) -> QuerySet[Application]:
        # Newest first; explicit, because the cursor pages by the queryset's own order.
        return super().filter_queryset(queryset).order_by("-created_at", "-pk")

    # A day is a range of the stored moment (midnight to midnight in the register's time zone), not a cast of
    # every row to a date as `submitted_at__date` would be, so the submitted_at index can serve it.
    def filter_submitted_after(self, queryset: QuerySet[Application], name: str, value: date) -> QuerySet[Application]:
        return queryset.filter(submitted_at__gte=_start_of(value))

    def filter_submitted_before(self, queryset: QuerySet[Application], name: str, value: date) -> QuerySet[Application]:
        return queryset.filter(submitted_at__lt=_start_of(value + timedelta(days=1)))


def _start_of(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


class CaseFilter(_AskedFiltersOnly):
    """The officer's case list. Without a `status` it shows the open cases; drafts never appear, because a
    draft is the exporter's own workspace until it is submitted."""

    status = django_filters.ChoiceFilter(choices=[c for c in ApplicationStatus.choices if c[0] != "draft"])
    licence_type = django_filters.ChoiceFilter(choices=LicenceType.choices)
    destination = django_filters.ModelChoiceFilter(
        queryset=Country.objects.all(), help_text="ISO 3166-1 alpha-2 code of the destination."
    )
    ml_category = django_filters.ModelChoiceFilter(
        queryset=MLCategory.objects.all(), method="filter_ml_category", help_text="Military List code, e.g. ML5."
    )
    organisation = django_filters.ModelChoiceFilter(queryset=Organisation.objects.all(), help_text="Company id.")
    assigned_to = django_filters.ChoiceFilter(
        choices=[(ASSIGNED_ME, "Assigned to me"), (ASSIGNED_NONE, "Not assigned")], method="filter_assigned_to"
    )
    overdue = django_filters.BooleanFilter(
        method="filter_overdue",
        help_text="Open cases whose clock runs past the legal decision term (Awb 4:13) or the internal target.",
    )
    search = django_filters.CharFilter(
        method="filter_search", max_length=200, help_text="Reference, company, parties, goods or part numbers."
    )
    ordering = django_filters.OrderingFilter(
        fields=list(CASE_ORDERINGS),
        method="filter_ordering",
        help_text="Default: legal_deadline (most urgent first). Prefix with - to reverse. Ties: the longest "
        "waiting first (the reverse when reversed); empty values last.",
    )

    class Meta:
        model = Application
        fields = ["status", "licence_type", "destination", "organisation"]

    def filter_queryset(self, queryset: QuerySet[Application]) -> QuerySet[Application]:
        # No draft either way: the `status` choices leave it out, and the open statuses do not include it.
        if not self.form.cleaned_data.get("status"):
            queryset = queryset.filter(status__in=OPEN_STATUSES)
        queryset = super().filter_queryset(queryset)
        if not self.form.cleaned_data.get("ordering"):
            # Most urgent first; explicit, because the cursor pages by the queryset's own order.
            queryset = self.filter_ordering(queryset, "ordering", [DEFAULT_CASE_ORDERING])
        return queryset

    def filter_ordering(self, queryset: QuerySet[Application], name: str, value: list[str]) -> QuerySet[Application]:
        if len(value) > 1:
            raise ValidationError({name: [ERR_ONE_ORDERING]})
        column = value[0]
        key = CASE_ORDERINGS[column.removeprefix("-")]
        columns = queue_ordering(f"-{key}" if column.startswith("-") else key)
        return queryset.order_by(*(("-" if c.descending else "") + c.field for c in columns))

    def filter_ml_category(
        self, queryset: QuerySet[Application], name: str, value: MLCategory
    ) -> QuerySet[Application]:
        lines = GoodsLine.objects.filter(application=OuterRef("pk"), ml_category=value)
        return queryset.filter(Exists(lines))

    def filter_assigned_to(self, queryset: QuerySet[Application], name: str, value: str) -> QuerySet[Application]:
        if value == ASSIGNED_ME:
            return queryset.filter(assigned_to=self.request.user if self.request else None)
        return queryset.filter(assigned_to__isnull=True)

    def filter_overdue(self, queryset: QuerySet[Application], name: str, value: bool) -> QuerySet[Application]:
        overdue = overdue_q(today=timezone.localdate())
        return queryset.filter(overdue) if value else queryset.exclude(overdue)

    def filter_search(self, queryset: QuerySet[Application], name: str, value: str) -> QuerySet[Application]:
        return cases_search(queryset, text=value)
