"""Helpers shared by the consultations services (private to the package)."""

from __future__ import annotations

from typing import Any

from core.access import require
from core.exceptions import DomainValidationError, StaleVersion
from core.i18n import gettext_lazy
from core.roles import Role
from parties.selectors import users_with_roles

from ..models.treaty import TreatyNotification

ERR_NOT_OFFICER = gettext_lazy("Only licensing officers work on treaty notifications and consultations.")
ERR_STALE = gettext_lazy(
    "Someone else changed this notification while you were looking at it. Reload the page and check."
)


def require_officer(actor: Any) -> None:
    require(actor, "consultations.use", ERR_NOT_OFFICER)


def field_error(field: str, message: str) -> DomainValidationError:
    return DomainValidationError(message, field_errors={field: [message]})


def notification_link(notification_id: int) -> str:
    return f"/consultations/notifications/{notification_id}/"


def lock_notification(*, pk: int, expected_version: int | None = None) -> TreatyNotification:
    """Lock the notification for the rest of the transaction.

    select_for_update: an officer sending an objection and the sweep recording "no objection in time" at the
    same moment are serialised here; the second sees the first one's status and stops.
    """
    notification = TreatyNotification.objects.select_for_update().get(pk=pk)
    if expected_version is not None and notification.version != expected_version:
        raise StaleVersion(ERR_STALE)
    return notification


def bump(notification: TreatyNotification, *fields: str, reason: str) -> None:
    """Save the changed fields and the version of a locked notification."""
    notification.version += 1  # the row is locked (lock_notification), so a plain increment is safe
    notification._change_reason = reason  # type: ignore[attr-defined]
    notification.save(update_fields=[*fields, "version"])


def senior_officers(*, exclude: Any = None) -> list[Any]:
    return list(users_with_roles(Role.SENIOR_OFFICER, exclude=exclude))
