"""The yardstick of the monthly licence overview (reports.queries.monthly.monthly_overview, published and
confidential): the month's decisions written by hand as one SQL statement over the live tables, one row per goods
line in the report's order, and one more for the changes to licences; `monthly_numbers(report)` makes the same
form of a computed report, so the runner asserts equal numbers before it compares times (bench/report_times.py).

What the report counts (reports/queries/monthly.py): licences issued in the month (Licence.issued_at), licences
revoked in it (the first history row with the status "revoked"), final refusals decided in it (countersigned,
else proposed); the month is [first day 00:00, day after the last 00:00) in the register's time zone, and each
row's date is the local day. A licence is listed with its licensed goods, a refusal with the application's goods
lines; a licence or refusal without goods has no row but counts in the summary.

Revoked and surrendered are terminal statuses (licensing.transitions.TERMINAL_LICENCE_STATUSES), so a licence
revoked (surrendered) at any moment is so in the live table: the live status narrows the licences whose history
is read, through the index on (status, valid_until).

The statements are assembled from this module's own constants and take every value as a query parameter; hence
the S608 exemptions.
"""

from __future__ import annotations

from calendar import monthrange
from collections import defaultdict
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.utils.translation import gettext as _

from licensing.models import LicenceType, PartyType
from reports.queries.base import report_session
from reports.queries.monthly import confidential_columns, published_columns
from reports.queries.names import country_names
from reports.tables import Report

from .reports_sql import Numbers, _midnight, _nonzero, _rows

ISSUED, REFUSED, REVOKED = 0, 1, 2  # the report's order of the kinds of decision on one day

# The licences whose first history row with `status` lies in the month: when they were revoked (surrendered).
_FIRST_AT = """
    SELECT h.id, min(h.history_date) AS at
    FROM licensing_licence l JOIN licensing_historicallicence h ON h.id = l.id AND h.status = %(status)s
    WHERE l.status = %(status)s
    GROUP BY h.id HAVING min(h.history_date) >= %(start)s AND min(h.history_date) < %(end)s
"""
_END_USER = """
    LEFT JOIN LATERAL (
        SELECT p.party_type, p.name FROM licensing_applicationparty p
        WHERE p.application_id = {app} AND p.role = 'end_user' ORDER BY p.id LIMIT 1
    ) eu ON true
"""
# Per goods line: kind, local day, reference, licence type, destination, goods, ML, origin, value, expiry, exporter,
# end-user type and name, de minimis (treaty details), end destinations, criteria, sub-criteria; then the licence or
# decision id the row belongs to, whether it has goods (a licence or refusal without goods is counted in the summary
# only), and the order of its goods. What belongs to a licence or refusal (its end user, treaty details, criteria)
# is read once for it (MATERIALIZED), not once for each of its goods lines. Two statements, each planned quickly.
_LICENCE = """
    SELECT {kind} AS kind, {at} AS at, l.id, l.number, l.licence_type, l.destination_id, l.valid_until,
           l.application_id, l.organisation_id
    FROM licensing_licence l
"""
LICENCES = f"""
    WITH licences AS MATERIALIZED (
        SELECT x.*, o.name AS exporter, eu.party_type, eu.name AS end_user, t.de_minimis, t.ends
        FROM ({_LICENCE.format(kind=ISSUED, at="l.issued_at")}
              WHERE l.issued_at >= %(start)s AND l.issued_at < %(end)s
              UNION ALL
              {_LICENCE.format(kind=REVOKED, at="r.at")}
              JOIN ({_FIRST_AT.replace("%(status)s", "'revoked'")}) r ON r.id = l.id) x
        JOIN parties_organisation o ON o.id = x.organisation_id
        {_END_USER.format(app="x.application_id")}
        LEFT JOIN LATERAL (
            SELECT t.de_minimis, string_agg(e.country_id, ',' ORDER BY e.country_id) AS ends
            FROM licensing_treatytransfer t
            LEFT JOIN licensing_treatytransfer_end_destinations e ON e.treatytransfer_id = t.id
            WHERE t.application_id = x.application_id GROUP BY t.id
        ) t ON true
    )
    SELECT x.kind, (x.at AT TIME ZONE %(tz)s)::date, x.number, x.licence_type, x.destination_id, g.description,
           g.ml_category_id, coalesce(gl.production_country_id, %(home)s), g.value_eur, x.valid_until, x.exporter,
           x.party_type, x.end_user, x.de_minimis, x.ends, '', '', x.id, g.id IS NOT NULL, g.id, 0
    FROM licences x
    LEFT JOIN licensing_licensedgoods g ON g.licence_id = x.id
    LEFT JOIN licensing_goodsline gl ON gl.id = g.goods_line_id
"""  # noqa: S608
REFUSALS = f"""
    WITH refusals AS MATERIALIZED (
        SELECT d.id, d.decided, d.sub_criteria, a.id AS application_id, a.reference, a.licence_type,
               a.destination_id, o.name AS exporter, eu.party_type, eu.name AS end_user, c.numbers
        FROM (SELECT d.id, d.application_id, d.sub_criteria, coalesce(d.countersigned_at, d.proposed_at) AS decided
              FROM licensing_decision d
              WHERE d.status = 'final' AND d.outcome = 'refuse'
                AND coalesce(d.countersigned_at, d.proposed_at) >= %(start)s
                AND coalesce(d.countersigned_at, d.proposed_at) < %(end)s) d
        JOIN licensing_application a ON a.id = d.application_id
        JOIN parties_organisation o ON o.id = a.organisation_id
        {_END_USER.format(app="a.id")}
        LEFT JOIN LATERAL (
            SELECT string_agg(dc.criterion_id::text, ', ' ORDER BY dc.criterion_id) AS numbers
            FROM licensing_decision_criteria dc WHERE dc.decision_id = d.id
        ) c ON true
    )
    SELECT {REFUSED}, (r.decided AT TIME ZONE %(tz)s)::date, r.reference, r.licence_type, r.destination_id,
           gl.description, gl.ml_category_id, coalesce(gl.production_country_id, %(home)s), gl.value_eur, NULL,
           r.exporter, r.party_type, r.end_user, NULL, NULL, coalesce(r.numbers, ''), r.sub_criteria,
           r.id, gl.id IS NOT NULL, gl.position, gl.id
    FROM refusals r LEFT JOIN licensing_goodsline gl ON gl.application_id = r.application_id
"""  # noqa: S608
CHANGES = f"""
    SELECT count(*) FILTER (WHERE kind = 'amendment' AND status = 'approved'),
           count(*) FILTER (WHERE kind = 'extension' AND status = 'approved'),
           count(*) FILTER (WHERE status = 'refused'),
           (SELECT count(*) FROM ({_FIRST_AT}) s)
    FROM licensing_licenceamendment WHERE decided_at >= %(start)s AND decided_at < %(end)s
"""  # noqa: S608


