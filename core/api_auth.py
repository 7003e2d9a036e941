"""API authentication and the deny-by-default permission. Kept apart from core.api because DRF imports
these while it loads itself (importing rest_framework.views here would be circular)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from rest_framework.authentication import TokenAuthentication
from rest_framework.permissions import BasePermission

from .access import can

if TYPE_CHECKING:
    from rest_framework.request import Request


class ScopedTokenAuthentication(TokenAuthentication):
    """`Authorization: Token <key>`. A token acts as its user, so an exporter's token is confined to their
    organisation by the same selectors as the portal; deleting the token revokes it."""


class DenyUnlessDeclared(BasePermission):
    """Every API view must declare `capability` (or `capability_by_method`); undeclared means denied."""

    message = "You do not have permission to perform this action."

    def has_permission(self, request: Request, view: Any) -> bool:
        by_method: dict[str, str] = getattr(view, "capability_by_method", {}) or {}
        capability = by_method.get(request.method or "GET") or getattr(view, "capability", None)
        if capability is None:
            return False
        if not request.user or not request.user.is_authenticated:
            return False
        return can(request.user, capability)
