from __future__ import annotations

from decimal import Decimal
from typing import Any

from reports.tables import Report, Table


def keyed(table: Table, *keys: str) -> dict[Any, dict[str, Any]]:
    """The table's rows by the value(s) of `keys`, without the key columns."""
    out = {}
    for row in table.rows:
        key = row[keys[0]] if len(keys) == 1 else tuple(row[k] for k in keys)
        out[key] = {k: v for k, v in row.items() if k not in keys}
    return out


def figures(licences: int = 0, value: str = "0", exports: str = "0", refusals: int = 0) -> dict[str, Any]:
    return {
        "licences": licences,
        "value_eur": Decimal(value),
        "exports_eur": Decimal(exports),
        "refusals": refusals,
    }


def all_rows(report: Report) -> dict[str, list[dict[str, Any]]]:
    return {t.key: [*t.rows, *t.footer] for t in report.tables}
