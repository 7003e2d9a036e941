"""The denial register: our refusals and revocations notified to EU partners, denials received from other Member
States (by hand or from CSV), the refusal letter to the exporter, and Art. 4 grant notifications.

Sources: Common Position 2008/944/CFSP Art. 4 (denial notifications and consultation); the notification's
fields are the working set of ../shared/domain/README.md (the official list was not found). Objection term:
Awb 6:7 (six weeks) from the day after the decision was sent (Awb 6:8), extended by the Atw
(core.workdays.objection_deadline_awb).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.formats import date_format

from audit.models import Verb
from audit.services import record
from core.access import require_officer
from core.documents import render_pdf
from core.enqueue import enqueue_on_commit
from core.exceptions import DomainValidationError, TransitionNotAllowed
from core.i18n import gettext_lazy
from core.workdays import objection_deadline_awb
from licensing.models.denials import (
    DenialDirection,
    DenialMatch,
    DenialNotification,
    DenialSource,
    DenialStatus,
    MatchDecision,
)
from parties.memberships import is_member
from parties.models import HOME_STATE, Bloc, Country

from ..models import Application, Criterion, Decision, Licence, LicenceStatus, MLCategory, PartyRole
from ..models.assessment import RefusalLetter
from ..transitions import LicenceAction
from .check_lists import csv_rows
from .clock import equated_holidays
from .numbering import next_number

DENIAL_SERIES = "NL-DEN"
CSV_COLUMNS = (
    "reference",
    "issuing_state",
    "notified_on",
    "destination",
    "ml_category",
    "goods_description",
    "quantity",
    "consignee",
    "end_user",
    "end_use",
    "criteria",
    "sub_criteria",
    "reason",
)

ERR_REQUIRED = gettext_lazy("This field is required.")
ERR_NOT_MEMBER_STATE = gettext_lazy(
    "{state} was not an EU Member State on {day}; Art. 4 denials come from Member States."
)
ERR_HOME_STATE = gettext_lazy("Our own refusals are recorded by the register itself when a refusal is final.")
ERR_UNKNOWN_COUNTRY = gettext_lazy("Unknown country code {code!r}.")
ERR_UNKNOWN_ML = gettext_lazy("Unknown Military List category {code!r}.")
ERR_FUTURE = gettext_lazy("The date of denial cannot be after today.")
ERR_CRITERIA = gettext_lazy("Name the criteria invoked (numbers 1 to 8).")
ERR_DUPLICATE = gettext_lazy("{state} already notified a denial with reference {reference}.")
ERR_CSV_COLUMNS = gettext_lazy("The file lacks the columns: {columns}.")
ERR_CSV_EMPTY = gettext_lazy("The file has no rows.")
ERR_ALREADY_WITHDRAWN = gettext_lazy("This denial notification is already withdrawn.")
ERR_WITHDRAW_REASON = gettext_lazy("Say why the denial is withdrawn.")
ERR_REVOKE_CRITERIA = gettext_lazy("A revocation cites the criteria it rests on.")
ERR_REVOKE_REASON = gettext_lazy("Give the reason for the revocation.")


@dataclass
class ImportResult:
    created: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)


def _criteria_numbers(text: str) -> list[int]:
    tokens = [t for t in text.replace(";", " ").replace(",", " ").replace("|", " ").split() if t]
    numbers = sorted({int(t) for t in tokens if t.isdigit()})
    if not numbers or any(n not in range(1, 9) for n in numbers) or len(numbers) != len(set(tokens)):
        raise ValueError(ERR_CRITERIA)
    return numbers


def _incoming_problems(row: dict[str, str], countries: set[str], categories: set[str]) -> dict[str, str]:
    problems: dict[str, str] = {}
    for name in (
        "reference",
        "issuing_state",
        "notified_on",
        "destination",
        "ml_category",
        "goods_description",
        "end_user",
        "criteria",
    ):
        if not row.get(name, "").strip():
            problems[name] = ERR_REQUIRED
    for name in ("issuing_state", "destination"):
        code = row.get(name, "").strip().upper()
        if code and code not in countries:
            problems[name] = ERR_UNKNOWN_COUNTRY.format(code=code)
    code = row.get("ml_category", "").strip().upper()
    if code and code not in categories:
        problems["ml_category"] = ERR_UNKNOWN_ML.format(code=code)
    if row.get("criteria", "").strip():
        try:
            _criteria_numbers(row["criteria"])
        except ValueError:
            problems["criteria"] = ERR_CRITERIA
    day = None
    if row.get("notified_on", "").strip():
        try:
            day = date.fromisoformat(row["notified_on"].strip())
        except ValueError:
            problems["notified_on"] = "Write the date as YYYY-MM-DD."
    if day and day > timezone.localdate():
        problems["notified_on"] = ERR_FUTURE
    state = row.get("issuing_state", "").strip().upper()
    if state == HOME_STATE:
        problems["issuing_state"] = ERR_HOME_STATE
    elif day and "issuing_state" not in problems and state and not is_member(state, Bloc.EU, day):
        problems["issuing_state"] = ERR_NOT_MEMBER_STATE.format(state=state, day=date_format(day))
    return problems


def _incoming_create(*, actor: Any, row: dict[str, str], source: str) -> DenialNotification:
    denial = DenialNotification(
        direction=DenialDirection.INCOMING,
        reference=row["reference"].strip(),
        issuing_state_id=row["issuing_state"].strip().upper(),
        notified_on=date.fromisoformat(row["notified_on"].strip()),
        destination_id=row["destination"].strip().upper(),
        ml_category_id=row["ml_category"].strip().upper(),
        goods_description=row["goods_description"].strip(),
        quantity=row.get("quantity", "").strip()[:100],
        consignee=row.get("consignee", "").strip()[:300],
        end_user=row["end_user"].strip()[:300],
        end_use=row.get("end_use", "").strip(),
        sub_criteria=row.get("sub_criteria", "").strip()[:60],
        reason=row.get("reason", "").strip(),
        source=source,
        recorded_by=actor,
        recorded_at=timezone.now(),
    )
    denial._change_reason = f"denial received ({source})"  # type: ignore[attr-defined]
    denial.save()
    denial.criteria.set(Criterion.objects.filter(number__in=_criteria_numbers(row["criteria"])))
    record(
        actor=actor,
        verb=Verb.DENIAL_RECORDED,
        target=denial,
        payload={
            "direction": denial.direction,
            "reference": denial.reference,
            "state": denial.issuing_state_id,
            "source": source,
        },
    )
    return denial


def _lookups() -> tuple[set[str], set[str]]:
    return set(Country.objects.values_list("iso2", flat=True)), set(MLCategory.objects.values_list("code", flat=True))


@transaction.atomic(durable=True)
def denial_record_incoming(*, actor: Any, row: dict[str, str]) -> DenialNotification:
    """An officer enters a denial notification received from another Member State."""
    require_officer(actor)
    problems = _incoming_problems(row, *_lookups())
    state, reference = row.get("issuing_state", "").strip().upper(), row.get("reference", "").strip()
    if not problems and DenialNotification.objects.filter(issuing_state_id=state, reference=reference).exists():
        problems["reference"] = ERR_DUPLICATE.format(state=state, reference=reference)
    if problems:
        raise DomainValidationError(next(iter(problems.values())), field_errors={k: [v] for k, v in problems.items()})
    return _incoming_create(actor=actor, row=row, source=DenialSource.MANUAL)


@transaction.atomic(durable=True)
def denials_import_csv(*, actor: Any, lines: Iterable[str]) -> ImportResult:
    """Import received denials from CSV (columns CSV_COLUMNS; '#' lines are notes). All rows or none: a file
    with an invalid row is refused with every problem listed. A notification already in the register (same
    state and reference) is skipped, so importing the same file twice is harmless."""
    if actor is not None:
        require_officer(actor)
    rows = list(csv_rows(lines))
    if not rows:
        raise DomainValidationError(ERR_CSV_EMPTY, field_errors={"file": [ERR_CSV_EMPTY]})
    missing = [c for c in CSV_COLUMNS if c not in rows[0][1]]
    if missing:
        message = ERR_CSV_COLUMNS.format(columns=", ".join(missing))
        raise DomainValidationError(message, field_errors={"file": [message]})
    countries, categories = _lookups()
    errors = [
        f"Row {number}, {name}: {problem}"
        for number, row in rows
        for name, problem in _incoming_problems(row, countries, categories).items()
    ]
    if errors:
        raise DomainValidationError(errors[0], field_errors={"file": errors})
    result = ImportResult()
    existing = set(DenialNotification.objects.values_list("issuing_state_id", "reference"))
    for _number, row in rows:
        key = (row["issuing_state"].upper(), row["reference"])
        if key in existing:
            result.skipped.append(f"{key[0]} {key[1]}")
            continue
        existing.add(key)
        _incoming_create(actor=actor, row=row, source=DenialSource.CSV_IMPORT)
        result.created.append(f"{key[0]} {key[1]}")
    return result


@transaction.atomic(durable=True)
def denial_withdraw(*, actor: Any, denial_id: int, reason: str) -> DenialNotification:
    require_officer(actor)
    if not reason.strip():
        raise DomainValidationError(ERR_WITHDRAW_REASON, field_errors={"reason": [ERR_WITHDRAW_REASON]})
    denial = DenialNotification.objects.select_for_update().get(pk=denial_id)
    if denial.status == DenialStatus.WITHDRAWN:
        raise TransitionNotAllowed(ERR_ALREADY_WITHDRAWN)
    denial.status, denial.status_reason = DenialStatus.WITHDRAWN, reason.strip()
    denial._change_reason = reason.strip()  # type: ignore[attr-defined]
    denial.save(update_fields=["status", "status_reason"])
    record(
        actor=actor,
        verb=Verb.DENIAL_RECORDED,
        target=denial,
        reason=reason.strip(),
        payload={"status": DenialStatus.WITHDRAWN},
    )
    return denial


def _outgoing_create(
    *,
    actor: Any,
    application: Application,
    criteria: Sequence[Criterion],
    sub_criteria: str,
    reason: str,
    decision: Decision | None = None,
    revoked_licence: Licence | None = None,
) -> list[DenialNotification]:
    """One outgoing notification per ML category of the goods refused (each names one category)."""
    # A submitted application always has a destination: it follows from the end user, required on submission.
    destination = application.destination_id
    assert destination is not None  # noqa: S101
    today = timezone.localdate()
    goods = list(application.goods.order_by("position", "pk"))
    parties = list(application.parties.order_by("pk"))
    consignees = "; ".join(p.name for p in parties if p.role == PartyRole.CONSIGNEE)
    end_users = "; ".join(p.name for p in parties if p.role in (PartyRole.END_USER, PartyRole.ULTIMATE_END_USER))
    created = []
    for category in dict.fromkeys(line.ml_category_id for line in goods):
        lines = [line for line in goods if line.ml_category_id == category]
        denial = DenialNotification(
            direction=DenialDirection.OUTGOING,
            reference=f"{DENIAL_SERIES}-{today.year}-{next_number(series=DENIAL_SERIES, year=today.year):05d}",
            issuing_state_id=HOME_STATE,
            notified_on=today,
            destination_id=destination,
            ml_category_id=category,
            goods_description="; ".join(line.description for line in lines),
            quantity="; ".join(f"{line.quantity.normalize()} {line.unit}" for line in lines)[:100],
            consignee=consignees[:300],
            end_user=end_users[:300],
            end_use=application.end_use,
            sub_criteria=sub_criteria[:60],
            reason=reason,
            application=application,
            decision=decision,
            revoked_licence=revoked_licence,
            source=DenialSource.REGISTER,
            recorded_by=actor,
            recorded_at=timezone.now(),
        )
        denial._change_reason = "revocation" if revoked_licence else "refusal"  # type: ignore[attr-defined]
        denial.save()
        denial.criteria.set(criteria)
        record(
            actor=actor,
            verb=Verb.DENIAL_RECORDED,
            target=denial,
            payload={
                "direction": denial.direction,
                "reference": denial.reference,
                "application": application.pk,
                "criteria": [c.number for c in criteria],
                "revoked_licence": getattr(revoked_licence, "pk", None),
            },
        )
        created.append(denial)
    return created


def refusal_letter_store(
    *, decision: Decision, application: Application, denials: Sequence[DenialNotification]
) -> RefusalLetter:
    """Record the refusal letter (the day it is sent and the objection term) and have Celery render its PDF.

    The PDF is never rendered in the countersigning request (issue 14): the row is written in the decision's
    transaction and `licensing.tasks.refusal_letter_render` renders and stores the document after commit (through
    core.enqueue, so a broker outage leaves it to the beat sweep `render-missing-licence-pdfs`). Until then the
    download answers "being prepared" (202)."""
    from ..tasks import refusal_letter_render

    sent_on = timezone.localdate()
    deadline = objection_deadline_awb(sent_on, extra=equated_holidays())
    letter = RefusalLetter(
        decision=decision, application=application, sent_on=sent_on, objection_deadline=deadline, sha256=""
    )
    letter._change_reason = "refusal letter issued"  # type: ignore[attr-defined]
    letter.save()
    enqueue_on_commit(refusal_letter_render, letter.pk)
    return letter


def refusal_letter_pdf(letter: RefusalLetter) -> bytes:
    """The letter's PDF, from what was recorded when the decision took effect (called by the Celery task only)."""
    decision, application = letter.decision, letter.application
    return render_pdf(
        "licensing/pdf/refusal_letter.html",
        {
            "application": application,
            "organisation": application.organisation,
            "decision": decision,
            "criteria": list(decision.criteria.order_by("number")),
            "sent_on": letter.sent_on,
            "objection_deadline": letter.objection_deadline,
            "denials": list(DenialNotification.objects.filter(decision=decision).order_by("reference")),
            "refusal_ground": decision.refusal_ground.replace("_", " ").capitalize(),
        },
    )


