"""Readable timelines: audit events merged with field history, in plain words, in a fixed number of queries."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest
import time_machine
from django.db import connection
from django.http import Http404
from django.test.utils import CaptureQueriesContext

from audit.timeline import snapshot_for, timeline_for
from licensing.models import Application, ApplicationStatus, Criterion, Decision, LicenceType, MLCategory
from licensing.services.applications import application_create, application_update, goods_line_remove, goods_line_save
from licensing.services.casework import application_assign
from parties.models import User
from tests.factories import submitted_application

pytestmark = pytest.mark.django_db

T0 = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
APPLICATION = "licensing.application"


def _add_line(
    exporter, application, *, quantity: str = "10", line_id: int | None = None, description: str = "Radar spare parts"
):  # type: ignore[no-untyped-def]
    return goods_line_save(
        actor=exporter,
        application_id=application.pk,
        description=description,
        ml_category_id="ML5",
        quantity=Decimal(quantity),
        unit="pcs",
        unit_value=Decimal("100.00"),
        currency="EUR",
        line_id=line_id,
    )


def _draft(exporter, title: str = "Radar spares") -> Application:  # type: ignore[no-untyped-def]
    return application_create(actor=exporter, licence_type=LicenceType.INDIVIDUAL_EXPORT, title=title)


def _submit(*applications: Application) -> None:
    """Out of draft, as after submission (staff see nothing of a draft), without adding a history row: the
    timelines below are the ones the exporter wrote while drafting."""
    Application.objects.filter(pk__in=[a.pk for a in applications]).update(status=ApplicationStatus.SUBMITTED)


def _fields(record) -> list[str]:  # type: ignore[no-untyped-def]
    return [str(change) for change in record.fields]


def test_goods_change_reads_as_old_to_new_in_plain_words_when_the_quantity_changes(exporter_a, officer):
    with time_machine.travel(T0) as traveller:
        application = _draft(exporter_a)
        traveller.shift(timedelta(minutes=1))
        line = _add_line(exporter_a, application)
        traveller.shift(timedelta(minutes=1))
        _add_line(exporter_a, application, quantity="12", line_id=line.pk)

    _submit(application)
    timeline = timeline_for(user=officer, label=APPLICATION, pk=str(application.pk))

    assert [e.what for e in timeline.entries] == ["Application created", "Application updated", "Application updated"]
    last = timeline.entries[-1]
    assert last.who == exporter_a.get_full_name()
    goods = next(r for r in last.records if r.subject == "Goods line “Radar spare parts”")
    assert goods.action == "changed"
    assert _fields(goods) == ["Quantity: 10 → 12", "Value (EUR): 1,000.00 → 1,200.00"]
    totals = next(r for r in last.records if r.subject == "Application")
    assert _fields(totals) == ["Total value (EUR): 1,000.00 → 1,200.00"]


def test_new_record_lists_what_was_filled_in_when_it_is_created(exporter_a, officer):
    with time_machine.travel(T0) as traveller:
        application = _draft(exporter_a)
        traveller.shift(timedelta(minutes=1))
        _add_line(exporter_a, application)

    _submit(application)
    timeline = timeline_for(user=officer, label=APPLICATION, pk=str(application.pk))

    created = timeline.entries[0].records[0]
    assert (created.subject, created.action) == ("Application", "created")
    assert f"Reference: {application.reference}" in _fields(created)
    assert "Licence type: Individual export licence" in _fields(created)
    assert "Status: Draft" in _fields(created)
    added = next(r for r in timeline.entries[1].records if r.action == "added")
    ml5 = MLCategory.objects.get(code="ML5")
    assert _fields(added) == [
        "Line number: 1",
        "Description: Radar spare parts",
        f"Military List category: {ml5}",
        "Quantity: 10",
        "Unit: pieces",
        "Unit value: 100.00",
        "Currency: EUR",
        "Exchange rate to EUR: 1",
        "Value (EUR): 1,000.00",
    ]


def test_removed_row_is_named_when_a_goods_line_is_deleted(exporter_a, officer):
    with time_machine.travel(T0) as traveller:
        application = _draft(exporter_a)
        traveller.shift(timedelta(minutes=1))
        line = _add_line(exporter_a, application)
        traveller.shift(timedelta(minutes=1))
        goods_line_remove(actor=exporter_a, application_id=application.pk, line_id=line.pk)

    _submit(application)
    timeline = timeline_for(user=officer, label=APPLICATION, pk=str(application.pk))

    removed = next(r for r in timeline.entries[-1].records if r.action == "removed")
    assert removed.subject == "Goods line “Radar spare parts”"
    assert removed.fields == ()
    # The record says what was removed; the event's internal keys (its line id) are not shown.
    assert timeline.entries[-1].details == ""


def test_officer_action_shows_reason_and_names_when_a_case_is_assigned(exporter_a, officer, officer2):
    with time_machine.travel(T0) as traveller:
        application = submitted_application(organisation=exporter_a.organisation, created_by=exporter_a)
        traveller.shift(timedelta(hours=1))
        application_assign(
            actor=officer, application_id=application.pk, assignee=officer2, reason="Omar has capacity this week"
        )

    _submit(application)
    timeline = timeline_for(user=officer, label=APPLICATION, pk=str(application.pk))

    assigned = next(e for e in timeline.entries if e.what == "Case assigned")
    assert assigned.who == officer.get_full_name()
    assert assigned.why == "Omar has capacity this week"
    assert [_fields(r) for r in assigned.records] == [[f"Assigned to: — → {officer2.get_full_name()}"]]
    review = next(e for e in timeline.entries if e.what == "Application status changed")
    assert [_fields(r) for r in review.records] == [["Status: Submitted → Under review"]]
    # The rows the factory wrote directly have no event and no user: they stand alone, by "system".
    assert timeline.entries[0].who == "system"
    assert timeline.entries[0].what == "Application created"


def test_change_outside_a_service_stands_alone_with_its_reason_when_an_administrator_edits_reference_data(
    administrator, officer
):
    category = MLCategory.objects.get(code="ML5")
    old_title = category.short_title
    category.short_title = "Fire control and related equipment"
    category._history_user = administrator  # type: ignore[attr-defined]  # what the admin's save_model sets
    category._change_reason = "Wording of the 2025 list"  # type: ignore[attr-defined]
    category.save()

    timeline = timeline_for(user=officer, label="licensing.mlcategory", pk="ML5")

    last = timeline.entries[-1]
    assert last.who == administrator.get_full_name()
    assert last.what == "Military List category changed"
    assert last.why == "Wording of the 2025 list"
    assert _fields(last.records[0]) == [f"Short title: {old_title} → Fire control and related equipment"]


def test_many_to_many_change_lists_the_criteria_when_they_are_set_on_a_decision(exporter_a, officer):
    application = submitted_application(organisation=exporter_a.organisation, created_by=exporter_a)
    decision = Decision.objects.create(
        application=application,
        outcome="refuse",
        status="proposed",
        justification="Clear risk of internal repression",
        proposed_by=officer,
        proposed_at=T0,
    )
    decision.criteria.set([2, 7])

    timeline = timeline_for(user=officer, label="licensing.decision", pk=str(decision.pk))

    two, seven = Criterion.objects.get(number=2), Criterion.objects.get(number=7)
    assert _fields(timeline.entries[-1].records[0]) == [f"Criteria invoked: — → {two}, {seven}"]


def test_timeline_takes_the_same_number_of_queries_when_it_has_many_more_entries(exporter_a, officer):
    with time_machine.travel(T0) as traveller:
        small = _draft(exporter_a, "Small")
        traveller.shift(timedelta(minutes=1))
        _add_line(exporter_a, small)
        large = _draft(exporter_a, "Large")
        for i in range(8):
            traveller.shift(timedelta(minutes=1))
            line = _add_line(exporter_a, large, description=f"Part {i}")
            traveller.shift(timedelta(minutes=1))
            _add_line(exporter_a, large, quantity="11", line_id=line.pk, description=f"Part {i}")

    _submit(small, large)

    def measure(application: Application) -> tuple[int, int]:
        viewer = User.objects.get(pk=officer.pk)  # fresh: role lookups are cached per user object
        with CaptureQueriesContext(connection) as queries:
            timeline = timeline_for(user=viewer, label=APPLICATION, pk=str(application.pk))
        return len(queries), len(timeline.entries)

    small_queries, small_entries = measure(small)
    large_queries, large_entries = measure(large)
    assert large_entries == small_entries + 15  # 16 updates against 1
    assert large_queries == small_queries


@pytest.mark.parametrize("label", ["audit.auditevent", "parties.user", "auth.group", "nonsense", "licensing"])
def test_timeline_is_404_when_the_kind_of_record_is_not_on_the_allowlist(officer, label):
    with pytest.raises(Http404):
        timeline_for(user=officer, label=label, pk="1")


@pytest.mark.parametrize("pk", ["999999999", "abc", "1.5", ""])
def test_timeline_is_404_when_the_record_never_existed(officer, pk):
    with pytest.raises(Http404):
        timeline_for(user=officer, label=APPLICATION, pk=pk)


@pytest.mark.parametrize("persona", ["exporter_a", "exporter_b", "adviser", "analyst"])
def test_timeline_is_404_when_the_user_may_not_audit(persona, request, exporter_a, officer):
    application = submitted_application(organisation=exporter_a.organisation, created_by=exporter_a)
    with pytest.raises(Http404):
        timeline_for(user=request.getfixturevalue(persona), label=APPLICATION, pk=str(application.pk))


def test_snapshot_shows_the_record_and_its_goods_as_they_were_when_given_past_moments(exporter_a, officer):
    day = timedelta(days=1)
    with time_machine.travel(T0) as traveller:
        application = _draft(exporter_a, "Old title")
        traveller.shift(day)
        line = _add_line(exporter_a, application)
        traveller.shift(day)
        application.refresh_from_db()
        application_update(
            actor=exporter_a, application_id=application.pk, expected_version=application.version, title="New title"
        )
        traveller.shift(day)
        goods_line_remove(actor=exporter_a, application_id=application.pk, line_id=line.pk)

    def at(moment: datetime):  # type: ignore[no-untyped-def]
        _submit(application)
        snapshot = snapshot_for(user=officer, label=APPLICATION, pk=str(application.pk), at=moment)
        title = dict(snapshot.record.fields)["Short title"] if snapshot.record else None
        goods = dict(snapshot.children)["Goods lines"]
        return title, [dict(g.fields)["Description"] for g in goods]

    hour = timedelta(hours=1)
    assert at(T0 - hour) == (None, [])
    assert at(T0 + hour) == ("Old title", [])
    assert at(T0 + day + hour) == ("Old title", ["Radar spare parts"])
    assert at(T0 + 2 * day + hour) == ("New title", ["Radar spare parts"])
    assert at(T0 + 3 * day + hour) == ("New title", [])


def test_every_allowlisted_source_names_models_and_fields_that_exist_when_the_registry_is_read():
    from django.apps import apps

    from audit.timeline import TIMELINE_SOURCES

    for label, source in TIMELINE_SOURCES.items():
        model = apps.get_model(label)
        assert hasattr(model, "history"), f"{label} keeps no history"
        for child in source.children:
            child_model = apps.get_model(child.model)
            assert hasattr(child_model, "history"), f"{child.model} keeps no history"
            assert child_model._meta.get_field(child.parent_field).related_model is model
            if child.title_field:
                child_model._meta.get_field(child.title_field)
