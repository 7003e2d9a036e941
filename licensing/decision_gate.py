"""The one gate on every decision: may this case take this outcome now, and if not, why not?

`decision_gate` reads the case's data and writes nothing. The status machine (services/workflow.py) asks it on
every approve and refuse transition; the decision services ask it before a proposal; the case page's "next
actions" and the API's 409 body show its blockers word for word. Nothing else can block or allow a decision.

Preconditions, each with its source:
- The case is under review (approve), or under review or waiting for a consultation (refuse): a refusal never
  empties another state's right, so it may be taken while a consultation runs; the open consultations are then
  closed with the case (services/consultations.py).
- No other decision waits for a countersignature (one decision at a time).
- Criteria (Common Position 2008/944/CFSP, Art. 2, as amended by Decision (CFSP) 2019/1560): an ordinary
  approval needs all eight criteria assessed and none of the "shall deny" criteria met. Which criteria deny and
  which are taken into account is read from the criteria table (reference data with its history), nowhere
  else. De minimis treaty transfers are exempt: the treaty leaves the criteria to the integrating state, so
  findings may be noted but never block (Agreement on Export Controls in the Field of Defence, de minimis
  provisions; ../shared/domain/README.md "Treaty: products for integration").
- Automatic checks (Common Position Art. 1 and criterion 1): an arms embargo on a party's country blocks an
  approval until the officer records an exemption that the legal act allows.
- Denials (Common Position Art. 4): a proposed match must be confirmed or dismissed before an approval; a
  confirmed one needs a concluded consultation with the denying state. A change of a licence that names a new
  consignee or end user resembling a denial's (licensing.denial_rules.change_denials_to_consult) is held the same
  way (amendment_gate): until the Art. 4 consultation on it is opened and concluded.
- Consultations with other states (Art. 4 consultations, the treaty's high-level consultations, partners'
  emergency-brake windows on our exports) hold an approval while open. A partner's brake window (treaty
  emergency brake: an objection "at the latest within two months" of becoming aware, the closing day itself still
  in time) holds the approval up to and including its closing day, read from the stored deadline on every
  call: from the day after, or once the partner answered "no objection" or objected (then the high-level
  consultation holds it), the window no longer blocks, whether or not the deadline sweep has run yet.
- End-user certificate: a treaty component transfer outside the de minimis rule (share above the threshold, an
  excluded item, or a correction after submission that took it out of the rule) is an ordinary transfer and needs
  the end-user certificate that only de minimis transfers are spared (../shared/domain/README.md).
- Treaty refusal ground: a de minimis transfer may be refused only because the home state's direct interests
  or national security are compromised, and that ground is only for de minimis transfers.
- Four eyes: a refusal always, an approval with concerns on a criterion, an open or confirmed check flag or a
  confirmed denial match, and the refusal of a de minimis transfer, need a senior officer's countersignature
  (a second person, never the proposer). At the moment of effect the gate checks that it was given.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal
from enum import StrEnum

from django.db.models import Sum
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from .amendment_denials import change_denials
from .amendment_rules import ChangeSummary, four_eyes_reasons_for_change
from .assessment_rules import ALL_CRITERIA, AssessmentOutcome
from .case_reads import CaseReads, case_reads
from .certificate_rules import EndUserNamed, certificate_problems, end_user_certificate_required
from .check_texts import finding_text
from .models import (
    AmendmentStatus,
    Application,
    ApplicationStatus,
    Decision,
    DecisionOutcome,
    DecisionStatus,
    DenyType,
    DocumentKind,
    LicenceAmendment,
    LicenceStatus,
    LicenceType,
    LicensedGoods,
    PartyRole,
)
from .models.assessment import CheckKind, FlagLevel, Resolution
from .models.consultation import Consultation, ConsultationStatus
from .models.denials import MatchDecision
from .models.treaty import TreatyRefusalGround, TreatyTransfer


class Stage(StrEnum):
    PROPOSE = "propose"  # an officer proposes (or takes, without four eyes) a decision
    TAKE_EFFECT = "take_effect"  # the decision changes the case's status


class BlockerCode(StrEnum):
    STATUS = "status"
    PENDING_DECISION = "pending_decision"
    CRITERIA_INCOMPLETE = "criteria_incomplete"
    SHALL_DENY = "shall_deny"
    CHECKS_NOT_RUN = "checks_not_run"
    EMBARGO = "embargo"
    DENIAL_MATCH_UNDECIDED = "denial_match_undecided"
    CONSULTATION_OPEN = "consultation_open"
    DE_MINIMIS_GROUND = "de_minimis_ground"
    TREATY_GROUND_NOT_DE_MINIMIS = "treaty_ground_not_de_minimis"
    COUNTERSIGNATURE_MISSING = "countersignature_missing"
    SHARE_OUTDATED = "share_outdated"
    END_USER_CERTIFICATE_MISSING = "end_user_certificate_missing"
    NO_DECISION = "no_decision"
    LICENCE_NOT_IN_FORCE = "licence_not_in_force"
    VERSION_CHANGED = "version_changed"
    BELOW_SHIPPED = "below_shipped"
    DENIAL_CONSULTATION_NEEDED = "denial_consultation_needed"


MSG_STATUS = _("This case is {status}: it cannot be {outcome} now.")
MSG_PENDING_DECISION = _("A decision is already waiting for countersignature on this case.")
MSG_CRITERIA_INCOMPLETE = _("Assess all eight criteria first (still open: {numbers}).")
MSG_SHALL_DENY = _(
    "Criterion {numbers} has grounds to refuse, and the Common Position says the licence shall be denied."
)
MSG_CHECKS_NOT_RUN = _("The automatic checks have not run on this case.")
MSG_EMBARGO = _("The arms embargo on {countries} is not cleared with a recorded exemption.")
MSG_MATCH_UNDECIDED = _("Decide on the proposed denial match ({refs}) first.")
MSG_CONSULTATION_OPEN = _("{kind} with {state} is not concluded{until}.")
MSG_CONSULTATION_UNTIL = _(" (its window closes on {day})")
MSG_DE_MINIMIS_GROUND = _(
    "The de minimis rule applies to this treaty transfer: it may be refused only because the Netherlands' direct "
    "interests or national security are compromised. Choose one of those grounds."
)
MSG_TREATY_GROUND_NOT_DE_MINIMIS = _(
    "The ground of direct interests or national security is only for de minimis treaty transfers; "
    "refuse this case on the Common Position criteria."
)
MSG_SHARE_OUTDATED = _(
    "Another transfer into the same final system was decided since the share was computed (EUR {stored} of earlier "
    "approved transfers counted, EUR {now} now): apply the rule again (correct the treaty details) before deciding."
)
MSG_EUC_MISSING = _(
    "The de minimis rule does not apply to this treaty transfer, so it is an ordinary transfer: an end-user "
    "certificate is needed. Ask the exporter for it."
)
MSG_COUNTERSIGNATURE_MISSING = _("This decision needs a senior officer's countersignature before it takes effect.")
MSG_NO_DECISION = _("A case is approved or refused only by a recorded decision.")
MSG_AMENDMENT_STATUS = _("This request is {status}: it cannot be decided now.")
MSG_LICENCE_NOT_IN_FORCE = _("The licence is {status}: only a licence in force can be changed.")
MSG_VERSION_CHANGED = _(
    "The request was made on version {asked} of the licence; version {now} is now in force. Ask the holder to "
    "request the change again."
)
MSG_BELOW_SHIPPED = _("{description}: {shipped} {unit} have been shipped already, more than the {asked} asked for.")
MSG_CHANGE_EMBARGO = _("A check on the change found an arms embargo: {message}")
MSG_CHANGE_EUC = _("The end-user certificate for the new end user cannot be relied on: {problem}")
MSG_CHANGE_EUC_MISSING = _("The new end user needs an end-user certificate that names it.")
MSG_CHANGE_DENIAL_CONSULT = _(
    "{state} denied a transaction on {day} ({reference}) whose denial names “{denied}”, like the new {role} "
    "“{name}”. Consult {state} before approving, or record why the change is not essentially identical (Common "
    "Position Art. 4)."
)

REASON_REFUSAL = _("A refusal is always countersigned by a senior officer.")
REASON_CRITERION = _("Criterion {n} was assessed with {outcome}.")
REASON_FLAG = _("An automatic check raised a flag that is {state}: {message}")
REASON_MATCH = _("A denial by {state} ({reference}) was confirmed as an essentially identical transaction.")
REASON_DE_MINIMIS_REFUSAL = _("Refusing a de minimis treaty transfer needs a senior officer's sign-off.")

# Where each outcome may be taken from. A refusal may be taken while a consultation runs (see the docstring).
OUTCOME_SOURCES: dict[str, frozenset[str]] = {
    DecisionOutcome.APPROVE: frozenset({ApplicationStatus.UNDER_REVIEW}),
    DecisionOutcome.REFUSE: frozenset({ApplicationStatus.UNDER_REVIEW, ApplicationStatus.CONSULTATION_PENDING}),
}


@dataclass(frozen=True)
class Blocker:
    code: str
    message: str

    def as_dict(self) -> dict[str, str]:
        return {"code": self.code, "message": self.message}


@dataclass(frozen=True)
class GateAnswer:
    outcome: str
    blockers: tuple[Blocker, ...] = ()
    countersignature_reasons: tuple[str, ...] = field(default=())
    # The first day the partners' brake windows no longer hold an approval (None: none holds it now).
    decidable_from: date | None = None

    @property
    def allowed(self) -> bool:
        return not self.blockers

    @property
    def needs_countersignature(self) -> bool:
        return bool(self.countersignature_reasons)

    def reasons_text(self) -> str:
        return " ".join(b.message for b in self.blockers)


def is_de_minimis(application: Application, *, reads: CaseReads | None = None) -> bool:
    return any(t.de_minimis for t in (reads or case_reads(application)).treaty_transfers)


def decision_gate(
    application: Application,
    *,
    outcome: str,
    refusal_ground: str = "",
    stage: Stage = Stage.PROPOSE,
    decision: Decision | None = None,
) -> GateAnswer:
    """Every precondition of `outcome` on this case, as data: blockers (empty = allowed) and four-eyes reasons.

    At Stage.TAKE_EFFECT `decision` is the decision that takes effect: its refusal ground counts, and its
    countersignature must be there when four eyes apply.
    """
    if decision is not None:
        refusal_ground = decision.refusal_ground
    reads = case_reads(application)  # the criteria, checks and matches below read each of them once
    de_minimis = is_de_minimis(application, reads=reads)
    window_closes_after: date | None = None
    blockers: list[Blocker] = []
    if application.status not in OUTCOME_SOURCES.get(outcome, frozenset()):
        blockers.append(_status_blocker(application, outcome))
    if stage == Stage.PROPOSE and reads.has_proposed_decision():
        blockers.append(Blocker(BlockerCode.PENDING_DECISION, str(MSG_PENDING_DECISION)))
    if outcome == DecisionOutcome.APPROVE:
        if not de_minimis:
            blockers += _criteria_blockers(reads)
        blockers += _share_blockers(application, reads)
        blockers += _certificate_blockers(application, de_minimis=de_minimis)
        blockers += _check_blockers(reads, stage=stage)
        consultations = open_consultations(application)
        blockers += _consultation_blockers(consultations)
        window_closes_after = _decidable_from(consultations)
    elif outcome == DecisionOutcome.REFUSE:
        blockers += _refusal_ground_blockers(de_minimis=de_minimis, refusal_ground=refusal_ground)
    reasons = tuple(four_eyes_reasons(application, outcome=outcome, de_minimis=de_minimis, reads=reads))
    if stage == Stage.TAKE_EFFECT:
        if decision is None:
            blockers.append(Blocker(BlockerCode.NO_DECISION, str(MSG_NO_DECISION)))
        elif reasons and decision.countersigned_by_id in (None, decision.proposed_by_id):
            blockers.append(Blocker(BlockerCode.COUNTERSIGNATURE_MISSING, str(MSG_COUNTERSIGNATURE_MISSING)))
    return GateAnswer(
        outcome=outcome,
        blockers=tuple(blockers),
        countersignature_reasons=reasons,
        decidable_from=window_closes_after,
    )


def _status_blocker(application: Application, outcome: str) -> Blocker:
    verb = _("approved") if outcome == DecisionOutcome.APPROVE else _("refused")
    status = ApplicationStatus(application.status).label.lower()
    if application.status == ApplicationStatus.CONSULTATION_PENDING:
        # The open consultations say why better than the status does; they are listed as their own blockers.
        status = str(_("waiting for a consultation with another state"))
    return Blocker(BlockerCode.STATUS, str(MSG_STATUS).format(status=status, outcome=verb))


def forces_refusal(deny_type: str, outcome: str) -> bool:
    """A "shall deny" criterion found met: the licence shall be denied, so no approval may be given.

    Grounds to refuse under a "take into account" criterion weigh towards refusal but are the officer's
    judgement, so they do not force it (Common Position Art. 2).
    """
    return deny_type != DenyType.TAKE_INTO_ACCOUNT and outcome == AssessmentOutcome.GROUNDS_TO_REFUSE


def _criteria_blockers(reads: CaseReads) -> list[Blocker]:
    outcomes = {a.criterion_id: a.outcome for a in reads.assessments}
    deny_types = {c.number: c.deny_type for c in reads.criteria}
    blockers = []
    deny = [str(n) for n, outcome in sorted(outcomes.items()) if forces_refusal(deny_types.get(n, ""), outcome)]
    if deny:
        blockers.append(Blocker(BlockerCode.SHALL_DENY, str(MSG_SHALL_DENY).format(numbers=", ".join(deny))))
    missing = [str(n) for n in ALL_CRITERIA if n not in outcomes]
    if missing:
        blockers.append(
            Blocker(BlockerCode.CRITERIA_INCOMPLETE, str(MSG_CRITERIA_INCOMPLETE).format(numbers=", ".join(missing)))
        )
    return blockers


def _check_blockers(reads: CaseReads, *, stage: Stage) -> list[Blocker]:
    # A proposal runs the checks first (casework.decision_propose); at the moment of effect they must have run.
    if stage == Stage.TAKE_EFFECT and reads.latest_run is None:
        return [Blocker(BlockerCode.CHECKS_NOT_RUN, str(MSG_CHECKS_NOT_RUN))]
    blockers = []
    embargoes = sorted(
        {
            str(r.inputs.get("country", ""))
            for r in reads.latest_results
            if r.kind == CheckKind.EMBARGO and r.level == FlagLevel.BLOCKING and r.resolution != Resolution.CLEARED
        }
    )
    if embargoes:
        blockers.append(Blocker(BlockerCode.EMBARGO, str(MSG_EMBARGO).format(countries=", ".join(embargoes))))
    undecided = sorted(
        m.denial.reference for m in reads.denial_matches if m.still_matches and m.decision == MatchDecision.PENDING
    )
    if undecided:
        blockers.append(
            Blocker(BlockerCode.DENIAL_MATCH_UNDECIDED, str(MSG_MATCH_UNDECIDED).format(refs=", ".join(undecided)))
        )
    return blockers


def open_consultations(application: Application, *, today: date | None = None) -> list[Consultation]:
    """The consultations with other states that hold this case's approval, oldest first.

    A partner's brake window holds it up to and including its closing day (`respond_by`), not after."""
    today = today or timezone.localdate()
    return [
        consultation
        for consultation in Consultation.objects.filter(application=application, status=ConsultationStatus.OPEN)
        .select_related("counterpart")
        .order_by("opened_on", "pk")
        if not (
            consultation.holds_until_respond_by
            and consultation.respond_by is not None
            and consultation.respond_by < today
        )
    ]


