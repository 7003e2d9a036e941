"""General licences in a period: the registrations of companies to use them and the usage returns they filed.

Sources: Directive 2009/43/EC art. 5 and 8 (registration before first use, records, periodic reports) and the
register's own rules in general_licences: registrations (models, transitions), reporting periods (periods.py,
the one place that says when a return is due and overdue). Per general licence, for the period [first, last]:

- registered: registrations in effect on some day of the period: approved or suspended, taken effect on or before
  its last day, and their licence's last day (its validity, or the day it was withdrawn) on or after its first;
- new: of those, taken effect in the period; suspended: suspended at the end of the period; ended: their licence's
  last day falls in the period (a registration ends with its licence: general_licences has no other end);
- companies: the organisations holding those registrations;
- returns filed: usage returns filed in the period (the day in the register's time zone); overdue: the reporting
  periods of registrations in effect (approved) whose return was not filed at the end of the period and whose
  due day had passed by then (periods.ended_periods and Period.is_overdue: overdue from the day after the due day);
- what the returns report, per ML category, destination and unit as the holders filed them: the lines of returns
  for reporting periods starting in the period (as the annual report's general_licence_use counts them).

Statuses and validity are read as they stood at the end of the period (or at `as_of`, when that is earlier:
queries.snapshot); returns are never edited once filed, so "as of" counts those filed by that moment. The
confidential report (ReportKind.GL_REGISTRATIONS) adds the company per registration and per usage line.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from django.db.models import Count, Q, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from general_licences.models import (
    GeneralLicence,
    GeneralLicenceRegistration,
    GeneralLicenceStatus,
    RegistrationStatus,
    UsageReturn,
    UsageReturnLine,
)
from general_licences.periods import ended_periods
from parties.models import Organisation

from ..tables import Column, Kind, Report, Table, eur
from . import base
from .general_licence_use import usage_footer
from .names import country_names, ml_order
from .snapshot import Snapshot, day_range, end_of_day

IN_EFFECT = (RegistrationStatus.APPROVED, RegistrationStatus.SUSPENDED)


@dataclass(frozen=True)
class _Licence:
    pk: int
    reference: str
    title: str
    valid_from: date
    last_day: date | None  # its validity's last day, or the day it was withdrawn (None: open-ended)
    months: int
    due_days: int


@dataclass(frozen=True)
class _Registration:
    pk: int
    licence: _Licence
    organisation_id: int
    status: str
    active_from: date

    def in_effect_in(self, first: date, last: date) -> bool:
        return self.active_from <= last and (self.licence.last_day is None or self.licence.last_day >= first)

    def ended_in(self, first: date, last: date) -> bool:
        return self.licence.last_day is not None and first <= self.licence.last_day <= last


def _moment(last: date, as_of: datetime | None) -> datetime:
    """When the statuses are read: the end of the period's last day, or `as_of` when that is earlier."""
    end = end_of_day(last)
    return min(end, as_of) if as_of is not None else end


def _licences(snap: Snapshot, moment: datetime) -> dict[int, _Licence]:
    """The general licences as they stood, with the last day their registrations were in effect."""
    rows = list(
        snap.rows(GeneralLicence).values(
            "id", "reference", "title", "valid_from", "valid_until", "status", "return_period_months",
            "return_due_days",
        )
    )  # fmt: skip
    withdrawn_on = _withdrawal_days(moment, [r["id"] for r in rows if r["status"] == GeneralLicenceStatus.WITHDRAWN])
    licences = {}
    for r in rows:
        ends = [day for day in (r["valid_until"], withdrawn_on.get(r["id"])) if day is not None]
        licences[r["id"]] = _Licence(
            pk=r["id"],
            reference=r["reference"],
            title=r["title"],
            valid_from=r["valid_from"],
            last_day=min(ends) if ends else None,
            months=r["return_period_months"],
            due_days=r["return_due_days"],
        )
    return licences


