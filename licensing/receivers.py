"""Cache invalidation for the destination flags (licensing.destination_flags): a membership row added, changed
or removed changes the answer of parties.memberships for its country, so the flags of every licence and final
refusal with that destination are fixed again, in the transaction that changes the membership. parties cannot
call licensing (layers), hence signals; the flags are a copy of the rule's answer, never a rule of their own."""

from __future__ import annotations

from typing import Any

from django.db.models.signals import post_delete, post_save, pre_save
from django.dispatch import receiver

from parties.models import Membership

from .destination_flags import flags_refresh
from .models import Decision, Licence


def _refresh(country: str) -> None:
    flags_refresh(
        licences=Licence.objects.filter(destination_id=country),
        decisions=Decision.objects.filter(application__destination_id=country),  # flags_refresh: final refusals
    )


@receiver(pre_save, sender=Membership, dispatch_uid="licensing.flags.membership_before")
def membership_before_save(sender: Any, instance: Membership, raw: bool = False, **kwargs: Any) -> None:
    # A row moved to another country changes that country's answers too.
    if instance.pk and not raw:
        instance._country_before = (  # type: ignore[attr-defined]
            Membership.objects.filter(pk=instance.pk).values_list("country_id", flat=True).first()
        )


@receiver(post_save, sender=Membership, dispatch_uid="licensing.flags.membership_saved")
def membership_saved(sender: Any, instance: Membership, raw: bool = False, **kwargs: Any) -> None:
    if raw:  # fixtures load memberships before any licence
        return
    _refresh(instance.country_id)
    before = getattr(instance, "_country_before", None)
    if before and before != instance.country_id:
        _refresh(before)


@receiver(post_delete, sender=Membership, dispatch_uid="licensing.flags.membership_deleted")
def membership_deleted(sender: Any, instance: Membership, **kwargs: Any) -> None:
    _refresh(instance.country_id)
