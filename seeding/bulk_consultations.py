"""Consultations, denial notifications and treaty notifications for the bulk register of seeding/bulk_licensing.py,
and a large set of open treaty notifications with running objection deadlines, for the deadline sweep benchmark.

For the applications BULK-<seed>-<n> already in the database:
- an open Art. 4 consultation (with the incoming denial and the confirmed match behind it) for every case in
  CONSULTATION_PENDING, and a concluded one for a few percent of the decided cases;
- the outgoing denial notifications of every refused case (one per ML category, as licensing/services/denials.py),
  and unmatched incoming denials from other Member States;
- outgoing treaty notifications for a few exports with another party's content to a third country, and incoming
  ones from the other parties, with their reminders, objections and high-level consultations.
Then `open_notifications` treaty notifications BULK-<seed>-OPEN-<i> whose objection periods are running, spread
over the next two months as they arrive, with the reminders the engine (core.reminders) sent before today, as the
hourly sweep would have done.

Reproducible and idempotent per seed: each application (and each open notification) draws from the same
`random.Random`, reseeded from (seed, n), so its rows do not depend on what else exists; every row carries a
"BULK-<seed>-..." reference with n in it, and an n that already has rows is skipped. Rows go in with bulk_create in
one transaction per batch, with history rows at the event's date (simple-history) and audit events
(audit.services.record_many). Deadlines and reminder points come from the treaty parameters in force on the day
of becoming aware (licensing.services.treaty_parameters.parameter_on semantics), the deadline from
consultations.deadlines.
"""

from __future__ import annotations

import functools
import random
import re
import time
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from datetime import time as clock
from typing import Any
from zoneinfo import ZoneInfo

from django.apps import apps as django_apps
from django.conf import settings
from django.contrib.auth.models import Group
from django.db import models, transaction
from django.utils import timezone

from audit.models import Verb
from audit.services import PendingEvent, record_many
from consultations.deadlines import objection_deadline
from consultations.models.treaty import (
    NotificationDirection,
    NotificationStatus,
    NotificationSubject,
    Objection,
    ObjectionStatus,
    Programme,
    ProgrammeKind,
    TreatyNotification,
)
from consultations.selectors import notification_counterparts_forget
from consultations.services.notifications import deadline_rule_text
from core.bulk import copy_insert
from core.models import DeadlineReminder, ReminderKind
from core.roles import Role
from core.signals import HISTORY_REASON_MAX
from licensing.assessment_rules import ART4_RESPONSE_PERIOD
from licensing.models import Application, ApplicationStatus, Criterion, Decision, GoodsLine, MLCategory, PartyRole
from licensing.models.application import ApplicationParty
from licensing.models.consultation import Consultation, ConsultationKind, ConsultationOutcome, ConsultationStatus
from licensing.models.denials import (
    DenialDirection,
    DenialMatch,
    DenialNotification,
    DenialSource,
    MatchDecision,
)
from licensing.models.treaty import TreatyParameter, TreatyParameterName, TreatyRefusalGround
from parties.models import HOME_STATE, Bloc, Country, Membership, User

BATCH = 5000
# Shares of the bulk applications (national practice is not published; orders of magnitude from the domain notes:
# a few hundred EU denials a year against ~14,000 Dutch licences, a few percent treaty-relevant exports).
ART4_SHARE_OF_DECIDED = 0.03
INCOMING_DENIAL_SHARE = 0.02
OUTGOING_TREATY_SHARE = 0.03
INCOMING_TREATY_SHARE = 0.005
OPEN_OUTGOING_SHARE = 0.2
OPEN_UNASSIGNED_SHARE = 0.15
OPEN_PROPOSED_SHARE = 0.03
TREATY_OFFICERS = 12
TREATY_SENIORS = 3
# Written on every open notification: the bench (bench/sweep.py) reads the seeding day from it.
SEED_NOTE = "Bulk seed {seed}: open on {day}."
SEED_NOTE_RE = re.compile(r"^Bulk seed (\d+): open on (\d{4}-\d{2}-\d{2})\.$")
SWEEP_TIME = clock(0, 10)
# Third countries that treaty notifications name (outside the treaty's parties).
THIRD_COUNTRIES: tuple[str, ...] = (
    "US",
    "GB",
    "NO",
    "CA",
    "AU",
    "JP",
    "KR",
    "SG",
    "AE",
    "QA",
    "IN",
    "BR",
    "ID",
    "SA",
)  # the hourly sweep's first run of the day (config/celery.py: minute=10)


@dataclass
class _World:
    seed: int
    today: date
    zone: ZoneInfo
    officers: list[User]
    seniors: list[User]
    memberships: dict[str, list[tuple[str, date, date | None]]]
    parameters: dict[str, list[TreatyParameter]]
    destinations: list[str]
    ml: list[str]
    criteria: dict[int, Criterion]
    programmes: list[Programme]
    names: dict[str, str]

    def members(self, bloc: str, on: date) -> list[str]:
        return sorted(c for c, since, until in self.memberships[bloc] if since <= on and (until is None or until >= on))

    def parameter(self, name: str, on: date) -> TreatyParameter:
        """As licensing.services.treaty_parameters.parameter_on (the latest start on or before `on`), no query."""
        for row in self.parameters[name]:  # newest first
            if row.valid_from <= on and (row.valid_until is None or row.valid_until >= on):
                return row
        raise RuntimeError(f"Treaty parameter {name} missing on {on}: run `manage.py load_treaty_parameters`.")

    def at(self, day: date, hour: int = 9, minute: int = 0) -> datetime:
        return datetime.combine(day, clock(hour, minute), tzinfo=self.zone)


