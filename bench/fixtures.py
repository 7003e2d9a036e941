"""The few rows the benchmark adds to a register, each created once and found again on the next run: an officer,
an exporter with an API token for the busiest organisation, and one large case (50 goods lines, 200 events)."""

from __future__ import annotations

import itertools
from typing import Any

from django.contrib.auth.models import Group
from django.db import transaction
from django.db.models import Count
from django.utils import timezone
from rest_framework.authtoken.models import Token

from audit.models import Verb
from audit.services import PendingEvent, record_many
from core.api_tokens import api_token_get_for, api_token_issue
from core.bulk import copy_insert
from core.roles import Role
from core.roles_setup import roles_sync
from licensing.models import Application, ApplicationParty, ApplicationStatus, GoodsLine
from parties.models import Organisation, User

OFFICER_USERNAME = "bench-officer"
EXPORTER_USERNAME = "bench-exporter"
BIG_CASE_REFERENCE = "BENCH-CASE-50"
BIG_CASE_GOODS = 50
BIG_CASE_EVENTS = 200


def bench_officer() -> User:
    """A licensing officer (core.roles), as the queue and the case page are used by one."""
    roles_sync()
    user, _ = User.objects.get_or_create(
        username=OFFICER_USERNAME,
        defaults={"email": "bench-officer@bench.invalid", "first_name": "Bench", "last_name": "Officer"},
    )
    user.groups.add(Group.objects.get(name=Role.OFFICER.value))
    return user


def busiest_organisation() -> Organisation:
    return Organisation.objects.annotate(n=Count("applications")).order_by("-n", "pk")[0]


def bench_exporter_token() -> tuple[User, Token]:
    """An exporter of the organisation with the most applications, with an API token issued the way the portal
    issues one (core.api_tokens), reused on later runs."""
    roles_sync()
    organisation = busiest_organisation()
    user, _ = User.objects.get_or_create(
        username=EXPORTER_USERNAME,
        defaults={"email": "bench-exporter@bench.invalid", "organisation": organisation},
    )
    if user.organisation_id != organisation.pk:  # the data changed since the last run
        user.organisation = organisation
        user.save(update_fields=["organisation"])
    user.groups.add(Group.objects.get(name=Role.EXPORTER.value))
    token = api_token_get_for(user=user) or api_token_issue(actor=user)
    return user, token


def big_case(officer: User) -> Application:
    """An open case with 50 goods lines and 200 audit events, cloned from an open case of the register."""
    existing = Application.objects.filter(reference=BIG_CASE_REFERENCE).first()
    if existing is not None:
        return existing
    source = (
        Application.objects.filter(status=ApplicationStatus.UNDER_REVIEW, goods__isnull=False).order_by("-pk").first()
    )
    if source is None:
        raise RuntimeError("No case under review with goods to copy: load the register first (bench/README.md).")
    source_goods = list(source.goods.all())
    source_parties = list(source.parties.all())
    now = timezone.now()
    with transaction.atomic():
        case = Application.objects.get(pk=source.pk)
        case.pk = None
        case.reference = BIG_CASE_REFERENCE
        case.assigned_to = officer
        columns = [f.attname for f in GoodsLine._meta.concrete_fields if not f.primary_key]
        goods = [
            GoodsLine(**{**{c: getattr(line, c) for c in columns}, "position": position})
            for position, line in zip(range(1, BIG_CASE_GOODS + 1), itertools.cycle(source_goods), strict=False)
        ]
        case.total_value_eur = sum(g.value_eur for g in goods)
        case.search_document = case.search_document.replace(source.reference.lower(), BIG_CASE_REFERENCE.lower())
        copy_insert(Application, [case], history_at=lambda a: now, history_user_id=officer.pk)
        for g in goods:
            g.application_id = case.pk
        copy_insert(GoodsLine, goods, history_at=lambda g: now, history_user_id=officer.pk)
        for p in source_parties:
            p.pk, p.application_id = None, case.pk
        copy_insert(ApplicationParty, source_parties, history_at=lambda p: now, history_user_id=officer.pk)
        record_many(_history_events(case, officer))
    return case


def _history_events(case: Application, officer: User) -> list[PendingEvent]:
    """A long case's life: notes, edits, reassignments and information requests back and forth."""
    target = ("licensing.application", str(case.pk))
    steps: list[tuple[Verb, dict[str, Any], str]] = [
        (Verb.APPLICATION_NOTE_ADDED, {}, "Checked the end-user certificate against the contract."),
        (Verb.APPLICATION_UPDATED, {"change": "goods line edited"}, ""),
        (Verb.APPLICATION_ASSIGNED, {"to": officer.pk}, "Workload."),
        (Verb.APPLICATION_TRANSITIONED, {"from": "under_review", "to": "information_requested"}, "Ask for specs."),
        (Verb.APPLICATION_TRANSITIONED, {"from": "information_requested", "to": "under_review"}, "Answered."),
    ]
    events = [PendingEvent(verb=Verb.APPLICATION_CREATED, target=target, actor=case.created_by)]
    for verb, payload, reason in itertools.islice(itertools.cycle(steps), BIG_CASE_EVENTS - 1):
        events.append(PendingEvent(verb=verb, target=target, actor=officer, payload=payload, reason=reason))
    return events
