from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from .access import roles_of
from .navigation import nav_for
from .roles import Role


def navigation(request: HttpRequest) -> dict[str, Any]:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"nav_items": [], "user_roles": []}
    roles = roles_of(user)
    return {
        "nav_items": nav_for(user, request.path),
        "user_roles": [Role(r).label for r in Role.values if r in roles],
        "unread_notifications": user.notifications.filter(read_at__isnull=True).count(),
    }