def decidable_from(application: Application, *, today: date | None = None) -> date | None:
    """The first day on which the partners' open brake windows no longer hold an approval (None: none holds it).

    The day after the latest closing day: the closing day itself is still in the partner's time."""
    return _decidable_from(open_consultations(application, today=today))


def _decidable_from(consultations: list[Consultation]) -> date | None:
    closing = [c.respond_by for c in consultations if c.holds_until_respond_by and c.respond_by is not None]
    return max(closing) + timedelta(days=1) if closing else None


def _certificate_blockers(application: Application, *, de_minimis: bool) -> list[Blocker]:
    # Submission requires the certificate wherever the rule does (services.applications); only a treaty transfer's
    # path can change after it, when an officer's correction takes the case out of de minimis.
    if application.licence_type != LicenceType.TREATY_COMPONENT or not end_user_certificate_required(
        licence_type=application.licence_type, de_minimis=de_minimis
    ):
        return []
    if application.documents.filter(kind=DocumentKind.END_USER_CERTIFICATE).exists():
        return []
    return [Blocker(BlockerCode.END_USER_CERTIFICATE_MISSING, str(MSG_EUC_MISSING))]


def _consultation_blockers(consultations: list[Consultation]) -> list[Blocker]:
    blockers = []
    for consultation in consultations:
        until = (
            str(MSG_CONSULTATION_UNTIL).format(day=consultation.respond_by)
            if consultation.holds_until_respond_by and consultation.respond_by
            else ""
        )
        message = str(MSG_CONSULTATION_OPEN).format(
            kind=consultation.get_kind_display(),  # type: ignore[attr-defined]
            state=consultation.counterpart.name,
            until=until,
        )
        blockers.append(Blocker(BlockerCode.CONSULTATION_OPEN, message))
    return blockers


