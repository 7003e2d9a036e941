"""Charts for the reports whose point is a share or a trend, drawn from the table they sit next to (so the chart
and its table always hold the same figures; the table is the accessible alternative, the alt text names every
value in words)."""

from __future__ import annotations

from functools import partial
from typing import Any

from ..charts import bar_chart, chart_alt, chart_values
from ..tables import Chart, Report, pct


def percent_chart(
    report: Report,
    *,
    table_key: str,
    label_key: str,
    series: list[tuple[str, str]],
    title: str,
    intro: str,
    y_label: str,
    include_footer: bool = False,
    rows: list[dict[str, Any]] | None = None,
) -> Chart | None:
    """Grouped percentage bars, one group per row of `table_key` (labelled by `label_key`) and one bar per
    (column, name) in `series`; `rows` replaces the table's rows when the chart shows a share the table gives as
    values (with_share_column). None when there are no rows: an empty chart says nothing."""
    table = report.table(table_key)
    if rows is None:
        rows = table.rows + (table.footer if include_footer else [])
    if not rows:
        return None
    labels = [str(r.get(label_key) or "—") for r in rows]
    drawn = [(name, chart_values(rows, key)) for key, name in series]
    return Chart(
        key=f"{table_key}_chart",
        title=title,
        alt=chart_alt(intro, labels, drawn),
        draw=partial(bar_chart, labels, drawn, y_label=y_label),
        table_key=table_key,
    )


def with_share_column(rows: list[dict[str, Any]], *, part: str, whole: Any, into: str) -> list[dict[str, Any]]:
    """Rows with `into` = part / whole as a percentage (for charts of a share the table gives as a value)."""
    return [{**r, into: pct(r.get(part) or 0, whole)} for r in rows]


def add_chart(report: Report, chart: Chart | None) -> Report:
    if chart is not None:
        report.charts.append(chart)
    return report
