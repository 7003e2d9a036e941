"""Article 4 consultation window and similarity; boundary dates worked out by hand."""

from __future__ import annotations

from datetime import date
from types import SimpleNamespace

from licensing.denial_rules import (
    DENIAL_LOOKBACK_YEARS,
    SIMILARITY_THRESHOLD,
    NewParty,
    change_denials_to_consult,
    denial_in_window,
    denial_window_start,
    similarity,
)

DECISION = date(2026, 11, 23)


def test_lookback_is_three_years_when_module_is_loaded() -> None:
    assert DENIAL_LOOKBACK_YEARS == 3


def test_denial_matches_when_dated_exactly_three_years_before_decision() -> None:
    assert denial_in_window(date(2023, 11, 23), DECISION)


def test_denial_matches_when_dated_three_years_minus_one_day_before_decision() -> None:
    assert denial_in_window(date(2023, 11, 24), DECISION)


def test_denial_does_not_match_when_dated_three_years_plus_one_day_before_decision() -> None:
    assert not denial_in_window(date(2023, 11, 22), DECISION)


def test_denial_matches_when_dated_on_the_decision_day() -> None:
    assert denial_in_window(DECISION, DECISION)


def test_denial_does_not_match_when_dated_after_the_decision() -> None:
    assert not denial_in_window(date(2026, 11, 24), DECISION)


def test_window_starts_on_28_february_when_decision_is_on_29_february() -> None:
    assert denial_window_start(date(2028, 2, 29)) == date(2025, 2, 28)


def test_denial_matches_when_dated_28_february_and_decision_is_on_29_february() -> None:
    assert denial_in_window(date(2025, 2, 28), date(2028, 2, 29))


def test_denial_does_not_match_when_dated_27_february_and_decision_is_on_29_february() -> None:
    assert not denial_in_window(date(2025, 2, 27), date(2028, 2, 29))


def test_denial_of_29_february_matches_when_decision_is_28_february_three_years_on() -> None:
    # Decision 2027-02-28: window starts 2024-02-28, so 2024-02-29 is inside.
    assert denial_in_window(date(2024, 2, 29), date(2027, 2, 28))


def test_denial_of_29_february_does_not_match_when_decision_is_1_march_three_years_on() -> None:
    # Decision 2027-03-01: window starts 2024-03-01.
    assert not denial_in_window(date(2024, 2, 29), date(2027, 3, 1))


def test_similarity_is_100_when_strings_differ_only_in_case_accents_and_order() -> None:
    assert similarity("Société Générale d'Armement", "ARMEMENT societe generale d'") == 100.0


def test_similarity_passes_threshold_when_names_are_near_identical() -> None:
    score = similarity("Ministry of Defence of Ruritania", "Ministry of Defense, Ruritania")
    assert score >= SIMILARITY_THRESHOLD


def test_similarity_stays_below_threshold_when_names_are_different() -> None:
    score = similarity("Ministry of Defence of Ruritania", "Acme Helicopter Services Ltd")
    assert score < SIMILARITY_THRESHOLD


def test_similarity_is_zero_when_a_text_is_empty() -> None:
    assert similarity("", "Ministry of Defence") == 0.0
    assert similarity("  ", "") == 0.0


def _denial(**fields):  # type: ignore[no-untyped-def]
    values = {"destination_id": "DK", "ml_category_id": "ML15", "notified_on": date(2025, 12, 10)}
    values |= {"consignee": "Nordic Optics Trading ApS", "end_user": "Royal Danish Navy"}
    return SimpleNamespace(**(values | fields))


def test_a_change_is_consulted_on_a_denial_naming_its_new_party_in_either_role_and_only_in_scope():
    navy = NewParty("end_user", "ROYAL DANISH NAVY", "DK")
    forwarder = NewParty("consignee", "Nordic Optics Trading ApS", "DK")
    same = _denial()
    other_category = _denial(ml_category_id="ML4")
    other_destination = _denial(destination_id="SE")
    too_old = _denial(notified_on=date(2023, 3, 9))  # the window of a 10 March 2026 decision starts 10 March 2023
    oldest_in = _denial(notified_on=date(2023, 3, 10), end_user="Someone else", consignee="Royal Danish Navy")

    found = change_denials_to_consult(
        new_parties=[navy, forwarder],
        destinations={"DK"},
        categories={"ML15"},
        denials=[same, other_category, other_destination, too_old, oldest_in],
        on=date(2026, 3, 10),
    )

    assert [(f.denial, f.party.role, f.denied_name, f.score) for f in found] == [
        (same, "end_user", "Royal Danish Navy", 100.0),  # each denial once, by the party that resembles it most
        (oldest_in, "end_user", "Royal Danish Navy", 100.0),  # the denial's consignee counts for an end user too
    ]
    assert (
        change_denials_to_consult(
            new_parties=[NewParty("end_user", "Danish Defence Acquisition Organisation", "DK")],
            destinations={"DK"},
            categories={"ML15"},
            denials=[same],
            on=date(2026, 3, 10),
        )
        == []
    )