def _share_blockers(application: Application, reads: CaseReads) -> list[Blocker]:
    """De minimis over the whole final system (issue 13): the stored share must count every transfer into the
    same system approved by now, so two consignments submitted side by side cannot both pass on their own."""
    transfer = next((t for t in reads.treaty_transfers if t.follow_on_of_id is None), None)
    if transfer is None:
        return []
    now = TreatyTransfer.objects.filter(
        final_system_id=transfer.final_system_id,
        follow_on_of__isnull=True,
        application__status=ApplicationStatus.APPROVED,
    ).exclude(application_id=application.pk).aggregate(total=Sum("component_value_eur"))["total"] or Decimal(0)
    if now == transfer.earlier_decided_eur:
        return []
    message = str(MSG_SHARE_OUTDATED).format(stored=f"{transfer.earlier_decided_eur:.2f}", now=f"{now:.2f}")
    return [Blocker(BlockerCode.SHARE_OUTDATED, message)]


def _refusal_ground_blockers(*, de_minimis: bool, refusal_ground: str) -> list[Blocker]:
    if de_minimis and refusal_ground not in TreatyRefusalGround.values:
        return [Blocker(BlockerCode.DE_MINIMIS_GROUND, str(MSG_DE_MINIMIS_GROUND))]
    if refusal_ground and not de_minimis:
        return [Blocker(BlockerCode.TREATY_GROUND_NOT_DE_MINIMIS, str(MSG_TREATY_GROUND_NOT_DE_MINIMIS))]
    return []


