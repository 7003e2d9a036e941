"""The parameters of each report. A form parses what the user chose (or a stored run's parameters, which
are the same strings) and turns it into keyword arguments for the report's query module."""

from __future__ import annotations

from datetime import date
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.dates import MONTHS
from django.utils.translation import gettext_lazy as _

from parties.models import Bloc

from .queries.accession import PERIOD_REPORTS
from .queries.regions import BLOC_LABELS

ERR_PERIOD_ORDER = _("The end of the period must be on or after its start.")
ERR_AS_OF_FUTURE = _("The register cannot be shown as of a day that has not come yet.")
ERR_YEAR_ORDER = _("The last year must be the first year or later.")
FIRST_YEAR = 2015

MONTH_CHOICES = list(MONTHS.items())


def _year_field(label: Any) -> forms.IntegerField:
    return forms.IntegerField(label=label, min_value=FIRST_YEAR, max_value=2100)


class ReportForm(forms.Form):
    as_of = forms.DateField(
        label=_("Register as of"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_(
            "Empty: the register now. A date: the register as it stood at the end of that day, to reproduce an "
            "earlier answer."
        ),
    )

    def clean_as_of(self) -> date | None:
        as_of: date | None = self.cleaned_data.get("as_of")
        if as_of and as_of > timezone.localdate():
            raise forms.ValidationError(ERR_AS_OF_FUTURE)
        return as_of

    def parameters(self) -> dict[str, Any]:
        """The cleaned choices as JSON-safe strings and numbers (stored on a run), without as_of."""
        out: dict[str, Any] = {}
        for name, value in self.cleaned_data.items():
            if name == "as_of":
                continue
            out[name] = value.isoformat() if isinstance(value, date) else value
        return out

    def report_kwargs(self) -> dict[str, Any]:
        return {k: v for k, v in self.cleaned_data.items() if k != "as_of"}


class MonthForm(ReportForm):
    year = _year_field(_("Year"))
    month = forms.TypedChoiceField(label=_("Month"), choices=MONTH_CHOICES, coerce=int)
    field_order = ["year", "month", "as_of"]

    @staticmethod
    def initial_values(today: date) -> dict[str, Any]:
        previous = date(today.year, today.month, 1).toordinal() - 1
        last_month = date.fromordinal(previous)
        return {"year": last_month.year, "month": last_month.month}


class YearForm(ReportForm):
    year = _year_field(_("Year"))
    field_order = ["year", "as_of"]

    @staticmethod
    def initial_values(today: date) -> dict[str, Any]:
        return {"year": today.year - 1}


class YearRangeForm(ReportForm):
    year_from = _year_field(_("First year"))
    year_to = _year_field(_("Last year"))
    field_order = ["year_from", "year_to", "as_of"]

    @staticmethod
    def initial_values(today: date) -> dict[str, Any]:
        return {"year_from": today.year - 3, "year_to": today.year}

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("year_from") and data.get("year_to") and data["year_to"] < data["year_from"]:
            self.add_error("year_to", ERR_YEAR_ORDER)
        return data


class PeriodForm(ReportForm):
    date_from = forms.DateField(label=_("From"), widget=forms.DateInput(attrs={"type": "date"}))
    date_to = forms.DateField(label=_("Up to and including"), widget=forms.DateInput(attrs={"type": "date"}))
    field_order = ["date_from", "date_to", "as_of"]

    @staticmethod
    def initial_values(today: date) -> dict[str, Any]:
        return {
            "date_from": date(today.year - 2, 1, 1).isoformat(),
            "date_to": date(today.year - 1, 12, 31).isoformat(),
        }

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("date_from") and data.get("date_to") and data["date_to"] < data["date_from"]:
            self.add_error("date_to", ERR_PERIOD_ORDER)
        return data


class SharesForm(PeriodForm):
    bloc = forms.ChoiceField(
        label=_("Split in detail"),
        choices=[(b.value, BLOC_LABELS[b]) for b in (Bloc.NATO, Bloc.EU, Bloc.TREATY)],
        initial=Bloc.NATO.value,
        help_text=_("The summary always shows NATO, EU and treaty; the tables per year and ML category this one."),
    )
    field_order = ["date_from", "date_to", "bloc", "as_of"]

    @staticmethod
    def initial_values(today: date) -> dict[str, Any]:
        return {**PeriodForm.initial_values(today), "bloc": Bloc.NATO.value}


class AccessionForm(ReportForm):
    report = forms.ChoiceField(
        label=_("Report"),
        choices=[(slug, label) for slug, (label, _build) in PERIOD_REPORTS.items()],
        help_text=_("A report over a period, compared before and after."),
    )
    months = forms.IntegerField(
        label=_("Months on each side"), min_value=1, max_value=60, help_text=_("The length of each period.")
    )
    field_order = ["report", "months", "as_of"]

    @staticmethod
    def initial_values(today: date) -> dict[str, Any]:
        return {"report": "shares", "months": 12}


class ParliamentLetterSentForm(forms.Form):
    """Marking a letter to parliament sent: the day it went and its reference."""

    sent_on = forms.DateField(label=_("Sent on"), widget=forms.DateInput(attrs={"type": "date"}))
    reference = forms.CharField(
        label=_("Reference of the letter"), max_length=100, help_text=_("e.g. the Kamerstuk number.")
    )
    version = forms.IntegerField(widget=forms.HiddenInput)
