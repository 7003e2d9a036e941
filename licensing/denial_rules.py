"""Article 4 consultation: which earlier denials a licence decision must take into account.

Source: Council Common Position 2008/944/CFSP (as amended by Decision (CFSP) 2019/1560), Art. 4:
before granting a licence for an essentially identical transaction that another Member State
denied within the last three years, consult that state first.

"Essentially identical" is the officer's judgement; the register only proposes candidates (same
destination and ML category, similar end user or goods) using ``similarity`` below.
"""

from __future__ import annotations

import unicodedata
from datetime import date

from dateutil.relativedelta import relativedelta
from rapidfuzz import fuzz
from rapidfuzz.utils import default_process

DENIAL_LOOKBACK_YEARS = 3
# Score (0-100) from which a denial's end user or goods description counts as "similar" and the
# denial is proposed to the officer. A starting value to tune on real data, not a legal rule.
SIMILARITY_THRESHOLD = 80.0


def denial_window_start(decision_date: date) -> date:
    """First day of the look-back window: the same calendar day three years before the decision.

    For a decision on 29 February the day three years back does not exist; we take 28 February
    (``relativedelta`` clips to the month's end). The alternative, 1 March, would shorten the
    window by a day; taking the earlier day errs towards consulting.
    """
    return decision_date - relativedelta(years=DENIAL_LOOKBACK_YEARS)


def denial_in_window(denial_date: date, decision_date: date) -> bool:
    """True when a denial falls "within the last three years" of the decision (Art. 4(1)).

    The window counts back from the decision date and includes the day exactly three years back
    (domain decision; decision 2026-11-23: a 2023-11-23 denial matches, 2023-11-22 does not).
    A denial dated after the decision cannot have been "within the last" years and is excluded;
    a denial on the decision day itself is included.
    """
    return denial_window_start(decision_date) <= denial_date <= decision_date


def _normalise(text: str) -> str:
    # NFKD splits accented letters into base letter + combining mark; dropping the marks makes
    # "Société Générale" and "SOCIETE GENERALE" compare equal. casefold() handles ß -> ss.
    decomposed = unicodedata.normalize("NFKD", text)
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    # default_process lowercases, turns punctuation into spaces and trims, so "S.A." and "SA"
    # tokens differ only by spacing rather than by punctuation characters.
    return default_process(stripped.casefold())


def similarity(a: str, b: str) -> float:
    """Similarity of two free-text fields on a 0-100 scale (100 = same words).

    ``token_set_ratio`` ignores word order and repeated words, which suits names such as
    "Ministry of Defence, Republic of X" vs "Republic of X Ministry of Defence". Empty text
    (after normalising) scores 0, so a missing field never produces a match. Note that a text
    whose words are all contained in the other scores 100 ("Defence" vs "Ministry of Defence"):
    a proposal to the officer, never a finding.
    """
    return float(fuzz.token_set_ratio(_normalise(a), _normalise(b)))
