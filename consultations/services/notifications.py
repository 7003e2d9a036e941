"""Treaty notifications: record incoming and outgoing ones with their objection deadline, assign, close.

Source: Agreement on Export Controls in the Field of Defence (Paris, 2021-09-17), emergency brake: a party that
opposes an export to a third country informs the other parties concerned "at the latest within two months" of
becoming aware of the export project. The deadline is computed by consultations.deadlines (calendar months,
end-of-month rule, no Atw extension) with the objection period in force on the day of becoming aware, and stored
with the rule that produced it.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.db import transaction
from django.utils import timezone

from audit.models import Verb
from audit.services import record
from core.access import can
from core.exceptions import DomainValidationError, TransitionNotAllowed
from core.i18n import gettext_lazy
from core.notifications import notice, notify
from licensing.models import Application
from licensing.models.treaty import TreatyParameterName
from licensing.services.treaty_parameters import parameter_on
from parties.memberships import is_member
from parties.models import HOME_STATE, Bloc, Country

from ..deadlines import objection_deadline
from ..models.treaty import (
    NotificationDirection,
    NotificationStatus,
    NotificationSubject,
    Programme,
    ProgrammeKind,
    TreatyNotification,
)
from .brake import brake_window_open
from .common import bump, field_error, lock_notification, notification_link, require_officer

ERR_AWARE_FUTURE = gettext_lazy("The date of becoming aware cannot be in the future.")
ERR_COUNTERPART_NOT_PARTY = gettext_lazy(
    "{country} is not a treaty party on {day}, so the emergency brake does not apply."
)
ERR_COUNTERPART_HOME = gettext_lazy("Choose another treaty party: the Netherlands is the home state.")
ERR_THIRD_COUNTRY = gettext_lazy("The destination must be a third country; {country} is a treaty party on {day}.")
ERR_NO_COUNTERPARTS = gettext_lazy("Choose at least one party concerned.")
ERR_SUBJECT_REQUIRED = gettext_lazy("Describe the export project.")
ERR_ASSIGNEE = gettext_lazy("Notifications can only be assigned to licensing officers.")
ERR_CLOSE_REASON = gettext_lazy("Say why the notification is closed: it is recorded in its history.")
ERR_CLOSE_STATUS = gettext_lazy(
    "This notification is {status}; only a notification with a running objection period can be closed."
)
ERR_HOME_NOT_PARTY = gettext_lazy(
    "The Netherlands is not a treaty party on {day}, so the emergency brake does not apply to it on that date."
)
ERR_SCOPE = gettext_lazy(
    "State what the brake covers: a product of a programme or recognised cooperation project, or a system with "
    "the other party's content."
)
ERR_PROGRAMME_REQUIRED = gettext_lazy("Choose the programme or recognised cooperation project.")
ERR_PROJECT_NOT_RECOGNISED = gettext_lazy(
    "{name} is not a recognised cooperation project on {day}: the brake covers only recognised projects."
)
ERR_DUPLICATE_OUTGOING = gettext_lazy("{country} has already been notified of this export on this case.")

DEADLINE_RULE = (
    "Treaty emergency brake: an objection is made at the latest within {months} calendar months of becoming aware "
    "of the export project. {aware} + {months} months = {deadline}: the same day number {months} months on, or the "
    "last day of that month if it is shorter. The deadline day itself is still in time. It is a treaty deadline, "
    "not a Dutch statutory term, so the Algemene termijnenwet does not move it off a weekend or holiday."
)


def deadline_rule_text(*, aware_on: date, months: int, deadline: date) -> str:
    return DEADLINE_RULE.format(
        months=months, aware=aware_on.isoformat(), deadline=f"{deadline.isoformat()} ({deadline:%A})"
    )


# The brake's scope by direction (treaty Art. 1 programmes, Art. 2 recognised cooperation projects, and exports
# of systems with another party's content): incoming, another party exports a programme product or a system with
# Dutch content; outgoing, we export a programme product or a system with the notified party's content.
SCOPES = {
    NotificationDirection.INCOMING: (NotificationSubject.PROGRAMME_PRODUCT, NotificationSubject.HOME_STATE_CONTENT),
    NotificationDirection.OUTGOING: (NotificationSubject.PROGRAMME_PRODUCT, NotificationSubject.OTHER_PARTY_CONTENT),
}


def _validate_scope(*, direction: str, subject_kind: str, programme_id: int | None, on: date) -> dict[str, list[str]]:
    """The brake's scope must be stated, and a programme product names its programme or recognised project."""
    if subject_kind not in SCOPES[NotificationDirection(direction)]:
        return {"subject_kind": [ERR_SCOPE]}
    if subject_kind != NotificationSubject.PROGRAMME_PRODUCT:
        return {}
    programme = Programme.objects.filter(pk=programme_id).first() if programme_id else None
    if programme is None:
        return {"programme": [ERR_PROGRAMME_REQUIRED]}
    if programme.kind == ProgrammeKind.INDUSTRIAL_COOPERATION and (
        programme.recognised_on is None or programme.recognised_on > on
    ):
        return {"programme": [ERR_PROJECT_NOT_RECOGNISED.format(name=programme.name, day=on.isoformat())]}
    return {}


