"""Personas, as in healthchecks' tests: two exporter companies (A and B), an officer, a second officer,
a senior officer for four eyes, a policy adviser, a ministry analyst and an administrator."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from core.roles import Role
from parties.models import OrganisationStatus
from tests.factories import OrganisationFactory, UserFactory

# A real clamd (session-scoped) for the virus-scanning tests; a local HTTP receiver for the webhook tests; the
# test database template built once per run (its xdist hooks).
pytest_plugins = ["tests.clamd", "tests.webhook_receiver", "tests.db_template"]


@pytest.fixture(scope="session")
def django_db_setup(request, django_test_environment, django_db_blocker, django_db_modify_db_settings):  # type: ignore[no-untyped-def]
    """This process's test database with the reference world: a copy of the run's template database, built once
    for all xdist workers (tests/db_template.py)."""
    from tests.db_template import own_test_database

    with own_test_database(request, django_db_blocker):
        yield


@pytest.fixture(autouse=True)
def _project_celery_app_stays_default() -> Iterator[None]:
    """Every test ends with the project's Celery app current and default for all threads. A test that ran an
    app of its own through celery's start_worker leaves that app as the default, and the live server's request
    threads (which have no current app of their own) would send later tests' tasks to it."""
    yield
    from celery import _state

    from config.celery import app

    if _state.default_app is not app:
        app.set_default()
    app.set_current()


def pytest_collection_modifyitems(config, items):  # type: ignore[no-untyped-def]
    """The SQLite demo smoke test first: minutes of subprocesses on one core (migrate, seed, render), which at its
    place in the collection (tests/test_demo_smoke.py, near the end) left one worker running it alone after the
    other had finished (`--durations`: the slowest test by far). Given first, it runs beside the rest on the
    other worker. A stable sort: every other test keeps its order, the same on every xdist worker."""
    items.sort(key=lambda item: item.get_closest_marker("sqlite") is None)


@pytest.fixture
def org_a(db):  # type: ignore[no-untyped-def]
    return OrganisationFactory(name="Alpha Defence B.V.", kvk_number="11111111")


@pytest.fixture
def org_b(db):  # type: ignore[no-untyped-def]
    return OrganisationFactory(name="Bravo Systems B.V.", kvk_number="22222222")


@pytest.fixture
def pending_org(db):  # type: ignore[no-untyped-def]
    return OrganisationFactory(name="Charlie Parts B.V.", kvk_number="33333333", status=OrganisationStatus.PENDING)


@pytest.fixture
def exporter_a(org_a):  # type: ignore[no-untyped-def]
    return UserFactory(username="alice", organisation=org_a, is_org_admin=True, roles=[Role.EXPORTER])


@pytest.fixture
def exporter_b(org_b):  # type: ignore[no-untyped-def]
    return UserFactory(username="bob", organisation=org_b, is_org_admin=True, roles=[Role.EXPORTER])


@pytest.fixture
def officer(db):  # type: ignore[no-untyped-def]
    return UserFactory(username="olivia", roles=[Role.OFFICER])


@pytest.fixture
def officer2(db):  # type: ignore[no-untyped-def]
    return UserFactory(username="omar", roles=[Role.OFFICER])


@pytest.fixture
def senior(db):  # type: ignore[no-untyped-def]
    return UserFactory(username="sanne", roles=[Role.SENIOR_OFFICER])


@pytest.fixture
def adviser(db):  # type: ignore[no-untyped-def]
    return UserFactory(username="pieter", roles=[Role.POLICY_ADVISER])


@pytest.fixture
def analyst(db):  # type: ignore[no-untyped-def]
    return UserFactory(username="rosa", roles=[Role.REPORTING])


@pytest.fixture
def administrator(db):  # type: ignore[no-untyped-def]
    return UserFactory(username="ada", roles=[Role.ADMINISTRATOR], is_staff=True)


@pytest.fixture
def client_for(client):  # type: ignore[no-untyped-def]
    """Log the test client in as a persona: `client_for(officer).get(...)`."""

    def login(user):  # type: ignore[no-untyped-def]
        client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
        return client

    return login
