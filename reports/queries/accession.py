"""Before and after accession: a report's measures over two periods side by side, split at the day the home
state's treaty membership in force began.

Kamerstuk 22 054 nr. 401 promises that the degree of transparency, and the cabinet's sight of transactions,
do not change after accession; comparing the same measures before and after lets parliament check it. The
accession date is data: the home state's TREATY membership row in force on the report's day
(parties.memberships; ../shared/domain/README.md "Who is who": the Netherlands' accession is a dated row,
hypothetical in the demo until parliament approves). Without one, the report says so and compares nothing.

The periods are `months` calendar months each: [accession - months, accession - 1 day] and
[accession, accession + months - 1 day]. Any report over a period (from, to) can be compared; its tables are
joined row by row on their text columns, each number shown before and after.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta
from typing import Any

from dateutil.relativedelta import relativedelta
from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from parties.memberships import membership_in_force
from parties.models import Bloc

from ..tables import Chart, Column, Kind, Report, Table
from . import base
from .processing import processing_times
from .shares import export_shares
from .trend_charts import add_chart, percent_chart

# The reports over a period (date_from, date_to) that can be compared: slug -> (label, builder).
PERIOD_REPORTS: dict[str, tuple[Any, Callable[..., Report]]] = {
    "shares": (gettext_lazy("NATO/non-NATO share of licensed exports"), export_shares),
    "processing": (gettext_lazy("Processing times"), processing_times),
}
BEFORE, AFTER = "before", "after"


def accession_periods(on: date, *, months: int) -> tuple[date, tuple[date, date], tuple[date, date]] | None:
    """The accession date in force on `on` and the periods before and after it, or None (not a party)."""
    membership = membership_in_force(settings.REGISTER_HOME_STATE, Bloc.TREATY, on)
    if membership is None:
        return None
    accession = membership.since
    before = (accession - relativedelta(months=months), accession - timedelta(days=1))
    after = (accession, accession + relativedelta(months=months) - timedelta(days=1))
    return accession, before, after


@base.report_session
def accession_comparison(*, report: str, months: int, as_of: Any = None) -> Report:
    label, build = PERIOD_REPORTS[report]
    today = timezone.localtime(as_of or timezone.now()).date()
    periods = accession_periods(today, months=months)
    parameters = [(_("Report"), str(label)), (_("Months on each side"), str(months))]
    title = _("Before and after accession: %(report)s") % {"report": label}
    if periods is None:
        return Report(
            kind="accession",
            title=title,
            subtitle=_("not a treaty party"),
            as_of=as_of,
            parameters=parameters,
            tables=[],
            notes=[_("The Netherlands was not a treaty party on %(day)s: there is no accession to compare.") % {
                "day": today.isoformat()
            }],
        )  # fmt: skip
    accession, before, after = periods
    reports = {
        BEFORE: build(date_from=before[0], date_to=before[1], as_of=as_of),
        AFTER: build(date_from=after[0], date_to=after[1], as_of=as_of),
    }
    text = {
        BEFORE: _("%(from)s – %(to)s (before)") % {"from": before[0].isoformat(), "to": before[1].isoformat()},
        AFTER: _("%(from)s – %(to)s (after)") % {"from": after[0].isoformat(), "to": after[1].isoformat()},
    }
    comparison = Report(
        kind="accession",
        title=title,
        subtitle=_("accession %(day)s") % {"day": accession.isoformat()},
        as_of=as_of,
        parameters=[
            *parameters,
            (_("Accession date"), accession.isoformat()),
            *((_("Period"), t) for t in text.values()),
        ],
        tables=side_by_side(reports[BEFORE], reports[AFTER]),
        notes=[
            _(
                "The accession date is the start of the Netherlands' treaty membership in force on the report's "
                "day (a dated membership row; hypothetical until parliament approves accession)."
            ),
            _("Each number is shown for the period before and the period after; rows are matched on their labels."),
            *reports[AFTER].notes,
        ],
    )
    return add_chart(comparison, _before_after_chart(comparison))


def _before_after_chart(report: Report) -> Chart | None:
    """The first percentage of the comparison (the share outside NATO, within 20 working days, ...) before and
    after accession, per row of its table: the change is the point of this report."""
    for table in report.tables:
        share = next((c for c in table.columns if c.kind == Kind.PCT and c.key.endswith(f"__{BEFORE}")), None)
        label = table.row_header or next((c.key for c in table.columns if not c.kind.is_number), "")
        if share is None or not label or not table.rows:
            continue
        base = share.key.removesuffix(f"__{BEFORE}")
        measure = share.label.removesuffix(f" ({_('before')})")
        return percent_chart(
            report,
            table_key=table.key,
            label_key=label,
            series=[(share.key, _("Before accession")), (f"{base}__{AFTER}", _("After accession"))],
            title=_("%(measure)s, before and after accession") % {"measure": measure},
            intro=_("Bars per row of the table: %(measure)s in the period before and the period after accession.")
            % {"measure": measure},
            y_label=str(measure),
        )
    return None


def side_by_side(before: Report, after: Report) -> list[Table]:
    """Each table of `before` next to the same table of `after`: text columns as keys, numbers twice."""
    tables = []
    for table in before.tables:
        other = after.table(table.key)
        keys = [c for c in table.columns if not c.kind.is_number]
        numbers = [c for c in table.columns if c.kind.is_number]
        merged: dict[tuple[Any, ...], dict[str, Any]] = {}
        for side, rows in ((BEFORE, table.rows + table.footer), (AFTER, other.rows + other.footer)):
            for row in rows:
                key = tuple(row.get(c.key) for c in keys)
                cell = merged.setdefault(key, {c.key: row.get(c.key) for c in keys})
                cell.update({f"{c.key}__{side}": row.get(c.key) for c in numbers})
        columns = [
            *keys,
            *(
                Column(f"{c.key}__{side}", f"{c.label} ({label})", c.kind)
                for c in numbers
                for side, label in ((BEFORE, _("before")), (AFTER, _("after")))
            ),
        ]
        tables.append(
            Table(
                key=table.key,
                caption=table.caption,
                columns=columns,
                rows=list(merged.values()),
                note=table.note,
                row_header=table.row_header,
            )
        )
    return tables
