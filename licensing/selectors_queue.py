"""Reads for the officer's work queue and case page (the officer side of issue "Licence applications").

Like licensing.selectors: every read takes the user, scopes to what they may see and answers 404 for missing
and forbidden alike; each one runs a fixed number of queries, whatever the size of the case or the queue.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from django.core.cache import cache
from django.db import connection
from django.db.models import Case, Count, Exists, F, IntegerField, Max, OuterRef, Q, QuerySet, Value, When
from django.http import Http404
from django.utils import timezone
from django.utils.translation import get_language

from audit.models import AuditEvent
from core.access import can, roles_of
from core.i18n import field_in_language
from core.pagination import KeysetColumn
from core.roles import Role
from core.workdays import add_working_days, working_days_between
from parties.models import Country, Organisation, OrganisationStatus, User
from parties.selectors import users_with_roles

from .models import (
    DECIDED_STATUSES,
    OPEN_STATUSES,
    Application,
    ApplicationStatus,
    CaseNote,
    Criterion,
    Decision,
    DecisionStatus,
    InformationRequest,
    Licence,
    MLCategory,
)
from .selectors import application_get_for, application_goods_parties_for
from .services.clock import equated_holidays
from .transitions import APPLICATION_TRANSITIONS, LICENCE_TRANSITIONS, Action, LicenceAction, actions_from

# --- The queue -------------------------------------------------------------------------------------------

TAB_UNASSIGNED = "unassigned"
TAB_MINE = "mine"
TAB_OPEN = "open"
TAB_DECIDED = "decided"
QUEUE_TABS = (TAB_UNASSIGNED, TAB_MINE, TAB_OPEN, TAB_DECIDED)
DEFAULT_TAB = TAB_OPEN

# The Awb decision term runs in these statuses; it is suspended while the exporter is asked for information
# (Awb 4:15) and stopped once decided, so "overdue" and "due soon" only mean something here.
CLOCK_RUNNING_STATUSES = frozenset(OPEN_STATUSES - {ApplicationStatus.INFORMATION_REQUESTED})
DUE_SOON_DAYS = 5


def _scope_cases(user: Any) -> QuerySet[Application]:
    """Submitted applications (never drafts: those are the exporter's own) for staff who work cases."""
    if not can(user, "casework.view_case"):
        return Application.objects.none()
    return Application.objects.exclude(status=ApplicationStatus.DRAFT)


def case_queue_for(*, user: Any, tab: str) -> QuerySet[Application]:
    """The cases of one queue tab, with what a queue row shows (one query for the page of rows)."""
    qs = _scope_cases(user).select_related("organisation", "destination", "assigned_to")
    if tab == TAB_UNASSIGNED:
        return qs.filter(status__in=OPEN_STATUSES, assigned_to__isnull=True)
    if tab == TAB_MINE:
        return qs.filter(status__in=OPEN_STATUSES, assigned_to=user)
    if tab == TAB_DECIDED:
        return qs.filter(status__in=DECIDED_STATUSES)
    return qs.filter(status__in=OPEN_STATUSES)


# Tab counts stop at this many: a count reads one index entry per case, and past some thousands the exact number
# tells an officer nothing the words "10,000+" do not. A real register has far fewer open cases than this.
QUEUE_COUNT_CAP = 10_000


def case_queue_counts(*, user: Any) -> dict[str, int | None]:
    """How many open cases each tab holds, up to QUEUE_COUNT_CAP + 1 (more than the cap), in one query that
    reads the partial index on open cases (migration licensing 0009) and no further than the cap. The decided
    tab has no count (None): it is nearly the whole register, and nobody works through it by number."""
    if not can(user, "casework.view_case"):
        return dict.fromkeys(QUEUE_TABS, 0)
    open_cases = Application.objects.filter(status__in=sorted(OPEN_STATUSES)).order_by()
    tabs = {
        TAB_UNASSIGNED: open_cases.filter(assigned_to__isnull=True),
        TAB_MINE: open_cases.filter(assigned_to=user),
        TAB_OPEN: open_cases,
    }
    counts: dict[str, int | None] = dict(zip(tabs, _capped_counts(list(tabs.values())), strict=True))
    counts[TAB_DECIDED] = None
    return counts


def _capped_counts(querysets: list[QuerySet[Application]]) -> list[int]:
    """COUNT(*) of each queryset, stopping at QUEUE_COUNT_CAP + 1 rows, all in one SELECT of scalar subqueries
    (the ORM has no expression for a count over a LIMITed subquery; the SQL is the ORM's own, so it stays
    portable to SQLite)."""
    parts = [qs.values("pk")[: QUEUE_COUNT_CAP + 1].query.sql_with_params() for qs in querysets]
    # Only SQL the ORM wrote is joined here; every value stays a query parameter.
    subqueries = [f"(SELECT COUNT(*) FROM ({part}) AS capped_{i})" for i, (part, _) in enumerate(parts)]  # noqa: S608
    sql = "SELECT " + ", ".join(subqueries)
    with connection.cursor() as cursor:
        cursor.execute(sql, [param for _, params in parts for param in params])
        row = cursor.fetchone()
    return [int(n) for n in row]


def overdue_q(*, today: date) -> Q:
    """The one definition of an overdue case, for the queue and the API alike: its clock is running (not paused for
    information, Awb 4:15; not decided) and it has passed the legal deadline (Awb 4:13) or the internal target."""
    return Q(status__in=CLOCK_RUNNING_STATUSES) & (Q(legal_deadline__lt=today) | Q(target_date__lt=today))


def cases_overdue(qs: QuerySet[Application], *, today: date) -> QuerySet[Application]:
    return qs.filter(overdue_q(today=today))


# The home worklist's horizon: deadlines within this many working days (Algemene termijnenwet working days).
DUE_SOON_WORKING_DAYS = 10
# An exporter's answer counts as new on the officer's worklist for this many calendar days.
ANSWERED_RECENTLY_DAYS = 14


def due_soon_q(*, today: date) -> Q:
    """Clock running and the legal deadline (Awb 4:13) from today up to DUE_SOON_WORKING_DAYS working days ahead."""
    horizon = add_working_days(today, DUE_SOON_WORKING_DAYS, extra=equated_holidays())
    return Q(status__in=CLOCK_RUNNING_STATUSES, legal_deadline__gte=today, legal_deadline__lte=horizon)


def cases_due_soon(qs: QuerySet[Application], *, today: date) -> QuerySet[Application]:
    return qs.filter(due_soon_q(today=today))


def answered_q(*, today: date) -> Q:
    """The exporter answered a request for information recently and the case is back with the officer."""
    answers = InformationRequest.objects.filter(
        application=OuterRef("pk"), answered_on__gte=today - timedelta(days=ANSWERED_RECENTLY_DAYS)
    )
    return Q(Exists(answers), status__in=CLOCK_RUNNING_STATUSES)


def cases_answered(qs: QuerySet[Application], *, today: date) -> QuerySet[Application]:
    return qs.filter(answered_q(today=today))


def cases_awaiting_countersignature(qs: QuerySet[Application]) -> QuerySet[Application]:
    pending = Decision.objects.filter(application=OuterRef("pk"), status=DecisionStatus.PROPOSED)
    return qs.filter(Exists(pending))


def cases_search(qs: QuerySet[Application], *, text: str) -> QuerySet[Application]:
    """Full-text-ish search over reference, exporter, parties and goods (Application.search_document).

    search_document is stored lower-cased, so a case-sensitive `contains` on lower-cased input finds the same
    rows as `icontains`, and it can use the trigram GIN index (migration licensing 0004). Django's `icontains`
    compiles to UPPER(search_document) LIKE UPPER(...) on PostgreSQL, which that index cannot serve.
    """
    needle = " ".join(text.split()).lower()
    if not needle:
        return qs
    return qs.filter(search_document__contains=needle)


# Sortable columns: the whitelist of ?sort= values, each the column it sorts by and whether ascending order means
# descending values. "age" is days since submission, so a younger case (later submission) sorts first.
SORTS: dict[str, tuple[str, bool]] = {
    "reference": ("reference", False),
    "submitted": ("submitted_at", False),
    "age": ("submitted_at", True),
    "target": ("target_date", False),
    "deadline": ("legal_deadline", False),
    "value": ("total_value_eur", False),
    "decided": ("decided_at", False),
}
# A column a tab does not show is not a sort there either (and would need an index of its own).
NOT_SORTABLE_ON = {TAB_DECIDED: {"target"}, TAB_OPEN: {"decided"}, TAB_UNASSIGNED: {"decided"}, TAB_MINE: {"decided"}}
DEFAULT_SORT = "deadline"
DEFAULT_SORT_DECIDED = "-decided"


def sort_key(value: str | None, *, tab: str) -> str:
    """The whitelisted sort key for ?sort= (a leading "-" reverses it); unknown values fall back to the
    default: the legal deadline first, or, among decided cases, the latest decision first."""
    name = (value or "").removeprefix("-")
    if name in SORTS and name not in NOT_SORTABLE_ON.get(tab, set()):
        return str(value)
    return DEFAULT_SORT_DECIDED if tab == TAB_DECIDED else DEFAULT_SORT


def queue_ordering(key: str) -> list[KeysetColumn]:
    """The ORDER BY of a sort key, for keyset pagination (core.pagination): the column, NULLs last, then ties
    by submission (the Atw moves deadlines off weekends, so several cases share a Monday: longest waiting first)
    and the primary key. A reversed sort reverses the whole order, ties included: the same list read from the
    other end, which one index (migration licensing 0009) serves in both directions."""
    field, descending = SORTS[key.removeprefix("-")]
    if key.startswith("-"):
        descending = not descending
    columns = [KeysetColumn(field, descending)]
    if field != "submitted_at":
        columns.append(KeysetColumn("submitted_at", descending))
    return [*columns, KeysetColumn("pk", descending)]


def destination_choices() -> list[tuple[str, str]]:
    """(iso2, name) of the countries that are the destination of at least one submitted application, for the
    queue filter: one index probe per country (EXISTS on (destination, status)), not a pass over every
    application; plain tuples, as a dropdown needs no model instances."""
    used = Application.objects.filter(destination=OuterRef("pk")).exclude(status=ApplicationStatus.DRAFT)
    name = field_in_language(en="name_en", nl="name_nl")
    countries = Country.objects.filter(Exists(used)).order_by(name).values_list("pk", name)
    return [(iso2, f"{name} ({iso2})") for iso2, name in countries]  # as str(Country)


def exporter_choices() -> list[tuple[int, str]]:
    """(id, name) of the organisations with at least one submitted application: one probe per organisation on
    (organisation, -created_at), whose newest application is almost always submitted, so it stops at the first
    row. A national register has some 2,000 exporters: building a model instance for each would cost more than
    the rest of the page."""
    used = Application.objects.filter(organisation=OuterRef("pk")).exclude(status=ApplicationStatus.DRAFT)
    return list(Organisation.objects.filter(Exists(used)).order_by("name").values_list("pk", "name"))


# The filter lists change only when an application is submitted (a draft's exporter and destination are its own
# business until then, and neither changes after submission), so they are cached under the time of the latest
# submission: a new submission gives a new key at once; the time limit covers rows loaded in bulk with past dates.
FILTER_CHOICES_SECONDS = 600


def queue_filter_choices() -> tuple[list[tuple[str, str]], list[tuple[int, str]]]:
    """(destination choices, exporter choices) for the queue filters: one index probe (the latest submission) and,
    when that has changed, the two lists. At 2,000 exporters the EXISTS list alone costs 10-60 ms a page."""
    latest = Application.objects.aggregate(latest=Max("submitted_at"))["latest"]
    key = f"licensing:queue-choices:{get_language()}:{latest.isoformat() if latest else 'none'}"
    cached = cache.get(key)
    if cached is None:
        cached = (destination_choices(), exporter_choices())
        cache.set(key, cached, FILTER_CHOICES_SECONDS)
    return cached


def ml_category_choices() -> QuerySet[MLCategory]:
    return MLCategory.objects.order_by("number")


# --- Deadlines as an officer reads them ---------------------------------------------------------------------


@dataclass(frozen=True)
class Urgency:
    """Ages and deadlines of one case on one day. Negative "left" values mean overdue by that many days."""

    age_days: int | None
    clock_running: bool
    legal_days_left: int | None  # calendar days (Awb 4:13 term, Atw-extended)
    target_working_days_left: int | None  # working days (internal target); None while the clock stands still

    @property
    def legal_overdue(self) -> bool:
        return self.clock_running and self.legal_days_left is not None and self.legal_days_left < 0

    @property
    def legal_due_soon(self) -> bool:
        return self.clock_running and self.legal_days_left is not None and 0 <= self.legal_days_left <= DUE_SOON_DAYS

    @property
    def target_overdue(self) -> bool:
        return self.clock_running and self.target_working_days_left is not None and self.target_working_days_left < 0

    @property
    def legal_days_overdue(self) -> int:
        return -(self.legal_days_left or 0)

    @property
    def target_working_days_overdue(self) -> int:
        return -(self.target_working_days_left or 0)


def case_urgency(application: Application, *, today: date, holidays: Iterable[date] = ()) -> Urgency:
    """Pure computation on the row: no queries (pass equated_holidays() once per page)."""
    holidays = frozenset(holidays)
    age = (today - timezone.localdate(application.submitted_at)).days if application.submitted_at else None
    legal = (application.legal_deadline - today).days if application.legal_deadline else None
    target = application.target_date
    clock_running = application.status in CLOCK_RUNNING_STATUSES
    target_left: int | None = None
    # Working days are counted day by day, and a decided case's target lies years back: count them only where they
    # are shown, while the clock runs.
    if target is not None and clock_running:
        if target >= today:
            target_left = working_days_between(today, target, holidays)
        else:
            # At least one day overdue, even when the days in between were all weekend days.
            target_left = -max(1, working_days_between(target, today, holidays))
    return Urgency(
        age_days=age,
        clock_running=clock_running,
        legal_days_left=legal,
        target_working_days_left=target_left,
    )


def calendar_holidays() -> list[date]:
    """Days equated with holidays (Atw art. 3(3)); read once per page for the working-day arithmetic."""
    return equated_holidays()


# --- The case page -----------------------------------------------------------------------------------------


def case_detail_for(*, user: Any, pk: int) -> Application:
    """The case with everything its page shows (licensing.selectors.application_get_for), never a draft: an
    unsubmitted application is the exporter's own workspace, not a case."""
    application = application_get_for(user=user, pk=pk)
    if application.status == ApplicationStatus.DRAFT:
        raise Http404("No such case")
    return application


def case_parts_for(*, user: Any, pk: int) -> Application:
    """The case with its goods lines and parties only, scoped as case_detail_for (never a draft; a policy adviser
    only the cases they are asked about): what a deferred panel of the case page reads."""
    application = application_goods_parties_for(user=user, pk=pk)
    if application.status == ApplicationStatus.DRAFT:
        raise Http404("No such case")
    return application


def case_get_for(*, user: Any, pk: int) -> Application:
    """The bare application row for an action on it; 404 when missing or not the user's to see."""
    try:
        return _scope_cases(user).get(pk=pk)
    except Application.DoesNotExist as exc:
        raise Http404("No such case") from exc


def decision_get_for(*, user: Any, pk: int) -> Decision:
    qs = Decision.objects.select_related("application")
    if not can(user, "casework.view_case"):
        qs = qs.none()
    try:
        return qs.get(pk=pk)
    except Decision.DoesNotExist as exc:
        raise Http404("No such decision") from exc


def case_notes_of(application: Application) -> list[CaseNote]:
    return list(CaseNote.objects.filter(application=application).select_related("author").order_by("-created_at"))


def licence_of(application: Application) -> Licence | None:
    return Licence.objects.filter(application=application).select_related("issued_by").first()


def case_history_of(application: Application, *, licence: Licence | None, limit: int | None = None) -> list[AuditEvent]:
    """Audit events on the application, its licence and its documents, newest first, at most `limit` (one query)."""
    where = Q(target_type=Application._meta.label_lower, target_id=str(application.pk))
    if licence is not None:
        where |= Q(target_type=Licence._meta.label_lower, target_id=str(licence.pk))
    document_ids = [str(d.pk) for d in application.documents.all()]  # prefetched by application_get_for
    if document_ids:
        where |= Q(target_type="licensing.document", target_id__in=document_ids)
    return list(AuditEvent.objects.filter(where).order_by("-sequence")[:limit])


def officer_list() -> list[User]:
    """Everyone a case can be assigned to: active licensing officers and senior officers."""
    return list(users_with_roles(Role.OFFICER, Role.SENIOR_OFFICER).order_by("first_name", "last_name", "username"))


def criteria_list() -> list[Criterion]:
    return list(Criterion.objects.order_by("number"))


@dataclass(frozen=True)
class CaseActions:
    """What this user may do on this case now: the status table (licensing.transitions) and their roles."""

    work: bool  # officer: may act at all (policy advisers read only)
    assign: bool
    request_information: bool
    decide: bool
    countersign: bool  # a decision waits and this user may countersign it (not their own)
    own_pending_proposal: bool
    senior: bool  # may countersign decisions (four eyes), though never their own
    licence_actions: tuple[str, ...]


def _allowed(table: Any, status: str, roles: frozenset[str]) -> list[str]:
    allowed = []
    for action in actions_from(table, status):
        transition = next(t for t in table if t.action == action and status in t.source)
        if roles & {r.value for r in transition.roles}:
            allowed.append(action)
    return allowed


def case_actions_for(
    *, application: Application, user: Any, pending: Decision | None, licence: Licence | None
) -> CaseActions:
    roles = roles_of(user)
    work = can(user, "casework.use")
    allowed = _allowed(APPLICATION_TRANSITIONS, application.status, roles) if work else []
    licence_actions: list[str] = []
    if work and licence is not None:
        # Expiry is the system's; revocation cites criteria and records a denial, on its own page
        # (casework:licence_revoke); amendments and extensions take effect from their own page
        # (casework:amendment_detail) and surrender is the holder's: none is offered in the generic status form.
        licence_actions = [
            a
            for a in _allowed(LICENCE_TRANSITIONS, licence.status, roles)
            if a in (LicenceAction.SUSPEND, LicenceAction.REINSTATE)
        ]
    own = pending is not None and pending.proposed_by_id == getattr(user, "pk", None)
    return CaseActions(
        work=work,
        assign=work and application.status in OPEN_STATUSES,
        request_information=Action.REQUEST_INFORMATION in allowed,
        decide=pending is None and (Action.APPROVE in allowed or Action.REFUSE in allowed),
        countersign=pending is not None and can(user, "casework.countersign") and not own,
        own_pending_proposal=own,
        senior=can(user, "casework.countersign"),
        licence_actions=tuple(licence_actions),
    )


# --- Organisation registrations ----------------------------------------------------------------------------


def organisation_list_for_review(*, user: Any) -> QuerySet[Organisation]:
    """Registrations: those awaiting approval first (oldest first: first come, first served), then the
    decided ones, newest first."""
    if not can(user, "organisations.review"):
        return Organisation.objects.none()
    pending_first = Case(
        When(status=OrganisationStatus.PENDING, then=Value(0)), default=Value(1), output_field=IntegerField()
    )
    return (
        Organisation.objects.select_related("country")
        .annotate(pending_first=pending_first, member_count=Count("members"))
        .order_by(
            "pending_first",
            Case(When(status=OrganisationStatus.PENDING, then=F("created_at"))),
            "-created_at",
        )
    )


def organisation_get_for_review(*, user: Any, pk: int) -> Organisation:
    qs = Organisation.objects.select_related("country")
    if not can(user, "organisations.review"):
        qs = qs.none()
    try:
        return qs.get(pk=pk)
    except Organisation.DoesNotExist as exc:
        raise Http404("No such organisation") from exc


def organisation_members_of(organisation: Organisation) -> list[User]:
    return list(organisation.members.order_by("-is_org_admin", "last_name", "first_name"))


def organisation_history_of(organisation: Organisation) -> list[AuditEvent]:
    return list(
        AuditEvent.objects.filter(target_type=Organisation._meta.label_lower, target_id=str(organisation.pk)).order_by(
            "-sequence"
        )
    )
