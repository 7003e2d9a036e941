"""A realistic register of N applications, written fast: for load tests and reports at national-register scale.

Everything is drawn from one `random.Random(seed)` stream, so a seed always gives the same register; references
are "BULK-<seed>-<n>", and existing ones are skipped, so a rerun with the same seed and N adds nothing.
Rows go in with COPY per batch (core.bulk.copy_insert, one transaction each) with their history rows and their
audit events (audit.services.record_many: the same hash chain as a row-by-row write, one INSERT per batch).
"""

from __future__ import annotations

import random
import time
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from typing import Any, cast

from django.db import models, transaction
from django.utils import timezone

from audit.models import Verb
from audit.services import PendingEvent, record_many
from core.bulk import copy_insert
from licensing.destination_flags import flags_of, flags_refresh
from licensing.models import (
    OPEN_STATUSES,
    Application,
    ApplicationParty,
    ApplicationStatus,
    Criterion,
    Decision,
    DecisionOutcome,
    DecisionStatus,
    GoodsLine,
    Licence,
    LicenceStatus,
    LicenceType,
    LicensedGoods,
    LicensedParty,
    MLCategory,
    PartyRole,
    PartyType,
    Shipment,
)
from parties.models import Country, Embargo, Organisation, OrganisationStatus, User

# Destinations by weight order: NATO/EU partners first, then embargo-free Gulf and Asian states (Zipf-like tail).
DESTINATION_ORDER = (
    "US", "GB", "DE", "FR", "BE", "NO", "CA", "DK", "ES", "IT", "PL", "SE", "FI", "AT", "CH", "PT", "CZ", "GR",
    "TR", "AU", "JP", "KR", "SG", "AE", "QA", "IN", "IE", "RO", "LT", "EE", "LV", "NZ", "BR", "ID", "MY", "KW",
    "OM", "SA", "JO", "EG", "TH", "MA", "CL", "MX", "PH", "ZA",
)  # fmt: skip
ML_ORDER = (
    "ML10", "ML5", "ML11", "ML4", "ML13", "ML6", "ML3", "ML22", "ML15", "ML1", "ML8", "ML9", "ML18", "ML14",
    "ML7", "ML2", "ML17", "ML21", "ML12", "ML16", "ML19", "ML20",
)  # fmt: skip
# Mostly decided historical cases, a few percent open (issue #8).
STATUS_WEIGHTS = {
    ApplicationStatus.APPROVED: 74,
    ApplicationStatus.REFUSED: 7,
    ApplicationStatus.WITHDRAWN: 6,
    ApplicationStatus.DRAFT: 3,
    ApplicationStatus.SUBMITTED: 3,
    ApplicationStatus.UNDER_REVIEW: 4,
    ApplicationStatus.INFORMATION_REQUESTED: 2,
    ApplicationStatus.CONSULTATION_PENDING: 1,
}
LICENCE_TYPE_WEIGHTS = {
    LicenceType.INDIVIDUAL_EXPORT: 70,
    LicenceType.GLOBAL_EXPORT: 10,
    LicenceType.TRANSFER_INDIVIDUAL: 12,
    LicenceType.TRANSFER_GLOBAL: 5,
    LicenceType.TREATY_COMPONENT: 3,
}
GOODS_WORDS = ("radar module", "night-vision sight", "ammunition 5.56 mm", "armoured vehicle spare parts",
               "encryption unit", "fire-control software", "hull section", "thermal camera", "rifle scope",
               "training simulator", "propellant charge", "military helmet", "data link", "gearbox")  # fmt: skip
PARTY_WORDS = ("Ministry of Defence", "Armed Forces Logistics", "Defence Systems Ltd", "Aerospace Corp",
               "Naval Yard", "Procurement Agency", "Engineering GmbH", "Industries SA")  # fmt: skip
CENT = Decimal("0.01")
DEFAULT_BATCH = 5000


@dataclass
class SeedResult:
    new: int = 0
    skipped: int = 0
    rows: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    seconds: dict[str, float] = field(default_factory=lambda: defaultdict(float))
    total_seconds: float = 0.0


