"""The words of a check finding, in the reader's language (issue 15; Awb 2:6 makes Dutch the authority's language).

A finding is stored as a code and its parameters (CheckResult.message_code / message_params, and the same keys in
an amendment's check findings), and put into words when it is shown, so a Dutch officer reads Dutch
and an English one English. The parameters are plain JSON: a country is kept with its English and Dutch name as
they were when the check ran (what the officer saw), dates as ISO days, a party's role as its code.
The English words are also stored in `message`, for rows read without this module (exports, the API) and as the
fallback: a row written before the codes existed, or with a code this module no longer knows, shows its stored
text.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import override

from core.i18n import in_language

from .models.application import PartyRole

DESTINATION = "destination"  # the role given to the application's destination in an "affects" list


class Code:
    EMBARGO = "embargo"
    EMBARGO_PARTIAL = "embargo_partial"
    EMBARGO_VERIFY = "embargo_verify"
    NATIONAL_RULE = "national_rule"
    DENIAL_MATCH = "denial_match"
    SCREENING = "screening"
    END_EMBARGO = "end_embargo"
    END_DENIAL = "end_denial"
    CHANGE_DENIAL = "change_denial"


def country_params(prefix: str, country: Any) -> dict[str, str]:
    """A country's names in both languages, as parameters of a finding (`prefix`_en, `prefix`_nl)."""
    return {f"{prefix}_en": country.name_en, f"{prefix}_nl": country.name_nl or country.name_en}


def _country(params: dict[str, Any], prefix: str) -> str:
    return in_language(en=params[f"{prefix}_en"], nl=params[f"{prefix}_nl"])


def _day(iso: str) -> str:
    return str(date_format(date.fromisoformat(iso), "DATE_FORMAT"))


def _role(role: str) -> str:
    if role == DESTINATION:
        return _("destination")
    try:
        return str(PartyRole(role).label)
    except ValueError:
        return role


def _affects(params: dict[str, Any]) -> str:
    return "; ".join(_role(role) if not name else f"{_role(role)}: {name}" for role, name in params["affects"])


def _embargo(p: dict[str, Any]) -> str:
    return _(
        "Arms embargo on {country} in force on {day} under {legal_act} (criterion 1). Approval is blocked unless "
        "you record an exemption the legal act allows. Affects: {affects}."
    ).format(country=_country(p, "country"), day=_day(p["on"]), legal_act=p["legal_act"], affects=_affects(p))


def _embargo_partial(p: dict[str, Any]) -> str:
    return _(
        "Partial arms embargo on {country} in force on {day} under {legal_act}: check whether these parties fall "
        "under it ({scope}). Affects: {affects}."
    ).format(
        country=_country(p, "country"),
        day=_day(p["on"]),
        legal_act=p["legal_act"],
        scope=p["scope"],
        affects=_affects(p),
    )


def _embargo_verify(p: dict[str, Any]) -> str:
    return _(
        "The embargo data for {country} is marked “verify” (confidence: {confidence}): check the EU Sanctions Map "
        "before relying on it."
    ).format(country=_country(p, "country"), confidence=p["confidence"])


def _national_rule(p: dict[str, Any]) -> str:
    start = _day(p["valid_from"]) if p["valid_from"] else p["valid_from_as_published"] or _("an unknown date")
    if p["valid_until"]:
        period = _("from {start} until {until}").format(start=start, until=_day(p["valid_until"]))
    else:
        period = _("from {start}").format(start=start)
    if not p["dates_confirmed"]:
        period = _("{period}, dates unconfirmed").format(period=period)
    return _("{rule} for {country}, in force on {day} ({period}): {description} Affects: {affects}.").format(
        rule=p["name"],
        country=_country(p, "country"),
        day=_day(p["on"]),
        period=period,
        description=p["description"],
        affects=_affects(p),
    )


def _matched_on(fields: list[str]) -> str:
    names = {"end_user": _("end user"), "goods": _("goods")}
    shown = [names.get(name, name) for name in fields]
    if len(shown) == 2:
        return _("{first} and {second}").format(first=shown[0], second=shown[1])
    return ", ".join(shown)