@dataclass
class _App:
    pk: int
    n: int
    reference: str
    status: str
    destination_id: str | None
    assigned_to_id: int | None
    received_on: date | None
    decided_at: datetime | None
    goods: list[tuple[str, str, str]] = field(default_factory=list)  # (ml, description, quantity with unit)
    consignees: list[str] = field(default_factory=list)
    end_users: list[str] = field(default_factory=list)
    decision: Decision | None = None
    criteria: list[int] = field(default_factory=list)
    art4: bool = False  # has an Art. 4 consultation (drawn first: only those cases need their goods read)


@dataclass
class _Event:
    at: datetime
    verb: Verb
    target: models.Model | tuple[str, str]
    actor: Any = None
    payload: Callable[[], dict[str, Any]] = dict
    reason: str = ""


@dataclass
class _Plan:
    """What one batch writes, in foreign-key order, with the history and audit trail of each row."""

    rows: dict[type[models.Model], list[models.Model]] = field(default_factory=lambda: defaultdict(list))
    # Rows whose history starts in another state: (row, fields as first recorded).
    opened_as: list[tuple[models.Model, dict[str, Any], datetime, str]] = field(default_factory=list)
    criteria: list[tuple[DenialNotification, list[int]]] = field(default_factory=list)
    events: list[_Event] = field(default_factory=list)

    def add(self, obj: models.Model, *, at: datetime, reason: str, user: Any = None) -> None:
        obj._history_date = at  # type: ignore[attr-defined]
        obj._change_reason = reason  # type: ignore[attr-defined]
        obj._history_user = user  # type: ignore[attr-defined]
        self.rows[type(obj)].append(obj)

    def event(self, at: datetime, verb: Verb, target: models.Model | tuple[str, str], **kwargs: Any) -> None:
        self.events.append(_Event(at=at, verb=verb, target=target, **kwargs))


WRITE_ORDER: tuple[type[models.Model], ...] = (
    Consultation,
    DenialNotification,
    DenialMatch,
    TreatyNotification,
    Objection,
    DeadlineReminder,
)


def _seeded(rng: random.Random, seed: int, n: int, salt: int) -> random.Random:
    rng.seed((seed << 40) ^ (n << 3) ^ salt)
    return rng


def _user(username: str, role: Role, **extra: Any) -> User:
    user, created = User.objects.get_or_create(
        username=username, defaults={"email": f"{username}@bulk.invalid", "is_staff": True, **extra}
    )
    if created:
        user.groups.add(Group.objects.get_or_create(name=role.value)[0])
    return user


def _world(seed: int) -> _World:
    memberships: dict[str, list[tuple[str, date, date | None]]] = defaultdict(list)
    for country, bloc, since, until in Membership.objects.filter(bloc__in=[Bloc.EU, Bloc.TREATY]).values_list(
        "country_id", "bloc", "since", "until"
    ):
        memberships[bloc].append((country, since, until))
    parameters: dict[str, list[TreatyParameter]] = defaultdict(list)
    for row in TreatyParameter.objects.order_by("name", "-valid_from"):
        parameters[row.name].append(row)
    if not memberships[Bloc.TREATY] or not parameters:
        raise RuntimeError("Reference data missing: run `manage.py load_reference_data` and load_treaty_parameters.")
    officers = [
        _user(f"bulk-{seed}-treaty-officer-{i}", Role.OFFICER, first_name="Treaty", last_name=f"Officer {i}")
        for i in range(1, TREATY_OFFICERS + 1)
    ]
    seniors = [
        _user(f"bulk-{seed}-treaty-senior-{i}", Role.SENIOR_OFFICER, first_name="Senior", last_name=f"Officer {i}")
        for i in range(1, TREATY_SENIORS + 1)
    ]
    programmes = []
    for i, (name, kind) in enumerate(
        [
            (f"Bulk {seed}: combat aircraft programme", ProgrammeKind.INTERGOVERNMENTAL),
            (f"Bulk {seed}: main battle tank programme", ProgrammeKind.INTERGOVERNMENTAL),
            (f"Bulk {seed}: naval radar cooperation", ProgrammeKind.INDUSTRIAL_COOPERATION),
            (f"Bulk {seed}: helicopter support project", ProgrammeKind.INDUSTRIAL_COOPERATION),
        ]
    ):
        programme, created = Programme.objects.get_or_create(
            name=name, defaults={"kind": kind, "recognised_on": date(2022, 1, 1) + timedelta(days=90 * i)}
        )
        if created:
            programme.participants.set(list(Country.objects.filter(pk__in=["DE", "FR", "ES"])))
        programmes.append(programme)
    names = dict(Country.objects.values_list("iso2", "name_en"))
    destinations = [c for c in THIRD_COUNTRIES if c in names]
    return _World(
        seed=seed,
        today=timezone.localdate(),
        zone=ZoneInfo(settings.TIME_ZONE),
        officers=officers,
        seniors=seniors,
        memberships=memberships,
        parameters=parameters,
        destinations=destinations,
        ml=list(MLCategory.objects.order_by("code").values_list("code", flat=True)),
        criteria={c.number: c for c in Criterion.objects.all()},
        programmes=programmes,
        names=names,
    )


# --- Treaty notifications -----------------------------------------------------------------------------------


