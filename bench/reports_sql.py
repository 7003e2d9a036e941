"""The yardstick of measurement 4 (issue 8): the annual report and the NATO/non-NATO share report written by
hand as plain SQL over the live tables - what a database specialist would write, no ORM - and a comparison
of their numbers with a computed report's.

`annual_sql(year)` and `shares_sql(date_from, date_to, bloc)` return the figures in a compact form that
`report_numbers(report)` also makes of a computed Report: table key -> row key -> the row's counts and euro
amounts, rows without any figure left out (the reports list some empty rows, the SQL does not). Row keys use
the reports' words (country names, region and bloc labels, from the reports' own label helpers): they are
labels, not figures. `compare(report, numbers)` lists where the two disagree, so the runner asserts equal
numbers before it compares times.

The live tables are the register as of any moment after its last change (reports.queries.snapshot), so the
SQL also yields the numbers of a report run as of the moment it was requested.

Membership is taken on the date of each decision (../shared/domain/README.md "Reporting to parliament"). The
statements read the flags licensing keeps on each licence and final refusal (licensing/destination_flags.py:
the rule's answer fixed at the decision); `flags_check` proves them equal to the rule first, written out here
as a join per licence to the closed interval [since, until] of parties.Membership (exact while no two
memberships of a country overlap, as in the reference data). The end destinations of treaty transfers and the
production countries of goods lines are not flagged: they are joined to the memberships here. The per-year
statements count and sum licences by their kept totals (Licence.total_value_eur); `totals_check` proves each
the sum of its goods lines first.

The statements are assembled from this module's own fragments (bloc codes and column names, never input) and
take every value as a query parameter; hence the S608 exemptions.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import connection
from django.utils import timezone
from django.utils.translation import gettext as _

from consultations.models.treaty import NotificationSubject, ObjectionStatus
from licensing.models import OPEN_STATUSES, LicenceType
from licensing.models.consultation import ConsultationOutcome
from licensing.models.treaty import TreatyRefusalGround
from parties.models import Bloc
from reports.calendar import working_calendar_ensure
from reports.queries import brakes
from reports.queries import treaty as treaty_report
from reports.queries.annual import YEARS_BACK, _region_labels
from reports.queries.base import parallel_report_session, report_session
from reports.queries.names import country_names
from reports.queries.regions import BLOC_LABELS
from reports.tables import Kind, Report

Numbers = dict[str, dict[tuple[str, ...], tuple[Any, ...]]]
BLOCS = ("NATO", "EU", "TREATY")


def _member(bloc: str, alias: str, dest: str, day: str) -> str:
    """LEFT JOIN of the `bloc` membership in force for country `dest` on `day`; `alias`.id IS NOT NULL: member."""
    return (
        f" LEFT JOIN parties_membership {alias} ON {alias}.country_id = {dest} AND {alias}.bloc = '{bloc}'"
        f" AND {alias}.since <= {day} AND ({alias}.until IS NULL OR {alias}.until >= {day})"
    )


def _kept(bloc: str, row: str) -> str:
    """The destination flag licensing keeps on a licence or refusal `row` (licensing.destination_flags)."""
    if bloc not in BLOCS:  # a column name from this module's constants, never input
        raise ValueError(bloc)
    return f"{row}.destination_{bloc.lower()}"


def _disagree(row: str, alias: str) -> str:
    return " OR ".join(f"{_kept(b, row)} IS DISTINCT FROM (m_{alias}{b.lower()}.id IS NOT NULL)" for b in BLOCS)


def _members(dest: str, day: str, alias: str) -> str:
    return "".join(_member(b, f"m_{alias}{b.lower()}", dest, day) for b in BLOCS)


LOCAL_DAY = "(l.issued_at AT TIME ZONE %(tz)s)::date"
REFUSED = """
    FROM licensing_decision d JOIN licensing_application a ON a.id = d.application_id
    WHERE d.status = 'final' AND d.outcome = 'refuse'
      AND coalesce(d.countersigned_at, d.proposed_at) >= %(start)s
      AND coalesce(d.countersigned_at, d.proposed_at) < %(end)s