# --- effects of a final decision (called by casework._take_effect) -----------------------------------------


def refusal_record(*, decision: Decision, application: Application, actor: Any) -> None:
    """A final refusal becomes an outgoing denial notification and a refusal letter.

    A refusal that cites no criterion rests on the treaty's own ground (a de minimis component transfer refused
    for direct interests or national security), not on the Common Position: it gets the letter, but it is not
    an Art. 4 denial notification.
    """
    criteria = list(decision.criteria.order_by("number"))
    denials = (
        _outgoing_create(
            actor=actor,
            application=application,
            criteria=criteria,
            sub_criteria=decision.sub_criteria,
            reason=decision.justification,
            decision=decision,
        )
        if criteria
        else []
    )
    refusal_letter_store(decision=decision, application=application, denials=denials)


def art4_grant_notify(*, decision: Decision, application: Application, actor: Any) -> None:
    """Granting after a confirmed match → the denying state is told,
    with the reasons (Art. 4)."""
    if decision.outcome != "approve":
        return
    now = timezone.now()
    for match in (
        # of=("self",): lock only the match rows (the consultation join is nullable and cannot be locked).
        DenialMatch.objects.select_for_update(of=("self",))
        .filter(application=application, decision=MatchDecision.CONFIRMED, grant_notified_at__isnull=True)
        .select_related("denial", "consultation")
    ):
        outcome = match.consultation.get_outcome_display() if match.consultation else ""  # type: ignore[attr-defined]
        match.grant_notification_text = (
            f"Licence granted on {now:%Y-%m-%d} for an essentially identical transaction to your denial "
            f"{match.denial.reference}, after consultation ({outcome}). Reasons: {decision.justification}"
        )
        match.grant_notified_at = now
        match._change_reason = "Art. 4 grant notification"  # type: ignore[attr-defined]
        match.save(update_fields=["grant_notification_text", "grant_notified_at"])
        record(
            actor=actor,
            verb=Verb.DENIAL_RECORDED,
            target=match.denial,
            payload={"grant_notified": application.reference, "match": match.pk},
        )