def four_eyes_reasons(
    application: Application, *, outcome: str, de_minimis: bool | None = None, reads: CaseReads | None = None
) -> list[str]:
    """Why this decision needs a second person (empty when one officer may take it)."""
    reads = reads or case_reads(application)
    if de_minimis is None:
        de_minimis = is_de_minimis(application, reads=reads)
    if outcome == DecisionOutcome.REFUSE:
        reasons = [str(REASON_REFUSAL)]
        if de_minimis:
            reasons.append(str(REASON_DE_MINIMIS_REFUSAL))
        return reasons
    reasons = [
        str(REASON_CRITERION).format(n=a.criterion_id, outcome=a.get_outcome_display().lower())  # type: ignore[attr-defined]
        for a in reads.assessments  # by criterion number
        if a.outcome != AssessmentOutcome.NO_CONCERNS
    ]
    flagged: set[str] = set()
    for result in reads.latest_results:
        if result.level not in (FlagLevel.BLOCKING, FlagLevel.WARNING) or result.resolution == Resolution.CLEARED:
            continue
        state = _("confirmed") if result.resolution == Resolution.CONFIRMED else _("not resolved")
        reasons.append(str(REASON_FLAG).format(state=state, message=result.text))
        flagged.add(result.key)
    # A confirmed match counts even when the latest run no longer proposes it (e.g. the denial has aged out).
    for match in sorted(reads.denial_matches, key=lambda m: -m.score):  # best first
        if match.decision == MatchDecision.CONFIRMED and f"denial:{match.denial_id}" not in flagged:
            reasons.append(
                str(REASON_MATCH).format(state=match.denial.issuing_state.name, reference=match.denial.reference)
            )
    return reasons


