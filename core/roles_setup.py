"""Create the role groups. Capabilities are declared in core.access (rules), not as Django permissions,
except the administrator group, which gets the model permissions the Django admin needs."""

from __future__ import annotations

from django.contrib.auth.models import Group, Permission

from .roles import Role

# Reference data administrators may edit in the admin (with history).
ADMIN_EDITABLE_APPS = ("parties", "licensing", "core", "consultations")


def roles_sync() -> None:
    for role in Role:
        Group.objects.get_or_create(name=role.value)
    admin_group = Group.objects.get(name=Role.ADMINISTRATOR.value)
    perms = Permission.objects.filter(content_type__app_label__in=ADMIN_EDITABLE_APPS).exclude(
        codename__startswith="delete_"
    )
    admin_group.permissions.set(perms)
