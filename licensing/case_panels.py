"""Panels on the officer's case page, contributed by features (assessment, treaty, consultations).

Each panel names a template and a function that returns its context from the (prefetched) application and
the user. A panel function must use a fixed number of queries, whatever the size of the case, so the case page
keeps a constant query count.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from .models import Application


@dataclass(frozen=True)
class CasePanel:
    key: str
    title: str
    template: str
    context: Callable[[Application, Any], dict[str, Any]]
    order: int = 100


CASE_PANELS: list[CasePanel] = []


def register_panel(panel: CasePanel) -> None:
    if any(p.key == panel.key for p in CASE_PANELS):
        return
    CASE_PANELS.append(panel)
    CASE_PANELS.sort(key=lambda p: p.order)


def panels_for(application: Application, user: Any) -> list[dict[str, Any]]:
    return [
        {"key": p.key, "title": p.title, "template": p.template, **p.context(application, user)} for p in CASE_PANELS
    ]
