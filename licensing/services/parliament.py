"""Accelerated information to parliament (licensing/parliament_rules.py): flag an approval when it is taken,
keep the draft letter, and mark the letter sent.

The decision service calls parliament_information_flag directly, inside the decision's own transaction (no
signal or hook registry): a decision is never final without its flag, and a rolled-back decision leaves none.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.db import transaction
from django.utils import timezone

from audit.models import Verb
from audit.services import record
from core.access import can
from core.enqueue import enqueue_on_commit
from core.exceptions import DomainValidationError, NotAllowed, StaleVersion, TransitionNotAllowed
from core.i18n import gettext_lazy

from ..models import Application, Decision, DecisionOutcome, Licence
from ..models.parliament import ParliamentInformation, ParliamentInformationStatus
from ..parliament_rules import accelerated_information_finding

ERR_NOT_ALLOWED = gettext_lazy("Only reporting staff and licensing officers record letters to parliament.")
ERR_ALREADY_SENT = gettext_lazy("This letter was already marked sent.")
ERR_SENT_ON_REQUIRED = gettext_lazy("Give the date the letter was sent.")
ERR_SENT_BEFORE_DECISION = gettext_lazy("The letter cannot have been sent before the decision was taken.")
ERR_SENT_IN_FUTURE = gettext_lazy("The date the letter was sent cannot be in the future.")
ERR_REFERENCE_REQUIRED = gettext_lazy("Give the reference of the letter (e.g. the Kamerstuk number).")
ERR_STALE = gettext_lazy("Someone else changed this record meanwhile. Reload the page and try again.")


def parliament_information_flag(
    *, decision: Decision, application: Application, licence: Licence | None, actor: Any
) -> ParliamentInformation | None:
    """Flag an approval that meets the accelerated-information rule in force on the decision date. Call inside the
    decision's transaction (the application row is locked by it, so the flag is written once)."""
    if decision.outcome != DecisionOutcome.APPROVE:
        return None
    decided_on = timezone.localdate()
    finding = accelerated_information_finding(application, on=decided_on)
    if finding is None:
        return None
    flag = ParliamentInformation(
        application=application,
        decision=decision,
        licence=licence,
        rule=finding.rule,
        decided_on=decided_on,
        value_eur=finding.value_eur,
        destinations=list(finding.destinations),
        due_on=finding.due_on,
    )
    flag._change_reason = "decision meets the accelerated-information rule"  # type: ignore[attr-defined]
    flag.save()
    record(
        actor=actor,
        verb=Verb.PARLIAMENT_INFORMATION_DUE,
        target=application,
        payload={
            "rule": finding.rule.name,
            "threshold_eur": finding.rule.value_threshold_eur,
            "value_eur": finding.value_eur,
            "destinations": list(finding.destinations),
            "due_on": finding.due_on,
        },
    )
    from ..tasks import parliament_letter_render

    enqueue_on_commit(parliament_letter_render, flag.pk)
    return flag


@transaction.atomic(durable=True)
def parliament_information_mark_sent(
    *, actor: Any, pk: int, sent_on: date | None, reference: str, expected_version: int | None = None
) -> ParliamentInformation:
    """Record that the letter went to parliament: its reminders stop."""
    if not can(actor, "reports.parliament"):
        raise NotAllowed(ERR_NOT_ALLOWED)
    # Row lock: two people marking the same letter sent at once record it once.
    flag = ParliamentInformation.objects.select_for_update().get(pk=pk)
    if expected_version is not None and flag.version != expected_version:
        raise StaleVersion(ERR_STALE)
    if flag.status == ParliamentInformationStatus.SENT:
        raise TransitionNotAllowed(ERR_ALREADY_SENT)
    errors: dict[str, list[str]] = {}
    if sent_on is None:
        errors["sent_on"] = [str(ERR_SENT_ON_REQUIRED)]
    elif sent_on < flag.decided_on:
        errors["sent_on"] = [str(ERR_SENT_BEFORE_DECISION)]
    elif sent_on > timezone.localdate():
        errors["sent_on"] = [str(ERR_SENT_IN_FUTURE)]
    if not reference.strip():
        errors["reference"] = [str(ERR_REFERENCE_REQUIRED)]
    if errors:
        raise DomainValidationError(next(iter(errors.values()))[0], field_errors=errors)
    flag.status = ParliamentInformationStatus.SENT
    flag.sent_on = sent_on
    flag.sent_reference = " ".join(reference.split())
    flag.sent_by = actor
    flag.version += 1
    flag._change_reason = "letter to parliament sent"  # type: ignore[attr-defined]
    flag.save(update_fields=["status", "sent_on", "sent_reference", "sent_by", "version"])
    record(
        actor=actor,
        verb=Verb.PARLIAMENT_INFORMATION_SENT,
        target=flag.application,
        payload={"sent_on": sent_on, "reference": flag.sent_reference, "due_on": flag.due_on},
    )
    return flag
