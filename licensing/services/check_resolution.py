"""The officer's answer to an automatic check: clear or confirm each flag with a reason.

- An embargo flag is cleared only with the scope and exemption the legal act allows recorded
  (../shared/domain/README.md "Embargoes").
- A proposed denial match is confirmed (essentially identical) or dismissed. A confirmed match opens the
  mandatory consultation with the denying state (Common Position 2008/944/CFSP Art. 4); its response period is
  licensing/assessment_rules.ART4_RESPONSE_PERIOD (unconfirmed, configurable).
- A watch-list hit is cleared or confirmed.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_noop

from audit.models import Verb
from audit.services import record
from core.access import require_officer
from core.exceptions import DomainValidationError, StaleVersion, TransitionNotAllowed
from core.i18n import gettext_lazy
from core.texts import Words, date_param, label_param
from licensing.models.consultation import Consultation, ConsultationKind, ConsultationOutcome, ConsultationStatus
from licensing.models.denials import DenialMatch, MatchDecision

from ..assessment_rules import ART4_RESPONSE_PERIOD
from ..models.assessment import CheckKind, CheckResult, CheckRun, FlagLevel, Resolution, ScreeningHit
from .checks import MATCH_TO_RESOLUTION, require_open
from .consultations import case_follow_consultations
from .workflow import ERR_STALE

ERR_RESOLUTION = gettext_lazy("Choose clear or confirm.")
ERR_RESOLUTION_REASON = gettext_lazy("Give the reason for your resolution: it is recorded with the check.")
ERR_EXEMPTION_REQUIRED = gettext_lazy(
    "Record the scope and the exemption the legal act allows; an embargo is cleared only so."
)
ERR_INFO_NOT_RESOLVED = gettext_lazy("This result is for information only; there is nothing to resolve.")
ERR_NOT_LATEST_RUN = gettext_lazy("The checks ran again since you loaded the page; resolve the flag in the latest run.")
ERR_MATCH_DECISION = gettext_lazy("Choose whether the transaction is essentially identical (consult) or not.")
ERR_MATCH_REASON = gettext_lazy(
    "Give the reason: it is recorded with the match and shown to the countersigning officer."
)
ERR_MATCH_DECIDED = gettext_lazy("This match was already decided; the decision stays in its history.")


def _invalid(errors: dict[str, list[str]]) -> DomainValidationError:
    return DomainValidationError(next(iter(errors.values()))[0], field_errors=errors)


@transaction.atomic(durable=True)
def check_resolve(*, actor: Any, result_id: int, resolution: str, reason: str, exemption_note: str = "") -> CheckResult:
    """Clear or confirm a flag of the latest run."""
    require_officer(actor)
    # Lock the result: two officers resolving the same flag at once must not both write; the second waits.
    result = CheckResult.objects.select_for_update().select_related("run", "application").get(pk=result_id)
    errors: dict[str, list[str]] = {}
    if resolution not in (Resolution.CLEARED, Resolution.CONFIRMED):
        errors["resolution"] = [ERR_RESOLUTION]
    if not reason.strip():
        errors["reason"] = [ERR_RESOLUTION_REASON]
    if result.kind == CheckKind.EMBARGO and resolution == Resolution.CLEARED and not exemption_note.strip():
        errors["exemption_note"] = [ERR_EXEMPTION_REQUIRED]
    if errors:
        raise _invalid(errors)
    require_open(result.application)
    if result.level == FlagLevel.INFO:
        raise TransitionNotAllowed(ERR_INFO_NOT_RESOLVED)
    if CheckRun.objects.filter(application_id=result.application_id, number__gt=result.run.number).exists():
        raise TransitionNotAllowed(ERR_NOT_LATEST_RUN)
    if result.kind == CheckKind.DENIAL_MATCH:
        match = DenialMatch.objects.select_for_update().get(
            application_id=result.application_id, denial_id=result.inputs["denial"]
        )
        decision = MatchDecision.CONFIRMED if resolution == Resolution.CONFIRMED else MatchDecision.DISMISSED
        _match_decide(actor=actor, match=match, decision=decision, reason=reason)
        result.refresh_from_db()
        return result
    if result.kind == CheckKind.SCREENING:
        hit = ScreeningHit.objects.select_for_update().get(
            party_id=result.inputs["party"], entry_id=result.inputs["entry"]
        )
        hit.decision, hit.decision_reason = resolution, reason.strip()
        hit.decided_by, hit.decided_at = actor, timezone.now()
        hit._change_reason = reason.strip()  # type: ignore[attr-defined]
        hit.save(update_fields=["decision", "decision_reason", "decided_by", "decided_at"])
    result.resolution, result.resolution_reason = resolution, reason.strip()
    result.exemption_note = exemption_note.strip() if result.kind == CheckKind.EMBARGO else ""
    result.resolved_by, result.resolved_at = actor, timezone.now()
    result._change_reason = reason.strip()  # type: ignore[attr-defined]
    result.save(update_fields=["resolution", "resolution_reason", "exemption_note", "resolved_by", "resolved_at"])
    record(
        actor=actor,
        verb=Verb.CHECK_RESOLVED,
        target=result.application,
        reason=reason.strip(),
        payload={
            "result": result.pk,
            "kind": result.kind,
            "key": result.key,
            "resolution": resolution,
            "exemption": result.exemption_note,
        },
    )
    return result


@transaction.atomic(durable=True)
def denial_match_decide(*, actor: Any, match_id: int, decision: str, reason: str) -> DenialMatch:
    """Confirm a proposed denial match (essentially identical: consult the denying state) or dismiss it."""
    require_officer(actor)
    # Lock the match: a double submit must not open two consultations.
    match = DenialMatch.objects.select_for_update().get(pk=match_id)
    require_open(match.application)
    return _match_decide(actor=actor, match=match, decision=decision, reason=reason)


def _match_decide(*, actor: Any, match: DenialMatch, decision: str, reason: str) -> DenialMatch:
    errors: dict[str, list[str]] = {}
    if decision not in (MatchDecision.CONFIRMED, MatchDecision.DISMISSED):
        errors["decision"] = [ERR_MATCH_DECISION]
    if not reason.strip():
        errors["reason"] = [ERR_MATCH_REASON]
    if errors:
        raise _invalid(errors)
    if match.decision:
        raise TransitionNotAllowed(ERR_MATCH_DECIDED)
    now = timezone.now()
    match.decision, match.decision_reason = decision, reason.strip()
    match.decided_by, match.decided_at = actor, now
    if decision == MatchDecision.CONFIRMED:
        match.consultation = _art4_consultation_open(actor=actor, match=match)
    match._change_reason = reason.strip()  # type: ignore[attr-defined]
    match.save(update_fields=["decision", "decision_reason", "decided_by", "decided_at", "consultation"])
    if decision == MatchDecision.CONFIRMED:
        case_follow_consultations(
            application_id=match.application_id,
            actor=actor,
            reason=Words(gettext_noop("Art. 4 consultation opened: {reason}"), {"reason": reason.strip()}),
        )
    # Show the decision on the flag of the latest run, so the checks panel and four eyes see it.
    latest = CheckRun.objects.filter(application_id=match.application_id).order_by("-number").first()
    if latest is not None:
        CheckResult.objects.filter(run=latest, key=f"denial:{match.denial_id}").update(
            resolution=MATCH_TO_RESOLUTION[MatchDecision(decision)],
            resolution_reason=reason.strip(),
            resolved_by=actor,
            resolved_at=now,
        )
    record(
        actor=actor,
        verb=Verb.CHECK_RESOLVED,
        target=("licensing.application", str(match.application_id)),
        reason=reason.strip(),
        payload={
            "denial_match": match.pk,
            "denial": match.denial_id,
            "decision": decision,
            "score": match.score,
            "consultation": match.consultation_id,
        },
    )
    return match


def _art4_consultation_open(*, actor: Any, match: DenialMatch) -> Consultation:
    """Open (or join) the Art. 4 consultation with the denying state for this application."""
    denial = match.denial
    existing = Consultation.objects.filter(
        kind=ConsultationKind.ART4_DENIAL,
        application_id=match.application_id,
        counterpart_id=denial.issuing_state_id,
        status=ConsultationStatus.OPEN,
    ).first()
    if existing is not None:
        return existing
    return art4_consultation_create(
        actor=actor,
        denial=denial,
        link={"application_id": match.application_id},
        subject=Words(
            gettext_noop("Essentially identical transaction to denial {reference} of {day} ({category}, {country})"),
            {
                "reference": denial.reference,
                "day": date_param(denial.notified_on),
                "category": denial.ml_category_id,
                "country": denial.destination_id,
            },
        ),
        history_reason="Art. 4 consultation opened on a confirmed denial match",
        payload={"application": match.application_id},
    )


def art4_consultation_create(
    *,
    actor: Any,
    denial: Any,
    link: dict[str, Any],
    subject: Words,
    history_reason: str,
    payload: dict[str, Any],
    reason: str = "",
) -> Consultation:
    """One Art. 4 consultation with the state that issued `denial` (Common Position 2008/944/CFSP Art. 4(1)),
    answer due after licensing.assessment_rules.ART4_RESPONSE_PERIOD, saved and recorded. `link`: the application,
    or the change of a licence and its denial (services.amendment_consultations). In the caller's transaction."""
    today = timezone.localdate()
    consultation = Consultation(
        kind=ConsultationKind.ART4_DENIAL,
        counterpart_id=denial.issuing_state_id,
        subject=subject.english()[:300],
        subject_words=subject.as_json(),
        opened_by=actor,
        opened_on=today,
        respond_by=today + ART4_RESPONSE_PERIOD,
        **link,
    )
    consultation._change_reason = history_reason  # type: ignore[attr-defined]
    consultation.save()
    record(
        actor=actor,
        verb=Verb.CONSULTATION_OPENED,
        target=consultation,
        reason=reason,
        payload={
            "kind": consultation.kind,
            **payload,
            "counterpart": denial.issuing_state_id,
            "denial": denial.reference,
            "respond_by": consultation.respond_by,
            "response_period_confirmed": False,
        },
    )
    return consultation


