from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from core.access import can, roles_of
from core.home import home_sections_for
from core.navigation import nav_for


def home(request: HttpRequest) -> HttpResponse:
    """Each role lands on its worklist: what needs them now, counts linking to the filtered lists (core.home)."""
    user: Any = request.user
    context = {
        "sections": home_sections_for(user),
        "tiles": nav_for(user),
        "roles": roles_of(user),
        "is_exporter": can(user, "portal.use"),
        "organisation": getattr(user, "organisation", None),
    }
    return render(request, "core/home.html", context)
