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

from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.utils.translation import gettext, gettext_noop

from core.formatting import format_amount

DE_MINIMIS_THRESHOLD_PERCENT = Decimal("20")

VALUE_NOT_FINITE = gettext_noop("Values must be finite decimal amounts.")
# The texts below are English and marked for translation (gettext_noop): errors are translated where they are
# shown (licensing.services.treaty_share), reasons are kept as a code with parameters and put into words in the
# reader's language by reason_text (issue 15).
TOTAL_NOT_POSITIVE = gettext_noop(
    "The system total value (excluding maintenance, spare parts, training and repairs) must be greater than zero."
)
COMPONENT_NEGATIVE = gettext_noop("The component value must not be negative.")
COMPONENT_EXCEEDS_TOTAL = gettext_noop("The component value cannot exceed the system total value.")
# xgettext:no-python-format
THRESHOLD_OUT_OF_RANGE = gettext_noop("The threshold must be more than 0 % and at most 100 %.")
SERVICES_NEGATIVE = gettext_noop("Maintenance, spare parts, training and repair values must not be negative.")
SERVICES_EXCEED_GROSS = gettext_noop(
    "Maintenance, spare parts, training and repairs cannot exceed the gross system value."
)

# xgettext:no-python-format
REASON_SHARE_WITHIN = gettext_noop("Share of {share} % does not exceed the {threshold} % threshold.")
REASON_SHARE_EXCEEDS = gettext_noop(
    # xgettext:no-python-format
    "Share of {share} % exceeds the {threshold} % threshold; an ordinary transfer licence "
    "with the full criteria assessment is needed."
)
# Shown when the two-decimal share rounds down onto the threshold although the exact share is
# above it (e.g. 20.004 %), so the officer does not read "20.00 %" next to "does not apply".
REASON_SHARE_EXCEEDS_AFTER_ROUNDING = gettext_noop(
    # xgettext:no-python-format
    "Share of {share} % (rounded) exceeds the {threshold} % threshold: the exact share is above "
    "it; an ordinary transfer licence with the full criteria assessment is needed."
)
REASON_FOLLOW_ON = gettext_noop(
    # xgettext:no-python-format
    "Follow-on maintenance, spare parts, training or repair for an earlier de minimis transfer: "
    "treated as de minimis whatever the share ({share} %)."
)
REASON_NOT_EXCLUDED = gettext_noop("The item is not on the treaty's exclusion annex.")
REASON_EXCLUDED = gettext_noop("The item is on the treaty's exclusion annex, so the de minimis rule does not apply.")
REASON_RECIPIENT_PARTY = gettext_noop("The recipient's state is a treaty party on the application date.")
REASON_RECIPIENT_NOT_PARTY = gettext_noop("The recipient's state is not a treaty party on the application date.")
REASON_HOME_PARTY = gettext_noop("The home state is a treaty party on the application date.")
REASON_HOME_NOT_PARTY = gettext_noop("The home state is not a treaty party on the application date.")
# Reasons the service adds from what it looked up (earlier transfers, the exclusion list in force).
REASON_EARLIER_DECIDED = gettext_noop(
    "Dutch components already approved for this final system count towards the share: EUR {earlier} in {count} "
    "earlier transfer(s), plus EUR {this} in this application."
)
REASON_EXCLUDED_DECLARED = gettext_noop("The exporter declared the item on the exclusion annex: {entry}.")
REASON_EXCLUDED_RATING = gettext_noop("Goods line {position}, rated {rating}, is on the exclusion annex: {entry}.")
REASON_PENDING_WARNING = gettext_noop(
    # xgettext:no-python-format
    "Warning: {count} other pending transfer(s) into this final system (EUR {pending}) would bring the share "
    "to {share} % if approved as well."
)

# Every reason by its code: a computed result keeps the code and its parameters (TreatyTransfer.reason_codes).
REASON_TEMPLATES: dict[str, str] = {
    "share_within": REASON_SHARE_WITHIN,
    "share_exceeds": REASON_SHARE_EXCEEDS,
    "share_exceeds_after_rounding": REASON_SHARE_EXCEEDS_AFTER_ROUNDING,
    "follow_on": REASON_FOLLOW_ON,
    "not_excluded": REASON_NOT_EXCLUDED,
    "excluded": REASON_EXCLUDED,
    "recipient_party": REASON_RECIPIENT_PARTY,
    "recipient_not_party": REASON_RECIPIENT_NOT_PARTY,
    "home_party": REASON_HOME_PARTY,
    "home_not_party": REASON_HOME_NOT_PARTY,
    "earlier_decided": REASON_EARLIER_DECIDED,
    "excluded_declared": REASON_EXCLUDED_DECLARED,
    "excluded_rating": REASON_EXCLUDED_RATING,
    "pending_warning": REASON_PENDING_WARNING,
}
# Parameters that are amounts or percentages, kept as "20.00" and shown in the reader's number format.
_AMOUNT_PARAMETERS = frozenset({"share", "threshold", "earlier", "this", "pending"})


@dataclass(frozen=True)
class Reason:
    """One reason of the result: a code of REASON_TEMPLATES and its parameters (plain JSON values)."""

    code: str
    params: dict[str, Any] = field(default_factory=dict)

    def english(self) -> str:
        return REASON_TEMPLATES[self.code].format(**self.params)

    def as_json(self) -> dict[str, Any]:
        return {"code": self.code, "params": self.params}


def reason_text(stored: dict[str, Any]) -> str:
    """A stored reason ({"code", "params"}) in the reader's language, amounts in the language's number format."""
    template = REASON_TEMPLATES[stored["code"]]
    params = {
        name: format_amount(value) if name in _AMOUNT_PARAMETERS else value
        for name, value in (stored.get("params") or {}).items()
    }
    return gettext(template).format(**params)


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
    reason_list: list[Reason]
    threshold_percent: Decimal

    @property
    def reasons(self) -> list[str]:
        """The reasons in English words (the stored text beside the codes)."""
        return [reason.english() for reason in self.reason_list]


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

    reasons: list[Reason] = []
    fmt = {"share": f"{share_percent:.2f}", "threshold": f"{threshold_percent:.2f}"}
    if inp.follow_on_of_de_minimis:
        # Follow-on support for a de minimis transfer is de minimis whatever its share; the
        # exclusion list and party conditions below still apply.
        share_ok = True
        reasons.append(Reason("follow_on", fmt))
    elif share_within:
        share_ok = True
        reasons.append(Reason("share_within", fmt))
    else:
        share_ok = False
        rounded_onto_threshold = share_percent <= threshold_percent
        reasons.append(Reason("share_exceeds_after_rounding" if rounded_onto_threshold else "share_exceeds", fmt))

    # Products on the exclusion annex are outside the rule.
    reasons.append(Reason("excluded" if inp.excluded_item else "not_excluded"))
    # The rule only binds treaty parties, each judged on the application date, not today.
    reasons.append(Reason("recipient_party" if inp.recipient_state_is_party else "recipient_not_party"))
    reasons.append(Reason("home_party" if inp.home_state_is_party else "home_not_party"))

    applies = share_ok and not inp.excluded_item and inp.recipient_state_is_party and inp.home_state_is_party
    return DeMinimisResult(
        share=share,
        share_percent=share_percent,
        applies=applies,
        reason_list=reasons,
        threshold_percent=threshold_percent,
    )