def _validate_states(*, counterpart_id: str, third_country_id: str, on: date, today: date) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    if on > today:
        errors["received_on"] = [ERR_AWARE_FUTURE]
        return errors
    # The home state itself must be a treaty party on the date (an acceding state: parties/memberships.py).
    if not is_member(HOME_STATE, Bloc.TREATY, on):
        errors["received_on"] = [ERR_HOME_NOT_PARTY.format(day=on.isoformat())]
    names = dict(Country.objects.filter(pk__in=[counterpart_id, third_country_id]).values_list("pk", "name_en"))
    if counterpart_id == HOME_STATE:
        errors["counterpart"] = [ERR_COUNTERPART_HOME]
    elif not is_member(counterpart_id, Bloc.TREATY, on):
        errors["counterpart"] = [
            ERR_COUNTERPART_NOT_PARTY.format(country=names.get(counterpart_id, counterpart_id), day=on.isoformat())
        ]
    # "Third country": outside the treaty's parties on that day (the home state included).
    if third_country_id == HOME_STATE or is_member(third_country_id, Bloc.TREATY, on):
        errors["third_country"] = [
            ERR_THIRD_COUNTRY.format(country=names.get(third_country_id, third_country_id), day=on.isoformat())
        ]
    return errors


def _create(
    *,
    actor: Any,
    direction: str,
    counterpart_id: str,
    subject_kind: str,
    subject: str,
    third_country_id: str,
    received_on: date,
    programme: Programme | None,
    their_reference: str,
    assignee: Any | None,
    application: Application | None,
    notes: str,
) -> TreatyNotification:
    months = parameter_on(TreatyParameterName.OBJECTION_PERIOD_MONTHS, received_on).as_int
    deadline = objection_deadline(received_on, months)
    notification = TreatyNotification(
        direction=direction,
        counterpart_id=counterpart_id,
        subject_kind=subject_kind,
        subject=subject.strip(),
        their_reference=their_reference.strip(),
        programme=programme,
        third_country_id=third_country_id,
        received_on=received_on,
        objection_period_months=months,
        objection_deadline=deadline,
        deadline_rule=deadline_rule_text(aware_on=received_on, months=months, deadline=deadline),
        assignee=assignee,
        application=application,
        notes=notes.strip(),
        recorded_by=actor,
    )
    notification.full_clean()
    notification._change_reason = "notification recorded"  # type: ignore[attr-defined]
    notification.save()
    record(
        actor=actor,
        verb=Verb.NOTIFICATION_RECORDED,
        target=notification,
        payload={
            "direction": direction,
            "counterpart": counterpart_id,
            "third_country": third_country_id,
            "received_on": received_on,
            "objection_period_months": months,
            "objection_deadline": deadline,
            "application": application.reference if application else None,
        },
    )
    return notification


@transaction.atomic(durable=True)
def notification_record_incoming(
    *,
    actor: Any,
    counterpart_id: str,
    subject_kind: str,
    subject: str,
    third_country_id: str,
    received_on: date,
    programme_id: int | None = None,
    their_reference: str = "",
    assignee: Any | None = None,
    application_id: int | None = None,
    notes: str = "",
) -> TreatyNotification:
    """Another party notifies an export to a third country; our objection deadline runs from `received_on`."""
    require_officer(actor)
    today = timezone.localdate()
    errors = _validate_states(
        counterpart_id=counterpart_id, third_country_id=third_country_id, on=received_on, today=today
    )
    if not subject.strip():
        errors["subject"] = [ERR_SUBJECT_REQUIRED]
    errors.update(
        _validate_scope(
            direction=NotificationDirection.INCOMING,
            subject_kind=subject_kind,
            programme_id=programme_id,
            on=received_on,
        )
    )
    if assignee is not None and not can(assignee, "consultations.use"):
        errors["assignee"] = [ERR_ASSIGNEE]
    if errors:
        raise DomainValidationError(next(iter(errors.values()))[0], field_errors=errors)
    notification = _create(
        actor=actor,
        direction=NotificationDirection.INCOMING,
        counterpart_id=counterpart_id,
        subject_kind=subject_kind,
        subject=subject,
        third_country_id=third_country_id,
        received_on=received_on,
        programme=Programme.objects.get(pk=programme_id) if programme_id else None,
        their_reference=their_reference,
        assignee=assignee,
        application=Application.objects.get(pk=application_id) if application_id else None,
        notes=notes,
    )
    if assignee is not None and assignee != actor:
        _assignee_notify(notification=notification, assignee=assignee)
    return notification