"""
_DECIDED_DAY = "(coalesce(d.countersigned_at, d.proposed_at) AT TIME ZONE %(tz)s)::date"
# The local year of a licence's issue (a refusal's decision): placeholders that _with_years turns into a comparison
# with each local New Year midnight (as reports.queries.snapshot.local_year), not a time zone conversion per row.
ISSUE_YEAR = "/*issue year*/"
DECISION_YEAR = "/*decision year*/"


def _with_years(sql: str, params: dict[str, Any], *, first: int, last: int) -> tuple[str, dict[str, Any]]:
    """`sql` with its year placeholders written out for rows decided in [1 January `first`, 1 January `last` + 1)
    local time, and `params` with the New Year midnights they compare with."""

    def year(moment: str) -> str:
        whens = " ".join(f"WHEN {moment} < %(new_year_{y + 1})s THEN {y}" for y in range(first, last))
        return f"CASE {whens} ELSE {last} END" if whens else str(last)

    sql = sql.replace(ISSUE_YEAR, year("l.issued_at"))
    sql = sql.replace(DECISION_YEAR, year("coalesce(d.countersigned_at, d.proposed_at)"))
    return sql, params | {f"new_year_{y}": _midnight(date(y, 1, 1)) for y in range(first + 1, last + 1)}


# The yardsticks read the flags kept on licences and refusals (licensing.destination_flags); FLAGS_CHECK first
# proves them equal to the membership rule written out by hand (a join per licence, as the round-2 yardstick
# did): the licences issued and the refusals decided in [start, end) whose flags are missing or differ.
FLAGS_CHECK = f"""
    SELECT
      (SELECT count(*) FROM licensing_licence l {_members("l.destination_id", LOCAL_DAY, "l")}
       WHERE l.issued_at >= %(start)s AND l.issued_at < %(end)s AND ({_disagree("l", "l")})),
      (SELECT count(*) {REFUSED.replace("WHERE", _members("a.destination_id", _DECIDED_DAY, "d") + " WHERE")}
         AND ({_disagree("d", "d")}))
"""  # noqa: S608

# Annual report, the report year: per destination and ML category.
ANNUAL_ISSUED = """
    SELECT l.destination_id, g.ml_category_id, count(DISTINCT l.id), sum(g.value_eur)
    FROM licensing_licence l JOIN licensing_licensedgoods g ON g.licence_id = l.id
    WHERE l.issued_at >= %(start)s AND l.issued_at < %(end)s
    GROUP BY 1, 2
"""
ANNUAL_EXPORTS = """
    SELECT l.destination_id, g.ml_category_id, sum(s.value_eur)
    FROM licensing_shipment s JOIN licensing_licence l ON l.id = s.licence_id
    JOIN licensing_licensedgoods g ON g.id = s.licensed_goods_id
    WHERE s.shipped_on BETWEEN %(first_day)s AND %(last_day)s
    GROUP BY 1, 2
"""
ANNUAL_REFUSED = f"""
    SELECT a.destination_id, g.ml_category_id, count(DISTINCT d.application_id)
    {REFUSED.replace("WHERE", "JOIN licensing_goodsline g ON g.application_id = d.application_id WHERE")}
    GROUP BY 1, 2
"""
ANNUAL_CRITERIA = f"""
    SELECT a.destination_id, dc.criterion_id, count(DISTINCT d.id)
    {REFUSED.replace("WHERE", "JOIN licensing_decision_criteria dc ON dc.decision_id = d.id WHERE")}
    GROUP BY 1, 2
"""
# The licences issued in [start, end) whose kept total (Licence.total_value_eur) is not the sum of their goods
# lines, or that have none: TOTALS_CHECK must count 0 before the yardsticks below read the totals, as FLAGS_CHECK
# for the flags.
TOTALS_CHECK = """
    SELECT count(*)
    FROM licensing_licence l
    LEFT JOIN LATERAL (SELECT sum(g.value_eur) AS value FROM licensing_licensedgoods g WHERE g.licence_id = l.id) v
      ON true
    WHERE l.issued_at >= %(start)s AND l.issued_at < %(end)s AND v.value IS DISTINCT FROM l.total_value_eur
"""
# Annual report, the five years: per (year, destination, EU, NATO), licences with their totals.
YEARS_ISSUED = f"""
    SELECT {ISSUE_YEAR}, l.destination_id, {_kept("EU", "l")}, {_kept("NATO", "l")},
           count(*), sum(l.total_value_eur)
    FROM licensing_licence l
    WHERE l.issued_at >= %(span_start)s AND l.issued_at < %(end)s
    GROUP BY 1, 2, 3, 4
"""  # noqa: S608
YEARS_EXPORTS = f"""
    SELECT extract(year FROM s.shipped_on)::int, l.destination_id, {_kept("EU", "l")}, {_kept("NATO", "l")},
           sum(s.value_eur)
    FROM licensing_shipment s JOIN licensing_licence l ON l.id = s.licence_id
    WHERE s.shipped_on BETWEEN %(span_first_day)s AND %(last_day)s
    GROUP BY 1, 2, 3, 4
"""  # noqa: S608
YEARS_REFUSED = f"""
    SELECT {DECISION_YEAR}, a.destination_id, {_kept("EU", "d")}, {_kept("NATO", "d")},
           count(*)
    {REFUSED}
      AND EXISTS (SELECT 1 FROM licensing_goodsline g WHERE g.application_id = d.application_id)
    GROUP BY 1, 2, 3, 4
"""  # noqa: S608

# Share report: per (year, destination, NATO, EU, treaty) licences with the sum of their goods; per (year, ML
# category, destination, the chosen bloc) licences and goods.
SHARES_TOTALS = f"""
    SELECT {ISSUE_YEAR}, l.destination_id, {", ".join(_kept(b, "l") for b in BLOCS)},
           count(*), sum(l.total_value_eur)
    FROM licensing_licence l
    WHERE l.issued_at >= %(start)s AND l.issued_at < %(end)s
    GROUP BY 1, 2, 3, 4, 5
