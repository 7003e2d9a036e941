"""The monthly licence overview as the ministry publishes it: open data (CSV and JSON) at a stable public
address, with its metadata.

Source: ../shared/domain/sources.md "Transparency instruments" (monthly reports listing, per licence, the
goods, country of origin and destination, value and expiry date [S25]) and ../shared/domain/README.md
"Reporting to parliament". The files hold exactly queries.monthly.published_columns() - no licence number,
company or end user's name - so they may be public (core.access.PUBLIC_ROUTES declares the addresses).

Which register: a month is published once it has ended, as the register stood at the end of the day before
the request (so the file is the same all day, and a later correction shows the next day), or as of a chosen
day (`?as_of=YYYY-MM-DD`) to reproduce an earlier download. The metadata names the period, the as-of moment,
the licence of use (CC0 1.0, public domain dedication) and the SHA-256 of each file.
"""

from __future__ import annotations

import hashlib
import json
from calendar import monthrange
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _

from core.i18n import gettext_lazy

from .exports import table_csv, table_json
from .queries.monthly import monthly_overview
from .queries.snapshot import end_of_day

LICENCE_OF_USE = {
    "id": "CC0-1.0",
    "name": "Creative Commons Zero v1.0 Universal",
    "url": "https://creativecommons.org/publicdomain/zero/1.0/",
}
ERR_NOT_PUBLISHED = gettext_lazy("This month has not been published yet.")


class NotPublished(Exception):
    pass


@dataclass(frozen=True)
class MonthlyOpenData:
    csv: bytes
    json: bytes
    metadata: dict[str, Any]

    @property
    def metadata_json(self) -> bytes:
        return json.dumps(self.metadata, ensure_ascii=False, indent=1).encode("utf-8")


def published_as_of(*, year: int, month: int, chosen: date | None, today: date) -> date:
    """The day whose end the file shows: `chosen`, or yesterday; never before the month has ended."""
    last_day = date(year, month, monthrange(year, month)[1])
    day = chosen or today - timedelta(days=1)
    if last_day > day or day >= today:
        raise NotPublished(ERR_NOT_PUBLISHED)
    return day


def monthly_open_data(*, year: int, month: int, as_of_day: date) -> MonthlyOpenData:
    as_of = end_of_day(as_of_day)
    report = monthly_overview(year=year, month=month, as_of=as_of, confidential=False)
    table = report.table("decisions")
    csv_bytes = table_csv(table)
    metadata: dict[str, Any] = {
        "title": str(report.title),
        "period": f"{year:04d}-{month:02d}",
        "as_of": timezone.localtime(as_of).isoformat(),
        "publisher": _("Export licensing authority of the Netherlands"),
        "licence": LICENCE_OF_USE,
        "rows": len(table.rows),
        "columns": [{"key": c.key, "label": str(c.label), "type": str(c.kind)} for c in table.columns],
        "notes": [str(n) for n in report.notes],
    }
    json_bytes = table_json(report, table, metadata=metadata)
    metadata["sha256"] = {"csv": hashlib.sha256(csv_bytes).hexdigest(), "json": hashlib.sha256(json_bytes).hexdigest()}
    return MonthlyOpenData(csv=csv_bytes, json=json_bytes, metadata=metadata)
