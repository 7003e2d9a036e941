"""When does a change to an issued licence need a new assessment, and when a second person (four eyes)?

The one place for this rule (licensing.decision_gate.amendment_gate asks it; the officer's page shows its words).
The reasoning, change by change:

- Narrowing a licence (lower quantities or values, an earlier end of validity) cannot raise any risk the original
  decision weighed: no checks and no second person.
- A longer validity (extension) keeps the export as it was decided, but lets it happen later: the automatic
  checks run again on the destination as of today, because an arms embargo or national rule that came into force
  since the decision must count (Common Position 2008/944/CFSP Art. 1 and criterion 1). One officer decides,
  unless a check raises a flag: an open flag needs four eyes, as on a new decision (decision_gate.four_eyes_reasons).
- A higher quantity or value is a new export of the extra goods to the same destination: the checks run again.
  Four eyes when a check raises a flag, when the original decision itself needed a countersignature (its concerns
  were weighed for the original size, not the larger one), or when the licensed value rises by more than
  MATERIAL_INCREASE of the version in force (a material change of the export the senior officer did not see).
- A new destination is a new export in substance: criteria 2 to 8 are weighed per destination, so the checks run
  on the new destination and a senior officer always countersigns.
- A new consignee or end user changes who receives and uses the goods, which criteria 2, 6 and 7 weigh (Common
  Position 2008/944/CFSP Art. 2) and which the decision rested on (Art. 5: licences only on reliable prior knowledge
  of end use). The checks run on the new party (embargo on its country, incoming denials naming a similar end
  user) and a senior officer always countersigns. Where the new end user is in another country, the destination
  follows it (a new destination, as above).
- A new end user needs a registered end-user certificate that names it and is valid on the day of the request and
  again on the day of the decision (licensing.certificate_rules), as an application does
  (licensing.certificate_rules.end_user_certificate_required): except on a treaty component transfer decided under
  the de minimis rule, which needs none.
- A new goods line is a widening: the checks run on its ML category. A line in an ML category the licence does not
  cover yet is a new export in substance (the criteria were weighed for the categories decided), so a senior
  officer countersigns; a line in a category already covered counts through its value (MATERIAL_INCREASE).
- A refusal of a change always needs four eyes, as the refusal of an application does: the holder is denied an
  export they asked for, and may object to it (Awb 6:7).
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from core.i18n import gettext_lazy

from .check_texts import finding_text

# Internal policy of the licensing authority (not a legal threshold): above a tenth more licensed value, the
# change is material enough to be seen by a senior officer.
MATERIAL_INCREASE = Decimal("0.10")

REASON_DESTINATION = gettext_lazy("The destination changes: a new export in substance.")
REASON_MATERIAL = gettext_lazy("The licensed value rises by more than {percent}% (EUR {before} to EUR {after}).")
REASON_ORIGINAL = gettext_lazy("The original decision needed a countersignature; the change widens it.")
REASON_FLAG = gettext_lazy("An automatic check on the change raised a flag: {message}")
REASON_REFUSAL = gettext_lazy("A refusal of a change is always countersigned by a senior officer.")
REASON_PARTY = gettext_lazy("The {roles} changes: who receives and uses the goods is weighed anew.")
REASON_NEW_CATEGORY = gettext_lazy("A goods line in a Military List category the licence does not cover: {categories}.")


@dataclass(frozen=True)
class ChangeSummary:
    """What a requested change does, compared with the version in force."""

    widens: bool  # more goods or value, a later end, a new destination, party or goods line
    destination_changes: bool
    value_before: Decimal
    value_after: Decimal
    party_roles_changing: tuple[str, ...] = ()  # the roles' display names, e.g. ("end user",)
    new_categories: tuple[str, ...] = ()  # ML categories of added goods lines the licence does not cover yet

    @property
    def needs_checks(self) -> bool:
        return self.widens


def four_eyes_reasons_for_change(
    change: ChangeSummary, *, outcome: str, findings: list[dict[str, object]], original_countersigned: bool
) -> list[str]:
    """Why this change needs a senior officer's countersignature (empty: one officer decides)."""
    if outcome == "refuse":
        return [str(REASON_REFUSAL)]
    reasons: list[str] = []
    if change.destination_changes:
        reasons.append(str(REASON_DESTINATION))
    if change.party_roles_changing:
        reasons.append(str(REASON_PARTY).format(roles=", ".join(change.party_roles_changing)))
    if change.new_categories:
        reasons.append(str(REASON_NEW_CATEGORY).format(categories=", ".join(change.new_categories)))
    if change.value_before and change.value_after > change.value_before * (1 + MATERIAL_INCREASE):
        reasons.append(
            str(REASON_MATERIAL).format(
                percent=int(MATERIAL_INCREASE * 100),
                before=f"{change.value_before:.2f}",
                after=f"{change.value_after:.2f}",
            )
        )
    if change.widens and original_countersigned:
        reasons.append(str(REASON_ORIGINAL))
    for finding in findings:
        if finding.get("level") in ("blocking", "warning"):
            reasons.append(str(REASON_FLAG).format(message=finding_text(finding)))
    return reasons
