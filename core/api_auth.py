"""API authentication and the deny-by-default permission. Kept apart from core.api because DRF imports
these while it loads itself (importing rest_framework.views here would be circular)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.contrib.auth import get_user_model
from django.db.models import F
from django.utils.translation import gettext_lazy as _
from rest_framework import exceptions
from rest_framework.authentication import TokenAuthentication
from rest_framework.permissions import BasePermission

from .access import can
from .roles import Role

if TYPE_CHECKING:
    from rest_framework.request import Request


class ScopedTokenAuthentication(TokenAuthentication):
    """`Authorization: Token <key>`. A token acts as its user, so an exporter's token is confined to their
    organisation by the same selectors as the portal; deleting the token revokes it (it is read on every request,
    never cached).

    One query reads the token, its user and the user's role names (a row per role), where DRF's own reads the
    token and user and core.access.roles_of then reads the roles: a query less on every API request. Nothing is
    written per request (no "last used" time)."""

    def authenticate_credentials(self, key: str) -> tuple[Any, Any]:
        rows = list(
            get_user_model()
            .objects.filter(auth_token__key=key)
            .select_related("organisation")  # the access rules read the company's status
            .annotate(token_created=F("auth_token__created"), role_name=F("groups__name"))
        )
        if not rows:
            raise exceptions.AuthenticationFailed(_("Invalid token."))
        user = rows[0]
        if not user.is_active:
            raise exceptions.AuthenticationFailed(_("User inactive or deleted."))
        _remember_roles(user, {row.role_name for row in rows if row.role_name})
        token: Any = self.get_model().from_db(None, ["key", "user_id", "created"], [key, user.pk, user.token_created])
        token.user = user
        return user, token


def _remember_roles(user: Any, names: set[str]) -> None:
    """Hand core.access.roles_of the role names already read, as it would have worked them out itself (it keeps
    them on the user object for the request); tests/licensing/api/test_api_tokens.py checks the two agree."""
    roles = frozenset(names)
    if user.is_superuser:
        roles |= {Role.ADMINISTRATOR.value}
    user._register_roles = roles


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
