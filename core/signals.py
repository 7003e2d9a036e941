"""Decoupled concerns only (house style): keep history rows valid whatever a service passes as its reason; tell
administrators of log-in lock-outs and end them when the owner resets the password."""

from __future__ import annotations

from typing import Any

from allauth.account.signals import password_reset
from axes.signals import user_locked_out
from axes.utils import reset as axes_reset
from django.contrib.auth import get_user_model
from django.db import transaction
from django.dispatch import receiver
from django.utils import timezone
from django.utils.translation import gettext as _
from simple_history.signals import pre_create_historical_record

from .models import OutboxMessage
from .notifications import notify
from .roles import Role

# simple-history stores the change reason in a 100-character column. The full reason is always kept in the
# audit event written by the same service (audit.services.record), so the history row carries a shortened copy.
HISTORY_REASON_MAX = 100


@receiver(pre_create_historical_record)
def shorten_history_reason(sender: Any, history_instance: Any, **kwargs: Any) -> None:
    reason = getattr(history_instance, "history_change_reason", None)
    if reason and len(reason) > HISTORY_REASON_MAX:
        history_instance.history_change_reason = reason[: HISTORY_REASON_MAX - 1] + "…"


# Login throttling (issue 14): django-axes locks an account for one address (AXES_LOCKOUT_PARAMETERS), so an
# attacker elsewhere cannot lock its owner out. Administrators hear of each lock-out once per account, address
# and hour; a password reset is the owner's way back in at once.
@receiver(user_locked_out)
def alert_administrators_of_lockout(
    sender: Any, request: Any = None, username: str | None = None, ip_address: str | None = None, **kwargs: Any
) -> None:
    hour = timezone.now().strftime("%Y%m%d%H")
    key = f"lockout:{username}:{ip_address}:{hour}"
    if OutboxMessage.objects.filter(key__startswith=f"{key}:").exists():
        return  # every further attempt while locked sends the signal again
    administrators = get_user_model().objects.filter(groups__name=Role.ADMINISTRATOR.value, is_active=True)
    with transaction.atomic():
        notify(
            users=list(administrators),
            title=str(_("Account locked after repeated failed log-ins")),
            body=str(_("Account: %(username)s. Address: %(ip)s.") % {"username": username, "ip": ip_address}),
            key=key,
        )


@receiver(password_reset)
def unlock_account_after_password_reset(sender: Any, request: Any = None, user: Any = None, **kwargs: Any) -> None:
    """The owner proved control of the mailbox: their lock-outs (from any address) end now."""
    if user is not None:
        axes_reset(username=user.username)
        axes_reset(username=user.email.lower())