ART4_OUTCOMES = frozenset(
    {ConsultationOutcome.DENIAL_MAINTAINED, ConsultationOutcome.NO_OBJECTION, ConsultationOutcome.NO_ANSWER}
)
ERR_NOT_ART4 = gettext_lazy("This is not an Article 4 denial consultation.")
ERR_CONSULTATION_CONCLUDED = gettext_lazy("This consultation has already been concluded.")
ERR_ART4_OUTCOME = gettext_lazy(
    "Choose what the denying state answered: denial maintained, no objection, or no answer."
)
ERR_ART4_TEXT = gettext_lazy("Summarise the answer and what it means for this case.")
ERR_ART4_DATE = gettext_lazy("The conclusion date must lie between the opening of the consultation and today.")
ERR_NO_ANSWER_EARLY = gettext_lazy("“No answer” can be recorded only after the response date ({day}).")


@transaction.atomic(durable=True)
def art4_consultation_conclude(
    *,
    actor: Any,
    consultation_id: int,
    outcome: str,
    outcome_text: str,
    concluded_on: date | None = None,
    expected_version: int | None = None,
) -> Consultation:
    """Record the denying state's answer; the consultation no longer blocks an approval (Art. 4). Whatever the
    answer, the decision stays national; an approval after it is notified to the denying state."""
    require_officer(actor)
    # Lock the consultation: two officers recording answers at once must not both conclude it.
    consultation = Consultation.objects.select_for_update().get(pk=consultation_id)
    if consultation.kind != ConsultationKind.ART4_DENIAL:
        raise TransitionNotAllowed(ERR_NOT_ART4)
    if expected_version is not None and consultation.version != expected_version:
        raise StaleVersion(ERR_STALE)
    if consultation.status != ConsultationStatus.OPEN:
        raise TransitionNotAllowed(ERR_CONSULTATION_CONCLUDED)
    today = timezone.localdate()
    concluded_on = concluded_on or today
    errors: dict[str, list[str]] = {}
    if outcome not in ART4_OUTCOMES:
        errors["outcome"] = [ERR_ART4_OUTCOME]
    elif (
        outcome == ConsultationOutcome.NO_ANSWER and consultation.respond_by and concluded_on <= consultation.respond_by
    ):
        errors["outcome"] = [ERR_NO_ANSWER_EARLY.format(day=date_format(consultation.respond_by))]
    if not outcome_text.strip():
        errors["outcome_text"] = [ERR_ART4_TEXT]
    if not consultation.opened_on <= concluded_on <= today:
        errors["concluded_on"] = [ERR_ART4_DATE]
    if errors:
        raise _invalid(errors)
    consultation.status, consultation.outcome = ConsultationStatus.CONCLUDED, outcome
    consultation.outcome_text, consultation.concluded_on = outcome_text.strip(), concluded_on
    consultation.version += 1
    consultation._change_reason = outcome_text.strip()  # type: ignore[attr-defined]
    consultation.save(update_fields=["status", "outcome", "outcome_text", "concluded_on", "version"])
    record(
        actor=actor,
        verb=Verb.CONSULTATION_CONCLUDED,
        target=consultation,
        reason=outcome_text.strip(),
        payload={
            "kind": consultation.kind,
            "outcome": outcome,
            "concluded_on": concluded_on,
            "duration_days": consultation.duration_days,
            "application": consultation.application_id,
            "amendment": consultation.amendment_id,
        },
    )
    if consultation.application_id is not None:
        case_follow_consultations(
            application_id=consultation.application_id,
            actor=actor,
            reason=Words(
                gettext_noop("Art. 4 consultation concluded: {outcome}"),
                {"outcome": label_param(ConsultationOutcome(outcome).label)},
            ),
        )
    return consultation
