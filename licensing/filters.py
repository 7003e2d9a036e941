"""Filters of the officer's work queue (django-filter, on GET). The querysets behind the choices and the search
and overdue rules come from licensing.selectors_queue, so this module only maps query parameters to them."""

from __future__ import annotations

from typing import Any

import django_filters
from django import forms
from django.db.models import Exists, OuterRef, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .models import Application, ApplicationStatus, GoodsLine, LicenceType
from .selectors_queue import cases_overdue, cases_search, destination_choices, exporter_choices, ml_category_choices

DATE_INPUT = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
QUEUE_STATUSES = [(value, label) for value, label in ApplicationStatus.choices if value != ApplicationStatus.DRAFT]


class CaseQueueFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(
        label=_("Search"),
        method="filter_search",
        widget=forms.TextInput(attrs={"type": "search", "placeholder": _("Reference, exporter, party, goods")}),
    )
    status = django_filters.ChoiceFilter(label=_("Status"), choices=QUEUE_STATUSES, empty_label=_("Any status"))
    licence_type = django_filters.ChoiceFilter(
        label=_("Licence type"), choices=LicenceType.choices, empty_label=_("Any type")
    )
    destination = django_filters.ModelChoiceFilter(
        label=_("Destination"), queryset=lambda request: destination_choices(), empty_label=_("Any country")
    )
    ml_category = django_filters.ModelChoiceFilter(
        label=_("ML category"),
        queryset=lambda request: ml_category_choices(),
        method="filter_ml_category",
        empty_label=_("Any category"),
    )
    organisation = django_filters.ModelChoiceFilter(
        label=_("Exporter"), queryset=lambda request: exporter_choices(), empty_label=_("Any exporter")
    )
    submitted_from = django_filters.DateFilter(
        label=_("Submitted from"), field_name="submitted_at", lookup_expr="date__gte", widget=DATE_INPUT
    )
    submitted_until = django_filters.DateFilter(
        label=_("Submitted until"), field_name="submitted_at", lookup_expr="date__lte", widget=DATE_INPUT
    )
    overdue = django_filters.BooleanFilter(label=_("Overdue only"), method="filter_overdue", widget=forms.CheckboxInput)

    class Meta:
        model = Application
        fields: list[str] = []

    def filter_search(self, queryset: QuerySet[Application], name: str, value: str) -> QuerySet[Application]:
        return cases_search(queryset, text=value)

    def filter_ml_category(self, queryset: QuerySet[Application], name: str, value: Any) -> QuerySet[Application]:
        # Any goods line in the category; EXISTS keeps one row per case (a join would repeat it per line).
        if value is None:
            return queryset
        lines = GoodsLine.objects.filter(application=OuterRef("pk"), ml_category=value)
        return queryset.filter(Exists(lines))

    def filter_overdue(self, queryset: QuerySet[Application], name: str, value: bool) -> QuerySet[Application]:
        if not value:
            return queryset
        return cases_overdue(queryset, today=timezone.localdate())
