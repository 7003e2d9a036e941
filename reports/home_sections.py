"""The reporting worklist on the home page (core.home): the user's latest report runs. Registered from
ReportsConfig.ready()."""

from __future__ import annotations

from typing import Any

from django.urls import reverse

from core.home import HomeSection, register_home_section

from .selectors import report_run_list_for

RECENT_RUNS = 5


def _recent_runs(user: Any) -> dict[str, Any]:
    runs = list(report_run_list_for(user=user).filter(requested_by=user)[:RECENT_RUNS])
    return {"runs": runs, "link": reverse("reports:run_list"), "new": reverse("reports:index")}


register_home_section(
    HomeSection("reports", "reports.aggregates", "reports/home/recent_runs.html", _recent_runs, order=50)
)
