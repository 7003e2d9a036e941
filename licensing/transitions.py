"""The status machine of applications and licences: the one table of allowed transitions.

`licensing.services.workflow.application_transition` and `licence_transition` are the only code that write
`status`, under a row lock, after checking this table. A system check (licensing.checks) verifies the table is
consistent; tests walk every (state, action) pair.

Statuses: draft → submitted → under review ⇄ information requested → (consultation pending) →
approved / refused / withdrawn (a refusal is reconsidered, back under review, when an objection revokes it);
licence: issued → suspended ⇄ issued → revoked / expired / surrendered, amended and extended in place (a new
version of its terms); objection against a decision: filed → heard → (advised) → decided, or withdrawn (a target
of "" keeps the status); amendment of a licence: requested → (proposed ⇄ requested) → approved / refused, or
withdrawn.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from audit.models import Verb
from core.i18n import gettext_lazy
from core.roles import Role

from .models import DECIDED_STATUSES
from .models import AmendmentStatus as M
from .models import ApplicationStatus as S
from .models import LicenceStatus as L
from .models import ObjectionStatus as O


class Action(StrEnum):
    SUBMIT = "submit"
    WITHDRAW = "withdraw"
    START_REVIEW = "start_review"
    REQUEST_INFORMATION = "request_information"
    PROVIDE_INFORMATION = "provide_information"
    OPEN_CONSULTATION = "open_consultation"
    CONCLUDE_CONSULTATION = "conclude_consultation"
    APPROVE = "approve"
    REFUSE = "refuse"
    # Awb 7:11: a refusal revoked (or changed) on objection is reconsidered; the new decision passes the gate.
    RECONSIDER = "reconsider"


class LicenceAction(StrEnum):
    SUSPEND = "suspend"
    REINSTATE = "reinstate"
    REVOKE = "revoke"
    EXPIRE = "expire"
    AMEND = "amend"  # an approved amendment takes effect: a new version of the licence
    EXTEND = "extend"  # an approved extension takes effect: a new version with a later end of validity
    SURRENDER = "surrender"  # the holder gives the licence back


class AmendmentAction(StrEnum):
    """A holder's request to change a licence (licensing.services.amendments); filing creates it in REQUESTED."""

    PROPOSE = "propose"  # the officer's decision, waiting for a senior's countersignature (four eyes)
    APPROVE = "approve"
    REFUSE = "refuse"
    RETURN = "return"  # the senior sends the proposal back
    WITHDRAW = "withdraw"


class ObjectionAction(StrEnum):
    """Objection against a decision (bezwaar, Awb chapters 6 and 7); filing creates the case in FILED."""

    RECORD_HEARING = "record_hearing"  # Awb 7:2 (or why none is held, 7:3)
    RECORD_ADVICE = "record_advice"  # Awb 7:13 advisory committee
    SET_TERM = "set_term"  # Awb 7:10(1) committee term, 7:10(3) postponement
    DECIDE = "decide"  # Awb 7:11: uphold, change or revoke
    WITHDRAW = "withdraw"  # Awb 6:21


class ClockEffect(StrEnum):
    NONE = "none"
    START = "start"  # Awb 4:13 term starts (or, on reconsideration, starts again): deadlines computed
    PAUSE = "pause"  # Awb 4:15 suspension while the applicant completes the application
    RESUME = "resume"
    STOP = "stop"  # decided or withdrawn


SYSTEM = "system"  # the actor of scheduled actions (expiry)

EXPORTER = frozenset({Role.EXPORTER})
OFFICERS = frozenset({Role.OFFICER, Role.SENIOR_OFFICER})
SENIORS = frozenset({Role.SENIOR_OFFICER})


@dataclass(frozen=True)
class Transition:
    source: frozenset[str]
    action: str
    target: str
    roles: frozenset[Role]
    reason_required: bool
    clock: ClockEffect
    verb: Verb
    four_eyes_possible: bool = False
    system_allowed: bool = False


_OPEN_FOR_WITHDRAWAL = frozenset({S.SUBMITTED, S.UNDER_REVIEW, S.INFORMATION_REQUESTED, S.CONSULTATION_PENDING})

