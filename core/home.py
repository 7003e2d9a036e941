"""Sections of the home page, one worklist per kind of work: what needs this user now, with counts that link to
the filtered list and the nearest deadlines first.

A section belongs to the app whose work it lists (the home page lives in core, below every app), so apps add
theirs here from AppConfig.ready(). A section is shown to users who hold its capability (core.access); its
context function must use a fixed number of queries, so the home page keeps a constant query count.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from .access import can


@dataclass(frozen=True)
class HomeSection:
    key: str
    capability: str
    template: str
    context: Callable[[Any], dict[str, Any]]
    order: int = 100


HOME_SECTIONS: list[HomeSection] = []


def register_home_section(section: HomeSection) -> None:
    if any(s.key == section.key for s in HOME_SECTIONS):
        return
    HOME_SECTIONS.append(section)
    HOME_SECTIONS.sort(key=lambda s: s.order)


def home_sections_for(user: Any) -> list[dict[str, Any]]:
    return [{"key": s.key, "template": s.template, **s.context(user)} for s in HOME_SECTIONS if can(user, s.capability)]