"""  # noqa: S608


def _shares_by_ml(bloc: str) -> str:
    return f"""
        SELECT {ISSUE_YEAR}, g.ml_category_id, l.destination_id, {_kept(bloc, "l")},
               count(DISTINCT l.id), sum(g.value_eur)
        FROM licensing_licence l JOIN licensing_licensedgoods g ON g.licence_id = l.id
        WHERE l.issued_at >= %(start)s AND l.issued_at < %(end)s
        GROUP BY 1, 2, 3, 4
    """  # noqa: S608


def _sold_on(bloc: str) -> str:
    """Treaty component licences issued in the period to an integrator inside `bloc` of which some intended end
    destination was outside it on the decision date: id, year, Dutch content (reports.queries.shares._sold_on)."""
    return f"""
        SELECT l.id, {ISSUE_YEAR} AS year, sum(g.value_eur) AS value
        FROM licensing_licence l JOIN licensing_licensedgoods g ON g.licence_id = l.id
        WHERE l.issued_at >= %(start)s AND l.issued_at < %(end)s AND l.licence_type = 'treaty_component'
          AND {_kept(bloc, "l")}
          AND EXISTS (
            SELECT 1 FROM licensing_treatytransfer t
            JOIN licensing_treatytransfer_end_destinations e ON e.treatytransfer_id = t.id
            {_member(bloc, "m_end", "e.country_id", LOCAL_DAY)}
            WHERE t.application_id = l.application_id AND m_end.id IS NULL)
        GROUP BY 1, 2
    """  # noqa: S608


def _production(bloc: str) -> str:
    """Per year: the goods produced in `bloc` member states (production country, empty = the home state), of
    those the goods going outside by destination or sold on, and for several destinations; the goods produced
    outside (reports.queries.production)."""
    return f"""
        WITH sold_on AS ({_sold_on(bloc)})
        SELECT {ISSUE_YEAR},
               sum(g.value_eur) FILTER (WHERE m_made.id IS NOT NULL),
               sum(g.value_eur) FILTER (WHERE m_made.id IS NOT NULL AND l.destination_id IS NOT NULL
                                          AND (NOT {_kept(bloc, "l")} OR s.id IS NOT NULL)),
               sum(g.value_eur) FILTER (WHERE m_made.id IS NOT NULL AND l.destination_id IS NULL),
               sum(g.value_eur) FILTER (WHERE m_made.id IS NULL)
        FROM licensing_licence l JOIN licensing_licensedgoods g ON g.licence_id = l.id
        JOIN licensing_goodsline gl ON gl.id = g.goods_line_id
        {_member(bloc, "m_made", "coalesce(gl.production_country_id, %(home)s)", LOCAL_DAY)}
        LEFT JOIN sold_on s ON s.id = l.id
        WHERE l.issued_at >= %(start)s AND l.issued_at < %(end)s
        GROUP BY 1
    """  # noqa: S608


def _rows(sql: str, params: dict[str, Any]) -> list[tuple[Any, ...]]:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def _midnight(day: date) -> datetime:
    return datetime.combine(day, time.min, tzinfo=ZoneInfo(settings.TIME_ZONE))


def _regions(dest: str | None, eu: bool, nato: bool) -> list[str]:
    """The region rows a figure counts towards (as reports.queries.annual): EU and NATO overlap."""
    if dest is None:
        return ["several", "all"]
    return ["all"] + (["eu"] if eu else []) + (["nato"] if nato else []) + ([] if eu or nato else ["neither"])


def _nonzero(rows: dict[tuple[str, ...], tuple[Any, ...]]) -> dict[tuple[str, ...], tuple[Any, ...]]:
    return {key: figures for key, figures in rows.items() if any(figures)}


@parallel_report_session  # the annual report's own session settings: the comparison is of the statements
def annual_sql(year: int) -> Numbers:
    """The annual report's figures (reports.queries.annual.annual_report), by hand."""
    first_year = year - YEARS_BACK
    params = {
        "tz": settings.TIME_ZONE,
        "start": _midnight(date(year, 1, 1)),
        "end": _midnight(date(year + 1, 1, 1)),
        "span_start": _midnight(date(first_year, 1, 1)),
        "first_day": date(year, 1, 1),
        "last_day": date(year, 12, 31),
        "span_first_day": date(first_year, 1, 1),
    }
    zero = [0, Decimal(0), Decimal(0), 0]
    cells: dict[tuple[str | None, str], list[Any]] = defaultdict(lambda: list(zero))
    for dest, ml, n, value in _rows(ANNUAL_ISSUED, params):
        cells[(dest, ml)][0:2] = [n, value]
    for dest, ml, value in _rows(ANNUAL_EXPORTS, params):
        cells[(dest, ml)][2] = value
    for dest, ml, n in _rows(ANNUAL_REFUSED, params):
        cells[(dest, ml)][3] = n
    criteria = {(dest, str(number)): n for dest, number, n in _rows(ANNUAL_CRITERIA, params)}
    per_dest: dict[str | None, list[Any]] = defaultdict(lambda: list(zero))
    years: dict[tuple[int, str], list[Any]] = defaultdict(lambda: list(zero))

    def add(y: int, dest: str | None, eu: bool, nato: bool, index: int, amount: Any) -> None:
        if y == year:
            per_dest[dest][index] += amount
        for region in _regions(dest, eu, nato):
            years[(y, region)][index] += amount

    for y, dest, eu, nato, n, value in _rows(*_with_years(YEARS_ISSUED, params, first=first_year, last=year)):
        add(y, dest, eu, nato, 0, n)
        add(y, dest, eu, nato, 1, value)
    for y, dest, eu, nato, value in _rows(YEARS_EXPORTS, params):
        add(y, dest, eu, nato, 2, value)
    for y, dest, eu, nato, n in _rows(
        *_with_years(YEARS_REFUSED, {**params, "start": params["span_start"]}, first=first_year, last=year)
    ):
        add(y, dest, eu, nato, 3, n)

    names = country_names({d for d, _ml in cells} | set(per_dest) | {d for d, _c in criteria})
    labels = _region_labels()
    return {
        "by_destination_ml": _nonzero({(names[d], ml): tuple(f) for (d, ml), f in cells.items()}),
        "by_destination": _nonzero({(names[d],): tuple(f) for d, f in per_dest.items()}),
        "criteria": _nonzero({(names[d], c): (n,) for (d, c), n in criteria.items()}),
        "regions": _nonzero({(labels[r],): tuple(f) for (y, r), f in years.items() if y == year}),
        "years": _nonzero({(str(y), labels[r]): tuple(f) for (y, r), f in years.items()}),
    }