def _withdrawal_days(moment: datetime, ids: list[int]) -> dict[int, date]:
    """The day each withdrawn licence was last withdrawn (its history: the first "withdrawn" row after the last
    "published" one, up to the moment). One query; none when nothing is withdrawn."""
    if not ids:
        return {}
    history: Any = GeneralLicence.history.model  # type: ignore[attr-defined]
    days: dict[int, date] = {}
    for pk, status, at in (
        history.objects.filter(id__in=ids, history_date__lte=moment)
        .order_by("id", "history_date", "history_id")
        .values_list("id", "status", "history_date")
    ):
        if status != GeneralLicenceStatus.WITHDRAWN:
            days.pop(pk, None)
        elif pk not in days:
            days[pk] = timezone.localdate(at)
    return days


def _registrations(snap: Snapshot, licences: dict[int, _Licence], first: date, last: date) -> list[_Registration]:
    """The registrations in effect on some day of the period, as they stood."""
    rows = (
        snap.rows(GeneralLicenceRegistration)
        .filter(status__in=IN_EFFECT, active_from__isnull=False, active_from__lte=last)
        .values("id", "licence_id", "organisation_id", "status", "active_from")
    )
    registrations = [
        _Registration(r["id"], licences[r["licence_id"]], r["organisation_id"], r["status"], r["active_from"])
        for r in rows
        if r["licence_id"] in licences
    ]
    return sorted((r for r in registrations if r.in_effect_in(first, last)), key=lambda r: (r.licence.reference, r.pk))


def _overdue(registration: _Registration, filed: set[date], day: date) -> int:
    """Reporting periods of a registration in effect whose return is missing and overdue on `day` (periods.py).
    A suspended holder files nothing while suspended (general_licences.transitions), so none of its are counted."""
    if registration.status != RegistrationStatus.APPROVED:
        return 0
    periods = ended_periods(
        registration.active_from,
        today=day,
        last_day=registration.licence.last_day,
        months=registration.licence.months,
        due_days=registration.licence.due_days,
    )
    return sum(1 for p in periods if p.start not in filed and p.is_overdue(day))


@dataclass
class _Figures:
    registered: int = 0
    new: int = 0
    suspended: int = 0
    ended: int = 0
    returns_filed: int = 0
    overdue: int = 0
    companies: set[int] = field(default_factory=set)

    def as_row(self) -> dict[str, Any]:
        return {
            "registered": self.registered,
            "new": self.new,
            "suspended": self.suspended,
            "ended": self.ended,
            "companies": len(self.companies),
            "returns_filed": self.returns_filed,
            "overdue": self.overdue,
        }


@dataclass(frozen=True)
class _Computed:
    licences: dict[int, _Licence]
    registrations: list[_Registration]
    overdue: dict[int, int]  # registration id -> periods overdue at the end
    filed_in_period: dict[tuple[int, int], int]  # (licence id, registration id) -> returns filed in the period
    usage: list[dict[str, Any]]  # lines grouped per registration, ML category, country and unit


def _compute(*, first: date, last: date, as_of: datetime | None) -> _Computed:
    """Four queries (five with a withdrawn licence), whatever the number of registrations and returns."""
    moment = _moment(last, as_of)
    snap = Snapshot(None if moment >= timezone.now() else moment)
    licences = _licences(snap, moment)
    registrations = _registrations(snap, licences, first, last)
    start, end = day_range(first, last)
    filed_by_then: dict[int, set[date]] = defaultdict(set)
    filed_in_period: dict[tuple[int, int], int] = defaultdict(int)
    returns = UsageReturn.objects.filter(filed_at__lte=moment).filter(
        Q(registration_id__in=[r.pk for r in registrations]) | Q(filed_at__gte=start, filed_at__lt=end)
    )
    # A return filed in the period counts even when its registration ended before the period began.
    for registration_id, licence_id, period_start, filed_at in returns.order_by().values_list(
        "registration_id", "registration__licence_id", "period_start", "filed_at"
    ):
        filed_by_then[registration_id].add(period_start)
        if start <= filed_at < end:
            filed_in_period[(licence_id, registration_id)] += 1
    day = timezone.localdate(moment)
    overdue = {r.pk: _overdue(r, filed_by_then[r.pk], day) for r in registrations}
    # Returns for the period's reporting periods are filed after they end: all filed by `as_of` count.
    lines = UsageReturnLine.objects.filter(usage_return__period_start__range=(first, last))
    if as_of is not None:
        lines = lines.filter(usage_return__filed_at__lte=as_of)
    usage: list[Any] = list(
        lines.values(
            "usage_return__registration_id",
            "usage_return__registration__licence_id",
            "usage_return__registration__organisation_id",
            "ml_category_id",
            "country_id",
            "unit",
        )
        .annotate(n=Count("pk"), quantity=Sum("quantity"), value=Sum("value_eur"))
        .order_by()
    )
    return _Computed(licences, registrations, overdue, dict(filed_in_period), usage)