# --- revocation ---------------------------------------------------------------------------------------------


@transaction.atomic(durable=True)
def licence_revoke_with_criteria(
    *, actor: Any, licence_id: int, reason: str, criteria: Sequence[int], sub_criteria: str = ""
) -> tuple[Licence, list[DenialNotification]]:
    """Revoke a licence citing criteria, and notify the revocation as a denial.

    One transaction: the revocation and its denial notification commit together or not at all.
    """
    require_officer(actor)
    errors: dict[str, list[str]] = {}
    if not criteria:
        errors["criteria"] = [ERR_REVOKE_CRITERIA]
    if not reason.strip():
        errors["reason"] = [ERR_REVOKE_REASON]
    if errors:
        raise DomainValidationError(next(iter(errors.values()))[0], field_errors=errors)
    from .casework import change_licence_status_in_transaction

    licence = change_licence_status_in_transaction(
        actor=actor, licence_id=licence_id, action=LicenceAction.REVOKE, reason=reason
    )
    denials = _revocation_denial_create(
        actor=actor, licence_id=licence.pk, reason=reason, criteria=criteria, sub_criteria=sub_criteria
    )
    return licence, denials


@transaction.atomic(durable=True)
def revocation_denial_record(
    *, actor: Any, licence_id: int, reason: str, criteria: Sequence[int], sub_criteria: str = ""
) -> list[DenialNotification]:
    """Record the denial notification of a licence revoked earlier (idempotent)."""
    return _revocation_denial_create(
        actor=actor, licence_id=licence_id, reason=reason, criteria=criteria, sub_criteria=sub_criteria
    )


def _revocation_denial_create(
    *, actor: Any, licence_id: int, reason: str, criteria: Sequence[int], sub_criteria: str = ""
) -> list[DenialNotification]:
    require_officer(actor)
    # Lock the licence: a retry running next to the first attempt must not notify twice.
    licence = Licence.objects.select_for_update().select_related("application").get(pk=licence_id)
    if licence.status != LicenceStatus.REVOKED:
        raise TransitionNotAllowed("Only a revoked licence is notified as a denial.")
    existing = list(DenialNotification.objects.filter(revoked_licence=licence))
    if existing:
        return existing
    return _outgoing_create(
        actor=actor,
        application=licence.application,
        criteria=list(Criterion.objects.filter(number__in=criteria).order_by("number")),
        sub_criteria=sub_criteria,
        reason=reason.strip(),
        revoked_licence=licence,
    )