def _share_figures(buckets: dict[str, list[Any]]) -> tuple[Any, ...]:
    """(licences, outside, value, value outside, several, value several) from member/non_member/unattributed."""
    total_n = sum(b[0] for b in buckets.values())
    total_v = sum((b[1] for b in buckets.values()), Decimal(0))
    outside, several = buckets.get("non_member", [0, Decimal(0)]), buckets.get("unattributed", [0, Decimal(0)])
    return (total_n, outside[0], total_v, outside[1], several[0], several[1])


def _bucket(dest: str | None, member: bool) -> str:
    return "unattributed" if dest is None else ("member" if member else "non_member")


@parallel_report_session  # as the share report
def shares_sql(date_from: date, date_to: date, bloc: str = "NATO") -> Numbers:
    """The share report's figures (reports.queries.shares.export_shares), by hand."""
    params = {
        "tz": settings.TIME_ZONE,
        "start": _midnight(date_from),
        "end": _midnight(date_to + timedelta(days=1)),
    }

    def years(sql: str, params: dict[str, Any]) -> tuple[str, dict[str, Any]]:
        return _with_years(sql, params, first=date_from.year, last=date_to.year)

    summary: dict[str, dict[str, list[Any]]] = defaultdict(lambda: defaultdict(lambda: [0, Decimal(0)]))
    per_year: dict[int, dict[str, list[Any]]] = defaultdict(lambda: defaultdict(lambda: [0, Decimal(0)]))
    for y, dest, nato, eu, treaty, n, value in _rows(*years(SHARES_TOTALS, params)):
        flags = {"NATO": nato, "EU": eu, "TREATY": treaty}
        for each in BLOCS:
            figures = summary[each][_bucket(dest, flags[each])]
            figures[0] += n
            figures[1] += value
        year_figures = per_year[y][_bucket(dest, flags[bloc])]
        year_figures[0] += n
        year_figures[1] += value
    per_ml: dict[tuple[int, str], dict[str, list[Any]]] = defaultdict(lambda: defaultdict(lambda: [0, Decimal(0)]))
    for y, ml, dest, member, n, value in _rows(*years(_shares_by_ml(bloc), params)):
        figures = per_ml[(y, ml)][_bucket(dest, member)]
        figures[0] += n
        figures[1] += value
    sold_on: dict[int, list[Any]] = defaultdict(lambda: [0, Decimal(0)])
    for _licence, y, value in _rows(*years(_sold_on(bloc), params)):
        sold_on[y][0] += 1
        sold_on[y][1] += value
    sold_on_rows: dict[tuple[str, ...], tuple[Any, ...]] = {}
    for y, buckets in per_year.items():
        total_v = sum((b[1] for b in buckets.values()), Decimal(0))
        outside = buckets.get("non_member", [0, Decimal(0)])[1]
        extra = sold_on[y]
        sold_on_rows[(str(y),)] = (total_v, outside, extra[0], extra[1], outside + extra[1])
    production: dict[tuple[str, ...], tuple[Any, ...]] = {
        (str(y),): tuple(v or Decimal(0) for v in values)
        for y, *values in _rows(*years(_production(bloc), {**params, "home": settings.REGISTER_HOME_STATE}))
    }
    return {
        "summary": _nonzero({(str(BLOC_LABELS[Bloc(b)]),): _share_figures(summary[b]) for b in BLOCS}),
        "by_year": _nonzero({(str(y),): _share_figures(b) for y, b in per_year.items()}),
        "by_ml": _nonzero({(str(y), ml): _share_figures(b) for (y, ml), b in per_ml.items()}),
        "sold_on": _nonzero(sold_on_rows),
        "by_production": _nonzero(production),
    }


