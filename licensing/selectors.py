"""Reads, scoped to what the user may see. Exporters see only their own organisation's records; staff with
case-work rights see all. Missing and forbidden both raise Http404, so ids leak nothing (Zulip's pattern)."""

from __future__ import annotations

import functools
from collections.abc import Sequence
from typing import Any, cast

from django.db import models
from django.db.models import Count, Func, IntegerField, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.db.models.constants import LOOKUP_SEP
from django.http import Http404

from core.access import can
from core.orm import CompiledOnce

from .models import (
    Application,
    ApplicationParty,
    ApplicationStatus,
    Decision,
    DecisionStatus,
    Document,
    GoodsLine,
    InformationRequest,
    Licence,
    LicensedGoods,
    LicensedParty,
    PartyRole,
)
from .models.awb import DelayNotice


def _scope_applications(user: Any, qs: QuerySet[Application]) -> QuerySet[Application]:
    if can(user, "casework.use"):
        # A draft is the exporter's own workspace, not yet a case: staff do not see it.
        return qs.exclude(status=ApplicationStatus.DRAFT)
    if can(user, "casework.advise"):
        # A policy adviser sees only the cases they were asked to advise on.
        asked = qs.filter(advice_requests__adviser=user).values("pk")
        return qs.exclude(status=ApplicationStatus.DRAFT).filter(pk__in=asked)
    if can(user, "portal.use"):
        return qs.filter(organisation_id=user.organisation_id)
    return qs.none()


def application_list_for(*, user: Any) -> QuerySet[Application]:
    """Applications the user may see, with what a list row shows, in a constant number of queries."""
    return _with_goods_count(_scope_applications(user, Application.objects.all())).select_related(
        "organisation", "destination", "assigned_to"
    )


def application_rows_for(*, user: Any, fields: Sequence[str]) -> QuerySet[Any]:
    """application_list_for as `.values(*fields)` rows (dicts) for the list endpoints: no model instances to build,
    and only the related values the fields name (see _rows_of). `goods_count` may be one of the fields."""
    return _scope_applications(user, _rows_of(tuple(fields)))


@functools.cache
def _rows_of(fields: tuple[str, ...]) -> QuerySet[Any]:
    """The unscoped rows of `fields`, built once per field list and cloned by every request: resolving a dozen
    related lookups and the goods count on every request cost more than the filters the request adds (issue 19).
    Never evaluated itself (every read clones it first), so it holds no rows.

    A field of a related row ("organisation__name") is read by a scalar subquery under the same name, not a join:
    PostgreSQL plans a page with three joined tables in about 0.6 ms, three times what it takes with the subqueries,
    and a page runs them for its 25 rows only. The values are the same (NULL where the key is NULL). The subqueries
    (these and the goods count) are compiled to SQL once too (core.orm.CompiledOnce), not on every request."""
    related = {name: _related_value(name) for name in fields if LOOKUP_SEP in name}
    return _with_goods_count(Application.objects.all()).annotate(**related).values(*fields)


def _related_value(name: str) -> Subquery:
    """The value of "key__column" (a foreign key of Application, a column of the row it points to). Without the
    target's default ordering (a country's, a company's name), which PostgreSQL would otherwise sort one row by."""
    key, column = name.split(LOOKUP_SEP)
    field = Application._meta.get_field(key)
    target = cast(type[models.Model], field.related_model)
    return CompiledOnce(target._default_manager.filter(pk=OuterRef(cast(Any, field).attname)).order_by().values(column))


# COUNT(*) as a plain function, not an aggregate: Django would otherwise add a GROUP BY to the subquery.
_COUNT_ROWS = Func(template="COUNT(*)", output_field=IntegerField())


def _with_goods_count(qs: QuerySet[Application]) -> QuerySet[Application]:
    """The number of goods lines as a correlated subquery, not a JOIN with GROUP BY: PostgreSQL then runs it only
    for the rows a page returns, and the list can be read in index order (a GROUP BY over an exporter's 150,000
    applications and their goods took seconds for every page). COUNT without GROUP BY is 0 for no lines, never
    NULL, so no COALESCE either."""
    goods = GoodsLine.objects.filter(application=OuterRef("pk")).order_by().values(n=_COUNT_ROWS)
    return qs.annotate(goods_count=CompiledOnce(goods, output_field=IntegerField()))


def _application_in_scope(user: Any, pk: int, qs: QuerySet[Application]) -> Application:
    """The application `pk` read through `qs` (which says what comes with it), within what `user` may see; 404 when
    missing or not theirs to see. The one place the single-application readers scope and fail."""
    try:
        return _scope_applications(user, qs).get(pk=pk)
    except Application.DoesNotExist as exc:
        raise Http404("No such application") from exc