def _by_licence(data: _Computed, first: date, last: date) -> list[dict[str, Any]]:
    figures: dict[int, _Figures] = {}

    def of(licence_id: int) -> _Figures:
        return figures.setdefault(licence_id, _Figures())

    for r in data.registrations:
        f = of(r.licence.pk)
        f.registered += 1
        f.new += first <= r.active_from <= last
        f.suspended += r.status == RegistrationStatus.SUSPENDED
        f.ended += r.ended_in(first, last)
        f.overdue += data.overdue[r.pk]
        f.companies.add(r.organisation_id)
    for (licence_id, _registration_id), n in data.filed_in_period.items():
        of(licence_id).returns_filed += n
    # Every licence in force on some day of the period has a row, with or without registrations.
    for known in data.licences.values():
        if known.valid_from <= last and (known.last_day is None or known.last_day >= first):
            of(known.pk)
    rows = []
    for licence_id, f in figures.items():
        licence = data.licences.get(licence_id)
        if licence is None:  # a licence created after the moment cannot have registrations then
            continue
        rows.append({"licence": licence.reference, "title": licence.title, **f.as_row()})
    return sorted(rows, key=lambda r: r["licence"])


def _count_columns() -> list[Column]:
    return [
        Column("registered", _("Registered in the period"), Kind.INT),
        Column("new", _("New in the period"), Kind.INT),
        Column("suspended", _("Suspended at the end"), Kind.INT),
        Column("ended", _("Ended in the period"), Kind.INT),
        Column("companies", _("Companies"), Kind.INT),
        Column("returns_filed", _("Returns filed in the period"), Kind.INT),
        Column("overdue", _("Returns overdue at the end"), Kind.INT),
    ]


def _licence_table(rows: list[dict[str, Any]]) -> Table:
    total: dict[str, Any] = {"licence": _("Total")}
    for key in ("registered", "new", "suspended", "ended", "returns_filed", "overdue"):
        total[key] = sum(r[key] for r in rows)
    return Table(
        key="general_licence_registrations",
        caption=_("Registrations for general licences and their usage returns"),
        columns=[Column("licence", _("General licence"), Kind.CODE), Column("title", _("Title")), *_count_columns()],
        rows=rows,
        # Companies are not summed: one company may hold several general licences.
        footer=[total] if rows else [],
        note=_(
            "Registered: in effect on some day of the period (suspended ones included); a registration ends with its "
            "general licence. Overdue: a return not filed by the end of the period, its due day passed."
        ),
        row_header="licence",
    )


def registrations_per_licence(*, first: date, last: date, as_of: datetime | None) -> Table:
    """The annual report's table: per general licence, the registration and return counts of the period."""
    data = _compute(first=first, last=last, as_of=as_of)
    return _licence_table(_by_licence(data, first, last))