@report_session
def flags_check(date_from: date, date_to: date) -> tuple[int, int]:
    """(licences, refusals) decided in [date_from, date_to] whose kept destination flags are missing or differ
    from the membership rule on the decision date, written out by hand: both must be 0 for the yardsticks, which
    read the flags, to be the rule's numbers."""
    params = {"tz": settings.TIME_ZONE, "start": _midnight(date_from), "end": _midnight(date_to + timedelta(days=1))}
    licences, refusals = _rows(FLAGS_CHECK, params)[0]
    return int(licences), int(refusals)


@report_session
def totals_check(date_from: date, date_to: date) -> int:
    """Licences issued in [date_from, date_to] whose kept total is not the sum of their goods lines, or that have
    no goods line: must be 0 for the yardsticks (and reports.queries.base.issued_licences), which count and sum
    licences by their totals, to be the goods' numbers."""
    params = {"start": _midnight(date_from), "end": _midnight(date_to + timedelta(days=1))}
    return int(_rows(TOTALS_CHECK, params)[0][0])


# The figures compared per table of a computed report, in the order the SQL gives them.
ANNUAL_FIGURES = ("licences", "value_eur", "exports_eur", "refusals")
SHARE_FIGURES = (
    "licences",
    "licences_outside",
    "value_eur",
    "value_outside_eur",
    "licences_several",
    "value_several_eur",
)


# The share report's two tables of their own figures.
TABLE_FIGURES = {
    "sold_on": ("value_eur", "value_outside_eur", "sold_on_licences", "sold_on_eur", "outside_with_sold_on_eur"),
    "by_production": ("produced_eur", "outside_eur", "several_eur", "other_eur"),
}


def report_numbers(report: Report) -> Numbers:
    """A computed annual or share report's figures in the form annual_sql and shares_sql return."""
    numbers: Numbers = {}
    for table in report.tables:
        labels = [c.key for c in table.columns if not c.kind.is_number]
        if report.kind == "annual" and table.key == "criteria":
            numbers[table.key] = {
                (row["destination"], c.key[1:]): (row[c.key],)
                for row in table.rows
                for c in table.columns
                if c.kind == Kind.INT and row[c.key]
            }
            continue
        figures = TABLE_FIGURES.get(table.key) or (ANNUAL_FIGURES if report.kind == "annual" else SHARE_FIGURES)
        if not set(figures) <= {c.key for c in table.columns}:
            continue  # a table the SQL does not compute (the annual report's general licence use)
        rows = {tuple(str(row[k]) for k in labels): tuple(row[f] for f in figures) for row in table.rows}
        numbers[table.key] = _nonzero(rows)
    return numbers


def compare(report: Report, numbers: Numbers) -> list[str]:
    """Where a computed report and the hand-written SQL's numbers disagree (empty when they agree)."""
    return differences(report_numbers(report), numbers)


# Processing times (reports.queries.processing): first decisions in the period with the working days from the
# clock's start (receipt + suspended days, Awb 4:15) to the local decision day, counted by the calendar table
# (reports.calendar: number(end) - number(start)); per licence type and month and per type in one pass.
PROCESSING = """
    WITH t AS (
        SELECT d.id, a.licence_type AS kind, to_char(x.decided AT TIME ZONE %(tz)s, 'YYYY-MM') AS month,
               e.number - s.number AS days
        FROM licensing_decision d JOIN licensing_application a ON a.id = d.application_id
        CROSS JOIN LATERAL (SELECT coalesce(d.countersigned_at, d.proposed_at) AS decided) x
        LEFT JOIN reports_workingday r ON r.day = a.received_on
        LEFT JOIN reports_workingday s ON s.ordinal = r.ordinal + a.suspended_days
        LEFT JOIN reports_workingday e ON e.day = (x.decided AT TIME ZONE %(tz)s)::date
        WHERE d.status = 'final' AND x.decided >= %(start)s AND x.decided < %(end)s AND a.received_on IS NOT NULL
    )
    SELECT kind, month, GROUPING(month), count(*), count(*) FILTER (WHERE days <= 20),
           count(*) FILTER (WHERE days <= 60), percentile_cont(0.5) WITHIN GROUP (ORDER BY days)
    FROM t GROUP BY GROUPING SETS ((kind, month), (kind))
"""
OPEN_CASES = """
    SELECT a.licence_type, count(*),
           count(*) FILTER (WHERE %(today)s - w.number BETWEEN 0 AND 20),
           count(*) FILTER (WHERE %(today)s - w.number BETWEEN 21 AND 40),
           count(*) FILTER (WHERE %(today)s - w.number BETWEEN 41 AND 60),
           count(*) FILTER (WHERE %(today)s - w.number >= 61)
    FROM licensing_application a LEFT JOIN reports_workingday w ON w.day = a.received_on
    WHERE a.status = ANY(%(open)s) AND a.received_on IS NOT NULL
    GROUP BY 1
"""
PROCESSING_FIGURES = ("decisions", "within_first", "within_second", "median_days")
OPEN_FIGURES = ("total", "age_from_0", "age_from_21", "age_from_41", "age_from_61")


