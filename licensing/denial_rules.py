"""Article 4 consultation: which earlier denials a licence decision must take into account.

Source: Council Common Position 2008/944/CFSP (as amended by Decision (CFSP) 2019/1560), Art. 4:
before granting a licence for an essentially identical transaction that another Member State
denied within the last three years, consult that state first.

"Essentially identical" is the officer's judgement; the register only proposes candidates (same
destination and ML category, similar end user or goods) using ``similarity`` below.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

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


@dataclass(frozen=True)
class NewParty:
    """A consignee or end user that a change of a licence brings in (LicenceAmendment.party_changes)."""

    role: str
    name: str
    country: str


@dataclass(frozen=True)
class DenialToConsult:
    denial: Any  # a DenialNotification (licensing.models.denials), or anything with the fields the rule reads
    party: NewParty
    denied_name: str  # the consignee or end user named in the denial that the new party resembles
    score: float


def change_denials_to_consult(
    *,
    new_parties: Sequence[NewParty],
    destinations: Iterable[str],
    categories: Iterable[str],
    denials: Iterable[Any],
    on: date,
) -> list[DenialToConsult]:
    """The denials a change of a licence must be consulted on before it is approved (Art. 4(1)), best first.

    A change that names a new consignee or end user is, for that party, a new transaction: when another Member
    State denied an essentially identical one within the window (denial_in_window, counted back from `on`, the
    day of the decision), the denying state is consulted first, exactly as for a new application. The register
    proposes that on data: the denial's destination is the licence's destination after the change or the new
    party's country, its ML category is one the licence covers after the change, and the new party's name
    resembles (similarity >= SIMILARITY_THRESHOLD) the consignee or the end user the denial names. Either of the
    denial's names counts for either role, which errs towards consulting: a denied end user does not become
    harmless by being named as consignee. One entry per denial (the party that resembles it most). A denial is read
    for destination_id, ml_category_id, notified_on, consignee and end_user."""
    wanted_destinations, wanted_categories = set(destinations), set(categories)
    found: dict[int, DenialToConsult] = {}
    for denial in denials:
        if denial.ml_category_id not in wanted_categories or not denial_in_window(denial.notified_on, on):
            continue
        for party in new_parties:
            if denial.destination_id not in wanted_destinations | {party.country}:
                continue
            for denied_name in (denial.end_user, denial.consignee):
                score = similarity(party.name, denied_name)
                if score < SIMILARITY_THRESHOLD:
                    continue
                best = found.get(id(denial))
                if best is None or score > best.score:
                    found[id(denial)] = DenialToConsult(denial, party, denied_name, score)
    return sorted(found.values(), key=lambda d: -d.score)
