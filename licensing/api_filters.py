"""Query-string filters of the licensing API lists (django-filter). Each filter uses an indexed column of
Application (see its Meta.indexes); the ML-category filter is an EXISTS on the goods' (ml_category,
application) index, so a case with several matching lines still appears once."""

from __future__ import annotations

from typing import Any

import django_filters
from django.db.models import Exists, F, OuterRef, QuerySet
from django.utils import timezone

from parties.models import Country, Organisation

from .models import OPEN_STATUSES, Application, ApplicationStatus, GoodsLine, LicenceType, MLCategory
from .selectors_queue import cases_search, overdue_q

ASSIGNED_ME = "me"
ASSIGNED_NONE = "none"


class ApplicationFilter(django_filters.FilterSet):
    """The exporter's list of their own applications."""

    status = django_filters.ChoiceFilter(choices=ApplicationStatus.choices)
    licence_type = django_filters.ChoiceFilter(choices=LicenceType.choices)
    destination = django_filters.ModelChoiceFilter(
        queryset=Country.objects.all(), help_text="ISO 3166-1 alpha-2 code of the destination."
    )
    submitted_after = django_filters.DateFilter(
        field_name="submitted_at", lookup_expr="date__gte", help_text="Submitted on or after this day."
    )
    submitted_before = django_filters.DateFilter(
        field_name="submitted_at", lookup_expr="date__lte", help_text="Submitted on or before this day."
    )

    class Meta:
        model = Application
        fields = ["status", "licence_type", "destination", "submitted_after", "submitted_before"]

    def filter_queryset(self, queryset: QuerySet[Application]) -> QuerySet[Application]:
        # Explicit order: the selector's goods count adds a GROUP BY, and Django drops Meta.ordering there.
        return super().filter_queryset(queryset).order_by("-created_at", "-pk")


class _StableOrderingFilter(django_filters.OrderingFilter):
    """Ordering plus the primary key, so pages never repeat or skip a row when the sort key ties."""

    def filter(self, qs: QuerySet[Any], value: list[str] | None) -> QuerySet[Any]:
        qs = super().filter(qs, value)
        if value:
            qs = qs.order_by(*qs.query.order_by, "pk")
        return qs


class CaseFilter(django_filters.FilterSet):
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
    ordering = _StableOrderingFilter(
        fields=["legal_deadline", "target_date", "submitted_at", "total_value_eur"],
        help_text="Default: legal_deadline (most urgent first). Prefix with - to reverse.",
    )

    class Meta:
        model = Application
        fields = ["status", "licence_type", "destination", "organisation"]

    def filter_queryset(self, queryset: QuerySet[Application]) -> QuerySet[Application]:
        queryset = queryset.exclude(status=ApplicationStatus.DRAFT)
        if not self.form.cleaned_data.get("status"):
            queryset = queryset.filter(status__in=OPEN_STATUSES)
        queryset = super().filter_queryset(queryset)
        if not self.form.cleaned_data.get("ordering"):
            # Most urgent first. Explicit, because the selector's GROUP BY makes Django drop Meta.ordering.
            queryset = queryset.order_by(F("legal_deadline").asc(nulls_last=True), "pk")
        return queryset

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