@transaction.atomic(durable=True)
def notification_record_outgoing(
    *,
    actor: Any,
    application_id: int,
    counterpart_ids: list[str],
    subject_kind: str,
    subject: str,
    third_country_id: str,
    received_on: date,
    programme_id: int | None = None,
    their_reference: str = "",
    notes: str = "",
) -> list[TreatyNotification]:
    """We notified each party concerned of a Dutch export with their content; each party's window runs from the
    day it received the notification."""
    require_officer(actor)
    # Lock the case: two officers recording the same parties at once would otherwise both pass the duplicate check.
    application = Application.objects.select_for_update().get(pk=application_id)
    today = timezone.localdate()
    if not counterpart_ids:
        raise field_error("counterparts", ERR_NO_COUNTERPARTS)
    if not subject.strip():
        raise field_error("subject", ERR_SUBJECT_REQUIRED)
    scope_errors = _validate_scope(
        direction=NotificationDirection.OUTGOING, subject_kind=subject_kind, programme_id=programme_id, on=received_on
    )
    if scope_errors:
        raise DomainValidationError(next(iter(scope_errors.values()))[0], field_errors=scope_errors)
    already = set(
        TreatyNotification.objects.filter(
            application=application, direction=NotificationDirection.OUTGOING, counterpart_id__in=counterpart_ids
        ).values_list("counterpart_id", flat=True)
    )
    if already:
        raise field_error("counterparts", ERR_DUPLICATE_OUTGOING.format(country=", ".join(sorted(already))))
    created = []
    for counterpart_id in counterpart_ids:
        errors = _validate_states(
            counterpart_id=counterpart_id, third_country_id=third_country_id, on=received_on, today=today
        )
        if errors:
            if "counterpart" in errors:
                errors["counterparts"] = errors.pop("counterpart")
            raise DomainValidationError(next(iter(errors.values()))[0], field_errors=errors)
        notification = _create(
            actor=actor,
            direction=NotificationDirection.OUTGOING,
            counterpart_id=counterpart_id,
            subject_kind=subject_kind,
            subject=subject,
            third_country_id=third_country_id,
            received_on=received_on,
            programme=Programme.objects.get(pk=programme_id) if programme_id else None,
            their_reference=their_reference,
            assignee=application.assigned_to,
            application=application,
            notes=notes,
        )
        # Each notified party's window holds the decision on this export until it closes (services/brake.py).
        brake_window_open(actor=actor, notification=notification)
        created.append(notification)
    return created


@transaction.atomic(durable=True)
def notification_assign(
    *, actor: Any, notification_id: int, assignee: Any | None, expected_version: int | None = None
) -> TreatyNotification:
    require_officer(actor)
    if assignee is not None and not can(assignee, "consultations.use"):
        raise field_error("assignee", ERR_ASSIGNEE)
    notification = lock_notification(pk=notification_id, expected_version=expected_version)
    previous = notification.assignee_id
    notification.assignee = assignee
    bump(notification, "assignee", reason="assigned")
    record(
        actor=actor,
        verb=Verb.NOTIFICATION_ASSIGNED,
        target=notification,
        payload={"from": previous, "to": assignee.pk if assignee else None},
    )
    if assignee is not None and assignee != actor:
        _assignee_notify(notification=notification, assignee=assignee)
    return notification


@transaction.atomic(durable=True)
def notification_close(
    *, actor: Any, notification_id: int, reason: str, expected_version: int | None = None
) -> TreatyNotification:
    """Close a notification whose objection period is running, e.g. after deciding not to object."""
    require_officer(actor)
    if not reason.strip():
        raise field_error("reason", ERR_CLOSE_REASON)
    notification = lock_notification(pk=notification_id, expected_version=expected_version)
    if notification.status != NotificationStatus.OPEN:
        raise TransitionNotAllowed(
            ERR_CLOSE_STATUS.format(status=NotificationStatus(notification.status).label.lower())
        )
    notification.status = NotificationStatus.CLOSED
    bump(notification, "status", reason=reason.strip())
    record(actor=actor, verb=Verb.NOTIFICATION_CLOSED, target=notification, reason=reason.strip())
    return notification


def _assignee_notify(*, notification: TreatyNotification, assignee: Any) -> None:
    notify(
        users=[assignee],
        title=notice(
            gettext_lazy("Treaty notification from {party} assigned to you"), party=notification.counterpart_id
        ),
        body=notice(
            gettext_lazy("{subject}. Objection deadline {day}."),
            subject=notification.subject,
            day=notification.objection_deadline,
        ),
        link=notification_link(notification.pk),
        key=f"treaty-assign:{notification.pk}:{notification.version}",
    )