def _notification(
    rng: random.Random,
    world: _World,
    plan: _Plan,
    *,
    their_reference: str,
    direction: str,
    received_on: date,
    as_of: date,
    application: _App | None = None,
    counterpart: str | None = None,
    notes: str = "",
) -> TreatyNotification:
    """One notification as the register holds it on `as_of`: recorded a day or two after becoming aware, its
    reminders the engine (core.reminders) sent by `as_of` as the daily sweep would have (_reminders),
    and, once its deadline has passed, ended as the officers and the sweep end them."""
    months = world.parameter(TreatyParameterName.OBJECTION_PERIOD_MONTHS, received_on).as_int
    deadline = objection_deadline(received_on, months)
    parties = [p for p in world.members(Bloc.TREATY, received_on) if p != HOME_STATE]
    counterpart = counterpart or rng.choice(parties)
    third = application.destination_id if application else None
    if third is None or third in parties or third == HOME_STATE:
        third = rng.choice([d for d in world.destinations if d not in parties])
    recorded_on = min(as_of, received_on + timedelta(days=rng.choice((0, 0, 1, 2))))
    incoming = direction == NotificationDirection.INCOMING
    recorder = rng.choice(world.officers)
    if incoming:
        programme = rng.choice(world.programmes) if rng.random() < 0.5 else None
        kind = NotificationSubject.PROGRAMME_PRODUCT if programme else NotificationSubject.HOME_STATE_CONTENT
        assignee_id = None if rng.random() < OPEN_UNASSIGNED_SHARE else rng.choice(world.officers).pk
        subject = f"{programme.name if programme else 'System with Dutch content'} to {world.names[third]}"
    else:
        programme, kind = None, NotificationSubject.OTHER_PARTY_CONTENT
        assignee_id = application.assigned_to_id if application else None
        subject = f"Dutch export with {world.names[counterpart]} content to {world.names[third]}"
    notification = TreatyNotification(
        direction=direction,
        counterpart_id=counterpart,
        subject_kind=kind,
        subject=subject[:300],
        their_reference=their_reference,
        programme=programme,
        third_country_id=third,
        received_on=received_on,
        objection_period_months=months,
        objection_deadline=deadline,
        deadline_rule=deadline_rule_text(aware_on=received_on, months=months, deadline=deadline),
        status=NotificationStatus.OPEN,
        assignee_id=assignee_id,
        application_id=application.pk if application else None,
        notes=notes,
        recorded_by=recorder,
        created_at=world.at(recorded_on, rng.randint(8, 16), rng.randint(0, 59)),
    )
    plan.add(notification, at=notification.created_at, reason="notification recorded", user=recorder)
    plan.event(
        notification.created_at,
        Verb.NOTIFICATION_RECORDED,
        notification,
        actor=recorder,
        payload=lambda: {
            "direction": direction,
            "counterpart": counterpart,
            "third_country": third,
            "received_on": received_on,
            "objection_period_months": months,
            "objection_deadline": deadline,
            "application": application.reference if application else None,
            "bulk_seed": world.seed,
        },
    )
    running_until = _end(rng, world, plan, notification, as_of=as_of, recorder=recorder)
    if incoming:
        _reminders(world, plan, notification, recorded_on=recorded_on, as_of=as_of, running_until=running_until)
    return notification


def _end(
    rng: random.Random, world: _World, plan: _Plan, notification: TreatyNotification, *, as_of: date, recorder: User
) -> date:
    """Status on `as_of`; returns the last day the objection period was still running (for the reminders)."""
    deadline, received_on = notification.objection_deadline, notification.received_on
    incoming = notification.direction == NotificationDirection.INCOMING
    roll = rng.random()
    if deadline >= as_of:  # still running
        if incoming and roll < OPEN_PROPOSED_SHARE:
            day = received_on + timedelta(days=rng.randint(0, max(0, (as_of - received_on).days)))
            _objection(rng, world, plan, notification, on=day, sent=False)
            notification.status = NotificationStatus.OBJECTION_PROPOSED
        return deadline
    if roll < 0.05:  # objection in time, then high-level consultations
        day = received_on + timedelta(days=rng.randint(7, max(7, (deadline - received_on).days - 1)))
        _objection(rng, world, plan, notification, on=day, sent=True)
        return day
    if roll < 0.15:  # closed by an officer, e.g. after deciding not to object
        day = received_on + timedelta(days=rng.randint(3, max(3, (deadline - received_on).days - 1)))
        notification.status = NotificationStatus.CLOSED
        reason = "No direct interests or national security concerns: no objection." if incoming else "Export abandoned."
        _changed(plan, notification, {"status": NotificationStatus.OPEN}, at=world.at(day, 14), reason=reason)
        plan.event(world.at(day, 14), Verb.NOTIFICATION_CLOSED, notification, actor=recorder, reason=reason)
        return day
    # The sweep recorded that no objection was raised in time (no history row: a conditional UPDATE).
    notification.status = NotificationStatus.NO_OBJECTION_IN_TIME
    after = deadline + timedelta(days=1)
    who = "No objection was raised" if incoming else f"{notification.counterpart_id} raised no objection"
    plan.event(
        world.at(after, 0, 10),
        Verb.NO_OBJECTION_RECORDED,
        notification,
        reason=f"{who} by the deadline of {deadline.isoformat()}.",
        payload=lambda: {"deadline": deadline, "recorded_on": after},
    )
    return deadline


def _changed(plan: _Plan, obj: models.Model, before: dict[str, Any], *, at: datetime, reason: str) -> None:
    """`obj` was first recorded with the `before` values and changed to its current ones at `at`."""
    plan.opened_as.append((obj, before, at, reason))


