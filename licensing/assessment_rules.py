"""Rules of the Common Position assessment that do not need the database: what an outcome per criterion
allows, which criteria force a refusal, and the configurable constants of the automatic checks.

Sources:
- Council Common Position 2008/944/CFSP, Art. 2, as amended by Council Decision (CFSP) 2019/1560. Which criteria
  deny and which are taken into account is reference data (the criteria table, `Criterion.deny_type`, read by
  licensing/decision_gate.py); in the Common Position criteria 1–4 are "shall deny" tests: a licence *shall be
  denied* when the test is met. Criterion 2 denies on a clear
  risk of internal repression (2a) or of serious violations of international humanitarian law (2c); 2b asks
  for special caution. Criteria 5–8 are "shall take into account".
- Art. 4: consultation on an essentially identical transaction denied by another Member State (see
  licensing/denial_rules.py for the three-year window and the similarity measure).
- ../shared/domain/README.md, "The eight criteria" and "Denials and Article 4 consultation".
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import timedelta

from django.db import models
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from core.i18n import gettext_lazy

ALL_CRITERIA = tuple(range(1, 9))
# Criterion 2: a clear risk under 2a (internal repression) or 2c (serious violations of IHL) is a ground to
# deny; 2b (serious violations established by UN, EU or Council of Europe bodies) asks for special caution.
CLEAR_RISK_SUB_CRITERIA = frozenset({"2a", "2c"})

# Response period for the state consulted under Art. 4. The User's Guide sets it; its text was not found,
# so this is the domain's working default (../shared/domain/README.md): UNCONFIRMED, three weeks.
ART4_RESPONSE_PERIOD = timedelta(weeks=3)
ART4_RESPONSE_PERIOD_CONFIRMED = False

# Party screening against the watch list: rapidfuzz token_set_ratio (0-100) from which a name is a hit.
# A starting value to tune on real lists, not a legal rule; every hit is cleared or confirmed by an officer.
SCREENING_THRESHOLD = 85.0


class AssessmentOutcome(models.TextChoices):
    NO_CONCERNS = "no_concerns", _("No concerns")
    CONCERNS = "concerns", _("Concerns")
    GROUNDS_TO_REFUSE = "grounds_to_refuse", _("Grounds to refuse")


# One line per criterion for the assessment form: what the test is and whether it denies or is weighed.
CRITERION_GUIDANCE: dict[int, Promise] = {
    1: _("Shall deny if approval breaks an embargo, treaty or regime commitment of the Member States."),
    2: _(
        "Shall deny on a clear risk of internal repression (2a) or serious violations of humanitarian law (2c); "
        "take special caution where serious human-rights violations are established (2b)."
    ),
    3: _("Shall deny if the goods would provoke or prolong armed conflict or aggravate tensions at the destination."),
    4: _("Shall deny on a clear risk of aggression against another country or of forcing a territorial claim."),
    5: _("Take into account: the security of the Member States and of friendly and allied countries."),
    6: _("Take into account: the buyer's behaviour towards terrorism, its alliances and international law."),
    7: _("Take into account: the risk of diversion within the buyer country or re-export."),
    8: _("Take into account: whether the export fits the recipient's technical and economic capacity."),
}

ERR_JUSTIFICATION_REQUIRED = gettext_lazy(
    "Write the justification: it is required unless the outcome is “no concerns”."
)
ERR_SUB_CRITERIA_FORMAT = gettext_lazy(
    "Write sub-criteria as the criterion number and a letter, separated by commas, e.g. “{example}”."
)
ERR_CLEAR_RISK_NEEDS_REFUSAL = gettext_lazy(
    "A clear risk under 2a or 2c is a ground to deny (Common Position Art. 2(2)): choose “grounds to refuse”."
)
ERR_UNKNOWN_CRITERION = gettext_lazy("There are eight criteria, numbered 1 to 8.")
ERR_UNKNOWN_OUTCOME = gettext_lazy("Choose no concerns, concerns or grounds to refuse.")

_SUB_CRITERION = re.compile(r"^(\d)([a-z])$")


@dataclass(frozen=True)
class CriterionVerdict:
    """An officer's (or adviser's) finding on one criterion, before it is saved."""

    criterion: int
    outcome: str
    justification: str = ""
    sub_criteria: str = ""


def parse_sub_criteria(criterion: int, text: str) -> list[str]:
    """'2a, 2C' → ['2a', '2c']; each token must belong to the criterion. Raises ValueError with the message."""
    tokens = [t.strip().lower() for t in text.replace(";", ",").split(",") if t.strip()]
    for token in tokens:
        match = _SUB_CRITERION.match(token)
        if match is None or int(match.group(1)) != criterion:
            raise ValueError(ERR_SUB_CRITERIA_FORMAT.format(example=f"{criterion}a"))
    return sorted(set(tokens))


def verdict_problems(verdict: CriterionVerdict) -> dict[str, list[str]]:
    """What is wrong with a verdict, by field (empty when it may be saved)."""
    problems: dict[str, list[str]] = {}
    if verdict.criterion not in ALL_CRITERIA:
        problems["criterion"] = [ERR_UNKNOWN_CRITERION]
        return problems
    if verdict.outcome not in AssessmentOutcome.values:
        problems["outcome"] = [ERR_UNKNOWN_OUTCOME]
        return problems
    if verdict.outcome != AssessmentOutcome.NO_CONCERNS and not verdict.justification.strip():
        problems["justification"] = [ERR_JUSTIFICATION_REQUIRED]
    try:
        subs = parse_sub_criteria(verdict.criterion, verdict.sub_criteria)
    except ValueError as exc:
        problems["sub_criteria"] = [str(exc)]
        return problems
    if CLEAR_RISK_SUB_CRITERIA & set(subs) and verdict.outcome != AssessmentOutcome.GROUNDS_TO_REFUSE:
        problems["outcome"] = [ERR_CLEAR_RISK_NEEDS_REFUSAL]
    return problems
