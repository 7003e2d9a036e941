"""Automatic checks on an application, run on submission and again before any decision.

Each run stores its results with the inputs they rested on and the time it ran, so a later reader sees what
the officer saw. What the checks apply, and where it comes from:
- Embargoes: an EU arms embargo in force on the date for the destination or any party's country is a
  criterion-1 ground (Common Position 2008/944/CFSP Art. 2(1)); a full embargo blocks approval unless the
  officer records the exemption the legal act allows, a partial one (only some end users) is a warning.
  ../shared/domain/README.md "Embargoes".
- Denials: an incoming denial by another Member State within the look-back window of Art. 4, same destination
  and ML category and a similar end user or goods (licensing/denial_rules.py), is proposed as a match.
- National policy rules in force on the date (e.g. the Dutch presumption of denial, ended 2023-07-14).
- Screening of every party against the watch list (fuzzy match, licensing/assessment_rules.SCREENING_THRESHOLD).
- End destinations of a treaty transfer's final system (issue 16): the components go to the integrator in a
  partner state, but the system they are built into is sold on. An embargo in force, or an incoming denial within
  the Art. 4 window for the same ML category, on an intended end destination is a WARNING (kind end_destination):
  the licence is for the transfer to the partner, whose own licensing covers the re-export (treaty Art. 4-5), so
  it does not block; unresolved, it needs a senior officer's countersignature like any warning.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from datetime import date
from typing import Any

from django.db import transaction
from django.db.models import Max, Q, QuerySet
from django.utils import timezone

from audit.models import Verb
from audit.services import record
from core.access import require_officer
from core.exceptions import TransitionNotAllowed
from core.i18n import gettext_lazy
from licensing.models.denials import (
    DenialMatch,
    DenialNotification,
    MatchDecision,
)
from parties.models import Embargo

from ..assessment_rules import SCREENING_THRESHOLD
from ..check_texts import DESTINATION, Code, check_text_in_english, country_params
from ..denial_reads import denials_in_window
from ..denial_rules import SIMILARITY_THRESHOLD, denial_window_start, similarity
from ..models import OPEN_STATUSES, Application, ApplicationParty, PartyRole
from ..models.assessment import (
    CheckKind,
    CheckResult,
    CheckRun,
    CheckTrigger,
    FlagLevel,
    NationalPolicyRule,
    Resolution,
    ScreeningHit,
    WatchListEntry,
)
from ..models.treaty import TreatyTransfer
from .workflow import lock_application

ERR_CASE_CLOSED = gettext_lazy(
    "This case is {status}; its checks and advice are kept as they were when it was decided."
)

EMBARGO_CRITERION = 1
MATCH_TO_RESOLUTION = {
    MatchDecision.CONFIRMED: Resolution.CONFIRMED,
    MatchDecision.DISMISSED: Resolution.CLEARED,
}


def require_open(application: Application) -> None:
    """Checks, flags and advice belong to the work on an open case; a decided case keeps them as they were."""
    if application.status not in OPEN_STATUSES:
        raise TransitionNotAllowed(ERR_CASE_CLOSED.format(status=application.get_status_display().lower()))


def _iso(day: date | None) -> str | None:
    return day.isoformat() if day else None


# Country code → who is there, as [role, name] pairs ([DESTINATION, ""] for the destination): codes, not words,
# so the inputs a resolution is carried on do not depend on the language of whoever ran the checks.
Who = dict[str, list[list[str]]]


def _countries_in_play(application: Application, parties: list[ApplicationParty]) -> Who:
    """Who is in each country in play, for the embargo and policy checks."""
    who: dict[str, list[list[str]]] = defaultdict(list)
    if application.destination_id:
        who[application.destination_id].append([DESTINATION, ""])
    for party in parties:
        who[party.country_id].append([party.role, party.name])
    return dict(who)


def _worded(code: str, params: dict[str, Any], **finding: Any) -> dict[str, Any]:
    """A finding with its message as a code and parameters, and the English words stored beside them."""
    return {**finding, "message_code": code, "message_params": params, "message": check_text_in_english(code, params)}


def _embargoes_in_force(on: date, countries: Iterable[str]) -> QuerySet[Embargo]:
    """The arms embargoes in force on `on` for any of `countries` (one statement for every check that asks)."""
    return (
        Embargo.objects.filter(country_id__in=list(countries))
        .filter(Q(since__isnull=True) | Q(since__lte=on))
        .filter(Q(until__isnull=True) | Q(until__gte=on))
        .select_related("country")
        .order_by("country_id", "pk")
    )


def _embargo_results(on: date, who: Who) -> list[dict[str, Any]]:
    in_force = _embargoes_in_force(on, who)
    results = []
    for embargo in in_force:
        assert embargo.country is not None  # noqa: S101 - filtered on country above
        code = embargo.country.iso2
        affects = who[code]
        words = {**country_params("country", embargo.country), "on": on.isoformat(), "affects": affects}
        words |= {"legal_act": embargo.legal_act, "scope": embargo.scope}
        inputs = {
            "embargo": embargo.pk,
            "country": code,
            "legal_act": embargo.legal_act,
            "scope": embargo.scope,
            "since": _iso(embargo.since),
            "since_as_published": embargo.since_text,
            "until": _iso(embargo.until),
            "partial": embargo.partial,
            "needs_verification": embargo.needs_verification,
            "affects": affects,
        }
        level = FlagLevel.WARNING if embargo.partial else FlagLevel.BLOCKING
        results.append(
            _worded(
                Code.EMBARGO_PARTIAL if embargo.partial else Code.EMBARGO,
                words,
                kind=CheckKind.EMBARGO,
                level=level,
                key=f"embargo:{embargo.pk}",
                criterion_id=1,
                inputs=inputs,
            )
        )
        if embargo.needs_verification:
            results.append(
                _worded(
                    Code.EMBARGO_VERIFY,
                    {**country_params("country", embargo.country), "confidence": embargo.confidence},
                    kind=CheckKind.EMBARGO,
                    level=FlagLevel.INFO,
                    key=f"embargo-verify:{embargo.pk}",
                    criterion_id=1,
                    inputs=inputs,
                )
            )
    return results


def _policy_rule_results(on: date, who: Who) -> list[dict[str, Any]]:
    rules = (
        NationalPolicyRule.objects.filter(country_id__in=who)
        .filter(Q(valid_from__isnull=True) | Q(valid_from__lte=on))
        .filter(Q(valid_until__isnull=True) | Q(valid_until__gte=on))
        .select_related("country")
    )
    results = []
    for rule in rules:
        words = {
            **country_params("country", rule.country),
            "name": rule.name,
            "description": rule.description,
            "on": on.isoformat(),
            "valid_from": _iso(rule.valid_from),
            "valid_from_as_published": rule.valid_from_text,
            "valid_until": _iso(rule.valid_until),
            "dates_confirmed": rule.dates_confirmed,
            "affects": who[rule.country_id],
        }
        results.append(
            _worded(
                Code.NATIONAL_RULE,
                words,
                kind=CheckKind.NATIONAL_RULE,
                level=FlagLevel.WARNING,
                key=f"rule:{rule.pk}",
                criterion_id=None,
                inputs={
                    "rule": rule.pk,
                    "name": rule.name,
                    "country": rule.country_id,
                    "kind": rule.kind,
                    "valid_from": _iso(rule.valid_from),
                    "valid_from_as_published": rule.valid_from_text,
                    "valid_until": _iso(rule.valid_until),
                    "dates_confirmed": rule.dates_confirmed,
                    "affects": who[rule.country_id],
                },
            )
        )
    return results


def _best(ours: list[str], theirs: str) -> tuple[float, str]:
    scored = [(similarity(text, theirs), text) for text in ours]
    return max(scored, default=(0.0, ""))


def _denial_results(
    application: Application, parties: list[ApplicationParty], on: date, now: Any
) -> list[dict[str, Any]]:
    goods = list(application.goods.all())
    categories = {line.ml_category_id for line in goods}
    end_user_parties = [p for p in parties if p.role in (PartyRole.END_USER, PartyRole.ULTIMATE_END_USER)]
    # Every destination, not only the first (issue 13): a global licence names end users in several countries, and
    # a denial for any of them is matched (Common Position Art. 4).
    destinations = {code for code in (application.destination_id, *(p.country_id for p in end_user_parties)) if code}
    if not destinations or not categories:
        return []
    candidates = denials_in_window(on, destinations, categories)
    results, found = [], []
    for denial in candidates:
        # Compare with the end users in the denial's destination (all of them when none is there: the destination
        # then came from the application itself).
        there = [p.name for p in end_user_parties if p.country_id == denial.destination_id]
        end_users = there or [p.name for p in end_user_parties]
        end_user_score, end_user = _best(end_users, denial.end_user)
        descriptions = [line.description for line in goods if line.ml_category_id == denial.ml_category_id]
        goods_score, goods_text = _best(descriptions, denial.goods_description)
        score = max(end_user_score, goods_score)
        if score < SIMILARITY_THRESHOLD:
            continue
        matched: dict[str, Any] = {
            "destination": denial.destination_id,
            "ml_category": denial.ml_category_id,
            "end_user": {"ours": end_user, "theirs": denial.end_user, "score": end_user_score},
            "goods": {"ours": goods_text, "theirs": denial.goods_description, "score": goods_score},
        }
        match, created = DenialMatch.objects.get_or_create(
            application=application,
            denial=denial,
            defaults={"score": score, "matched_fields": matched, "found_at": now},
        )
        if not created and (match.score, match.matched_fields, match.still_matches) != (score, matched, True):
            match.score, match.matched_fields, match.still_matches = score, matched, True
            match._change_reason = "checks run again"  # type: ignore[attr-defined]
            match.save(update_fields=["score", "matched_fields", "still_matches"])
        found.append(match.pk)
        fields = [name for name in ("end_user", "goods") if matched[name]["score"] >= SIMILARITY_THRESHOLD]
        words = {
            **country_params("state", denial.issuing_state),
            "notified_on": denial.notified_on.isoformat(),
            "reference": denial.reference,
            "score": score,
            "fields": fields,
        }
        results.append(
            _worded(
                Code.DENIAL_MATCH,
                words,
                kind=CheckKind.DENIAL_MATCH,
                level=FlagLevel.BLOCKING,
                key=f"denial:{denial.pk}",
                criterion_id=None,
                inputs={
                    "denial": denial.pk,
                    "reference": denial.reference,
                    "issuing_state": denial.issuing_state_id,
                    "notified_on": _iso(denial.notified_on),
                    "window_start": _iso(denial_window_start(on)),
                    "score": score,
                    "threshold": SIMILARITY_THRESHOLD,
                    "matched_fields": matched,
                },
                carry=(match.decision, match.decision_reason, match.decided_by_id, match.decided_at),
            )
        )
    DenialMatch.objects.filter(application=application, still_matches=True).exclude(pk__in=found).update(
        still_matches=False
    )
    return results


def _screening_results(parties: list[ApplicationParty], now: Any) -> list[dict[str, Any]]:
    entries = list(WatchListEntry.objects.filter(active=True).select_related("country"))
    results = []
    for party in parties:
        for entry in entries:
            score, matched_name = _best([entry.name, *entry.alias_list], party.name)
            if score < SCREENING_THRESHOLD:
                continue
            hit, created = ScreeningHit.objects.get_or_create(
                party=party, entry=entry, defaults={"score": score, "matched_name": matched_name, "found_at": now}
            )
            if not created and (hit.score, hit.matched_name) != (score, matched_name):
                hit.score, hit.matched_name = score, matched_name
                hit._change_reason = "checks run again"  # type: ignore[attr-defined]
                hit.save(update_fields=["score", "matched_name"])
            words = {
                "role": party.role,
                "party": party.name,
                "matched_name": matched_name,
                "list": entry.source,
                "score": score,
            }
            results.append(
                _worded(
                    Code.SCREENING,
                    words,
                    kind=CheckKind.SCREENING,
                    level=FlagLevel.WARNING,
                    key=f"screening:{party.pk}:{entry.pk}",
                    criterion_id=None,
                    inputs={
                        "party": party.pk,
                        "party_name": party.name,
                        "entry": entry.pk,
                        "entry_name": entry.name,
                        "matched_name": matched_name,
                        "list": entry.source,
                        "listed_on": _iso(entry.listed_on),
                        "score": score,
                        "threshold": SCREENING_THRESHOLD,
                    },
                    carry=(hit.decision, hit.decision_reason, hit.decided_by_id, hit.decided_at),
                )
            )
    return results


def _end_destinations(application: Application, who: Who) -> list[str]:
    """The final system's intended end destinations not already checked as a destination or party's country."""
    codes = TreatyTransfer.objects.filter(application=application).values_list("end_destinations", flat=True)
    return sorted({code for code in codes if code is not None} - set(who))


def _end_destination_results(application: Application, on: date, end_destinations: list[str]) -> list[dict[str, Any]]:
    if not end_destinations:
        return []
    results: list[dict[str, Any]] = []
    embargoes = _embargoes_in_force(on, end_destinations)
    for embargo in embargoes:
        assert embargo.country is not None  # noqa: S101 - filtered on country above
        words = {
            **country_params("country", embargo.country),
            "partial": embargo.partial,
            "on": on.isoformat(),
            "legal_act": embargo.legal_act,
        }
        results.append(
            _worded(
                Code.END_EMBARGO,
                words,
                kind=CheckKind.END_DESTINATION,
                level=FlagLevel.WARNING,
                key=f"end-embargo:{embargo.pk}",
                criterion_id=1,
                inputs={
                    "embargo": embargo.pk,
                    "country": embargo.country_id,
                    "legal_act": embargo.legal_act,
                    "partial": embargo.partial,
                    "end_destination": True,
                },
            )
        )
    categories = set(application.goods.values_list("ml_category_id", flat=True))
    if hasattr(application, "treaty_transfer"):
        categories.add(application.treaty_transfer.final_system.ml_category_id)
    denials = denials_in_window(on, end_destinations, categories)
    for denial in denials:
        results.append(
            _worded(
                Code.END_DENIAL,
                _denial_words(denial),
                kind=CheckKind.END_DESTINATION,
                level=FlagLevel.WARNING,
                key=f"end-denial:{denial.pk}",
                criterion_id=None,
                inputs={
                    "denial": denial.pk,
                    "reference": denial.reference,
                    "issuing_state": denial.issuing_state_id,
                    "destination": denial.destination_id,
                    "ml_category": denial.ml_category_id,
                    "notified_on": _iso(denial.notified_on),
                    "window_start": _iso(denial_window_start(on)),
                    "end_destination": True,
                },
            )
        )
    return results


def _denial_words(denial: DenialNotification) -> dict[str, Any]:
    return {
        **country_params("state", denial.issuing_state),
        **country_params("destination", denial.destination),
        "ml_category": denial.ml_category_id,
        "notified_on": denial.notified_on.isoformat(),
        "reference": denial.reference,
    }


def _carry_resolutions(application: Application, results: list[CheckResult], carry: dict[str, Any]) -> None:
    """Take over the officer's earlier resolution of the same finding, when the inputs are unchanged."""
    previous: dict[str, CheckResult] = {}
    keys = [r.key for r in results if r.key not in carry]
    for old in (
        CheckResult.objects.filter(application=application, key__in=keys)
        .exclude(resolution=Resolution.OPEN)
        .order_by("key", "-run__number")
    ):
        previous.setdefault(old.key, old)
    for result in results:
        if result.key in carry:
            decision, reason, by_id, at = carry[result.key]
            if decision:
                result.resolution = MATCH_TO_RESOLUTION.get(decision, decision)
                result.resolution_reason, result.resolved_by_id, result.resolved_at = reason, by_id, at
            continue
        earlier = previous.get(result.key)
        if earlier is not None and earlier.inputs == result.inputs:
            result.resolution, result.resolution_reason = earlier.resolution, earlier.resolution_reason
            result.exemption_note, result.resolved_by_id, result.resolved_at = (
                earlier.exemption_note,
                earlier.resolved_by_id,
                earlier.resolved_at,
            )
            result.carried_from = earlier