def _objection(
    rng: random.Random, world: _World, plan: _Plan, notification: TreatyNotification, *, on: date, sent: bool
) -> None:
    officer = rng.choice(world.officers)
    ground = rng.choice(list(TreatyRefusalGround.values))
    incoming = notification.direction == NotificationDirection.INCOMING
    at = world.at(on, 11)
    if not sent:
        objection = Objection(
            notification=notification,
            ground=ground,
            reasons="Proposed: the export would compromise our direct interests in the region.",
            status=ObjectionStatus.PROPOSED,
            proposed_by=officer,
            proposed_at=at,
        )
        plan.add(objection, at=at, reason="objection proposed", user=officer)
        _changed(plan, notification, {"status": NotificationStatus.OPEN}, at=at, reason="objection proposed")
        plan.event(at, Verb.OBJECTION_PROPOSED, notification, actor=officer, payload=lambda: {"ground": ground})
        return
    concluded = rng.random() < 0.75
    consultation = Consultation(
        kind=ConsultationKind.HIGH_LEVEL,
        status=ConsultationStatus.CONCLUDED if concluded else ConsultationStatus.OPEN,
        application_id=notification.application_id,
        counterpart_id=notification.counterpart_id,
        subject=notification.subject,
        opened_by=officer,
        opened_on=on,
    )
    concluded_on = min(world.today, on + timedelta(days=rng.randint(20, 240)))
    if concluded:
        consultation.concluded_on = concluded_on
        consultation.outcome = rng.choice(
            [
                ConsultationOutcome.CONSENSUS,
                ConsultationOutcome.OBJECTION_WITHDRAWN,
                ConsultationOutcome.EXPORT_ABANDONED,
                ConsultationOutcome.EXPORT_MODIFIED,
            ]
        )
        consultation.outcome_text = "Agreed at the high-level consultations."
        consultation.version = 2
        _changed(plan, consultation, {"status": ConsultationStatus.OPEN, "outcome": "", "outcome_text": "",
                                      "concluded_on": None, "version": 1}, at=world.at(concluded_on, 15),
                 reason=consultation.outcome_text)  # fmt: skip
    plan.add(consultation, at=at, reason="emergency brake: objection made", user=officer)
    senior = rng.choice(world.seniors)
    objection = Objection(
        notification=notification,
        ground=ground,
        reasons="The export would compromise our national security.",
        status=ObjectionStatus.SENT if incoming else ObjectionStatus.RECEIVED,
        proposed_by=officer,
        proposed_at=at - timedelta(days=2) if incoming else at,
        approved_by=senior if incoming else None,
        approved_at=at - timedelta(days=1) if incoming else None,
        sent_by=officer if incoming else None,
        sent_on=on if incoming else None,
        received_on=None if incoming else on,
        consultation=consultation,
    )
    plan.add(objection, at=objection.proposed_at, reason="objection sent" if incoming else "objection received")
    notification.status = NotificationStatus.CLOSED if concluded else NotificationStatus.OBJECTED
    _changed(plan, notification, {"status": NotificationStatus.OPEN}, at=at, reason=objection._change_reason)  # type: ignore[attr-defined]
    verb = Verb.OBJECTION_SENT if incoming else Verb.OBJECTION_RECEIVED
    deadline = notification.objection_deadline
    plan.event(at, verb, notification, actor=officer, payload=lambda: {"ground": ground, "sent_on": on,
                                                                      "deadline": deadline})  # fmt: skip
    plan.event(
        at,
        Verb.CONSULTATION_OPENED,
        notification,
        actor=officer,
        payload=lambda: {"consultation": consultation.pk, "kind": ConsultationKind.HIGH_LEVEL, "opened_on": on},
    )
    if concluded:
        plan.event(
            world.at(concluded_on, 15),
            Verb.CONSULTATION_CONCLUDED,
            notification,
            actor=officer,
            reason=consultation.outcome_text,
            payload=lambda: {
                "consultation": consultation.pk,
                "outcome": consultation.outcome,
                "concluded_on": concluded_on,
                "duration_days": consultation.duration_days,
            },
        )


def _reminders(
    world: _World, plan: _Plan, notification: TreatyNotification, *, recorded_on: date, as_of: date, running_until: date
) -> None:
    """What the reminder engine (core.reminders) claimed for this deadline by `as_of`, had the hourly sweep run every
    day from the recording day while the period was running: each day it sends the latest point due, once. Point p
    is the latest due from its date until the next point's date, so it was sent if that stretch meets the days the
    sweep ran, on the first of them."""
    offsets = sorted(set(world.parameter(TreatyParameterName.REMINDER_DAYS, notification.received_on).as_int_list),
                     reverse=True)  # fmt: skip
    escalate_from = world.parameter(TreatyParameterName.ESCALATION_DAYS, notification.received_on).as_int
    deadline = notification.objection_deadline
    first, last = recorded_on, min(as_of - timedelta(days=1), running_until, deadline)
    for k, offset in enumerate(offsets):
        latest_from = deadline - timedelta(days=offset)
        latest_until = deadline - timedelta(days=offsets[k + 1] + 1) if k + 1 < len(offsets) else deadline
        sent_on = max(latest_from, first)
        if sent_on > min(latest_until, last):
            continue  # not due yet, superseded before the sweep ran, or the period had ended
        days_left = (deadline - sent_on).days
        escalated = notification.assignee_id is None or days_left <= escalate_from
        reminder = DeadlineReminder(
            kind=ReminderKind.TREATY_OBJECTION,
            subject="treaty_notification:{pk}",  # the notification's id, once written (_write)
            deadline=deadline,
            offset_days=offset,
            sent_at=world.at(sent_on, SWEEP_TIME.hour, SWEEP_TIME.minute),
            recipients=(notification.assignee_id is not None) + (len(world.seniors) if escalated else 0),
            escalated=escalated,
        )
        reminder._notification = notification  # type: ignore[attr-defined]
        plan.rows[DeadlineReminder].append(reminder)
        plan.event(
            reminder.sent_at,
            Verb.REMINDER_ESCALATED if escalated else Verb.REMINDER_SENT,
            notification,
            payload=lambda r=reminder, n=notification, d=days_left: {  # type: ignore[misc]
                "reminder": r.pk,
                "kind": r.kind,
                "subject": f"treaty_notification:{n.pk}",
                "deadline": r.deadline,
                "point": r.offset_days,
                "days_left": d,
                "escalated": r.escalated,
            },
        )


