"""Filters of the officer's work queue (django-filter, on GET). The querysets behind the choices and the search
and overdue rules come from licensing.selectors_queue, so this module only maps query parameters to them."""

from __future__ import annotations

import functools
import html
from typing import Any

import django_filters
from django import forms
from django.db.models import Exists, OuterRef, QuerySet
from django.forms.utils import flatatt
from django.utils import timezone
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext_lazy as _

from .models import Application, ApplicationStatus, GoodsLine, LicenceType
from .selectors_queue import (
    cases_answered,
    cases_awaiting_countersignature,
    cases_due_soon,
    cases_overdue,
    cases_search,
    ml_category_choices,
    queue_filter_choices,
)

DATE_INPUT = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
QUEUE_STATUSES = [(value, label) for value, label in ApplicationStatus.choices if value != ApplicationStatus.DRAFT]


class QuickSelect(forms.Select):
    """A <select> written in Python, with the markup of Django's template. Django renders each <option> through
    a template include and an attribute dict of its own, which for the 2,000 exporters of a national register
    costs more than the whole rest of the queue page; here the options are one string, built once per list."""

    def render(self, name: str, value: Any, attrs: dict[str, Any] | None = None, renderer: Any = None) -> SafeString:
        options = _options_html(tuple((str(key), str(label)) for key, label in self.choices))
        for selected in self.format_value(value):
            option = f'<option value="{html.escape(str(selected))}">'
            options = options.replace(option, option[:-1] + " selected>", 1)
        final_attrs = self.build_attrs(self.attrs, attrs)
        return format_html('<select name="{}"{}>{}</select>', name, flatatt(final_attrs), mark_safe(options))


@functools.lru_cache(maxsize=16)
def _options_html(choices: tuple[tuple[str, str], ...]) -> str:
    return "".join(f'<option value="{html.escape(key)}">{html.escape(label)}</option>' for key, label in choices)


class CaseQueueFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(
        label=_("Search"),
        method="filter_search",
        widget=forms.TextInput(attrs={"type": "search", "placeholder": _("Reference, exporter, party, goods")}),
    )
    status = django_filters.ChoiceFilter(
        label=_("Status"), choices=QUEUE_STATUSES, empty_label=_("Any status"), widget=QuickSelect
    )
    licence_type = django_filters.ChoiceFilter(
        label=_("Licence type"), choices=LicenceType.choices, empty_label=_("Any type"), widget=QuickSelect
    )
    destination = django_filters.ChoiceFilter(
        label=_("Destination"), choices=[], empty_label=_("Any country"), widget=QuickSelect
    )
    ml_category = django_filters.ModelChoiceFilter(
        label=_("ML category"),
        queryset=lambda request: ml_category_choices(),
        method="filter_ml_category",
        empty_label=_("Any category"),
        widget=QuickSelect,
    )
    organisation = django_filters.ChoiceFilter(
        label=_("Exporter"), choices=[], empty_label=_("Any exporter"), widget=QuickSelect
    )
    submitted_from = django_filters.DateFilter(
        label=_("Submitted from"), field_name="submitted_at", lookup_expr="date__gte", widget=DATE_INPUT
    )
    submitted_until = django_filters.DateFilter(
        label=_("Submitted until"), field_name="submitted_at", lookup_expr="date__lte", widget=DATE_INPUT
    )
    overdue = django_filters.BooleanFilter(label=_("Overdue only"), method="filter_overdue", widget=forms.CheckboxInput)
    due_soon = django_filters.BooleanFilter(
        label=_("Deadline within 10 working days"), method="filter_due_soon", widget=forms.CheckboxInput
    )
    answered = django_filters.BooleanFilter(
        label=_("Exporter answered"), method="filter_answered", widget=forms.CheckboxInput
    )
    countersign = django_filters.BooleanFilter(
        label=_("Awaiting countersignature"), method="filter_countersign", widget=forms.CheckboxInput
    )

    class Meta:
        model = Application
        fields: list[str] = []

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Read the lists once per request (cached, licensing.selectors_queue), and hand them over as callables:
        # a form deep-copies a list of 2,000 choices on every request, a callable it copies by reference.
        destinations, exporters = queue_filter_choices()
        self.filters["destination"].extra["choices"] = lambda: destinations
        self.filters["organisation"].extra["choices"] = lambda: exporters

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

    def filter_due_soon(self, queryset: QuerySet[Application], name: str, value: bool) -> QuerySet[Application]:
        return cases_due_soon(queryset, today=timezone.localdate()) if value else queryset

    def filter_answered(self, queryset: QuerySet[Application], name: str, value: bool) -> QuerySet[Application]:
        return cases_answered(queryset, today=timezone.localdate()) if value else queryset

    def filter_countersign(self, queryset: QuerySet[Application], name: str, value: bool) -> QuerySet[Application]:
        return cases_awaiting_countersignature(queryset) if value else queryset