@report_session  # the reports' own session settings (JIT off, work_mem): the comparison is of the statements
def monthly_sql(year: int, month: int, *, confidential: bool = False) -> Numbers:
    """The monthly overview's figures (reports.queries.monthly.monthly_overview), by hand, live."""
    first = date(year, month, 1)
    params = {
        "tz": settings.TIME_ZONE,
        "start": _midnight(first),
        "end": _midnight(date(year, month, monthrange(year, month)[1]) + timedelta(days=1)),
        "home": settings.REGISTER_HOME_STATE,
    }
    # The report's order: day, kind, reference (in code-point order), then the goods in their order.
    decisions = sorted(
        _rows(LICENCES, params) + _rows(REFUSALS, params), key=lambda r: (r[1], r[0], r[2], r[19] or 0, r[20] or 0)
    )
    names = country_names()  # a hundred rows: every country, once
    kinds = {ISSUED: _("Issued"), REFUSED: _("Refused"), REVOKED: _("Revoked")}
    licence_types = {value: str(label) for value, label in LicenceType.choices}
    party_types = {value: str(label) for value, label in PartyType.choices}
    yes, no = _("Yes"), _("No")
    keys = [c.key for c in published_columns() + (confidential_columns() if confidential else [])]
    listed: dict[tuple[str, ...], tuple[Any, ...]] = {}
    counted: dict[int, set[int]] = defaultdict(set)
    values: dict[int, Decimal] = defaultdict(Decimal)
    for row in decisions:
        kind, day, reference, licence_type, dest, goods, ml, origin, value, valid_until = row[:10]
        exporter, party_type, end_user, de_minimis, ends, criteria, sub_criteria, unit, has_goods = row[10:19]
        counted[kind].add(unit)
        if not has_goods:
            continue
        values[kind] += value
        treaty = licence_type == LicenceType.TREATY_COMPONENT and kind != REFUSED
        cells = {
            "date": day,
            "decision": kinds[kind],
            "licence_type": licence_types[licence_type],
            "goods": goods,
            "ml_category": ml,
            "origin": origin,
            "destination": names[dest],
            "final_destinations": ", ".join(names[c] for c in ends.split(",")) if ends else "",
            "value_eur": value,
            "end_user_type": party_types[party_type] if party_type else "",
            "valid_until": valid_until,
            "de_minimis": (yes if de_minimis else no) if treaty else "",
            "criteria": criteria,
            "sub_criteria": sub_criteria,
            "reference": reference,
            "exporter": exporter,
            "end_user": end_user or "",
        }
        listed[(f"{len(listed):07d}",)] = tuple(cells[k] for k in keys)
    amendments, extensions, refused, surrendered = _rows(CHANGES, {**params, "status": "surrendered"})[0]
    changes: dict[tuple[str, ...], tuple[Any, ...]] = {
        (_("Amendments approved"),): (amendments,),
        (_("Extensions approved"),): (extensions,),
        (_("Changes refused"),): (refused,),
        (_("Licences surrendered"),): (surrendered,),
    }
    return {
        "decisions": listed,
        "summary": _nonzero({(kinds[k],): (len(counted[k]), values[k]) for k in kinds}),
        "changes": _nonzero(changes),
    }


def monthly_numbers(report: Report) -> Numbers:
    """A computed monthly overview's figures in the form monthly_sql returns: every cell of every listed row, by
    its place in the listing; the summary's and the changes' counts and values."""
    table = report.table("decisions")
    keys = [c.key for c in table.columns]
    return {
        "decisions": {(f"{i:07d}",): tuple(row[k] for k in keys) for i, row in enumerate(table.rows)},
        "summary": _nonzero({(r["decision"],): (r["count"], r["value_eur"]) for r in report.table("summary").rows}),
        "changes": _nonzero({(r["change"],): (r["count"],) for r in report.table("changes").rows}),
    }