# --- Denials and Art. 4 consultations ------------------------------------------------------------------------


def _criteria(rng: random.Random) -> list[int]:
    return sorted(rng.sample([1, 2, 3, 4, 6, 7], k=rng.randint(1, 2)))


def _incoming_denial(
    rng: random.Random, world: _World, plan: _Plan, *, reference: str, app: _App, on: date, like: bool
) -> DenialNotification:
    """A denial from another Member State; `like`: an essentially identical transaction to `app`."""
    states = [s for s in world.members(Bloc.EU, on) if s != HOME_STATE]
    ml, description, quantity = rng.choice(app.goods) if like and app.goods else (rng.choice(world.ml), "", "")
    officer = rng.choice(world.officers)
    denial = DenialNotification(
        direction=DenialDirection.INCOMING,
        reference=reference,
        issuing_state_id=rng.choice(states),
        notified_on=on,
        destination_id=app.destination_id or "",
        ml_category_id=ml,
        goods_description=description if like else f"Military equipment, category {ml}",
        quantity=quantity,
        consignee=app.consignees[0] if like and app.consignees else "",
        end_user=(
            app.end_users[0] if like and app.end_users else f"Armed forces of {world.names[app.destination_id or 'US']}"
        ),
        end_use="Use by the armed forces.",
        sub_criteria="",
        reason="Risk of diversion.",
        source=rng.choice([DenialSource.MANUAL, DenialSource.CSV_IMPORT]),
        recorded_by=officer,
        recorded_at=world.at(min(world.today, on + timedelta(days=rng.randint(1, 10))), 10),
    )
    plan.add(denial, at=denial.recorded_at, reason=f"denial received ({denial.source})", user=officer)
    plan.criteria.append((denial, _criteria(rng)))
    plan.event(
        denial.recorded_at,
        Verb.DENIAL_RECORDED,
        denial,
        actor=officer,
        payload=lambda: {"direction": denial.direction, "reference": reference, "state": denial.issuing_state_id,
                         "source": denial.source},
    )  # fmt: skip
    return denial


def _art4(rng: random.Random, world: _World, plan: _Plan, app: _App) -> None:
    """The confirmed match of an essentially identical denial and the consultation of the denying state (Art. 4):
    open while the case waits (CONSULTATION_PENDING), concluded before the decision otherwise."""
    received = app.received_on or world.today
    denial = _incoming_denial(
        rng, world, plan, reference=f"BULK-{world.seed}-M-{app.n}", app=app,
        on=received - timedelta(days=rng.randint(30, 700)), like=True,
    )  # fmt: skip
    decided_on = app.decided_at.astimezone(world.zone).date() if app.decided_at else world.today
    opened_on = min(decided_on, received + timedelta(days=rng.randint(1, 10)))
    officer = rng.choice(world.officers)
    consultation = Consultation(
        kind=ConsultationKind.ART4_DENIAL,
        application_id=app.pk,
        counterpart_id=denial.issuing_state_id,
        subject=f"Essentially identical transaction to denial {denial.reference} of {denial.notified_on:%Y-%m-%d} "
        f"({denial.ml_category_id}, {denial.destination_id})",
        opened_by=officer,
        opened_on=opened_on,
        respond_by=opened_on + ART4_RESPONSE_PERIOD,
    )
    opened_at = world.at(opened_on, 10)
    plan.add(consultation, at=opened_at, reason="Art. 4 consultation opened on a confirmed denial match", user=officer)
    score = round(rng.uniform(82, 99), 1)
    match = DenialMatch(
        application_id=app.pk,
        denial=denial,
        score=score,
        matched_fields={"destination": app.destination_id, "ml_category": denial.ml_category_id,
                        "end_user": {"ours": denial.end_user, "theirs": denial.end_user, "score": score}},
        found_at=opened_at - timedelta(hours=2),
        decision=MatchDecision.CONFIRMED,
        decision_reason="Same end user and goods: essentially identical.",
        decided_by=officer,
        decided_at=opened_at,
        consultation=consultation,
    )  # fmt: skip
    plan.add(match, at=opened_at, reason=match.decision_reason, user=officer)
    plan.event(
        opened_at,
        Verb.CHECK_RESOLVED,
        ("licensing.application", str(app.pk)),
        actor=officer,
        reason=match.decision_reason,
        payload=lambda: {"denial_match": match.pk, "denial": denial.pk, "decision": match.decision, "score": score,
                         "consultation": consultation.pk},
    )  # fmt: skip
    plan.event(
        opened_at,
        Verb.CONSULTATION_OPENED,
        consultation,
        actor=officer,
        payload=lambda: {"kind": consultation.kind, "application": app.pk, "counterpart": denial.issuing_state_id,
                         "denial": denial.reference, "respond_by": consultation.respond_by,
                         "response_period_confirmed": False},
    )  # fmt: skip
    if app.decided_at is None:
        return
    approved = app.status == ApplicationStatus.APPROVED
    concluded_on = opened_on + timedelta(days=rng.randint(0, max(0, (decided_on - opened_on).days)))
    choices = [ConsultationOutcome.NO_OBJECTION, ConsultationOutcome.DENIAL_MAINTAINED]
    if consultation.respond_by and concluded_on > consultation.respond_by:
        choices.append(ConsultationOutcome.NO_ANSWER)
    outcome = rng.choice(choices) if approved else ConsultationOutcome.DENIAL_MAINTAINED
    consultation.status, consultation.outcome, consultation.concluded_on = (
        ConsultationStatus.CONCLUDED,
        outcome,
        concluded_on,
    )
    consultation.outcome_text = f"{ConsultationOutcome(outcome).label}."
    consultation.version = 2
    _changed(plan, consultation, {"status": ConsultationStatus.OPEN, "outcome": "", "outcome_text": "",
                                  "concluded_on": None, "version": 1}, at=world.at(concluded_on, 16),
             reason=consultation.outcome_text)  # fmt: skip
    plan.event(
        world.at(concluded_on, 16),
        Verb.CONSULTATION_CONCLUDED,
        consultation,
        actor=officer,
        reason=consultation.outcome_text,
        payload=lambda: {"kind": consultation.kind, "outcome": outcome, "concluded_on": concluded_on,
                         "duration_days": consultation.duration_days, "application": app.pk},
    )  # fmt: skip
    if approved:  # Art. 4: granting after consulting → the denying state is told, with the reasons
        match.grant_notified_at = app.decided_at
        match.grant_notification_text = (
            f"Licence granted on {decided_on:%Y-%m-%d} for an essentially identical transaction to your denial "
            f"{denial.reference}, after consultation ({consultation.outcome_text.rstrip('.')})."
        )
        plan.event(app.decided_at, Verb.DENIAL_RECORDED, denial, actor=officer,
                   payload=lambda: {"grant_notified": app.reference, "match": match.pk})  # fmt: skip