@dataclass
class _World:
    countries: list[str]
    country_weights: list[float]
    country_names: dict[str, str]
    ml: list[MLCategory]
    ml_weights: list[float]
    criteria: list[Criterion]
    organisations: list[Organisation]
    exporters: dict[int, User]
    officer: User
    senior: User


def _zipf(n: int, s: float = 1.1) -> list[float]:
    return [1 / (rank**s) for rank in range(1, n + 1)]


def _bulk_user(username: str, **extra: Any) -> User:
    user, _ = User.objects.get_or_create(username=username, defaults={"email": f"{username}@bulk.invalid", **extra})
    return user


def _world(*, seed: int, applications: int) -> _World:
    embargoed = set(Embargo.objects.filter(country__isnull=False, until__isnull=True).values_list("country", flat=True))
    names = dict(Country.objects.values_list("iso2", "name_en"))
    countries = [c for c in DESTINATION_ORDER if c in names and c not in embargoed]
    mls = {m.code: m for m in MLCategory.objects.all()}
    ml = [mls[c] for c in ML_ORDER if c in mls]
    if not countries or not ml:
        raise RuntimeError("Reference data missing: run `manage.py load_reference_data` first.")
    organisations: list[Organisation] = []
    exporters: dict[int, User] = {}
    for i in range(max(5, applications // 500)):
        org, _ = Organisation.objects.get_or_create(
            kvk_number=f"9{seed % 1000:03d}{i:04d}"[-8:],
            defaults={
                "name": f"Bulk Defence {seed}-{i} B.V.",
                "address": f"Industrieweg {i + 1}, Den Haag",
                "contact_name": f"Contact {i}",
                "contact_email": f"contact{i}@bulk-{seed}.invalid",
                "status": OrganisationStatus.APPROVED,
            },
        )
        organisations.append(org)
        exporters[org.pk] = _bulk_user(f"bulk-{seed}-exporter-{i}", organisation=org)
    return _World(
        countries=countries,
        country_weights=_zipf(len(countries)),
        country_names=names,
        ml=ml,
        ml_weights=_zipf(len(ml), 0.9),
        criteria=list(Criterion.objects.order_by("number")),
        organisations=organisations,
        exporters=exporters,
        officer=_bulk_user(f"bulk-{seed}-officer", is_staff=True),
        senior=_bulk_user(f"bulk-{seed}-senior", is_staff=True),
    )


@dataclass
class _Case:
    app: Application
    goods: list[GoodsLine]
    parties: list[ApplicationParty]
    refused_criteria: list[int]


def _draw_status(rng: random.Random, n: int) -> str:
    statuses = list(STATUS_WEIGHTS)
    if n <= len(statuses):  # the first references cover every status, so even a tiny register has them all
        return statuses[n - 1]
    return rng.choices(statuses, weights=list(STATUS_WEIGHTS.values()))[0]


def _draw_case(rng: random.Random, world: _World, *, seed: int, n: int, today: date) -> _Case:
    status = _draw_status(rng, n)
    org = world.organisations[rng.choices(range(len(world.organisations)), weights=_zipf(len(world.organisations)))[0]]
    dest = rng.choices(world.countries, weights=world.country_weights)[0]
    recent = status == ApplicationStatus.DRAFT or status in OPEN_STATUSES  # open cases are recent ones
    received = today - timedelta(days=rng.randint(0, 90 if recent else 3650))
    submitted_at = datetime(
        received.year, received.month, received.day, rng.randint(7, 16), rng.randint(0, 59), tzinfo=UTC
    )
    decided = status in (ApplicationStatus.APPROVED, ApplicationStatus.REFUSED, ApplicationStatus.WITHDRAWN)
    decided_at = submitted_at + timedelta(days=rng.randint(5, 80)) if decided else None
    if decided_at and decided_at.date() > today:
        decided_at = datetime.combine(today, submitted_at.timetz())
    is_draft = status == ApplicationStatus.DRAFT
    app = Application(
        reference=f"BULK-{seed}-{n}",
        organisation=org,
        created_by=world.exporters[org.pk],
        licence_type=rng.choices(list(LICENCE_TYPE_WEIGHTS), weights=list(LICENCE_TYPE_WEIGHTS.values()))[0],
        status=status,
        title=f"Contract {rng.randint(1000, 9999)} {world.country_names[dest]}",
        destination_id=dest,
        end_use="Use by the armed forces of the destination state.",
        submitted_at=None if is_draft else submitted_at,
        # Bulk rows take the cheap calendar approximation instead of the Atw working-day calendar
        # (core/workdays.py): legal deadline = received_on + 56 days (Awb 4:13 eight weeks), target = + 28 days.
        received_on=None if is_draft else received,
        legal_deadline=None if is_draft else received + timedelta(days=56),
        target_date=None if is_draft else received + timedelta(days=28),
        assigned_to=None if is_draft or status == ApplicationStatus.SUBMITTED else world.officer,
        decided_at=decided_at,
        # Dated at the real events, so lists and reports order by them (core.bulk leaves set values alone).
        created_at=submitted_at,
        updated_at=decided_at or submitted_at,
    )
    count = 50 if rng.random() < 0.01 else rng.choices((1, 2, 3, 4, 5), weights=(40, 25, 15, 12, 8))[0]
    goods: list[GoodsLine] = []
    for pos in range(1, count + 1):
        quantity = Decimal(max(1, int(rng.paretovariate(1.2))))
        # Log-normal unit values: median around EUR 3,000, long tail into the millions.
        unit_value = Decimal(str(min(5e8, max(1.0, rng.lognormvariate(8.0, 2.0))))).quantize(CENT)
        goods.append(
            GoodsLine(
                position=pos,
                description=f"{rng.choice(GOODS_WORDS)} type {rng.randint(1, 99)}",
                ml_category=rng.choices(world.ml, weights=world.ml_weights)[0],
                quantity=quantity,
                unit_value=unit_value,
                value_eur=(quantity * unit_value).quantize(CENT),
            )
        )
    app.total_value_eur = sum((g.value_eur for g in goods), Decimal("0"))
    parties = [
        ApplicationParty(role=PartyRole.CONSIGNEE, party_type=PartyType.COMMERCIAL, country_id=dest,
                         name=f"{world.country_names[dest]} {rng.choice(PARTY_WORDS)}", address="Harbour Road 1"),
        ApplicationParty(role=PartyRole.END_USER, party_type=PartyType.ARMED_FORCES, country_id=dest,
                         name=f"{world.country_names[dest]} {rng.choice(PARTY_WORDS)}", address="Defence Square 2"),
    ]  # fmt: skip
    if rng.random() < 0.15:
        parties.append(
            ApplicationParty(role=PartyRole.THIRD_PARTY, party_type=PartyType.COMMERCIAL, country_id="NL",
                             name=f"Broker {rng.randint(1, 200)} B.V.", address="Kade 3", third_party_role="broker")
        )  # fmt: skip
    criteria = [c.number for c in rng.sample(world.criteria, k=min(len(world.criteria), rng.randint(1, 2)))]
    parts = [app.reference, app.title, org.name, *(p.name for p in parties), *(g.description for g in goods)]
    app.search_document = " ".join(parts).lower()  # as licensing.services.applications._refresh_search_document
    return _Case(app=app, goods=goods, parties=parties, refused_criteria=criteria)


class _Writer:
    """COPY of rows + history rows, timing each table for the rows-per-second report."""

    def __init__(self, result: SeedResult, world: _World) -> None:
        self.result = result
        self.world = world

    def write(self, model: type[models.Model], objs: list[Any], *, dates: Callable[[Any], datetime]) -> list[Any]:
        if not objs:
            return objs
        started = time.perf_counter()
        # History at the real event date, for as-of reports.
        created: list[Any] = copy_insert(model, objs, history_at=dates, history_user_id=self.world.officer.pk)
        name = model._meta.label
        self.result.rows[name] += len(created)
        self.result.rows[f"{name} (history)"] += len(created)
        self.result.seconds[name] += time.perf_counter() - started
        return created

    def time_plain(self, name: str, count: int, started: float) -> None:
        self.result.rows[name] += count
        self.result.seconds[name] += time.perf_counter() - started


def _write_batch(cases: list[_Case], *, writer: _Writer, rng: random.Random, seed: int, today: date) -> None:
    world = writer.world
    apps = writer.write(Application, [c.app for c in cases], dates=lambda a: a.submitted_at or timezone.now())
    by_app = {id(c.app): c for c in cases}
    goods: list[GoodsLine] = []
    parties: list[ApplicationParty] = []
    for app in apps:
        case = by_app[id(app)]
        for g in case.goods:
            g.application = app
        for p in case.parties:
            p.application = app
        goods += case.goods
        parties += case.parties
    writer.write(GoodsLine, goods, dates=lambda g: g.application.submitted_at or timezone.now())
    writer.write(ApplicationParty, parties, dates=lambda p: p.application.submitted_at or timezone.now())
    final = [c for c in cases if c.app.status in (ApplicationStatus.APPROVED, ApplicationStatus.REFUSED)]
    decisions = []
    for case in final:
        app = case.app
        approve = app.status == ApplicationStatus.APPROVED
        decided_at = cast(datetime, app.decided_at)  # final cases always have one (_draw_case)
        big = app.total_value_eur > Decimal("1000000")  # four eyes for large cases
        decisions.append(
            Decision(
                application=app,
                outcome=DecisionOutcome.APPROVE if approve else DecisionOutcome.REFUSE,
                status=DecisionStatus.FINAL,
                justification="Approved after assessment against the eight criteria."
                if approve
                else "Refused: clear risk under the criteria invoked.",
                valid_from=decided_at.date() if approve else None,
                valid_until=decided_at.date() + timedelta(days=730) if approve else None,
                needs_countersignature=big,
                proposed_by=world.officer,
                proposed_at=decided_at - timedelta(hours=2),
                countersigned_by=world.senior if big else None,
                countersigned_at=decided_at if big else None,
            )
        )
    decisions = writer.write(Decision, decisions, dates=lambda d: d.proposed_at)
    started = time.perf_counter()
    # The destination flags as licensing's decision services fix them (licensing.destination_flags), in the
    # batch's transaction: the refusals' (a few percent of the rows) by UPDATE; the licences' are read before
    # their COPY (a licence here is issued at its application's decision moment, to its destination).
    refusals = [d.pk for d in decisions if d.outcome == DecisionOutcome.REFUSE]
    flags_refresh(licences=Licence.objects.none(), decisions=Decision.objects.filter(pk__in=refusals))
    approved_ids = [c.app.pk for c in final if c.app.status == ApplicationStatus.APPROVED]
    licence_flags = flags_of(
        Application.objects.filter(pk__in=approved_ids), country="destination_id", moment="decided_at"
    )
    writer.time_plain("licensing destination flags", len(refusals) + len(approved_ids), started)
    started = time.perf_counter()
    through = Decision.criteria.through
    links = [
        through(decision_id=d.pk, criterion_id=number)
        for d, case in zip(decisions, final, strict=True)
        if d.outcome == DecisionOutcome.REFUSE
        for number in case.refused_criteria
    ]
    copy_insert(through, links)
    writer.time_plain("licensing.Decision_criteria", len(links), started)
    approved = [c for c in final if c.app.status == ApplicationStatus.APPROVED]
    licences = []
    for case in approved:
        app = case.app
        decided_at = cast(datetime, app.decided_at)  # final cases always have one (_draw_case)
        valid_from = decided_at.date()
        valid_until = valid_from + timedelta(days=730)
        licences.append(
            Licence(
                number=f"BULK-L-{seed}-{app.reference.rsplit('-', 1)[1]}",
                application=app,
                organisation=app.organisation,
                licence_type=app.licence_type,
                destination_id=app.destination_id,
                status=LicenceStatus.EXPIRED if valid_until < today else LicenceStatus.ISSUED,
                valid_from=valid_from,
                valid_until=valid_until,
                total_value_eur=app.total_value_eur,
                issued_by=world.officer,
                issued_at=decided_at,
                **licence_flags[app.pk],
            )
        )
    licences = writer.write(Licence, licences, dates=lambda lic: lic.issued_at)
    licensed: list[LicensedGoods] = []
    shipped: list[tuple[Licence, LicensedGoods]] = []
    for lic, case in zip(licences, approved, strict=True):
        ship = rng.random() < 0.1  # a few licences have shipments recorded
        for i, g in enumerate(case.goods):
            lg = LicensedGoods(licence=lic, goods_line=g, description=g.description, ml_category=g.ml_category,
                               quantity=g.quantity, unit=g.unit, value_eur=g.value_eur)  # fmt: skip
            if ship and i == 0:
                lg.shipped_quantity, lg.shipped_value_eur = lg.quantity, lg.value_eur
                shipped.append((lic, lg))
            licensed.append(lg)
    writer.write(LicensedGoods, licensed, dates=lambda lg: lg.licence.issued_at)
    licensed_parties = [
        LicensedParty.copied_from(party, licence=lic)
        for lic, case in zip(licences, approved, strict=True)
        for party in case.parties
    ]
    writer.write(LicensedParty, licensed_parties, dates=lambda lp: lp.licence.issued_at)
    shipments = [
        Shipment(licence=lic, licensed_goods=lg, shipped_on=min(today, lic.valid_from + timedelta(days=30)),
                 quantity=lg.quantity, value_eur=lg.value_eur, recorded_by=world.exporters[lic.organisation_id])
        for lic, lg in shipped
    ]  # fmt: skip
    writer.write(Shipment, shipments, dates=lambda s: s.licence.issued_at)
    started = time.perf_counter()
    # The audit trail of each case as the register would hold it: created, then decided (one event each), so
    # case pages show a history and verify_audit_trail has a national register's worth of links to check.
    events = [
        PendingEvent(
            verb=Verb.APPLICATION_CREATED,
            target=("licensing.application", str(app.pk)),
            actor=world.exporters[app.organisation_id],
            payload={"bulk_seed": seed, "reference": app.reference, "submitted_at": app.submitted_at},
        )
        for app in apps
    ]
    events += [
        PendingEvent(
            verb=Verb.APPLICATION_TRANSITIONED,
            target=("licensing.application", str(app.pk)),
            actor=world.officer,
            payload={"to": app.status, "decided_at": app.decided_at},
            reason="Decided after assessment." if app.status != ApplicationStatus.WITHDRAWN else "Withdrawn.",
        )
        for app in apps
        if app.decided_at is not None
    ]
    audited = record_many(events)
    writer.time_plain("audit.AuditEvent", audited, started)


def bulk_seed_run(
    *,
    applications: int,
    seed: int,
    batch: int = DEFAULT_BATCH,
    progress: Callable[[str], None] | None = None,
    committed: Callable[[], None] | None = None,
) -> SeedResult:
    """Create the applications BULK-<seed>-1..N that do not exist yet, in batches of `batch`; `committed` is
    called after each batch's transaction has committed (seeding/bulk_overlap.py follows the load with it)."""
    result = SeedResult()
    started = time.perf_counter()
    rng = random.Random(seed)  # noqa: S311  (test data, reproducible by design; not for secrets)
    today = timezone.localdate()
    world = _world(seed=seed, applications=applications)
    prefix = f"BULK-{seed}-"
    existing = set(Application.objects.filter(reference__startswith=prefix).values_list("reference", flat=True))
    writer = _Writer(result, world)
    pending: list[_Case] = []

    def flush() -> None:
        with transaction.atomic():
            _write_batch(pending, writer=writer, rng=rng, seed=seed, today=today)
        result.new += len(pending)
        pending.clear()
        if committed:
            committed()
        if progress:
            progress(f"{result.new} new / {applications} ({time.perf_counter() - started:.1f} s)")

    for n in range(1, applications + 1):
        # Always draw, even for existing references, so the stream (and the data) is the same on every run.
        case = _draw_case(rng, world, seed=seed, n=n, today=today)
        if case.app.reference in existing:
            result.skipped += 1
            continue
        pending.append(case)
        if len(pending) >= batch:
            flush()
    if pending:
        flush()
    result.total_seconds = time.perf_counter() - started
    return result
