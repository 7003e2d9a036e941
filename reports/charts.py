"""Charts as SVG, drawn with matplotlib's Agg backend (no display, safe in web and worker processes).

Every chart is shown next to a table with the same figures and carries a text alternative (WCAG 1.1.1).
Meaning never rests on colour alone: each series also has its own hatch pattern and a legend. The SVG is
deterministic (fixed ids, no date), so the same figures give the same file and the same checksum.
"""

from __future__ import annotations

import base64
import io
from decimal import Decimal
from typing import Any

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt
from django.utils.translation import gettext as _
from matplotlib.figure import Figure
from matplotlib.layout_engine import TightLayoutEngine

# Colours with at least 3:1 contrast against white and against each other's neighbours (WCAG 1.4.11).
_SERIES = (("#154273", ""), ("#a4000f", "///"), ("#6b7280", ".."))


def _tight(fig: Figure) -> None:
    """fig.tight_layout() without leaving a layout engine on the figure: with one (tight_layout leaves a
    placeholder), savefig lays the whole figure out once more before drawing it - a quarter of a chart's time,
    for the same SVG."""
    TightLayoutEngine().execute(fig)


def share_chart(rows: list[tuple[str, Decimal, Decimal, Decimal]], *, member_label: str) -> str:
    """Stacked bars per year: value to members, outside, several destinations, as % of the year's value."""
    labels = [r[0] for r in rows]
    series = [
        _("Members of %(bloc)s") % {"bloc": member_label},
        _("Outside %(bloc)s") % {"bloc": member_label},
        _("Several destinations"),
    ]
    parts = [(members, outside, several) for _label, members, outside, several in rows]
    totals = [sum(p, Decimal(0)) for p in parts]
    shares = [[float(p[i] * 100 / t) if t else 0.0 for p, t in zip(parts, totals, strict=True)] for i in (0, 1, 2)]
    with plt.rc_context({"svg.hashsalt": "reports", "svg.fonttype": "none", "font.family": "DejaVu Sans"}):
        fig, ax = plt.subplots(figsize=(8.5, 3.8), dpi=100)
        bottom = [0.0] * len(rows)
        for values, name, (colour, hatch) in zip(shares, series, _SERIES, strict=True):
            bars = ax.bar(labels, values, bottom=bottom, label=name, color=colour, hatch=hatch, edgecolor="white")
            for bar, value, base in zip(bars, values, bottom, strict=True):
                if value >= 6:
                    ax.text(
                        bar.get_x() + bar.get_width() / 2,
                        base + value / 2,
                        f"{value:.1f} %",
                        ha="center",
                        va="center",
                        color="white",
                        fontsize=8,
                        fontweight="bold",
                        # A solid box behind the label: white on the hatching alone would be hard to read.
                        bbox={"boxstyle": "round,pad=0.25", "facecolor": colour, "edgecolor": "none"},
                    )
            bottom = [b + v for b, v in zip(bottom, values, strict=True)]
        ax.set_ylim(0, 100)
        ax.set_ylabel(_("Share of the year's licensed value (%)"))
        ax.spines[["top", "right"]].set_visible(False)
        ax.legend(loc="upper left", bbox_to_anchor=(1.01, 1), frameon=False, fontsize=8)
        _tight(fig)
        buffer = io.StringIO()
        fig.savefig(buffer, format="svg", metadata={"Date": None})
        plt.close(fig)
    return buffer.getvalue()


def bar_chart(labels: list[str], series: list[tuple[str, list[float | None]]], *, y_label: str) -> str:
    """Grouped bars of percentages (0-100), one group per label and one bar per series, each bar labelled with its
    value in text; a missing value (no whole to divide by) draws no bar and reads "n/a". Same colours, hatches,
    fonts and deterministic SVG as share_chart."""
    count = max(len(series), 1)
    width = 0.8 / count
    with plt.rc_context({"svg.hashsalt": "reports", "svg.fonttype": "none", "font.family": "DejaVu Sans"}):
        fig, ax = plt.subplots(figsize=(8.5, 3.8), dpi=100)
        positions = list(range(len(labels)))
        for index, ((name, values), (colour, hatch)) in enumerate(zip(series, _SERIES, strict=False)):
            offsets = [p - 0.4 + width * (index + 0.5) for p in positions]
            heights = [v or 0.0 for v in values]
            bars = ax.bar(offsets, heights, width=width, label=name, color=colour, hatch=hatch, edgecolor="white")
            for bar, value in zip(bars, values, strict=True):
                ax.text(
                    bar.get_x() + bar.get_width() / 2,
                    (value or 0.0) + 1.5,
                    "n/a" if value is None else f"{value:.1f} %",
                    ha="center",
                    va="bottom",
                    color="#111111",
                    fontsize=8,
                )
        ax.set_xticks(positions, labels)
        ax.set_ylim(0, 110)
        ax.set_yticks(range(0, 101, 20))
        ax.set_ylabel(y_label)
        ax.spines[["top", "right"]].set_visible(False)
        if len(series) > 1:
            ax.legend(loc="upper left", bbox_to_anchor=(1.01, 1), frameon=False, fontsize=8)
        _tight(fig)
        buffer = io.StringIO()
        fig.savefig(buffer, format="svg", metadata={"Date": None})
        plt.close(fig)
    return buffer.getvalue()


def chart_values(rows: list[dict[str, Any]], key: str) -> list[float | None]:
    """A table column of percentages (Decimal or None) as chart values."""
    return [None if r.get(key) is None else float(r[key]) for r in rows]


def chart_alt(intro: str, labels: list[str], series: list[tuple[str, list[float | None]]]) -> str:
    """The text alternative: what the chart shows, then every value in words (WCAG 1.1.1)."""
    parts = []
    for position, label in enumerate(labels):
        values = ", ".join(
            f"{name} {'n/a' if values[position] is None else f'{values[position]:.1f} %'}" for name, values in series
        )
        parts.append(f"{label}: {values}")
    return f"{intro} {'; '.join(parts)}." if parts else intro


def svg_data_uri(svg: str) -> str:
    """An <img src> for the SVG: the page's CSP (no inline styles) never applies inside an image."""
    return "data:image/svg+xml;base64," + base64.b64encode(svg.encode()).decode()