APPLICATION_TRANSITIONS: tuple[Transition, ...] = (
    Transition(
        frozenset({S.DRAFT}),
        Action.SUBMIT,
        S.SUBMITTED,
        EXPORTER,
        False,
        ClockEffect.START,
        Verb.APPLICATION_TRANSITIONED,
    ),
    Transition(
        _OPEN_FOR_WITHDRAWAL,
        Action.WITHDRAW,
        S.WITHDRAWN,
        EXPORTER,
        True,
        ClockEffect.STOP,
        Verb.APPLICATION_TRANSITIONED,
    ),
    Transition(
        frozenset({S.SUBMITTED}),
        Action.START_REVIEW,
        S.UNDER_REVIEW,
        OFFICERS,
        False,
        ClockEffect.NONE,
        Verb.APPLICATION_TRANSITIONED,
    ),
    Transition(
        frozenset({S.UNDER_REVIEW}),
        Action.REQUEST_INFORMATION,
        S.INFORMATION_REQUESTED,
        OFFICERS,
        True,
        ClockEffect.PAUSE,
        Verb.INFORMATION_REQUESTED,
    ),
    Transition(
        frozenset({S.INFORMATION_REQUESTED}),
        Action.PROVIDE_INFORMATION,
        S.UNDER_REVIEW,
        EXPORTER,
        False,
        ClockEffect.RESUME,
        Verb.INFORMATION_PROVIDED,
    ),
    # Consultations drive these two (licensing/services/consultations.py): opening one that must conclude before
    # the decision, and concluding the last one. A partner's brake window closes by itself (system).
    Transition(
        frozenset({S.UNDER_REVIEW}),
        Action.OPEN_CONSULTATION,
        S.CONSULTATION_PENDING,
        OFFICERS,
        True,
        ClockEffect.NONE,
        Verb.CONSULTATION_OPENED,
        system_allowed=True,
    ),
    Transition(
        frozenset({S.CONSULTATION_PENDING}),
        Action.CONCLUDE_CONSULTATION,
        S.UNDER_REVIEW,
        OFFICERS,
        True,
        ClockEffect.NONE,
        Verb.CONSULTATION_CONCLUDED,
        system_allowed=True,
    ),
    Transition(
        frozenset({S.UNDER_REVIEW}),
        Action.APPROVE,
        S.APPROVED,
        OFFICERS,
        True,
        ClockEffect.STOP,
        Verb.APPLICATION_TRANSITIONED,
        four_eyes_possible=True,
    ),
    # A refusal may be taken while a consultation runs: it never empties another state's right (decision_gate).
    Transition(
        frozenset({S.UNDER_REVIEW, S.CONSULTATION_PENDING}),
        Action.REFUSE,
        S.REFUSED,
        OFFICERS,
        True,
        ClockEffect.STOP,
        Verb.APPLICATION_TRANSITIONED,
        four_eyes_possible=True,
    ),
    # Only the decision on an objection drives this one (services/objections.py), never a button on its own.
    Transition(
        frozenset({S.REFUSED}),
        Action.RECONSIDER,
        S.UNDER_REVIEW,
        OFFICERS,
        True,
        ClockEffect.START,  # the Awb 4:13 term runs anew from the decision on the objection (services.clock)
        Verb.APPLICATION_TRANSITIONED,
    ),
)

