"""The squashed migrations (0001_squashed_* in each app): a fresh database gets them and nothing of the old chain, a
database with the whole old chain counts them as applied, and the models need no new migration. No database is
used: the graph is built from the files, with the applied migrations given."""

from __future__ import annotations

import pytest
from django.apps import apps
from django.db import connection
from django.db.migrations.autodetector import MigrationAutodetector
from django.db.migrations.executor import MigrationExecutor
from django.db.migrations.loader import MigrationLoader
from django.db.migrations.questioner import NonInteractiveMigrationQuestioner
from django.db.migrations.recorder import MigrationRecorder
from django.db.migrations.state import ProjectState
from django.utils import translation

OURS = ("core", "audit", "parties", "licensing", "consultations", "general_licences", "reports")


def _plan(monkeypatch: pytest.MonkeyPatch, applied: set[tuple[str, str]]) -> list[tuple[str, str]]:
    monkeypatch.setattr(MigrationRecorder, "applied_migrations", lambda self: dict.fromkeys(applied))
    executor = MigrationExecutor(connection)
    executor.loader.check_consistent_history(connection)
    plan = executor.migration_plan(executor.loader.graph.leaf_nodes())
    return [(migration.app_label, migration.name) for migration, _backwards in plan]


def _old_migrations() -> set[tuple[str, str]]:
    loader = MigrationLoader(None, ignore_no_migrations=True, replace_migrations=False)
    return {key for key in loader.disk_migrations if "_squashed_" not in key[1]}


def test_a_fresh_database_gets_one_squashed_migration_per_app(monkeypatch):
    plan = _plan(monkeypatch, set())

    ours = [name for app, name in plan if app in OURS]
    assert len(ours) == len(OURS)
    assert all(name.startswith("0001_squashed_") for name in ours)


def test_a_database_with_every_old_migration_has_nothing_to_apply(monkeypatch):
    assert _plan(monkeypatch, _old_migrations()) == []


def test_a_database_partway_through_the_old_chain_goes_on_with_it(monkeypatch):
    # `migrate licensing 0020` before the squash: licensing 0001-0020 and what they need, other apps not at all.
    old_graph = MigrationLoader(None, ignore_no_migrations=True, replace_migrations=False).graph
    applied = set(old_graph.forwards_plan(("licensing", "0020_earlier_decision_indexes")))

    plan = _plan(monkeypatch, applied)

    assert ("licensing", "0032_decision_refused_on") in plan
    assert ("licensing", "0001_squashed_0032_decision_refused_on") not in plan
    assert ("reports", "0001_squashed_0005_life3_gl_registrations_kind") in plan  # nothing of reports was applied


def test_the_migrations_describe_the_models():
    loader = MigrationLoader(None, ignore_no_migrations=True)
    with translation.override(None):
        changes = MigrationAutodetector(
            loader.project_state(), ProjectState.from_apps(apps), NonInteractiveMigrationQuestioner()
        ).changes(graph=loader.graph)
    assert changes == {}