def application_get_for(*, user: Any, pk: int) -> Application:
    """One application with everything its page shows; 404 when missing or not the user's to see."""
    qs = Application.objects.select_related(
        "organisation", "destination", "assigned_to", "created_by"
    ).prefetch_related(
        Prefetch("goods", queryset=GoodsLine.objects.select_related("ml_category")),
        Prefetch("parties", queryset=ApplicationParty.objects.select_related("country")),
        Prefetch("documents", queryset=Document.objects.select_related("uploaded_by")),
        Prefetch(
            "information_requests",
            queryset=InformationRequest.objects.select_related("requested_by", "answered_by"),
        ),
        Prefetch(
            "decisions",
            queryset=Decision.objects.select_related("proposed_by", "countersigned_by", "returned_by").prefetch_related(
                "criteria"
            ),
        ),
    )
    return _application_in_scope(user, pk, qs)


def application_goods_parties_for(*, user: Any, pk: int) -> Application:
    """One application with only its goods lines and parties (what a deferred case-page panel reads), in the scope
    of application_get_for; 404 when missing or not the user's to see."""
    return _application_in_scope(user, pk, Application.objects.prefetch_related("goods", "parties"))


def end_user_of(application: Application) -> ApplicationParty | None:
    """From a prefetched application: its (first) end user."""
    return next((p for p in application.parties.all() if p.role == PartyRole.END_USER), None)


def pending_decision_of(application: Application) -> Decision | None:
    return next((d for d in application.decisions.all() if d.status == DecisionStatus.PROPOSED), None)


def document_get_for(*, user: Any, pk: int) -> Document:
    """A document, checked on every download request."""
    # The case's own scope: officers nothing of a draft, advisers only the cases they are asked about,
    # exporters their own organisation's.
    visible = _scope_applications(user, Application.objects.all()).values("pk")
    qs = Document.objects.select_related("application").filter(application_id__in=visible)
    try:
        return qs.get(pk=pk)
    except Document.DoesNotExist as exc:
        raise Http404("No such document") from exc


def document_list_for(*, user: Any, application_id: int) -> QuerySet[Document]:
    """An application's documents, oldest first; 404 when the application is not the user's to see."""
    if not _scope_applications(user, Application.objects.filter(pk=application_id)).exists():
        raise Http404("No such application")
    return Document.objects.filter(application_id=application_id).order_by("uploaded_at", "pk")


def information_request_list_for(*, user: Any, application_id: int) -> QuerySet[InformationRequest]:
    """An application's requests for information, oldest first; 404 when it is not the user's to see."""
    if not _scope_applications(user, Application.objects.filter(pk=application_id)).exists():
        raise Http404("No such application")
    return InformationRequest.objects.filter(application_id=application_id).order_by("requested_on", "pk")


def _scope_licences(user: Any, qs: QuerySet[Licence]) -> QuerySet[Licence]:
    if can(user, "casework.use"):
        return qs
    if can(user, "casework.advise"):
        # Advisers: only the licences of cases they were asked about (issue 14: they could open every PDF).
        return qs.filter(application_id__in=_scope_applications(user, Application.objects.all()).values("pk"))
    if can(user, "portal.use"):
        return qs.filter(organisation_id=user.organisation_id)
    return qs.none()


def licence_list_for(*, user: Any) -> QuerySet[Licence]:
    return _scope_licences(user, Licence.objects.all()).select_related("organisation", "destination", "application")


def licence_get_for(*, user: Any, pk: int) -> Licence:
    qs = (
        _scope_licences(user, Licence.objects.all())
        .select_related("organisation", "destination", "application", "issued_by")
        .prefetch_related(
            Prefetch("goods", queryset=LicensedGoods.objects.select_related("ml_category")),
            Prefetch("parties", queryset=LicensedParty.objects.select_related("country")),
            "shipments",
        )
    )
    try:
        return qs.get(pk=pk)
    except Licence.DoesNotExist as exc:
        raise Http404("No such licence") from exc


def queue_counts(*, user: Any) -> dict[str, int]:
    """Counts for the queue's tabs, in one query."""
    from .models import OPEN_STATUSES

    open_q = Q(status__in=OPEN_STATUSES)
    return Application.objects.aggregate(
        unassigned=Count("pk", filter=open_q & Q(assigned_to__isnull=True)),
        mine=Count("pk", filter=open_q & Q(assigned_to=user)),
        open=Count("pk", filter=open_q),
    )


def delay_notices_of(application: Application) -> list[DelayNotice]:
    """The Awb 4:14(3) notices of delay of a case the caller already may see, newest first."""
    return list(DelayNotice.objects.filter(application_id=application.pk).order_by("-sent_on", "-pk"))