@report_session
def processing_sql(date_from: date, date_to: date) -> Numbers:
    """The processing-times report's figures (reports.queries.processing.processing_times), by hand, live."""
    working_calendar_ensure(until=max(timezone.localdate(), date_to))  # as the report: the calendar table exists
    labels = {value: str(label) for value, label in LicenceType.choices}
    params = {
        "tz": timezone.get_current_timezone_name(),
        "start": _midnight(date_from),
        "end": _midnight(date_to + timedelta(days=1)),
    }
    by_type: dict[tuple[str, ...], tuple[Any, ...]] = {}
    by_month: dict[tuple[str, ...], tuple[Any, ...]] = {}
    for kind, month, per_type, n, first, second, median in _rows(PROCESSING, params):
        figures = (n, first, second, None if median is None else Decimal(str(median)).quantize(Decimal("0.1")))
        if per_type:
            by_type[(labels.get(kind, kind),)] = figures
        else:
            by_month[(labels.get(kind, kind), month)] = figures
    today = _rows("SELECT number FROM reports_workingday WHERE day = %(day)s", {"day": timezone.localdate()})
    open_params = {"today": today[0][0] if today else 0, "open": sorted(str(s) for s in OPEN_STATUSES)}
    open_cases: dict[tuple[str, ...], tuple[Any, ...]] = {
        (labels.get(kind, kind),): tuple(counts) for kind, *counts in _rows(OPEN_CASES, open_params)
    }
    return {"by_type": _nonzero(by_type), "by_month": _nonzero(by_month), "open_cases": _nonzero(open_cases)}


def processing_numbers(report: Report) -> Numbers:
    """A computed processing-times report's figures in the form processing_sql returns."""
    numbers: Numbers = {}
    for key, labels, figures in (
        ("by_type", ("licence_type",), PROCESSING_FIGURES),
        ("by_month", ("licence_type", "month"), PROCESSING_FIGURES),
        ("open_cases", ("licence_type",), OPEN_FIGURES),
    ):
        rows = report.table(key).rows
        numbers[key] = _nonzero({tuple(str(r[k]) for k in labels): tuple(r[f] for f in figures) for r in rows})
    return numbers


def differences(computed: Numbers, numbers: Numbers) -> list[str]:
    """Where two sets of numbers disagree (empty when they agree)."""
    problems = []
    for table in sorted(set(computed) | set(numbers)):
        mine, theirs = computed.get(table, {}), numbers.get(table, {})
        for key in sorted(set(mine) | set(theirs)):
            if mine.get(key) != theirs.get(key):
                problems.append(f"{table} {key}: report {mine.get(key)} != SQL {theirs.get(key)}")
    return problems


# Treaty transparency (reports.queries.treaty): the treaty component licences issued in the years, each with the
# sum of its goods, its de minimis result and its treaty transfer (LEFT JOIN: a licence without recorded
# details counts as not de minimis); then per (year, partner, de minimis) and per year with its end destinations'
# treaty and NATO membership on the licence's issue day, in one GROUPING SETS pass.
_TREATY_LICENCES = f"""
    SELECT l.id, {LOCAL_DAY} AS day, extract(year FROM {LOCAL_DAY})::int AS year, l.destination_id AS dest,
           t.id AS transfer,
           coalesce(t.de_minimis, false) AS de_minimis, sum(g.value_eur) AS value
    FROM licensing_licence l JOIN licensing_licensedgoods g ON g.licence_id = l.id
    LEFT JOIN licensing_treatytransfer t ON t.application_id = l.application_id
    WHERE l.issued_at >= %(start)s AND l.issued_at < %(end)s AND l.licence_type = 'treaty_component'
    GROUP BY l.id, t.id
"""  # noqa: S608


def _end_outside(bloc: str) -> str:
    """Some end destination of the licence's transfer was outside `bloc` on the issue day."""
    return f"""EXISTS (SELECT 1 FROM licensing_treatytransfer_end_destinations e
                       {_member(bloc, "m", "e.country_id", "tl.day")}
                       WHERE e.treatytransfer_id = tl.transfer AND m.id IS NULL)"""  # noqa: S608