LICENCE_TRANSITIONS: tuple[Transition, ...] = (
    Transition(
        frozenset({L.ISSUED}),
        LicenceAction.SUSPEND,
        L.SUSPENDED,
        OFFICERS,
        True,
        ClockEffect.NONE,
        Verb.LICENCE_TRANSITIONED,
    ),
    Transition(
        frozenset({L.SUSPENDED}),
        LicenceAction.REINSTATE,
        L.ISSUED,
        OFFICERS,
        True,
        ClockEffect.NONE,
        Verb.LICENCE_TRANSITIONED,
    ),
    Transition(
        frozenset({L.ISSUED, L.SUSPENDED}),
        LicenceAction.REVOKE,
        L.REVOKED,
        SENIORS | OFFICERS,
        True,
        ClockEffect.NONE,
        Verb.LICENCE_TRANSITIONED,
    ),
    Transition(
        frozenset({L.ISSUED, L.SUSPENDED}),
        LicenceAction.EXPIRE,
        L.EXPIRED,
        frozenset(),
        False,
        ClockEffect.NONE,
        Verb.LICENCE_TRANSITIONED,
        system_allowed=True,
    ),
    # An approved amendment or extension (services/amendments.py) keeps the licence issued, with new terms.
    Transition(
        frozenset({L.ISSUED}),
        LicenceAction.AMEND,
        L.ISSUED,
        OFFICERS,
        True,
        ClockEffect.NONE,
        Verb.LICENCE_AMENDED,
        four_eyes_possible=True,
    ),
    Transition(
        frozenset({L.ISSUED}),
        LicenceAction.EXTEND,
        L.ISSUED,
        OFFICERS,
        True,
        ClockEffect.NONE,
        Verb.LICENCE_EXTENDED,
        four_eyes_possible=True,
    ),
    Transition(
        frozenset({L.ISSUED, L.SUSPENDED}),
        LicenceAction.SURRENDER,
        L.SURRENDERED,
        EXPORTER,
        True,
        ClockEffect.NONE,
        Verb.LICENCE_SURRENDERED,
    ),
)

_OPEN_AMENDMENT = frozenset({M.REQUESTED, M.PROPOSED})

AMENDMENT_TRANSITIONS: tuple[Transition, ...] = (
    Transition(
        frozenset({M.REQUESTED}),
        AmendmentAction.PROPOSE,
        M.PROPOSED,
        OFFICERS,
        True,
        ClockEffect.NONE,
        Verb.LICENCE_AMENDMENT_PROPOSED,
        four_eyes_possible=True,
    ),
    # Without four eyes the officer decides at once; with them the senior's countersignature decides.
    Transition(
        frozenset({M.REQUESTED}),
        AmendmentAction.APPROVE,
        M.APPROVED,
        OFFICERS,
        True,
        ClockEffect.STOP,
        Verb.LICENCE_AMENDMENT_DECIDED,
    ),
    Transition(
        frozenset({M.PROPOSED}),
        AmendmentAction.APPROVE,
        M.APPROVED,
        SENIORS,
        False,
        ClockEffect.STOP,
        Verb.LICENCE_AMENDMENT_DECIDED,
        four_eyes_possible=True,
    ),
    Transition(
        frozenset({M.PROPOSED}),
        AmendmentAction.REFUSE,
        M.REFUSED,
        SENIORS,
        False,
        ClockEffect.STOP,
        Verb.LICENCE_AMENDMENT_DECIDED,
        four_eyes_possible=True,
    ),
    Transition(
        frozenset({M.PROPOSED}),
        AmendmentAction.RETURN,
        M.REQUESTED,
        SENIORS,
        True,
        ClockEffect.NONE,
        Verb.LICENCE_AMENDMENT_PROPOSED,
    ),
    Transition(
        _OPEN_AMENDMENT,
        AmendmentAction.WITHDRAW,
        M.WITHDRAWN,
        EXPORTER,
        True,
        ClockEffect.STOP,
        Verb.LICENCE_AMENDMENT_DECIDED,
    ),
)

_OPEN_OBJECTION = frozenset({O.FILED, O.HEARD, O.ADVISED})

