"""Panels on the officer's case page, contributed by features (assessment, treaty, consultations).

Each panel names a template and a function that returns its context from the (prefetched) application and
the user. A panel function must use a fixed number of queries, whatever the size of the case, so the case page
keeps a constant query count.

A panel with a `deferred_url` (a URL name taking the case's id, served by licensing.views.officer_case.CasePanelView)
is read after the page (issue 19): the page shows its heading and a link to the panel on its own, which htmx
follows as soon as the page has loaded and puts in the link's place. For a panel whose query grows with the
register rather than with the case (the earlier decisions), so the facts of the case the officer reads first
never wait for it. Without JavaScript the link opens the panel as a page of its own.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.urls import reverse

from .models import Application


@dataclass(frozen=True)
class CasePanel:
    key: str
    title: str
    template: str
    context: Callable[[Application, Any], dict[str, Any]]
    order: int = 100
    deferred_url: str = ""

    @property
    def deferred(self) -> bool:
        return bool(self.deferred_url)


CASE_PANELS: list[CasePanel] = []


def register_panel(panel: CasePanel) -> None:
    if any(p.key == panel.key for p in CASE_PANELS):
        return
    CASE_PANELS.append(panel)
    CASE_PANELS.sort(key=lambda p: p.order)


def panels_for(application: Application, user: Any) -> list[dict[str, Any]]:
    """Every panel for the case page, in order; a deferred one without its context (read by `panel_for`)."""
    return [
        {"key": p.key, "title": p.title, "template": p.template, "url": reverse(p.deferred_url, args=[application.pk])}
        if p.deferred
        else panel_for(p, application, user)
        for p in CASE_PANELS
    ]


def deferred_panel(key: str) -> CasePanel | None:
    """The deferred panel of that key, or None (the others are read with the page, never on their own)."""
    return next((p for p in CASE_PANELS if p.key == key and p.deferred), None)


def panel_for(panel: CasePanel, application: Application, user: Any) -> dict[str, Any]:
    """One panel's context, as panels_for gives it for a panel read with the page."""
    return {"key": panel.key, "title": panel.title, "template": panel.template, **panel.context(application, user)}
