"""The Awb 4:14(3) notice of delay: when a case will not be decided within the legal term, the exporter is told
why and by when the decision is now expected. The register prompts the officer from DELAY_NOTICE_PROMPT_DAYS
before the term ends (and the reminder sweep reminds them), and records each notice.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.formats import date_format

from audit.models import Verb
from audit.services import record
from core.access import can
from core.exceptions import DomainValidationError, NotAllowed, TransitionNotAllowed
from core.i18n import gettext_lazy
from core.notifications import notify
from core.workdays import awb_suspended_days

from ..models import OPEN_STATUSES, Application, InformationRequest
from ..models.awb import DelayNotice
from .clock import recompute_deadlines
from .workflow import lock_application

# National working practice: prompt two weeks (calendar days) before the legal term ends.
DELAY_NOTICE_PROMPT_DAYS = 14

ERR_NOT_OFFICER = gettext_lazy("Only a licensing officer sends a notice of delay.")
ERR_NOT_OPEN = gettext_lazy("Only an open case can be delayed.")
ERR_REASON = gettext_lazy("Tell the exporter why the decision takes longer.")
ERR_NEW_DATE = gettext_lazy("The new date must be after the legal decision term ({deadline}) and after today.")


def delay_notice_due(application: Application, *, today: date, notices: list[DelayNotice]) -> bool:
    """Whether the officer is prompted: an open case whose legal term ends within the prompt window (or has passed)
    and that has no notice for the present term yet."""
    if application.status not in OPEN_STATUSES or application.legal_deadline is None:
        return False
    if any(n.legal_deadline == application.legal_deadline for n in notices):
        return False
    return application.legal_deadline - timedelta(days=DELAY_NOTICE_PROMPT_DAYS) <= today


@transaction.atomic(durable=True)
def delay_notice_send(
    *, actor: Any, application_id: int, new_expected_on: date, reason: str, expected_version: int | None = None
) -> DelayNotice:
    """Record and send an Awb 4:14(3) notice: the reason and the new expected date, to the exporter's users."""
    if not can(actor, "casework.use"):
        raise NotAllowed(ERR_NOT_OFFICER)
    # Row lock: a notice and a decision on the same case are serialised, so no notice follows a decision.
    application = lock_application(pk=application_id, expected_version=expected_version)
    if application.status not in OPEN_STATUSES or application.legal_deadline is None:
        raise TransitionNotAllowed(ERR_NOT_OPEN)
    today = timezone.localdate()
    errors: dict[str, list[str]] = {}
    if not reason.strip():
        errors["reason"] = [ERR_REASON]
    if new_expected_on <= max(today, application.legal_deadline):
        errors["new_expected_on"] = [ERR_NEW_DATE.format(deadline=date_format(application.legal_deadline))]
    if errors:
        raise DomainValidationError(next(iter(errors.values()))[0], field_errors=errors)
    notice = DelayNotice(
        application=application,
        sent_on=today,
        legal_deadline=application.legal_deadline,
        new_expected_on=new_expected_on,
        reason=reason.strip(),
        sent_by=actor,
    )
    notice._change_reason = "Awb 4:14(3) notice of delay"  # type: ignore[attr-defined]
    notice.save()
    record(
        actor=actor,
        verb=Verb.DELAY_NOTIFIED,
        target=application,
        reason=reason.strip(),
        payload={"legal_deadline": application.legal_deadline, "new_expected_on": new_expected_on},
    )
    notify(
        users=application.organisation.members.filter(is_active=True),
        title=f"{application.reference}: the decision takes longer (Awb 4:14(3))",
        body=f"Expected by {new_expected_on.isoformat()}. {reason.strip()[:400]}",
        link=f"/portal/applications/{application.pk}/",
        key=f"delay:{notice.pk}",
    )
    return notice


@dataclass
class LapseResult:
    lapsed: int = 0
    days_added: int = 0


def information_terms_lapse(*, today: date | None = None) -> LapseResult:
    """Refresh the legal term of every case whose request for information went unanswered past its answer-by date.

    Awb 4:15(1)(a): the term is suspended from the day after the request "tot de dag waarop de aanvraag is
    aangevuld of de daarvoor gestelde termijn ongebruikt is verstreken". The answer-by term runs to the end of
    `respond_by`, so from the day after it the suspension is over: its days (core.workdays.awb_suspended_days:
    from the day after the request up to, not including, the day after `respond_by`) are added to the case and
    its stored legal deadline is computed again then, not only when an answer comes. The beat sweep runs this
    hourly; each request is claimed once (its `suspension_counted_days` is set in the same transaction).
    """
    today = today or timezone.localdate()
    result = LapseResult()
    due = list(
        InformationRequest.objects.filter(
            answered_at__isnull=True, suspension_counted_days__isnull=True, respond_by__lt=today
        )
        .order_by("respond_by", "pk")
        .values_list("pk", flat=True)
    )
    for request_id in due:
        days = _information_term_lapse(request_id=request_id, today=today)
        if days is not None:
            result.lapsed += 1
            result.days_added += days
    return result


@transaction.atomic(durable=True)
def _information_term_lapse(*, request_id: int, today: date) -> int | None:
    application_id = InformationRequest.objects.values_list("application_id", flat=True).get(pk=request_id)
    application = lock_application(pk=application_id)  # the case first, as information_provide does
    request = InformationRequest.objects.select_for_update().get(pk=request_id)
    if request.answered_at is not None or request.suspension_counted_days is not None or request.respond_by >= today:
        return None  # answered or counted meanwhile
    days = awb_suspended_days(request.requested_on, request.respond_by, None)
    request.suspension_counted_days = days
    request._change_reason = "answer-by term passed unused"  # type: ignore[attr-defined]
    request.save(update_fields=["suspension_counted_days"])
    before = application.legal_deadline
    application.suspended_days += days
    recompute_deadlines(application)
    application.version += 1
    application._change_reason = "answer-by term passed unused: the Awb term runs again"  # type: ignore[attr-defined]
    application.save(update_fields=["suspended_days", "legal_deadline", "target_date", "version"])
    record(
        actor=None,
        verb=Verb.INFORMATION_TERM_LAPSED,
        target=application,
        payload={
            "information_request": request.pk,
            "respond_by": request.respond_by,
            "suspended_days": days,
            "legal_deadline_before": before,
            "legal_deadline": application.legal_deadline,
        },
    )
    return days