@base.report_session
def general_licence_registrations(*, date_from: date, date_to: date, as_of: Any = None) -> Report:
    """The confidential report: the per-licence counts, each company's registrations, and what they reported."""
    data = _compute(first=date_from, last=date_to, as_of=as_of)
    organisations = dict(
        Organisation.objects.filter(
            pk__in={r.organisation_id for r in data.registrations}
            | {u["usage_return__registration__organisation_id"] for u in data.usage}
        ).values_list("pk", "name")
    )
    period = f"{date_from.isoformat()} – {date_to.isoformat()}"
    return Report(
        kind="gl_registrations",
        title=_("General licences: registrations and usage per company"),
        subtitle=period,
        as_of=as_of,
        parameters=[(_("Period"), period)],
        tables=[
            _licence_table(_by_licence(data, date_from, date_to)),
            _company_table(data, organisations, date_from, date_to),
            _usage_table(data, organisations),
        ],
        notes=[
            _("Statuses are those at the end of the period; returns count by the day they were filed."),
            _(
                "What was reported counts the returns for reporting periods that start in the period, as the "
                "holders filed them."
            ),
        ],
        confidential=True,
    )


def _company_table(data: _Computed, organisations: dict[int, str], first: date, last: date) -> Table:
    value: dict[int, Decimal] = defaultdict(Decimal)
    lines: dict[int, int] = defaultdict(int)
    for u in data.usage:
        value[u["usage_return__registration_id"]] += u["value"] or 0
        lines[u["usage_return__registration_id"]] += u["n"]
    labels = dict(RegistrationStatus.choices)
    rows = [
        {
            "licence": r.licence.reference,
            "company": organisations.get(r.organisation_id, str(r.organisation_id)),
            "status": str(labels[r.status]),
            "active_from": r.active_from,
            "ended_on": r.licence.last_day if r.ended_in(first, last) else None,
            "returns_filed": data.filed_in_period.get((r.licence.pk, r.pk), 0),
            "overdue": data.overdue[r.pk],
            "lines": lines[r.pk],
            "value_eur": eur(value[r.pk]),
        }
        for r in sorted(
            data.registrations, key=lambda r: (r.licence.reference, organisations.get(r.organisation_id, ""))
        )
    ]
    return Table(
        key="companies",
        caption=_("Registrations per company"),
        columns=[
            Column("licence", _("General licence"), Kind.CODE),
            Column("company", _("Company")),
            Column("status", _("Status at the end")),
            Column("active_from", _("In effect from"), Kind.DATE),
            Column("ended_on", _("Ended on"), Kind.DATE),
            Column("returns_filed", _("Returns filed in the period"), Kind.INT),
            Column("overdue", _("Returns overdue at the end"), Kind.INT),
            Column("lines", _("Lines reported"), Kind.INT),
            Column("value_eur", _("Value (EUR)"), Kind.EUR),
        ],
        rows=rows,
        row_header="company",
    )


def _usage_table(data: _Computed, organisations: dict[int, str]) -> Table:
    references = {pk: licence.reference for pk, licence in data.licences.items()}
    names = country_names(u["country_id"] for u in data.usage)
    order = ml_order()
    rows = [
        {
            "licence": references.get(u["usage_return__registration__licence_id"], ""),
            "company": organisations.get(u["usage_return__registration__organisation_id"], ""),
            "ml": u["ml_category_id"],
            "country": names.get(u["country_id"], u["country_id"]),
            "unit": u["unit"],
            "lines": u["n"],
            "quantity": u["quantity"],
            "value_eur": eur(u["value"]),
        }
        for u in data.usage
    ]
    rows.sort(key=lambda r: (r["licence"], r["company"], order.get(r["ml"], 99), r["country"], r["unit"]))
    return Table(
        key="usage",
        caption=_("What the holders reported, per ML category, destination and unit"),
        columns=[
            Column("licence", _("General licence"), Kind.CODE),
            Column("company", _("Company")),
            Column("ml", _("ML category"), Kind.CODE),
            Column("country", _("Destination")),
            Column("unit", _("Unit"), Kind.CODE),
            Column("lines", _("Lines reported"), Kind.INT),
            Column("quantity", _("Quantity"), Kind.DECIMAL),
            Column("value_eur", _("Value (EUR)"), Kind.EUR),
        ],
        rows=rows,
        footer=usage_footer(rows),
        row_header="company",
    )
