"""Measurement 4's yardstick: the figures of the annual report and the NATO/non-NATO report, written by hand as
plain SQL aggregates over the live tables (what a database specialist would write, no ORM).

`annual_numbers` and `shares_numbers` return the same shape as `report_numbers` makes of a computed Report
(table key -> row label -> the row's counts and euro amounts), so the runner can assert that both yield the
same numbers before it compares their times. Labels (country names, region and bloc names) come from the
reports' own label helpers: they are words, not figures. Membership is taken on the date of each decision
(../shared/domain/README.md "Reporting to parliament"), as the reports take it.

The statements are assembled from this module's own fragments (table and column names, bloc codes) and take
every value as a query parameter; hence the S608 exemptions.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date, datetime
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import connection

from licensing.models import Criterion, DecisionOutcome, DecisionStatus
from parties.models import Bloc
from reports.queries.annual import YEARS_BACK, _region_labels
from reports.queries.names import country_names
from reports.queries.regions import BLOC_LABELS
from reports.tables import Kind, Report

Numbers = dict[str, dict[tuple[str, ...], dict[str, Any]]]


def _member(bloc: str, dest: str, day: str) -> str:
    """SQL: was country `dest` a member of `bloc` on `day`? (parties.Membership: closed interval [since, until])"""
    # Column names and bloc codes written in this module, never input.
    return (
        f"EXISTS (SELECT 1 FROM parties_membership m WHERE m.bloc = '{bloc}' AND m.country_id = {dest}"  # noqa: S608
        f" AND m.since <= {day} AND (m.until IS NULL OR m.until >= {day}))"
    )


def _issued_licences(*blocs: str) -> str:
    """Licences issued in [start, end), one row per licence, with the year of the local issue date and a flag
    per bloc (named after it, lower case): was the destination a member on that date?"""
    flags = "".join(f", {_member(bloc, 'l.destination_id', 'local.day')} AS {bloc.lower()}" for bloc in blocs)
    return f"""
    SELECT l.id, l.destination_id AS dest, extract(year FROM local.day)::int AS year {flags}
    FROM licensing_licence l, LATERAL (SELECT (l.issued_at AT TIME ZONE %(tz)s)::date AS day) local
    WHERE l.issued_at >= %(start)s AND l.issued_at < %(end)s
    """  # noqa: S608


# Final refusals decided in [start, end): one row per refused application, with the local decision date.
REFUSALS = """
    SELECT d.application_id, a.destination_id AS dest, min(d.decided) AS decided
    FROM (SELECT application_id, coalesce(countersigned_at, proposed_at) AS decided FROM licensing_decision
          WHERE status = %(final)s AND outcome = %(refuse)s) d
    JOIN licensing_application a ON a.id = d.application_id
    WHERE d.decided >= %(start)s AND d.decided < %(end)s
    GROUP BY d.application_id, a.destination_id
"""
# Region rows a figure counts towards (reports.queries.annual._regions_of): EU and NATO overlap.
REGIONS = """
    LATERAL (VALUES ('all'), (CASE WHEN f.dest IS NULL THEN 'several' END), (CASE WHEN f.eu THEN 'eu' END),
                    (CASE WHEN f.nato THEN 'nato' END),
                    (CASE WHEN f.dest IS NOT NULL AND NOT f.eu AND NOT f.nato THEN 'neither' END)) r(region)
"""

ANNUAL_ISSUED = f"""
    WITH f AS MATERIALIZED ({_issued_licences()})
    SELECT f.dest, lg.ml_category_id, GROUPING(lg.ml_category_id), count(DISTINCT f.id), sum(lg.value_eur)
    FROM f JOIN licensing_licensedgoods lg ON lg.licence_id = f.id
    GROUP BY GROUPING SETS ((f.dest, lg.ml_category_id), (f.dest))
"""  # noqa: S608
ANNUAL_EXPORTS = """
    SELECT l.destination_id, lg.ml_category_id, GROUPING(lg.ml_category_id), sum(s.value_eur)
    FROM licensing_shipment s JOIN licensing_licence l ON l.id = s.licence_id
    JOIN licensing_licensedgoods lg ON lg.id = s.licensed_goods_id
    WHERE s.shipped_on BETWEEN %(first_day)s AND %(last_day)s AND l.issued_at IS NOT NULL
    GROUP BY GROUPING SETS ((l.destination_id, lg.ml_category_id), (l.destination_id))
"""
ANNUAL_REFUSED = f"""
    WITH r AS MATERIALIZED ({REFUSALS})
    SELECT r.dest, g.ml_category_id, GROUPING(g.ml_category_id), count(DISTINCT r.application_id)
    FROM r JOIN licensing_goodsline g ON g.application_id = r.application_id
    GROUP BY GROUPING SETS ((r.dest, g.ml_category_id), (r.dest))
