"""Art. 4 consultations on a change of a licence (Council Common Position 2008/944/CFSP Art. 4(1)): when the change
names a new consignee or end user resembling the party of another Member State's denial
(licensing.denial_rules.change_denials_to_consult), the officer opens the consultation with the denying state from
the change; the decision gate (decision_gate.amendment_gate) holds the approval until it is concluded
(services.check_resolution.art4_consultation_conclude records the answer, as for an application). A change that is
refused or withdrawn closes what is still open, as a refused case does (services.consultations). The officer may
instead find, with reasons, that the change is not essentially identical to a proposed denial
(amendment_denial_dismiss); the gate then stops asking for that consultation."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_noop

from audit.models import Verb
from audit.services import record
from core.access import require_officer
from core.exceptions import DomainValidationError, StaleVersion, TransitionNotAllowed
from core.i18n import gettext_lazy
from core.texts import Words, date_param

from ..amendment_denials import change_denials
from ..models import AmendmentStatus, LicenceAmendment, PartyRole
from ..models.consultation import Consultation
from ..models.denials import ChangeDenialDismissal, MatchDecision
from .check_resolution import art4_consultation_create
from .consultations import consultations_close
from .workflow import ERR_STALE

ERR_CONSULT_REASON = gettext_lazy("Give the reason for consulting: it is recorded with the consultation.")
ERR_CONSULT_STATUS = gettext_lazy("This request is {status}: only a change still to be decided is consulted on.")
ERR_DISMISS_REASON = gettext_lazy(
    "Say why the change is not essentially identical to the denied transaction: it is recorded with the finding."
)
ERR_NOT_TO_DECIDE = gettext_lazy(
    "This denial is not one the change must be consulted on, or it is consulted on or dismissed already."
)
ERR_NOTHING_TO_CONSULT = gettext_lazy(
    "No denial names a party like the new consignee or end user, or each one is consulted on already."
)
# The consultation's subject, kept as Words (core.texts) so each reader sees it in their language.
CHANGE_SUBJECT = {
    PartyRole.CONSIGNEE: gettext_noop(
        "Change of licence {licence}: new consignee {name}, essentially identical to denial {reference} of {day} "
        "({category}, {country})"
    ),
    PartyRole.END_USER: gettext_noop(
        "Change of licence {licence}: new end user {name}, essentially identical to denial {reference} of {day} "
        "({category}, {country})"
    ),
}
CLOSED_WITH_CHANGE = gettext_noop("Closed with the change of the licence: {reason}")


def _requested_change_lock(amendment_id: int, expected_version: int | None) -> LicenceAmendment:
    """The change, locked, as long as it is still to be decided and is the version the officer looked at."""
    amendment = LicenceAmendment.objects.select_for_update().select_related("licence").get(pk=amendment_id)
    if expected_version is not None and amendment.version != expected_version:
        raise StaleVersion(ERR_STALE)
    if amendment.status != AmendmentStatus.REQUESTED:
        status = AmendmentStatus(amendment.status).label.lower()
        raise TransitionNotAllowed(ERR_CONSULT_STATUS.format(status=status))
    return amendment


@transaction.atomic(durable=True)
def amendment_art4_consultation_open(
    *, actor: Any, amendment_id: int, reason: str, expected_version: int | None = None
) -> list[Consultation]:
    """Open the Art. 4 consultation with the denying state for each denial the change must be consulted on and
    none is opened for yet (one per denial: each names its own transaction). The response period is
    licensing.assessment_rules.ART4_RESPONSE_PERIOD, as for an application."""
    require_officer(actor)
    if not reason.strip():
        raise DomainValidationError(ERR_CONSULT_REASON, field_errors={"reason": [ERR_CONSULT_REASON]})
    # Lock the request: a double submit, or a decision on it at the same moment, must see the consultations.
    amendment = _requested_change_lock(amendment_id, expected_version)
    today = timezone.localdate()
    opened = []
    for found in change_denials(amendment, on=today):
        if not found.undecided:
            continue
        denial, party = found.denial, found.found.party
        consultation = art4_consultation_create(
            actor=actor,
            denial=denial,
            link={"amendment": amendment, "denial": denial},
            subject=Words(
                CHANGE_SUBJECT[PartyRole(party.role)],
                {
                    "licence": amendment.licence.number,
                    "name": party.name,
                    "reference": denial.reference,
                    "day": date_param(denial.notified_on),
                    "category": denial.ml_category_id,
                    "country": denial.destination_id,
                },
            ),
            history_reason=reason.strip(),
            reason=reason.strip(),
            payload={
                "amendment": amendment.pk,
                "licence": amendment.licence.number,
                "party": {"role": party.role, "name": party.name, "score": found.found.score},
            },
        )
        opened.append(consultation)
    if not opened:
        raise TransitionNotAllowed(ERR_NOTHING_TO_CONSULT)
    return opened


@transaction.atomic(durable=True)
def amendment_denial_dismiss(
    *, actor: Any, amendment_id: int, denial_id: int, reason: str, expected_version: int | None = None
) -> ChangeDenialDismissal:
    """Record the officer's finding that the change is not essentially identical to a denial the rule proposed:
    Art. 4(1) asks for consultation only for an essentially identical transaction, and the judgement is the
    officer's, with reasons, as for a proposed match on an application (check_resolution.denial_match_decide).
    One finding per denial; a denial already consulted on stays consulted on."""
    require_officer(actor)
    if not reason.strip():
        raise DomainValidationError(ERR_DISMISS_REASON, field_errors={"reason": [ERR_DISMISS_REASON]})
    # Lock the request: a consultation opened at the same moment must not be overtaken by a dismissal.
    amendment = _requested_change_lock(amendment_id, expected_version)
    found = next((f for f in change_denials(amendment) if f.denial.pk == denial_id and f.undecided), None)
    if found is None:
        raise DomainValidationError(ERR_NOT_TO_DECIDE, field_errors={"denial": [ERR_NOT_TO_DECIDE]})
    dismissal = ChangeDenialDismissal(
        amendment=amendment,
        denial=found.denial,
        reason=reason.strip(),
        decided_by=actor,
        decided_at=timezone.now(),
    )
    dismissal._change_reason = reason.strip()  # type: ignore[attr-defined]
    dismissal.save()
    party = found.found.party
    record(
        actor=actor,
        verb=Verb.CHECK_RESOLVED,
        target=amendment,
        reason=reason.strip(),
        payload={
            "amendment": amendment.pk,
            "licence": amendment.licence.number,
            "denial": found.denial.pk,
            "decision": MatchDecision.DISMISSED,
            "party": {"role": party.role, "name": party.name, "score": found.found.score},
        },
    )
    return dismissal


def change_consultations_close(*, amendment: LicenceAmendment, actor: Any, reason: str) -> list[Consultation]:
    """The change was refused or withdrawn: close its open consultations, saying so. Not durable: called by the
    service that ends the change, in its transaction."""
    return consultations_close(
        consultations=Consultation.objects.filter(amendment=amendment),
        actor=actor,
        reason=reason,
        outcome_text=CLOSED_WITH_CHANGE.format(reason=reason),
        payload={"amendment": amendment.pk},
    )