OBJECTION_TRANSITIONS: tuple[Transition, ...] = (
    Transition(
        frozenset({O.FILED, O.HEARD}),
        ObjectionAction.RECORD_HEARING,
        O.HEARD,
        OFFICERS,
        False,
        ClockEffect.NONE,
        Verb.DECISION_OBJECTION_UPDATED,
    ),
    Transition(
        frozenset({O.HEARD, O.ADVISED}),
        ObjectionAction.RECORD_ADVICE,
        O.ADVISED,
        OFFICERS,
        False,
        ClockEffect.NONE,
        Verb.DECISION_OBJECTION_UPDATED,
    ),
    Transition(
        _OPEN_OBJECTION,
        ObjectionAction.SET_TERM,
        "",  # the status stays as it is; only the term changes
        OFFICERS,
        True,
        ClockEffect.NONE,
        Verb.DECISION_OBJECTION_UPDATED,
    ),
    Transition(
        frozenset({O.HEARD, O.ADVISED}),
        ObjectionAction.DECIDE,
        O.DECIDED,
        OFFICERS,
        True,
        ClockEffect.STOP,
        Verb.DECISION_OBJECTION_DECIDED,
    ),
    Transition(
        _OPEN_OBJECTION,
        ObjectionAction.WITHDRAW,
        O.WITHDRAWN,
        EXPORTER,
        True,
        ClockEffect.STOP,
        Verb.DECISION_OBJECTION_UPDATED,
    ),
)

# A refusal is decided but not terminal: an objection against it may lead to its reconsideration (Awb 7:11).
TERMINAL_APPLICATION_STATUSES = DECIDED_STATUSES - {S.REFUSED}
TERMINAL_LICENCE_STATUSES = frozenset({L.REVOKED, L.EXPIRED, L.SURRENDERED})
TERMINAL_AMENDMENT_STATUSES = frozenset({M.APPROVED, M.REFUSED, M.WITHDRAWN})
TERMINAL_OBJECTION_STATUSES = frozenset({O.DECIDED, O.WITHDRAWN})

ERR_TRANSITION = gettext_lazy("This case is {status}; “{action}” is not possible now.")
ERR_LICENCE_TRANSITION = gettext_lazy("This licence is {status}; “{action}” is not possible now.")
ERR_ROLE = gettext_lazy("Your role does not allow “{action}”.")
ERR_REASON = gettext_lazy("Give a reason: it is recorded in the case history.")


def find(table: tuple[Transition, ...], status: str, action: str) -> Transition | None:
    for transition in table:
        if transition.action == action and status in transition.source:
            return transition
    return None


def actions_from(table: tuple[Transition, ...], status: str) -> list[str]:
    return [t.action for t in table if status in t.source]


def table_problems() -> list[str]:
    """Consistency of the table, for the system check: each (state, action) is defined once; terminal states
    have no way out; every non-terminal state is reachable and has a way out."""
    problems = []
    for name, table, statuses, terminal, start in (
        ("application", APPLICATION_TRANSITIONS, S.values, TERMINAL_APPLICATION_STATUSES, S.DRAFT),
        ("licence", LICENCE_TRANSITIONS, L.values, TERMINAL_LICENCE_STATUSES, L.ISSUED),
        ("objection", OBJECTION_TRANSITIONS, O.values, TERMINAL_OBJECTION_STATUSES, O.FILED),
        ("amendment", AMENDMENT_TRANSITIONS, M.values, TERMINAL_AMENDMENT_STATUSES, M.REQUESTED),
    ):
        problems += problems_of_table(name, table, statuses=statuses, terminal=terminal, starts={start})
    return problems


def problems_of_table(
    name: str,
    table: tuple[Transition, ...],
    *,
    statuses: list[str],
    terminal: frozenset[str],
    starts: set[str],
) -> list[str]:
    """The consistency of one table (also used by the general-licence registrations' table, which lives in its
    own app): each (state, action) defined once, no way out of a terminal state, every state reachable from a
    start state, and every non-terminal state with a way out."""
    problems = []
    seen: set[tuple[str, str]] = set()
    for t in table:
        for source in t.source:
            key = (source, t.action)
            if key in seen:
                problems.append(f"{name}: {key} defined twice")
            seen.add(key)
            if source in terminal:
                problems.append(f"{name}: terminal state {source} has a way out ({t.action})")
    targets = {t.target for t in table if t.target} | starts
    for status in statuses:
        if status not in targets:
            problems.append(f"{name}: state {status} is unreachable")
        if status not in terminal and not actions_from(table, status):
            problems.append(f"{name}: state {status} has no way out")
    return problems