def _denial_match(p: dict[str, Any]) -> str:
    return _(
        "{state} denied a possibly essentially identical transaction on {day} ({reference}; similarity {score} on "
        "{fields}). Confirm or dismiss it; a confirmed match needs a concluded Art. 4 consultation before approval."
    ).format(
        state=_country(p, "state"),
        day=_day(p["notified_on"]),
        reference=p["reference"],
        score=f"{p['score']:.0f}",
        fields=_matched_on(p["fields"]),
    )


def _screening(p: dict[str, Any]) -> str:
    return _(
        "{role} “{party}” resembles “{listed}” on {list} (score {score}). Clear or confirm it with a reason."
    ).format(
        role=_role(p["role"]), party=p["party"], listed=p["matched_name"], list=p["list"], score=f"{p['score']:.0f}"
    )


def _end_embargo(p: dict[str, Any]) -> str:
    if p["partial"]:
        text = _(
            "The final system is intended to go on to {country}, under a partial arms embargo in force on {day} "
            "({legal_act}). Dutch components would end up there: weigh it under criteria 1 and 7 and consider "
            "consulting the integrator's state."
        )
    else:
        text = _(
            "The final system is intended to go on to {country}, under an arms embargo in force on {day} "
            "({legal_act}). Dutch components would end up there: weigh it under criteria 1 and 7 and consider "
            "consulting the integrator's state."
        )
    return text.format(country=_country(p, "country"), day=_day(p["on"]), legal_act=p["legal_act"])


def _end_denial(p: dict[str, Any]) -> str:
    return _(
        "The final system is intended to go on to {destination}, for which {state} denied an export in "
        "{category} on {day} ({reference}). Dutch components would end up there: weigh it under criterion 7."
    ).format(
        destination=_country(p, "destination"),
        state=_country(p, "state"),
        category=p["ml_category"],
        day=_day(p["notified_on"]),
        reference=p["reference"],
    )


def _change_denial(p: dict[str, Any]) -> str:
    text = _(
        "{state} denied {category} goods for {destination} on {day} ({reference}): weigh it before the change "
        "(Common Position Art. 4)."
    ).format(
        state=_country(p, "state"),
        category=p["ml_category"],
        destination=_country(p, "destination"),
        day=_day(p["notified_on"]),
        reference=p["reference"],
    )
    if p.get("similar_end_user"):  # a new end user named like the denial's end user
        text += " " + _(
            "Its end user “{denied}” resembles the new end user “{name}” (similarity {score}): an essentially "
            "identical transaction needs a concluded consultation first; refuse the change and let the holder "
            "apply anew if it is."
        ).format(denied=p["denied_end_user"], name=p["similar_end_user"], score=round(p["end_user_score"]))
    return text


_RENDERERS: dict[str, Callable[[dict[str, Any]], str]] = {
    Code.EMBARGO: _embargo,
    Code.EMBARGO_PARTIAL: _embargo_partial,
    Code.EMBARGO_VERIFY: _embargo_verify,
    Code.NATIONAL_RULE: _national_rule,
    Code.DENIAL_MATCH: _denial_match,
    Code.SCREENING: _screening,
    Code.END_EMBARGO: _end_embargo,
    Code.END_DENIAL: _end_denial,
    Code.CHANGE_DENIAL: _change_denial,
}


def check_text(code: str, params: dict[str, Any], stored: str = "") -> str:
    """The finding in the active language; the stored text when it has no code (or one no longer known)."""
    renderer = _RENDERERS.get(code)
    if renderer is None:
        return stored
    try:
        return renderer(params)
    except (KeyError, TypeError, ValueError):  # parameters of an older shape: the words stored with them
        return stored


def check_text_in_english(code: str, params: dict[str, Any]) -> str:
    """The English words, stored beside the code (README: English stays available)."""
    with override("en"):
        return check_text(code, params)


def finding_text(finding: dict[str, Any]) -> str:
    """An amendment's stored check finding (a dict) in the active language."""
    return check_text(finding.get("message_code", ""), finding.get("message_params") or {}, finding.get("message", ""))
