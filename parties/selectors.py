"""Reads of people and organisations."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from core.roles import Role

from .models import User


def users_with_roles(*roles: Role, exclude: Any = None) -> QuerySet[User]:
    """Active users holding any of `roles` (e.g. the senior officers to ask for a countersignature)."""
    users = User.objects.filter(groups__name__in=[r.value for r in roles], is_active=True).distinct()
    if exclude is not None:
        users = users.exclude(pk=exclude.pk)
    return users