def checks_run(*, application: Application, actor: Any, on: date | None = None, trigger: str) -> CheckRun:
    """Run every check as of `on` (default today) and store the results. Call inside the caller's transaction,
    with the application row locked (lock_application), so two runs cannot take the same run number."""
    on = on or timezone.localdate()
    now = timezone.now()
    parties = list(application.parties.select_related("country").order_by("pk"))
    who = _countries_in_play(application, parties)
    found = [
        *_embargo_results(on, who),
        *_denial_results(application, parties, on, now),
        *_policy_rule_results(on, who),
        *_screening_results(parties, now),
        *_end_destination_results(application, on, _end_destinations(application, who)),
    ]
    last = CheckRun.objects.filter(application=application).aggregate(n=Max("number"))["n"] or 0
    run = CheckRun(application=application, number=last + 1, checked_on=on, ran_at=now, trigger=trigger, ran_by=actor)
    run._change_reason = f"checks run ({trigger})"  # type: ignore[attr-defined]
    run.save()
    carry = {f["key"]: f.pop("carry") for f in found if "carry" in f}
    results = [CheckResult(run=run, application=application, **f) for f in found]
    _carry_resolutions(application, results, carry)
    CheckResult.objects.bulk_create(results)
    levels = [r.level for r in results]
    record(
        actor=actor,
        verb=Verb.CHECKS_RUN,
        target=application,
        payload={
            "run": run.number,
            "on": on,
            "trigger": trigger,
            "blocking": levels.count(FlagLevel.BLOCKING),
            "warnings": levels.count(FlagLevel.WARNING),
            "info": levels.count(FlagLevel.INFO),
        },
    )
    return run


