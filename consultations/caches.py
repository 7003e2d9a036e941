"""Cached reads of the treaty screens, cleared when what they show changes (connected in apps.ready).

Signals rather than calls in the services: a notification or a country may change through any service, the
admin or a data migration, and a stale filter list would hide a counterpart from the dashboard."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from parties.models import Country

from .models.treaty import TreatyNotification
from .selectors import notification_counterparts_forget


@receiver(post_save, sender=TreatyNotification, dispatch_uid="consultations.counterparts.saved")
@receiver(post_delete, sender=TreatyNotification, dispatch_uid="consultations.counterparts.deleted")
@receiver(post_save, sender=Country, dispatch_uid="consultations.counterparts.country")
def counterparts_changed(**kwargs: Any) -> None:
    # Now, and again once the transaction commits: a request reading meanwhile cannot cache the old list.
    notification_counterparts_forget()
    transaction.on_commit(notification_counterparts_forget)
