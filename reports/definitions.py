"""The reports the ministry can produce: for each, its parameters form, the capability it needs and the query
module that computes it. Views, the run service and the task all look reports up here."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from .forms import AccessionForm, MonthForm, PeriodForm, ReportForm, SharesForm, YearForm, YearRangeForm
from .models import ReportKind
from .queries.accession import accession_comparison
from .queries.annual import annual_report
from .queries.general_licence_registrations import general_licence_registrations
from .queries.monthly import monthly_overview
from .queries.processing import processing_times
from .queries.shares import export_shares
from .queries.treaty import treaty_transparency
from .queries.un_register import un_register_report
from .tables import Report

AGGREGATES = "reports.aggregates"
CONFIDENTIAL = "reports.confidential"


@dataclass(frozen=True)
class ReportDefinition:
    kind: ReportKind
    slug: str
    form: type[ReportForm]
    build: Callable[..., Report]
    capability: str
    summary: Promise

    @property
    def confidential(self) -> bool:
        return self.capability == CONFIDENTIAL

    @property
    def title(self) -> str:
        return str(self.kind.label)

    def bind(self, data: dict[str, Any] | None, *, today: date) -> ReportForm:
        """The form bound to `data`, or to the default parameters when there is none."""
        if not data or not any(k in data for k in self.form.base_fields if k != "as_of"):
            data = {**self.form.initial_values(today), **(data or {})}  # type: ignore[attr-defined]
        return self.form(data=data)

    def compute(self, form: ReportForm, *, as_of: datetime | None) -> Report:
        return self.build(**form.report_kwargs(), as_of=as_of)


def _monthly_confidential(**kwargs: Any) -> Report:
    return monthly_overview(**kwargs, confidential=True)


def _treaty_confidential(**kwargs: Any) -> Report:
    return treaty_transparency(**kwargs, confidential=True)


DEFINITIONS: dict[str, ReportDefinition] = {
    d.slug: d
    for d in (
        ReportDefinition(
            ReportKind.MONTHLY,
            "monthly",
            MonthForm,
            monthly_overview,
            AGGREGATES,
            _("Every decision of a month: goods, ML category, destination, value, end-user type, expiry, decision."),
        ),
        ReportDefinition(
            ReportKind.MONTHLY_CONFIDENTIAL,
            "monthly-confidential",
            MonthForm,
            _monthly_confidential,
            CONFIDENTIAL,
            _("The monthly overview with licence numbers, exporters and end users. Not for publication."),
        ),
        ReportDefinition(
            ReportKind.ANNUAL,
            "annual",
            YearForm,
            annual_report,
            AGGREGATES,
            _("Per destination and ML category: licences, values, actual exports, refusals and criteria (COARM)."),
        ),
        ReportDefinition(
            ReportKind.TREATY,
            "treaty",
            YearRangeForm,
            treaty_transparency,
            AGGREGATES,
            _("Component transfers to treaty partners, notifications, objections and consultations per year."),
        ),
        ReportDefinition(
            ReportKind.TREATY_CONFIDENTIAL,
            "treaty-confidential",
            YearRangeForm,
            _treaty_confidential,
            CONFIDENTIAL,
            _("The treaty report with each brake's export project, reasons and case. Not for publication."),
        ),
        ReportDefinition(
            ReportKind.SHARES,
            "shares",
            SharesForm,
            export_shares,
            AGGREGATES,
            _("The share of licensed exports outside NATO, the EU and the treaty, by year and ML category."),
        ),
        ReportDefinition(
            ReportKind.PROCESSING,
            "processing",
            PeriodForm,
            processing_times,
            AGGREGATES,
            _("First decisions within 20 and 60 working days, median days, open cases by age."),
        ),
        ReportDefinition(
            ReportKind.ACCESSION,
            "accession",
            AccessionForm,
            accession_comparison,
            AGGREGATES,
            _("A report's measures before and after the Netherlands' treaty accession date, side by side."),
        ),
        ReportDefinition(
            ReportKind.UN_REGISTER,
            "un-register",
            YearForm,
            un_register_report,
            AGGREGATES,
            _("Licences and actual exports per UN Register category (I–VII, small arms) and importing state."),
        ),
        ReportDefinition(
            ReportKind.GL_REGISTRATIONS,
            "general-licence-registrations",
            PeriodForm,
            general_licence_registrations,
            CONFIDENTIAL,
            _(
                "Per general licence and company: registrations in effect, suspended and ended, usage returns filed "
                "and overdue, and what was reported per ML category and destination. Not for publication."
            ),
        ),
    )
}
BY_KIND: dict[str, ReportDefinition] = {d.kind.value: d for d in DEFINITIONS.values()}