def _outgoing_denials(world: _World, plan: _Plan, app: _App) -> None:
    """licensing.services.denials._outgoing_create for a final refusal: one notification per ML category."""
    decision, decided_at = app.decision, app.decided_at
    if decision is None or decided_at is None or not app.criteria or not app.destination_id:
        return
    for k, category in enumerate(dict.fromkeys(ml for ml, _, _ in app.goods), start=1):
        lines = [g for g in app.goods if g[0] == category]
        denial = DenialNotification(
            direction=DenialDirection.OUTGOING,
            reference=f"BULK-{world.seed}-DEN-{app.n}-{k}",
            issuing_state_id=HOME_STATE,
            notified_on=decided_at.astimezone(world.zone).date(),
            destination_id=app.destination_id,
            ml_category_id=category,
            goods_description="; ".join(g[1] for g in lines)[:2000],
            quantity="; ".join(g[2] for g in lines)[:100],
            consignee="; ".join(app.consignees)[:300],
            end_user="; ".join(app.end_users)[:300],
            end_use="Use by the armed forces of the destination state.",
            sub_criteria=decision.sub_criteria[:60],
            reason=decision.justification,
            application_id=app.pk,
            decision=decision,
            source=DenialSource.REGISTER,
            recorded_by_id=decision.proposed_by_id,
            recorded_at=decided_at,
        )
        plan.add(denial, at=decided_at, reason="refusal", user=decision.proposed_by)
        plan.criteria.append((denial, app.criteria))
        plan.event(
            decided_at,
            Verb.DENIAL_RECORDED,
            denial,
            actor=decision.proposed_by,
            payload=lambda d=denial: {"direction": d.direction, "reference": d.reference,  # type: ignore[misc]
                                      "application": app.pk, "criteria": app.criteria, "revoked_licence": None},
        )  # fmt: skip


# --- Reading the bulk applications ---------------------------------------------------------------------------


def _applications(seed: int, after_pk: int) -> list[_App]:
    prefix = f"BULK-{seed}-"
    rows = (
        Application.objects.filter(reference__startswith=prefix, pk__gt=after_pk)
        .order_by("pk")
        .values_list("pk", "reference", "status", "destination_id", "assigned_to_id", "received_on", "decided_at")
    )[:BATCH]
    return [
        _App(pk=pk, n=int(ref.rsplit("-", 1)[1]), reference=ref, status=st, destination_id=dest, assigned_to_id=who,
             received_on=rec, decided_at=dec)
        for pk, ref, st, dest, who, rec, dec in rows
    ]  # fmt: skip


def _details(apps: list[_App]) -> None:
    """Goods, parties and the final decision of the cases that need them (denials quote them)."""
    by_pk = {a.pk: a for a in apps}
    if not by_pk:
        return
    for app_id, ml, description, quantity, unit in (
        GoodsLine.objects.filter(application_id__in=by_pk)
        .order_by("application_id", "position", "pk")
        .values_list("application_id", "ml_category_id", "description", "quantity", "unit")
    ):
        by_pk[app_id].goods.append((ml, description, f"{quantity.normalize()} {unit}"))
    for app_id, role, name in ApplicationParty.objects.filter(application_id__in=by_pk).values_list(
        "application_id", "role", "name"
    ):
        if role == PartyRole.CONSIGNEE:
            by_pk[app_id].consignees.append(name)
        elif role in (PartyRole.END_USER, PartyRole.ULTIMATE_END_USER):
            by_pk[app_id].end_users.append(name)
    decisions = {d.pk: d for d in Decision.objects.filter(application_id__in=by_pk, status="final").select_related(
        "proposed_by")}  # fmt: skip
    for decision in decisions.values():
        by_pk[decision.application_id].decision = decision
    through = Decision.criteria.through
    for decision_id, number in through.objects.filter(decision_id__in=decisions).values_list(
        "decision_id", "criterion_id"
    ):
        by_pk[decisions[decision_id].application_id].criteria.append(number)


# --- Writing -------------------------------------------------------------------------------------------------