TREATY_TRANSFERS = f"""
    WITH tl AS ({_TREATY_LICENCES})
    SELECT tl.year, tl.dest, tl.de_minimis, GROUPING(tl.dest), count(*), sum(tl.value),
           count(*) FILTER (WHERE EXISTS (SELECT 1 FROM licensing_treatytransfer_end_destinations e
                                          WHERE e.treatytransfer_id = tl.transfer)),
           coalesce(sum(tl.value) FILTER (WHERE {_end_outside("TREATY")}), 0),
           coalesce(sum(tl.value) FILTER (WHERE {_end_outside("NATO")}), 0)
    FROM tl GROUP BY GROUPING SETS ((tl.year, tl.dest, tl.de_minimis), (tl.year))
"""  # noqa: S608
TREATY_END_DESTINATIONS = f"""
    WITH tl AS ({_TREATY_LICENCES})
    SELECT tl.year, e.country_id, m_treaty.id IS NOT NULL, m_nato.id IS NOT NULL,
           m_eu.id IS NOT NULL, count(*), sum(tl.value)
    FROM tl JOIN licensing_treatytransfer_end_destinations e ON e.treatytransfer_id = tl.transfer
    {_member("TREATY", "m_treaty", "e.country_id", "tl.day")}{_member("NATO", "m_nato", "e.country_id", "tl.day")}
    {_member("EU", "m_eu", "e.country_id", "tl.day")}
    GROUP BY 1, 2, 3, 4, 5
"""  # noqa: S608
TREATY_REFUSALS = f"""
    SELECT extract(year FROM {_DECIDED_DAY})::int, a.destination_id, count(*)
    {REFUSED}
      AND a.licence_type = 'treaty_component'
      AND EXISTS (SELECT 1 FROM licensing_goodsline g WHERE g.application_id = d.application_id)
    GROUP BY 1, 2
"""  # noqa: S608
TREATY_NOTIFICATIONS = """
    SELECT extract(year FROM n.received_on)::int, count(*) FILTER (WHERE n.direction = 'incoming'),
           count(*) FILTER (WHERE n.direction <> 'incoming'),
           count(*) FILTER (WHERE EXISTS (SELECT 1 FROM consultations_objection o WHERE o.notification_id = n.id
                                            AND o.status IN ('sent', 'received'))),
           count(*) FILTER (WHERE n.status = 'no_objection_in_time')
    FROM consultations_treatynotification n
    WHERE n.received_on BETWEEN %(first_day)s AND %(last_day)s
    GROUP BY 1
"""
# Objections sent or received in the years, with their notification, consultation and programme: counted per
# (year, direction, ground, outcome) by the caller, and listed as the brake register.
TREATY_OBJECTIONS = """
    SELECT coalesce(o.sent_on, o.received_on), o.status, o.ground, n.counterpart_id, n.third_country_id,
           n.subject_kind, p.name, n.received_on, c.opened_on, c.concluded_on, coalesce(c.outcome, '')
    FROM consultations_objection o JOIN consultations_treatynotification n ON n.id = o.notification_id
    LEFT JOIN consultations_consultation c ON c.id = o.consultation_id
    LEFT JOIN consultations_programme p ON p.id = n.programme_id
    WHERE (o.status = 'sent' AND o.sent_on BETWEEN %(first_day)s AND %(last_day)s)
       OR (o.status = 'received' AND o.received_on BETWEEN %(first_day)s AND %(last_day)s)
    ORDER BY 1, o.id
"""
TREATY_CONSULTATIONS = """
    SELECT extract(year FROM c.opened_on)::int, count(*), count(*) FILTER (WHERE c.status = 'concluded'),
           avg(c.concluded_on - c.opened_on) FILTER (WHERE c.status = 'concluded'),
           max(c.concluded_on - c.opened_on) FILTER (WHERE c.status = 'concluded'),
           max(%(today)s - c.opened_on) FILTER (WHERE c.status = 'open')
    FROM consultations_consultation c
    WHERE c.kind = 'high_level' AND c.opened_on BETWEEN %(first_day)s AND %(last_day)s
    GROUP BY 1
"""


