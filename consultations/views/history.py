"""A notification's audit events as a readable timeline: who did what, when, and the detail that matters."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.utils.translation import gettext as _

from audit.models import AuditEvent, Verb
from licensing.models.consultation import ConsultationOutcome
from licensing.models.treaty import TreatyRefusalGround


def _label(choices: Any, value: Any) -> str:
    try:
        return str(choices(value).label)
    except ValueError:
        return str(value)


def _detail(event: AuditEvent) -> str:
    p = event.payload or {}
    verb = event.verb
    if verb == Verb.NOTIFICATION_RECORDED:
        return _("Aware on %(aware)s; objection deadline %(deadline)s (%(months)s calendar months).") % {
            "aware": p.get("received_on"),
            "deadline": p.get("objection_deadline"),
            "months": p.get("objection_period_months"),
        }
    if verb in (Verb.OBJECTION_PROPOSED, Verb.OBJECTION_RECEIVED):
        return _("Ground: %(ground)s.") % {"ground": _label(TreatyRefusalGround, p.get("ground"))}
    if verb == Verb.OBJECTION_SENT:
        return _("Sent on %(day)s (deadline %(deadline)s).") % {"day": p.get("sent_on"), "deadline": p.get("deadline")}
    if verb == Verb.CONSULTATION_OPENED:
        return _("High-level consultation opened on %(day)s.") % {"day": p.get("opened_on")}
    if verb == Verb.CONSULTATION_MEETING_RECORDED:
        alternatives = _("alternatives proposed") if p.get("alternatives_proposed") else _("no alternatives recorded")
        return _("Meeting on %(day)s; %(alternatives)s.") % {"day": p.get("held_on"), "alternatives": alternatives}
    if verb == Verb.CONSULTATION_CONCLUDED:
        return _("Outcome: %(outcome)s, on %(day)s, after %(days)s day(s).") % {
            "outcome": _label(ConsultationOutcome, p.get("outcome")),
            "day": p.get("concluded_on"),
            "days": p.get("duration_days"),
        }
    if verb in (Verb.REMINDER_SENT, Verb.REMINDER_ESCALATED):
        text = _("Reminder: %(days)s day(s) left.") % {"days": p.get("days_left")}
        return f"{text} {_('Escalated to the senior officers.')}" if p.get("escalated") else text
    if verb == Verb.NO_OBJECTION_RECORDED:
        return _("Deadline %(deadline)s passed.") % {"deadline": p.get("deadline")}
    return ""


def history_entries(events: Iterable[AuditEvent]) -> list[dict[str, Any]]:
    return [
        {
            "at": event.occurred_at,
            "who": event.actor_label,
            "system": event.actor_id is None,
            "what": _label(Verb, event.verb),
            "detail": _detail(event),
            "reason": event.reason,
        }
        for event in events
    ]