def amendment_gate(amendment: LicenceAmendment, *, outcome: str, stage: Stage = Stage.PROPOSE) -> GateAnswer:
    """Every precondition of deciding a change to a licence (licensing.services.amendments), as data.

    The change is assessed on what changes only: its stored check findings (services.checks.checks_for_change)
    and its four-eyes reasons (licensing.amendment_rules, the one place of that rule). An arms embargo found on the
    change blocks its approval; there is no exemption path for a change: the holder applies for a new licence.
    At Stage.TAKE_EFFECT the countersignature must be there when four eyes apply."""
    blockers: list[Blocker] = []
    expected = {AmendmentStatus.REQUESTED} if stage == Stage.PROPOSE else {AmendmentStatus.PROPOSED}
    if amendment.status not in expected:
        status = AmendmentStatus(amendment.status).label.lower()
        blockers.append(Blocker(BlockerCode.STATUS, str(MSG_AMENDMENT_STATUS).format(status=status)))
    licence = amendment.licence
    if licence.status != LicenceStatus.ISSUED:
        status = LicenceStatus(licence.status).label.lower()
        blockers.append(Blocker(BlockerCode.LICENCE_NOT_IN_FORCE, str(MSG_LICENCE_NOT_IN_FORCE).format(status=status)))
    if amendment.based_on_version != licence.terms_version:
        blockers.append(
            Blocker(
                BlockerCode.VERSION_CHANGED,
                str(MSG_VERSION_CHANGED).format(asked=amendment.based_on_version, now=licence.terms_version),
            )
        )
    if outcome == DecisionOutcome.APPROVE:
        goods = {g.pk: g for g in LicensedGoods.objects.filter(licence=licence)}
        for change in amendment.goods_changes:
            line = goods.get(change["goods"])
            if line is not None and Decimal(change["quantity"]) < line.shipped_quantity:
                blockers.append(
                    Blocker(
                        BlockerCode.BELOW_SHIPPED,
                        str(MSG_BELOW_SHIPPED).format(
                            description=line.description,
                            shipped=line.shipped_quantity.normalize(),
                            unit=line.unit,
                            asked=Decimal(change["quantity"]).normalize(),
                        ),
                    )
                )
        blockers.extend(_new_end_user_certificate_blockers(amendment))
        blockers.extend(_change_denial_blockers(amendment))
        for finding in amendment.check_findings:
            if finding.get("kind") == CheckKind.EMBARGO and finding.get("level") == FlagLevel.BLOCKING:
                blockers.append(
                    Blocker(BlockerCode.EMBARGO, str(MSG_CHANGE_EMBARGO).format(message=finding_text(finding)))
                )
    reasons = tuple(
        four_eyes_reasons_for_change(
            change_summary(amendment),
            outcome=outcome,
            findings=amendment.check_findings,
            original_countersigned=Decision.objects.filter(
                application_id=licence.application_id, status=DecisionStatus.FINAL, countersigned_by__isnull=False
            ).exists(),
        )
    )
    if stage == Stage.TAKE_EFFECT and reasons and amendment.countersigned_by_id in (None, amendment.proposed_by_id):
        blockers.append(Blocker(BlockerCode.COUNTERSIGNATURE_MISSING, str(MSG_COUNTERSIGNATURE_MISSING)))
    return GateAnswer(outcome=outcome, blockers=tuple(blockers), countersignature_reasons=reasons)