"""  # noqa: S608
ANNUAL_CRITERIA = """
    SELECT a.destination_id, dc.criterion_id, count(DISTINCT d.id)
    FROM licensing_decision d JOIN licensing_decision_criteria dc ON dc.decision_id = d.id
    JOIN licensing_application a ON a.id = d.application_id
    WHERE d.status = %(final)s AND d.outcome = %(refuse)s
      AND coalesce(d.countersigned_at, d.proposed_at) >= %(start)s
      AND coalesce(d.countersigned_at, d.proposed_at) < %(end)s
    GROUP BY 1, 2
"""
# Per year and region over the report year and the YEARS_BACK before it; the report year's rows are also the
# report's region table.
YEARS_ISSUED = f"""
    WITH f AS MATERIALIZED ({_issued_licences("EU", "NATO")}),
    v AS (SELECT licence_id, sum(value_eur) AS value FROM licensing_licensedgoods
          WHERE licence_id IN (SELECT id FROM f) GROUP BY licence_id)
    SELECT f.year, r.region, count(*), sum(v.value)
    FROM f JOIN v ON v.licence_id = f.id, {REGIONS}
    WHERE r.region IS NOT NULL GROUP BY 1, 2
"""  # noqa: S608
YEARS_EXPORTS = f"""
    WITH f AS MATERIALIZED (
        SELECT s.value_eur, extract(year FROM s.shipped_on)::int AS year, l.destination_id AS dest,
               {_member("EU", "l.destination_id", "local.day")} AS eu,
               {_member("NATO", "l.destination_id", "local.day")} AS nato
        FROM licensing_shipment s JOIN licensing_licence l ON l.id = s.licence_id,
             LATERAL (SELECT (l.issued_at AT TIME ZONE %(tz)s)::date AS day) local
        WHERE s.shipped_on BETWEEN %(span_first_day)s AND %(last_day)s AND l.issued_at IS NOT NULL
    )
    SELECT f.year, r.region, sum(f.value_eur) FROM f, {REGIONS} WHERE r.region IS NOT NULL GROUP BY 1, 2
"""  # noqa: S608
YEARS_REFUSED = f"""
    WITH f AS MATERIALIZED (
        SELECT x.application_id, x.dest, extract(year FROM local.day)::int AS year,
               {_member("EU", "x.dest", "local.day")} AS eu, {_member("NATO", "x.dest", "local.day")} AS nato
        FROM ({REFUSALS}) x, LATERAL (SELECT (x.decided AT TIME ZONE %(tz)s)::date AS day) local
    )
    SELECT f.year, r.region, count(DISTINCT f.application_id)
    FROM f JOIN licensing_goodsline g ON g.application_id = f.application_id, {REGIONS}
    WHERE r.region IS NOT NULL GROUP BY 1, 2
"""  # noqa: S608
# The NATO/non-NATO report: licences issued in the period, bucketed per bloc by membership on the issue date.
SHARES = f"""
    WITH f AS MATERIALIZED ({_issued_licences("NATO", "EU", "TREATY")})
    SELECT b.bloc, lg.ml_category_id, GROUPING(lg.ml_category_id), k.bucket, count(DISTINCT f.id), sum(lg.value_eur)
    FROM f JOIN licensing_licensedgoods lg ON lg.licence_id = f.id,
         LATERAL (VALUES ('NATO', f.nato), ('EU', f.eu), ('TREATY', f.treaty)) b(bloc, member),
         LATERAL (SELECT CASE WHEN f.dest IS NULL THEN 'unattributed' WHEN b.member THEN 'member'
                              ELSE 'non_member' END AS bucket) k
    GROUP BY GROUPING SETS ((b.bloc, k.bucket), (b.bloc, k.bucket, lg.ml_category_id))