@functools.cache
def _history_model(model: type[models.Model]) -> Any:
    """simple-history's model for `model`, looked up once: `obj.history` builds a new manager class on every
    access (inspect.getmembers of the queryset), a tenth of the bulk load's Python time when asked per row."""
    return model.history.model  # type: ignore[attr-defined]


def _historical(obj: models.Model, *, at: datetime, kind: str, reason: str, user: Any, **before: Any) -> Any:
    """simple-history's row for `obj` as it stood at `at` (`before` overrides what has changed since)."""
    history_model = _history_model(type(obj))
    values = {f.attname: getattr(obj, f.attname) for f in history_model.tracked_fields}
    values.update(before)
    return history_model(
        **values,
        history_date=at,
        history_type=kind,
        history_change_reason=reason[:HISTORY_REASON_MAX],
        history_user_id=user.pk if user is not None else None,
    )


def _write(plan: _Plan, counts: dict[str, float]) -> None:
    for model in WRITE_ORDER:
        objs = plan.rows.get(model, [])
        for obj in objs:  # foreign keys to rows inserted just before (bulk_create does this for its callers)
            obj._prepare_related_fields_for_save(operation_name="copy_insert")  # type: ignore[attr-defined]
            if isinstance(obj, DeadlineReminder):  # the subject names its notification, inserted just before
                obj.subject = obj.subject.format(pk=obj._notification.pk)  # type: ignore[attr-defined]
        copy_insert(model, objs)
        counts[model._meta.label] += len(objs)
    # History: a row at creation (in the state first recorded), and one at the change for rows that changed since.
    changed = {id(obj): (before, at, reason) for obj, before, at, reason in plan.opened_as}
    for model, objs in plan.rows.items():
        if not hasattr(model, "history"):
            continue
        created: dict[int, Any] = {}
        rows = []
        for obj in objs:
            before, changed_at, why = changed.get(id(obj), ({}, None, ""))
            user = obj._history_user  # type: ignore[attr-defined]
            created[obj.pk] = _historical(obj, at=obj._history_date, kind="+", reason=obj._change_reason,  # type: ignore[attr-defined]
                                          user=user, **before)  # fmt: skip
            rows.append(created[obj.pk])
            if changed_at is not None:
                rows.append(_historical(obj, at=changed_at, kind="~", reason=why, user=user))
        copy_insert(model.history.model, rows)  # type: ignore[attr-defined]
        counts[f"{model._meta.label} (history)"] += len(rows)
        if model is DenialNotification:
            _criteria_write(plan, created, counts)
    events = [
        PendingEvent(
            verb=e.verb,
            target=e.target if isinstance(e.target, tuple) else (e.target._meta.label_lower, str(e.target.pk)),
            payload={**e.payload(), "at": e.at},
            reason=e.reason,
            actor=e.actor,
        )
        for e in sorted(plan.events, key=lambda e: e.at)
    ]
    counts["audit.AuditEvent"] += record_many(events)


def _criteria_write(plan: _Plan, created: dict[int, Any], counts: dict[str, float]) -> None:
    through = DenialNotification.criteria.through
    links = [through(denialnotification_id=d.pk, criterion_id=c) for d, numbers in plan.criteria for c in numbers]
    copy_insert(through, links)
    counts["consultations.DenialNotification_criteria"] += len(links)
    # The criteria as they were when each denial was recorded, for history as-of views.
    historical = django_apps.get_model("licensing", "HistoricalDenialNotification_criteria")
    copy_insert(
        historical,
        [
            historical(id=link.pk, denialnotification_id=link.denialnotification_id, criterion_id=link.criterion_id,
                       history_id=created[link.denialnotification_id].pk)
            for link in links
        ],
    )  # fmt: skip


# --- The run -------------------------------------------------------------------------------------------------


def _done(seed: int) -> tuple[set[int], set[int]]:
    """The n of the applications, and the i of the open notifications, that already have their rows."""
    prefix = f"BULK-{seed}-"
    pattern = re.compile(rf"^BULK-{seed}-(?:M|IN|DEN|TO|TI)-(\d+)")
    references = DenialNotification.objects.filter(reference__startswith=prefix).values_list("reference", flat=True)
    theirs = list(TreatyNotification.objects.filter(their_reference__startswith=prefix).values_list(
        "their_reference", flat=True))  # fmt: skip
    done = {int(m.group(1)) for ref in [*references, *theirs] if (m := pattern.match(ref))}
    open_prefix = f"BULK-{seed}-OPEN-"
    opened = {int(ref[len(open_prefix) :]) for ref in theirs if ref.startswith(open_prefix)}
    return done, opened


def _draw_application(rng: random.Random, world: _World, plan: _Plan, app: _App) -> None:
    seed, n = world.seed, app.n
    received = app.received_on
    if received is None:
        return  # drafts have no register life yet
    if app.art4:
        _art4(rng, world, plan, app)
    if app.status == ApplicationStatus.REFUSED:
        _outgoing_denials(world, plan, app)
    if rng.random() < INCOMING_DENIAL_SHARE and app.destination_id:
        _incoming_denial(rng, world, plan, reference=f"BULK-{seed}-IN-{n}", app=app, on=received, like=False)
    treaty_start = min(since for _, since, _ in world.memberships[Bloc.TREATY])
    if received < treaty_start:
        return
    if (
        app.status not in (ApplicationStatus.DRAFT, ApplicationStatus.WITHDRAWN)
        and rng.random() < OUTGOING_TREATY_SHARE
    ):
        parties = [p for p in world.members(Bloc.TREATY, received) if p != HOME_STATE]
        if app.destination_id not in parties:
            for counterpart in rng.sample(parties, k=1 if rng.random() < 0.8 else min(2, len(parties))):
                _notification(
                    rng, world, plan, their_reference=f"BULK-{seed}-TO-{n}-{counterpart}",
                    direction=NotificationDirection.OUTGOING, as_of=world.today, application=app,
                    received_on=min(world.today, received + timedelta(days=3)), counterpart=counterpart,
                )  # fmt: skip
    if rng.random() < INCOMING_TREATY_SHARE:
        _notification(
            rng, world, plan, their_reference=f"BULK-{seed}-TI-{n}", direction=NotificationDirection.INCOMING,
            received_on=received, as_of=world.today,
        )  # fmt: skip