@transaction.atomic(durable=True)
def checks_rerun(*, actor: Any, application_id: int, on: date | None = None) -> CheckRun:
    """An officer runs the checks again (e.g. after the watch list or the denial register changed)."""
    require_officer(actor)
    application = lock_application(pk=application_id)
    require_open(application)
    return checks_run(application=application, actor=actor, on=on, trigger=CheckTrigger.MANUAL)


def checks_for_change(
    *,
    destination_id: str | None,
    parties: list[tuple[str, str, str]],
    categories: set[str],
    new_end_users: Sequence[tuple[str, str]] = (),
    on: date | None = None,
) -> list[dict[str, Any]]:
    """The same embargo, national-rule and denial checks, on what a licence change brings into play: the
    destination (new or kept) and the parties' countries (`parties`: (role, name, country code)), as of `on`. A
    new end user (`new_end_users`: (name, country code)) is also compared by name with the end user of each
    incoming denial for its country, as the case checks do (licensing.denial_rules.SIMILARITY_THRESHOLD).

    Read-only: the findings are returned for the amendment to keep (licensing.services.amendments), not stored as
    a check run of the application, whose decided checks stay as they were."""
    on = on or timezone.localdate()
    who: dict[str, list[list[str]]] = defaultdict(list)
    if destination_id:
        who[destination_id].append([DESTINATION, ""])
    for role, name, country in parties:
        who[country].append([role, name])
    findings = [*_embargo_results(on, dict(who)), *_policy_rule_results(on, dict(who))]
    destinations = {code for code in (destination_id, *(country for _name, country in new_end_users)) if code}
    if destinations and categories:
        denials = denials_in_window(on, destinations, categories)
        for denial in denials:
            names = [name for name, country in new_end_users if country == denial.destination_id]
            score, name = _best(names, denial.end_user)
            similar = (
                {"similar_end_user": name, "denied_end_user": denial.end_user, "end_user_score": score}
                if score >= SIMILARITY_THRESHOLD
                else {}
            )
            findings.append(
                _worded(
                    Code.CHANGE_DENIAL,
                    {**_denial_words(denial), **similar},
                    kind=CheckKind.DENIAL_MATCH,
                    level=FlagLevel.WARNING,
                    key=f"denial:{denial.pk}",
                    criterion_id=None,
                    inputs={
                        "denial": denial.pk,
                        "reference": denial.reference,
                        "end_user_score": score,
                        "threshold": SIMILARITY_THRESHOLD,
                    },
                )
            )
    return [{**f, "kind": str(f["kind"]), "level": str(f["level"])} for f in findings]