def _new_end_user_certificate_blockers(amendment: LicenceAmendment) -> list[Blocker]:
    """A new end user's certificate must still name it and be valid on the day of the decision
    (licensing.amendment_rules, licensing.certificate_rules)."""
    new_end_user = next((p for p in amendment.party_changes if p["role"] == PartyRole.END_USER), None)
    if new_end_user is None:
        return []
    licence = amendment.licence
    de_minimis = TreatyTransfer.objects.filter(application_id=licence.application_id, de_minimis=True).exists()
    certificate = amendment.end_user_certificate
    if certificate is None:
        if end_user_certificate_required(licence_type=licence.licence_type, de_minimis=de_minimis):
            return [Blocker(BlockerCode.END_USER_CERTIFICATE_MISSING, str(MSG_CHANGE_EUC_MISSING))]
        return []
    problems = certificate_problems(
        certificate, EndUserNamed(new_end_user["name"], new_end_user["country"]), timezone.localdate()
    )
    return [
        Blocker(BlockerCode.END_USER_CERTIFICATE_MISSING, str(MSG_CHANGE_EUC).format(problem=problem))
        for problem in problems
    ]


def _change_denial_blockers(amendment: LicenceAmendment) -> list[Blocker]:
    """Common Position Art. 4 on a change, exactly as on an application: a new consignee or end user resembling
    the party of a denial (licensing.denial_rules.change_denials_to_consult) holds the approval until the denying
    state is consulted and the consultation is concluded, whatever it answered (the decision stays national), or
    until an officer finds, with reasons, that the change is not essentially identical to that denial."""
    blockers = []
    waiting = []
    for found in change_denials(amendment):
        if found.dismissal is not None:
            continue  # the officer found the change not essentially identical to this denial
        if found.consultation is None:
            denial, party = found.denial, found.found.party
            message = str(MSG_CHANGE_DENIAL_CONSULT).format(
                state=denial.issuing_state.name,
                day=date_format(denial.notified_on),
                reference=denial.reference,
                denied=found.found.denied_name,
                role=str(PartyRole(party.role).label).lower(),
                name=party.name,
            )
            blockers.append(Blocker(BlockerCode.DENIAL_CONSULTATION_NEEDED, message))
        elif found.consultation.status == ConsultationStatus.OPEN:
            waiting.append(found.consultation)
    return blockers + _consultation_blockers(waiting)


