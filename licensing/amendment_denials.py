"""Reads for the Art. 4 consultations a change of a licence needs: which incoming denials the rule
(licensing.denial_rules.change_denials_to_consult) finds for the change's new consignee or end user, and the
consultation opened on each. The decision gate (decision_gate.amendment_gate) and the service that opens the
consultations (services.amendment_consultations) both read them here. Read-only."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.utils import timezone

from .denial_reads import denials_in_window
from .denial_rules import DenialToConsult, NewParty, change_denials_to_consult
from .models import LicenceAmendment, LicensedGoods
from .models.consultation import Consultation, ConsultationKind
from .models.denials import ChangeDenialDismissal, DenialNotification


@dataclass(frozen=True)
class ChangeDenial:
    """A denial the rule proposes for consultation on the change, with the consultation opened on it, or the
    officer's finding that the change is not essentially identical to it (None: neither yet)."""

    found: DenialToConsult
    consultation: Consultation | None
    dismissal: ChangeDenialDismissal | None = None

    @property
    def undecided(self) -> bool:
        """Neither consulted on nor dismissed: the gate holds the approval for it."""
        return self.consultation is None and self.dismissal is None

    @property
    def denial(self) -> DenialNotification:
        denial: DenialNotification = self.found.denial
        return denial


def change_denials(amendment: LicenceAmendment, *, on: date | None = None) -> list[ChangeDenial]:
    """The denials the change's new parties resemble as of `on` (default today), each with its consultation or
    dismissal. Four queries at most; none when the change names no new party."""
    new_parties = [NewParty(p["role"], p["name"], p["country"]) for p in amendment.party_changes]
    if not new_parties:
        return []
    on = on or timezone.localdate()
    licence = amendment.licence
    destination = amendment.new_destination_id or licence.destination_id
    destinations = {code for code in (destination, *(p.country for p in new_parties)) if code}
    categories = set(LicensedGoods.objects.filter(licence=licence).values_list("ml_category_id", flat=True))
    categories |= {addition["ml_category"] for addition in amendment.goods_additions}
    candidates = denials_in_window(on, destinations, categories)
    found = change_denials_to_consult(
        new_parties=new_parties, destinations=destinations, categories=categories, denials=candidates, on=on
    )
    if not found:
        return []
    consultations = {
        c.denial_id: c
        for c in Consultation.objects.filter(
            amendment=amendment, kind=ConsultationKind.ART4_DENIAL, denial_id__in=[f.denial.pk for f in found]
        ).select_related("counterpart")
    }
    denial_ids = [f.denial.pk for f in found]
    dismissals = {
        d.denial_id: d
        for d in ChangeDenialDismissal.objects.filter(amendment=amendment, denial_id__in=denial_ids).select_related(
            "decided_by"
        )
    }
    return [
        ChangeDenial(found=f, consultation=consultations.get(f.denial.pk), dismissal=dismissals.get(f.denial.pk))
        for f in found
    ]
