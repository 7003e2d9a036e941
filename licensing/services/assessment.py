"""The criteria assessment of a case and the policy adviser's advice on it.

Council Common Position 2008/944/CFSP Art. 2 (as amended by Decision (CFSP) 2019/1560): each decision rests
on the eight criteria; 1–4 "shall deny", 5–8 "take into account". The rules per verdict are in
licensing/assessment_rules.py. Four eyes (licensing/decision_gate.py): concerns on any criterion, or a flag of
the automatic checks that is open or confirmed, make an approval need a senior officer's countersignature.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any

from django.db import transaction
from django.utils import timezone

from audit.models import Verb
from audit.services import record
from core.access import can, require_officer
from core.exceptions import DomainValidationError, NotAllowed, StaleVersion, TransitionNotAllowed
from core.i18n import gettext_lazy
from core.notifications import notice, notify

from ..assessment_rules import (
    CriterionVerdict,
    parse_sub_criteria,
    verdict_problems,
)
from ..models import OPEN_STATUSES, Application, Criterion
from ..models.assessment import (
    Advice,
    AdviceRequest,
    AdviceStatus,
    CriterionAssessment,
)
from .checks import require_open
from .workflow import lock_application

ERR_CASE_CLOSED = gettext_lazy("This case is {status}; its criteria can no longer be assessed.")
ERR_NO_VERDICTS = gettext_lazy("Assess at least one criterion.")
ERR_STALE_ASSESSMENT = gettext_lazy(
    "Someone else changed the assessment of criterion {n} while you were editing. Reload the page."
)
ERR_NOT_ADVISER = gettext_lazy("Advice can only be asked of a policy adviser.")
ERR_QUESTION_REQUIRED = gettext_lazy("Write the question for the adviser.")
ERR_NOT_YOUR_REQUEST = gettext_lazy("This advice request is addressed to another adviser.")
ERR_ADVICE_GIVEN = gettext_lazy("Advice on this request was already given; the officer can ask again.")
ERR_ADVICE_EMPTY = gettext_lazy("Give advice on at least one criterion, or an overall advice.")
ERR_ADVICE_MISSING = gettext_lazy("The officer asked about criterion {n}: give your view on it.")


def _field_errors(verdicts: Sequence[CriterionVerdict]) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    for verdict in verdicts:
        for field, messages in verdict_problems(verdict).items():
            errors[f"{verdict.criterion}-{field}"] = messages
    return errors


@transaction.atomic(durable=True)
def criteria_assess(
    *,
    actor: Any,
    application_id: int,
    verdicts: Sequence[CriterionVerdict],
    expected_versions: dict[int, int] | None = None,
) -> list[CriterionAssessment]:
    """Save the officer's verdicts on one or more criteria; unchanged verdicts are left as they are.

    Field errors are keyed "<criterion>-<field>", e.g. "2-outcome", so the form can show them in place.
    """
    require_officer(actor)
    if not verdicts:
        raise DomainValidationError(ERR_NO_VERDICTS)
    errors = _field_errors(verdicts)
    if errors:
        raise DomainValidationError(next(iter(errors.values()))[0], field_errors=errors)
    # Lock the case: two officers saving the same criterion at once would otherwise both create its first row.
    application = lock_application(pk=application_id)
    if application.status not in OPEN_STATUSES:
        status = application.get_status_display().lower()  # type: ignore[attr-defined]
        raise TransitionNotAllowed(ERR_CASE_CLOSED.format(status=status))
    existing = {a.criterion_id: a for a in CriterionAssessment.objects.filter(application=application)}
    now = timezone.now()
    saved, changes = [], []
    for verdict in verdicts:
        sub_criteria = ", ".join(parse_sub_criteria(verdict.criterion, verdict.sub_criteria))
        values = {
            "outcome": verdict.outcome,
            "justification": verdict.justification.strip(),
            "sub_criteria": sub_criteria,
        }
        current = existing.get(verdict.criterion)
        expected = (expected_versions or {}).get(verdict.criterion)
        if current is not None and expected is not None and current.version != expected:
            raise StaleVersion(ERR_STALE_ASSESSMENT.format(n=verdict.criterion))
        if current is not None and all(getattr(current, k) == v for k, v in values.items()):
            saved.append(current)
            continue
        if current is None:
            current = CriterionAssessment(application=application, criterion_id=verdict.criterion, version=0)
        for name, value in values.items():
            setattr(current, name, value)
        current.assessor, current.assessed_at, current.version = actor, now, current.version + 1
        current._change_reason = values["justification"][:100] or "no concerns"  # type: ignore[attr-defined]
        current.save()
        saved.append(current)
        changes.append({"criterion": verdict.criterion, **values, "version": current.version})
    if changes:
        record(actor=actor, verb=Verb.CRITERION_ASSESSED, target=application, payload={"criteria": changes})
    return saved


@transaction.atomic(durable=True)
def advice_request(
    *,
    actor: Any,
    application_id: int,
    adviser: Any,
    question: str,
    criteria: Sequence[int] = (),
    respond_by: date | None = None,
) -> AdviceRequest:
    require_officer(actor)
    if adviser is None or not can(adviser, "casework.advise"):
        raise DomainValidationError(ERR_NOT_ADVISER, field_errors={"adviser": [ERR_NOT_ADVISER]})
    if not question.strip():
        raise DomainValidationError(ERR_QUESTION_REQUIRED, field_errors={"question": [ERR_QUESTION_REQUIRED]})
    application = Application.objects.get(pk=application_id)
    require_open(application)
    request = AdviceRequest(
        application=application,
        adviser=adviser,
        requested_by=actor,
        question=question.strip(),
        requested_at=timezone.now(),
        respond_by=respond_by,
    )
    request._change_reason = "advice requested"  # type: ignore[attr-defined]
    request.save()
    request.criteria.set(Criterion.objects.filter(number__in=criteria))
    record(
        actor=actor,
        verb=Verb.ADVICE_REQUESTED,
        target=application,
        payload={"request": request.pk, "adviser": adviser.pk, "criteria": sorted(criteria)},
    )
    notify(
        users=[adviser],
        title=notice(gettext_lazy("{reference}: advice requested"), reference=application.reference),
        body=question.strip()[:500],
        link=f"/casework/advice/{request.pk}/",
        key=f"advice-request:{request.pk}",
    )
    return request


@transaction.atomic(durable=True)
def advice_give(
    *, actor: Any, request_id: int, verdicts: Sequence[CriterionVerdict], summary: str = ""
) -> AdviceRequest:
    """The adviser answers; their view per criterion is shown to the officer next to the assessment."""
    if not can(actor, "casework.advise"):
        raise NotAllowed(ERR_NOT_ADVISER)
    # Lock the request: a double submit must not record the advice twice.
    request = AdviceRequest.objects.select_for_update().select_related("application").get(pk=request_id)
    if request.adviser_id != actor.pk:
        raise NotAllowed(ERR_NOT_YOUR_REQUEST)
    if request.status != AdviceStatus.OPEN:
        raise TransitionNotAllowed(ERR_ADVICE_GIVEN)
    errors = _field_errors(verdicts)
    given = {v.criterion for v in verdicts}
    for number in request.criteria.values_list("number", flat=True):
        if number not in given:
            errors.setdefault(f"{number}-outcome", [ERR_ADVICE_MISSING.format(n=number)])
    if not verdicts and not summary.strip():
        errors["summary"] = [ERR_ADVICE_EMPTY]
    if errors:
        raise DomainValidationError(next(iter(errors.values()))[0], field_errors=errors)
    now = timezone.now()
    Advice.objects.bulk_create(
        [
            Advice(
                request=request,
                criterion_id=v.criterion,
                outcome=v.outcome,
                text=v.justification.strip(),
                given_by=actor,
                given_at=now,
            )
            for v in verdicts
        ]
    )
    request.status, request.summary, request.answered_at = AdviceStatus.ANSWERED, summary.strip(), now
    request._change_reason = "advice given"  # type: ignore[attr-defined]
    request.save(update_fields=["status", "summary", "answered_at"])
    record(
        actor=actor,
        verb=Verb.ADVICE_GIVEN,
        target=request.application,
        payload={"request": request.pk, "advice": {v.criterion: v.outcome for v in verdicts}},
    )
    notify(
        users=[request.requested_by],
        title=notice(gettext_lazy("{reference}: advice given"), reference=request.application.reference),
        body=summary.strip()[:500],
        link=f"/casework/cases/{request.application_id}/assessment/",
        key=f"advice-given:{request.pk}",
    )
    return request