def _open_window(world: _World) -> list[date]:
    """The working days on which a notification whose objection period still runs today can have arrived."""
    days: list[date] = []
    day = world.today
    while True:
        months = world.parameter(TreatyParameterName.OBJECTION_PERIOD_MONTHS, day).as_int
        if objection_deadline(day, months) < world.today:
            return days
        if day.weekday() < 5:
            days.append(day)
        day -= timedelta(days=1)


def _consult_batch(rng: random.Random, world: _World, todo: list[_App], counts: dict[str, float]) -> None:
    """The consultations, denials and treaty notifications of `todo`, in one transaction."""
    seed = world.seed
    for app in todo:
        app.art4 = app.status == ApplicationStatus.CONSULTATION_PENDING or (
            app.status in (ApplicationStatus.APPROVED, ApplicationStatus.REFUSED)
            and _seeded(rng, seed, app.n, 3).random() < ART4_SHARE_OF_DECIDED
        )
    _details([a for a in todo if a.art4 or a.status == ApplicationStatus.REFUSED])
    plan = _Plan()
    for app in todo:
        _draw_application(_seeded(rng, seed, app.n, 1), world, plan, app)
    with transaction.atomic():
        _write(plan, counts)


def bulk_seed_consultations(
    *,
    seed: int,
    open_notifications: int,
    progress: Callable[[str], None] | None = None,
    waits: Iterable[object] = (),
) -> dict[str, float]:
    """Add the consultations, denials and treaty notifications of the bulk applications BULK-<seed>-*, and
    `open_notifications` running ones (BULK-<seed>-OPEN-1..N). Returns rows written per table, and "seconds".

    `waits` lets it follow an applications load that is still running (seeding/bulk_overlap.py): each item it
    yields means "more applications may have been committed", and the applications committed so far are done, in
    pk order; when it ends (the load has finished) the rest are done, then the open notifications, which draw
    from all open cases. Called directly, it does every application there is, then the open notifications."""
    started = time.perf_counter()
    counts: dict[str, float] = defaultdict(int)
    world = _world(seed)
    done, opened = _done(seed)
    rng = random.Random()  # noqa: S311  (test data, reproducible by design; reseeded per application)
    after = 0
    seen = 0

    def catch_up() -> None:
        """Every application committed after `after`, a batch per transaction."""
        nonlocal after, seen
        while apps := _applications(seed, after):
            after = apps[-1].pk
            seen += len(apps)
            _consult_batch(rng, world, [a for a in apps if a.n not in done and a.received_on is not None], counts)
            if progress:
                progress(f"consultations: {seen} applications read ({time.perf_counter() - started:.1f} s)")

    for _ in waits:
        catch_up()
    catch_up()
    window = _open_window(world)
    candidates = _open_cases(seed)
    note = SEED_NOTE.format(seed=seed, day=world.today.isoformat())
    wanted = [i for i in range(1, open_notifications + 1) if i not in opened]
    for start in range(0, len(wanted), BATCH):
        plan = _Plan()
        for i in wanted[start : start + BATCH]:
            r = _seeded(rng, seed, i, 2)
            received_on = r.choice(window)
            outgoing = bool(candidates) and r.random() < OPEN_OUTGOING_SHARE
            _notification(
                r, world, plan, their_reference=f"BULK-{seed}-OPEN-{i}", received_on=received_on, as_of=world.today,
                direction=NotificationDirection.OUTGOING if outgoing else NotificationDirection.INCOMING,
                application=r.choice(candidates) if outgoing else None, notes=note,
            )  # fmt: skip
        with transaction.atomic():
            _write(plan, counts)
        if progress:
            progress(f"open notifications: {start + len(plan.rows[TreatyNotification])} / {len(wanted)} new "
                     f"({time.perf_counter() - started:.1f} s)")  # fmt: skip
    notification_counterparts_forget()  # bulk inserts send no post_save (consultations.caches)
    counts["seconds"] = round(time.perf_counter() - started, 2)
    return dict(counts)


def _open_cases(seed: int) -> list[_App]:
    """Open bulk cases: the Dutch exports that outgoing notifications are about while the case is decided."""
    from licensing.models import OPEN_STATUSES

    rows = Application.objects.filter(reference__startswith=f"BULK-{seed}-", status__in=OPEN_STATUSES).order_by("pk")
    return [
        _App(pk=pk, n=0, reference=ref, status=st, destination_id=dest, assigned_to_id=who, received_on=None,
             decided_at=None)
        for pk, ref, st, dest, who in rows.values_list("pk", "reference", "status", "destination_id", "assigned_to_id")
    ]  # fmt: skip


def seeded_on(seed: int) -> date | None:
    """The day the open notifications of `seed` were generated (their deadlines are spread from it)."""
    notes = (
        TreatyNotification.objects.filter(their_reference__startswith=f"BULK-{seed}-OPEN-")
        .order_by("pk")
        .values_list("notes", flat=True)
        .first()
    )
    match = SEED_NOTE_RE.match(notes or "")
    return date.fromisoformat(match.group(2)) if match else None
