"""The status machine of a company's registration for a general licence: the one table of its transitions, in the
form of licensing.transitions (the same Transition rows and system check; it lives here because registrations
are general_licences' own, and a lower app never imports a higher one).

pending → approved / rejected; approved → suspended ⇄ approved. A registration that needs no officer's approval
is filed straight into approved (general_licences.services.general_licence_register).

Suspension. Directive 2009/43/EC art. 15 (safeguard measures) lets the Member State of origin temporarily suspend
the effect of its general transfer licences for a recipient; the Dutch general licences leave the authority the
same power over a holder that breaks the licence's conditions. The sources are silent on what a suspended holder
may still do; the register takes: while suspended, the holder may not use the licence and files nothing
(no usage returns; the reminders skip it), and after reinstatement the periods left open are filed as usual. An
officer suspends and reinstates with a reason, one person (as for licences: licensing.transitions, no four eyes).
"""

from __future__ import annotations

from enum import StrEnum

from audit.models import Verb
from licensing.transitions import OFFICERS, ClockEffect, Transition, problems_of_table

from .models import RegistrationStatus as R


class RegistrationAction(StrEnum):
    APPROVE = "approve"
    REJECT = "reject"
    SUSPEND = "suspend"
    REINSTATE = "reinstate"


REGISTRATION_TRANSITIONS: tuple[Transition, ...] = (
    Transition(
        frozenset({R.PENDING}),
        RegistrationAction.APPROVE,
        R.APPROVED,
        OFFICERS,
        False,
        ClockEffect.NONE,
        Verb.GENERAL_LICENCE_REGISTRATION_DECIDED,
    ),
    Transition(
        frozenset({R.PENDING}),
        RegistrationAction.REJECT,
        R.REJECTED,
        OFFICERS,
        True,
        ClockEffect.NONE,
        Verb.GENERAL_LICENCE_REGISTRATION_DECIDED,
    ),
    Transition(
        frozenset({R.APPROVED}),
        RegistrationAction.SUSPEND,
        R.SUSPENDED,
        OFFICERS,
        True,
        ClockEffect.NONE,
        Verb.GENERAL_LICENCE_REGISTRATION_SUSPENDED,
    ),
    Transition(
        frozenset({R.SUSPENDED}),
        RegistrationAction.REINSTATE,
        R.APPROVED,
        OFFICERS,
        True,
        ClockEffect.NONE,
        Verb.GENERAL_LICENCE_REGISTRATION_REINSTATED,
    ),
)

TERMINAL_REGISTRATION_STATUSES = frozenset({R.REJECTED})
# Filing creates a registration in either state (approval required or not).
START_REGISTRATION_STATUSES = {R.PENDING, R.APPROVED}


def registration_table_problems() -> list[str]:
    return problems_of_table(
        "registration",
        REGISTRATION_TRANSITIONS,
        statuses=list(R.values),
        terminal=TERMINAL_REGISTRATION_STATUSES,
        starts=set(START_REGISTRATION_STATUSES),
    )