"""  # noqa: S608


def _rows(sql: str, params: dict[str, Any]) -> list[tuple[Any, ...]]:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def _bounds(first: date, last: date) -> tuple[datetime, datetime]:
    tz = ZoneInfo(settings.TIME_ZONE)
    return datetime(first.year, first.month, first.day, tzinfo=tz), datetime(last.year + 1, 1, 1, tzinfo=tz)


def _keep(rows: dict[tuple[str, ...], dict[str, Any]]) -> dict[tuple[str, ...], dict[str, Any]]:
    """Rows with at least one figure: the reports list some empty rows (every region, every year), some not."""
    return {key: figures for key, figures in rows.items() if any(figures.values())}


def report_numbers(report: Report) -> Numbers:
    """A computed report's counts and euro amounts, keyed by table and by the row's text cells."""
    numbers: Numbers = {}
    for table in report.tables:
        labels = [c.key for c in table.columns if not c.kind.is_number]
        figures = [c.key for c in table.columns if c.kind in (Kind.INT, Kind.EUR)]
        rows = {tuple(str(row[k]) for k in labels): {k: row[k] for k in figures} for row in table.rows}
        numbers[table.key] = _keep(rows)
    return numbers


def _figures() -> dict[str, Any]:
    return {"licences": 0, "value_eur": Decimal(0), "exports_eur": Decimal(0), "refusals": 0}


def annual_numbers(year: int) -> Numbers:
    first_year = year - YEARS_BACK
    year_start, end = _bounds(date(year, 1, 1), date(year, 12, 31))
    span_start, _ = _bounds(date(first_year, 1, 1), date(year, 12, 31))
    params = {
        "tz": settings.TIME_ZONE,
        "start": year_start,
        "end": end,
        "first_day": date(year, 1, 1),
        "last_day": date(year, 12, 31),
        "span_first_day": date(first_year, 1, 1),
        "final": DecisionStatus.FINAL.value,
        "refuse": DecisionOutcome.REFUSE.value,
    }
    cells: dict[tuple[str | None, str | None], dict[str, Any]] = defaultdict(_figures)
    for dest, ml, per_dest, n, value in _rows(ANNUAL_ISSUED, params):
        cells[(dest, None if per_dest else ml)].update(licences=n, value_eur=value)
    for dest, ml, per_dest, value in _rows(ANNUAL_EXPORTS, params):
        cells[(dest, None if per_dest else ml)]["exports_eur"] = value
    for dest, ml, per_dest, n in _rows(ANNUAL_REFUSED, params):
        cells[(dest, None if per_dest else ml)]["refusals"] = n
    criteria: dict[str | None, dict[str, int]] = defaultdict(dict)
    for dest, criterion, n in _rows(ANNUAL_CRITERIA, params):
        criteria[dest][f"c{criterion}"] = n
    span = {**params, "start": span_start}
    years: dict[tuple[int, str], dict[str, Any]] = defaultdict(_figures)
    for y, region, n, value in _rows(YEARS_ISSUED, span):
        years[(y, region)].update(licences=n, value_eur=value)
    for y, region, value in _rows(YEARS_EXPORTS, span):
        years[(y, region)]["exports_eur"] = value
    for y, region, n in _rows(YEARS_REFUSED, span):
        years[(y, region)]["refusals"] = n

    names = country_names({dest for dest, _ml in cells} | set(criteria))
    regions = _region_labels()
    numbers = [f"c{n}" for n in Criterion.objects.order_by("number").values_list("number", flat=True)]
    return {
        "by_destination_ml": _keep({(names[d], str(ml)): f for (d, ml), f in cells.items() if ml is not None}),
        "by_destination": _keep({(names[d],): f for (d, ml), f in cells.items() if ml is None}),
        "criteria": _keep({(names[d],): {c: by.get(c, 0) for c in numbers} for d, by in criteria.items()}),
        "regions": _keep({(regions[r],): f for (y, r), f in years.items() if y == year}),
        "years": _keep({(str(y), regions[r]): f for (y, r), f in years.items()}),
    }


def _share_row(buckets: dict[str, tuple[int, Decimal]]) -> dict[str, Any]:
    def n(bucket: str) -> int:
        return buckets.get(bucket, (0, Decimal(0)))[0]

    def v(bucket: str) -> Decimal:
        return buckets.get(bucket, (0, Decimal(0)))[1]

    return {
        "licences": sum(count for count, _value in buckets.values()),
        "licences_outside": n("non_member"),
        "value_eur": sum((value for _count, value in buckets.values()), Decimal(0)),
        "value_outside_eur": v("non_member"),
        "licences_several": n("unattributed"),
        "value_several_eur": v("unattributed"),
    }


def shares_numbers(year: int, bloc: str = Bloc.NATO) -> Numbers:
    start, end = _bounds(date(year, 1, 1), date(year, 12, 31))
    params = {"tz": settings.TIME_ZONE, "start": start, "end": end}
    totals: dict[str, dict[str, tuple[int, Decimal]]] = defaultdict(dict)
    per_ml: dict[str, dict[str, tuple[int, Decimal]]] = defaultdict(dict)
    for group_bloc, ml, all_ml, bucket, n, value in _rows(SHARES, params):
        if all_ml:
            totals[group_bloc][bucket] = (n, value)
        elif group_bloc == bloc:
            per_ml[ml][bucket] = (n, value)
    return {
        "summary": _keep({(str(BLOC_LABELS[Bloc(b)]),): _share_row(totals[b]) for b in ("NATO", "EU", "TREATY")}),
        "by_year": _keep({(str(year),): _share_row(totals[bloc])}),
        "by_ml": _keep({(str(year), ml): _share_row(buckets) for ml, buckets in per_ml.items()}),
    }


def differences(expected: Numbers, actual: Numbers) -> list[str]:
    """Where two sets of report numbers disagree (empty when they agree)."""
    problems = []
    for table in sorted(set(expected) | set(actual)):
        mine, theirs = expected.get(table, {}), actual.get(table, {})
        for key in sorted(set(mine) | set(theirs)):
            if mine.get(key) != theirs.get(key):
                problems.append(f"{table} {key}: report {mine.get(key)} != SQL {theirs.get(key)}")
    return problems
