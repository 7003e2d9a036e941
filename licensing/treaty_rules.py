"""The treaty's de minimis rule for products for integration.

Source: Agreement on Export Controls in the Field of Defence (Paris, 2021-09-17), its de minimis
provisions (authentic French text: "n'excède pas") and its exclusion annex, as summarised with sources in
../shared/domain/README.md "Treaty: products for integration" (the exact article and annex numbers were not
found in the sources; cite them here once confirmed).

- Share = value of one party's integrated products / total value of the final system leaving the
  parties' territory, the total EXCLUDING maintenance, spare parts, training and repairs.
- The rule applies when that share does not exceed the threshold (20 %, reviewed by the permanent
  committee, so the caller passes the threshold in force on the application date).
- Items on the exclusion list are out of scope, and both the recipient's state and the
  home state must be treaty parties on the application date.
- Follow-on maintenance, spares, training and repairs for an earlier de minimis transfer are
  treated as de minimis too (2019 Franco-German text; kept for the 2021 treaty).

This module only answers "does the rule apply?". What follows from it (licence without delay,
refusal only for direct interests or national security) is enforced by the licensing services.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

DE_MINIMIS_THRESHOLD_PERCENT = Decimal("20")

VALUE_NOT_FINITE = "Values must be finite decimal amounts."
TOTAL_NOT_POSITIVE = (
    "The system total value (excluding maintenance, spare parts, training and repairs) must be greater than zero."
)
COMPONENT_NEGATIVE = "The component value must not be negative."
COMPONENT_EXCEEDS_TOTAL = "The component value cannot exceed the system total value."
THRESHOLD_OUT_OF_RANGE = "The threshold must be more than 0 % and at most 100 %."
SERVICES_NEGATIVE = "Maintenance, spare parts, training and repair values must not be negative."
SERVICES_EXCEED_GROSS = "Maintenance, spare parts, training and repairs cannot exceed the gross system value."

REASON_SHARE_WITHIN = "Share of {share} % does not exceed the {threshold} % threshold."
REASON_SHARE_EXCEEDS = (
    "Share of {share} % exceeds the {threshold} % threshold; an ordinary transfer licence "
    "with the full criteria assessment is needed."
)
# Shown when the two-decimal share rounds down onto the threshold although the exact share is
# above it (e.g. 20.004 %), so the officer does not read "20.00 %" next to "does not apply".
REASON_SHARE_EXCEEDS_AFTER_ROUNDING = (
    "Share of {share} % (rounded) exceeds the {threshold} % threshold: the exact share is above "
    "it; an ordinary transfer licence with the full criteria assessment is needed."
)
REASON_FOLLOW_ON = (
    "Follow-on maintenance, spare parts, training or repair for an earlier de minimis transfer: "
    "treated as de minimis whatever the share ({share} %)."
)
REASON_NOT_EXCLUDED = "The item is not on the treaty's exclusion annex."
REASON_EXCLUDED = "The item is on the treaty's exclusion annex, so the de minimis rule does not apply."
REASON_RECIPIENT_PARTY = "The recipient's state is a treaty party on the application date."
REASON_RECIPIENT_NOT_PARTY = "The recipient's state is not a treaty party on the application date."
REASON_HOME_PARTY = "The home state is a treaty party on the application date."
REASON_HOME_NOT_PARTY = "The home state is not a treaty party on the application date."

_SHARE_PLACES = Decimal("0.0001")
_PERCENT_PLACES = Decimal("0.01")
_HUNDRED = Decimal(100)


@dataclass(frozen=True)
class DeMinimisInput:
    component_value_eur: Decimal
    # Total value of the final system EXCLUDING maintenance, spare parts, training and repairs
    # (treaty de minimis text); use `system_total_excluding_services` to derive it from a gross contract value.
    system_total_value_eur: Decimal
    excluded_item: bool
    recipient_state_is_party: bool
    home_state_is_party: bool
    follow_on_of_de_minimis: bool


@dataclass(frozen=True)
class DeMinimisResult:
    share: Decimal  # fraction, rounded half-up to 4 decimal places (0.2000 = 20 %)
    share_percent: Decimal  # percent, rounded half-up to 2 decimal places (for display)
    applies: bool
    reasons: list[str]
    threshold_percent: Decimal


def _require_finite(*values: Decimal) -> None:
    if not all(value.is_finite() for value in values):
        raise ValueError(VALUE_NOT_FINITE)


def system_total_excluding_services(
    gross_total: Decimal,
    maintenance: Decimal,
    spares: Decimal,
    training: Decimal,
    repairs: Decimal,
) -> Decimal:
    """The de minimis denominator: gross system value minus the services the treaty leaves out."""
    services = (maintenance, spares, training, repairs)
    _require_finite(gross_total, *services)
    if any(value < 0 for value in services):
        raise ValueError(SERVICES_NEGATIVE)
    total_services = sum(services, Decimal(0))
    if total_services > gross_total:
        raise ValueError(SERVICES_EXCEED_GROSS)
    return gross_total - total_services


def assess_de_minimis(
    inp: DeMinimisInput,
    *,
    threshold_percent: Decimal = DE_MINIMIS_THRESHOLD_PERCENT,
) -> DeMinimisResult:
    """Decide whether the de minimis rule applies, with a reason for every condition."""
    component = inp.component_value_eur
    total = inp.system_total_value_eur
    _require_finite(component, total, threshold_percent)
    if total <= 0:
        raise ValueError(TOTAL_NOT_POSITIVE)
    if component < 0:
        raise ValueError(COMPONENT_NEGATIVE)
    if component > total:
        raise ValueError(COMPONENT_EXCEEDS_TOTAL)
    if not 0 < threshold_percent <= _HUNDRED:
        raise ValueError(THRESHOLD_OUT_OF_RANGE)

    share = (component / total).quantize(_SHARE_PLACES, rounding=ROUND_HALF_UP)
    share_percent = (component * _HUNDRED / total).quantize(_PERCENT_PLACES, rounding=ROUND_HALF_UP)

    # Treaty de minimis text: the rule applies when the share "n'excède pas" (does not exceed) the threshold, so
    # exactly 20.00 % qualifies. Some summaries (e.g. the French 2019 press release) say "below"
    # or "less than 20 %"; the authentic text and BAFA practice say "does not exceed".
    # Compare exactly by cross-multiplying, never the rounded share: 20.004 % must not qualify.
    share_within = component * _HUNDRED <= threshold_percent * total

    reasons: list[str] = []
    fmt = {"share": f"{share_percent:.2f}", "threshold": f"{threshold_percent:.2f}"}
    if inp.follow_on_of_de_minimis:
        # Follow-on support for a de minimis transfer is de minimis whatever its share; the
        # exclusion list and party conditions below still apply.
        share_ok = True
        reasons.append(REASON_FOLLOW_ON.format(**fmt))
    elif share_within:
        share_ok = True
        reasons.append(REASON_SHARE_WITHIN.format(**fmt))
    else:
        share_ok = False
        rounded_onto_threshold = share_percent <= threshold_percent
        template = REASON_SHARE_EXCEEDS_AFTER_ROUNDING if rounded_onto_threshold else REASON_SHARE_EXCEEDS
        reasons.append(template.format(**fmt))

    # Products on the exclusion annex are outside the rule.
    reasons.append(REASON_EXCLUDED if inp.excluded_item else REASON_NOT_EXCLUDED)
    # The rule only binds treaty parties, each judged on the application date, not today.
    reasons.append(REASON_RECIPIENT_PARTY if inp.recipient_state_is_party else REASON_RECIPIENT_NOT_PARTY)
    reasons.append(REASON_HOME_PARTY if inp.home_state_is_party else REASON_HOME_NOT_PARTY)

    applies = share_ok and not inp.excluded_item and inp.recipient_state_is_party and inp.home_state_is_party
    return DeMinimisResult(
        share=share,
        share_percent=share_percent,
        applies=applies,
        reasons=reasons,
        threshold_percent=threshold_percent,
    )
