"""The treaty work's hooks into the licensing flow: submission, decision blockers, four eyes, the case panel.

Importing this module registers them (once). Sources: treaty de minimis provisions (licensing/treaty_rules.py)
and the emergency brake (consultations/deadlines.py); ../shared/domain/README.md "Treaty".

- On submission a treaty component transfer is assessed as of its application date (licensing.services.treaty_share).
- A de minimis transfer may be refused only exceptionally, on the ground that the home state's direct interests
  or national security are compromised; that refusal needs a senior officer's countersignature.
- An objection another party raised against one of our outgoing notifications blocks the licence decision until
  the high-level consultation is concluded.
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _

from .case_panels import CasePanel, register_panel
from .four_eyes import FOUR_EYES_OUTCOME_REASONS
from .models import Application, DecisionOutcome, LicenceType
from .models.treaty import TreatyRefusalGround, TreatyTransfer
from .services.applications import SUBMISSION_HOOKS, SUBMISSION_PROBLEM_SOURCES
from .services.casework import OUTCOME_BLOCKERS
from .services.treaty_share import ERR_NO_TRANSFER, share_outdated_blocker, treaty_on_submission

BLOCK_DE_MINIMIS_GROUND = (
    "The de minimis rule applies to this treaty transfer: it may be refused only because the Netherlands' direct "
    "interests or national security are compromised. Choose one of those grounds."
)
BLOCK_OBJECTION_IN_CONSULTATION = (
    "{country} objected on {day} to the export notified to it; the high-level consultation must be concluded first."
)
BLOCK_TREATY_GROUND_NOT_DE_MINIMIS = (
    "The ground of direct interests or national security is only for de minimis treaty transfers; "
    "refuse this case on the Common Position criteria."
)
REASON_DE_MINIMIS_REFUSAL = "Refusing a de minimis treaty transfer needs a senior officer's sign-off."


def _de_minimis(application: Application) -> bool:
    return TreatyTransfer.objects.filter(application_id=application.pk, de_minimis=True).exists()


def de_minimis_refusal_blocker(
    application: Application, *, outcome: str | None = None, refusal_ground: str | None = None, **_: Any
) -> str:
    """DECISION_BLOCKER: a de minimis case is refused only on the treaty's ground, never on the eight criteria.

    Conversely the treaty ground is not available for other cases.
    """
    if outcome != DecisionOutcome.REFUSE:
        return ""
    de_minimis = _de_minimis(application)
    if de_minimis and refusal_ground not in TreatyRefusalGround.values:
        return BLOCK_DE_MINIMIS_GROUND
    if refusal_ground and not de_minimis:
        return BLOCK_TREATY_GROUND_NOT_DE_MINIMIS
    return ""


def objection_in_consultation_blocker(application: Application, **_: Any) -> str:
    """DECISION_BLOCKER: an objection received on an outgoing notification holds the decision (approve or refuse)."""
    from consultations.selectors import objections_blocking

    blocking = objections_blocking(application_id=application.pk)
    return " ".join(
        BLOCK_OBJECTION_IN_CONSULTATION.format(country=o.notification.counterpart.name_en, day=o.received_on)
        for o in blocking
    )


def de_minimis_refusal_four_eyes(application: Application, outcome: str | None = None, **_: Any) -> list[str]:
    """FOUR_EYES_REASONS: refusing a de minimis case needs senior sign-off (a refusal always does today; this
    names the treaty reason once the caller passes `outcome`)."""
    if outcome == DecisionOutcome.REFUSE and _de_minimis(application):
        return [REASON_DE_MINIMIS_REFUSAL]
    return []


def treaty_panel_context(application: Application, user: Any) -> dict[str, Any]:
    from consultations.selectors import treaty_panel_for

    return treaty_panel_for(application=application, user=user)


def treaty_details_missing(application: Application) -> dict[str, list[str]]:
    """A treaty component transfer needs its transfer details (final system, values) before submission."""
    if application.licence_type != LicenceType.TREATY_COMPONENT:
        return {}
    if TreatyTransfer.objects.filter(application_id=application.pk).exists():
        return {}
    return {"treaty": [ERR_NO_TRANSFER]}


def register() -> None:
    if treaty_on_submission not in SUBMISSION_HOOKS:
        SUBMISSION_HOOKS.append(treaty_on_submission)
    if treaty_details_missing not in SUBMISSION_PROBLEM_SOURCES:
        SUBMISSION_PROBLEM_SOURCES.append(treaty_details_missing)
    for blocker in (de_minimis_refusal_blocker, objection_in_consultation_blocker, share_outdated_blocker):
        if blocker not in OUTCOME_BLOCKERS:
            OUTCOME_BLOCKERS.append(blocker)
    if de_minimis_refusal_four_eyes not in FOUR_EYES_OUTCOME_REASONS:
        FOUR_EYES_OUTCOME_REASONS.append(de_minimis_refusal_four_eyes)
    register_panel(
        CasePanel(
            key="treaty",
            title=_("Treaty"),  # type: ignore[arg-type]  # lazy: translated when the page renders
            template="licensing/casework/treaty/panel.html",
            context=treaty_panel_context,
            order=60,
        )
    )


register()