@report_session
def treaty_sql(year_from: int, year_to: int) -> Numbers:
    """The treaty transparency report's figures (reports.queries.treaty.treaty_transparency), by hand, live."""
    today = timezone.localdate()
    params = {
        "tz": settings.TIME_ZONE,
        "start": _midnight(date(year_from, 1, 1)),
        "end": _midnight(date(year_to + 1, 1, 1)),
        "first_day": date(year_from, 1, 1),
        "last_day": date(year_to, 12, 31),
        "today": today,
    }
    per_year: dict[str, list[Any]] = {}
    per_partner: dict[tuple[str, str | None], list[Any]] = defaultdict(lambda: [0, Decimal(0), 0, Decimal(0), 0])
    summary: dict[tuple[str, ...], tuple[Any, ...]] = {}
    for y, dest, de_minimis, by_year, n, value, recorded, third, outside_nato in _rows(TREATY_TRANSFERS, params):
        if by_year:  # the (year) grouping set: every licence of the year
            summary[(str(y),)] = (n, value, recorded, third, outside_nato)
            continue
        row = per_partner[(str(y), dest)]
        row[0 if de_minimis else 2] += n
        row[1 if de_minimis else 3] += value
    for y, dest, n in _rows(TREATY_REFUSALS, params):
        per_partner[(str(y), dest)][4] += n
    for (y, _dest), figures in per_partner.items():
        total = per_year.setdefault(y, [0, Decimal(0), 0, Decimal(0), 0])
        per_year[y] = [a + b for a, b in zip(total, figures, strict=True)]
    destinations = _rows(TREATY_END_DESTINATIONS, params)
    objections = _rows(TREATY_OBJECTIONS, params)
    names = country_names(
        {dest for _y, dest in per_partner}
        | {row[1] for row in destinations}
        | {row[3] for row in objections}
        | {row[4] for row in objections}
    )
    yes, no = _("Yes"), _("No")
    end_destinations: dict[tuple[str, ...], list[Any]] = defaultdict(lambda: [0, Decimal(0)])
    for y, country, treaty_party, nato, _eu, n, value in destinations:
        cell = end_destinations[(str(y), names[country], no if treaty_party else yes, yes if nato else no)]
        cell[0] += n
        cell[1] += value
    notifications: dict[tuple[str, ...], tuple[Any, ...]] = {
        (str(y),): tuple(figures) for y, *figures in _rows(TREATY_NOTIFICATIONS, params)
    }
    directions = treaty_report.direction_labels()
    grounds = dict(TreatyRefusalGround.choices)
    outcomes = [str(o) for o in treaty_report.OBJECTION_OUTCOMES]
    counted: dict[tuple[str, ...], list[int]] = defaultdict(lambda: [0] * (2 + len(outcomes)))
    register: dict[tuple[str, ...], list[int]] = defaultdict(lambda: [0])
    brake_directions = brakes.direction_labels()
    subjects, outcome_labels = dict(NotificationSubject.choices), dict(ConsultationOutcome.choices)
    for day, status, ground, counterpart, third, kind, programme, aware, opened, concluded, outcome in objections:
        direction = treaty_report.MADE if status == ObjectionStatus.SENT else treaty_report.RECEIVED
        figures = counted[(str(day.year), str(directions[direction]), str(grounds.get(ground, ground)))]
        figures[0] += 1
        figures[2 + outcomes.index(outcome) if outcome in outcomes else 1] += 1
        listed = {
            "objection_on": day,
            "direction": str(brake_directions[status]),
            "partner": names[counterpart],
            "third_country": names[third],
            "subject_kind": str(subjects.get(kind, kind)),
            "programme": programme or "",
            "ground": str(grounds.get(ground, ground)),
            "aware_on": aware,
            "consultation_opened_on": opened,
            "concluded_on": concluded,
            "duration_days": None if opened is None else ((concluded or today) - opened).days,
            "outcome": str(outcome_labels[outcome]) if outcome else _("Still in consultation"),
        }
        register[tuple(str(listed[k]) for k in brakes.PUBLIC_FIELDS)][0] += 1
    consultations: dict[tuple[str, ...], tuple[Any, ...]] = {}
    for y, opened, concluded, average, longest, longest_open in _rows(TREATY_CONSULTATIONS, params):
        days = None if average is None else Decimal(str(float(average))).quantize(Decimal("0.1"))
        consultations[(str(y),)] = (opened, concluded, opened - concluded, days, longest, longest_open)
    return {
        "transfers": _nonzero({(y,): tuple(f) for y, f in per_year.items()}),
        "transfers_by_partner": _nonzero({(y, names[d]): tuple(f) for (y, d), f in per_partner.items()}),
        "end_destinations_summary": _nonzero(summary),
        "end_destinations": _nonzero({key: tuple(f) for key, f in end_destinations.items()}),
        "notifications": _nonzero(notifications),
        "objections": _nonzero({key: tuple(f) for key, f in counted.items()}),
        "brake_register": {key: tuple(f) for key, f in register.items()},
        "consultations": _nonzero(consultations),
    }


def treaty_numbers(report: Report) -> Numbers:
    """A computed treaty report's figures in the form treaty_sql returns: per table, the text columns as the row's
    key and its counts and amounts (percentages apart: they follow from those); the brake register as how many
    objections each listed row stands for."""
    numbers: Numbers = {}
    for table in report.tables:
        labels = [c.key for c in table.columns if not c.kind.is_number]
        figures = [c.key for c in table.columns if c.kind.is_number and c.kind != Kind.PCT]
        if table.key == "brake_register":
            listed: dict[tuple[str, ...], tuple[Any, ...]] = defaultdict(lambda: (0,))
            for row in table.rows:
                key = tuple(str(row[k]) for k in brakes.PUBLIC_FIELDS)
                listed[key] = (listed[key][0] + 1,)
            numbers[table.key] = dict(listed)
            continue
        numbers[table.key] = _nonzero(
            {tuple(str(row[k]) for k in labels): tuple(row[f] for f in figures) for row in table.rows}
        )
    return numbers