def change_summary(amendment: LicenceAmendment) -> ChangeSummary:
    """What the requested change does against the version in force (amendment_rules.ChangeSummary)."""
    licence = amendment.licence
    lines = {g.pk: g for g in LicensedGoods.objects.filter(licence=licence)}
    value_after = licence.total_value_eur
    widens = False
    for change in amendment.goods_changes:
        line = lines.get(change["goods"])
        if line is None:
            continue
        quantity, value = Decimal(change["quantity"]), Decimal(change["value_eur"])
        widens = widens or quantity > line.quantity or value > line.value_eur
        value_after += value - line.value_eur
    if amendment.new_valid_until and amendment.new_valid_until > licence.valid_until:
        widens = True
    covered = {line.ml_category_id for line in lines.values()}
    new_categories = []
    for addition in amendment.goods_additions:
        value_after += Decimal(addition["value_eur"])
        if addition["ml_category"] not in covered and addition["ml_category"] not in new_categories:
            new_categories.append(addition["ml_category"])
    roles = [str(PartyRole(p["role"]).label).lower() for p in amendment.party_changes]
    destination_changes = bool(amendment.new_destination_id) and amendment.new_destination_id != licence.destination_id
    return ChangeSummary(
        widens=widens or destination_changes or bool(roles) or bool(amendment.goods_additions),
        destination_changes=destination_changes,
        value_before=licence.total_value_eur,
        value_after=value_after,
        party_roles_changing=tuple(roles),
        new_categories=tuple(new_categories),
    )
