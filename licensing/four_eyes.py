"""When does a decision need a second person? (Issue: Common Position assessment, "Decision with four eyes".)

A refusal always does; an approval does when any criterion assessment has concerns or any automatic check
raised a flag. The assessment and checks features register their reasons in FOUR_EYES_REASONS; each returns
a list of human-readable reasons (empty when it has none).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from .models import Application, DecisionOutcome

REASON_REFUSAL = "A refusal is always countersigned by a senior officer."

FOUR_EYES_REASONS: list[Callable[[Application], list[str]]] = []
# Sources whose answer depends on the proposed outcome: called as source(application, outcome=...).
FOUR_EYES_OUTCOME_REASONS: list[Callable[..., list[str]]] = []


def countersignature_reasons(application: Application, outcome: str, **_: Any) -> list[str]:
    reasons = [REASON_REFUSAL] if outcome == DecisionOutcome.REFUSE else []
    for source in FOUR_EYES_REASONS:
        reasons += source(application)
    for outcome_source in FOUR_EYES_OUTCOME_REASONS:
        reasons += outcome_source(application, outcome=outcome)
    return reasons
