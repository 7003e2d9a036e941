"""The candidate denials for an Art. 4 check, read once for the case checks (services.checks) and the
consultations a change of a licence needs (amendment_denials). Read-only."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from django.db.models import QuerySet

from parties.models import HOME_STATE

from .denial_rules import denial_window_start
from .models.denials import DenialDirection, DenialNotification, DenialStatus


def denials_in_window(on: date, destinations: Iterable[str], categories: Iterable[str]) -> QuerySet[DenialNotification]:
    """Other Member States' active denials for these destinations and ML categories notified within the Art. 4
    window before `on` (Common Position 2008/944/CFSP Art. 4; the window is licensing.denial_rules)."""
    return (
        DenialNotification.objects.filter(
            direction=DenialDirection.INCOMING,
            status=DenialStatus.ACTIVE,
            destination_id__in=list(destinations),
            ml_category_id__in=list(categories),
            notified_on__gte=denial_window_start(on),
            notified_on__lte=on,
        )
        .exclude(issuing_state_id=HOME_STATE)
        .select_related("issuing_state", "destination")
        .order_by("notified_on", "pk")
    )
