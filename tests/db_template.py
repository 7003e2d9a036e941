"""The test databases: built once per run, copied for every pytest-xdist worker (issue 19).

Running the ~100 migrations and loading the reference world took every xdist worker minutes, for the same result.
Now one process builds a template database, `<test database>_tpl`: the xdist controller before it starts the
workers, or the single process of a run without xdist. Each worker's database (`test_<NAME>_gw0`, ...) is a
PostgreSQL copy of it (CREATE DATABASE ... TEMPLATE, a second or two).

- Without --reuse-db the template is built afresh at the start of every run and dropped at the end, as pytest-django
  does with test databases: nothing of an earlier run is used (this is how `make test` and CI run).
- With --reuse-db it is kept and used again while its key matches: a hash of every installed app's migration files,
  the reference data and the code that writes the reference world (KEY_SOURCES). --create-db rebuilds it.
- Its name follows the test database's, which follows DATABASE_URL (and TOX_PARALLEL_ENV): runs against different
  DATABASE_URLs never share a template.
- A transactional test ends with `reference_world_restore`: every table emptied and the template's rows put back,
  the same rows with the same ids, by COPY, instead of Django's flush (_fixture_teardown_to_template below).
- Other databases (TEST_SQLITE) and --nomigrations keep pytest-django's own setup, followed by the reference world.
"""

from __future__ import annotations

import hashlib
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.test import TransactionTestCase

ROOT = Path(__file__).resolve().parents[1]
# Besides the migrations, the template holds the reference world: its data and the code that writes it.
KEY_SOURCES = (
    "data/reference",
    "seeding",
    "audit",
    "core/roles.py",
    "core/roles_setup.py",
    "parties/models.py",
    "licensing/models",
    "licensing/services/treaty_parameters.py",
    "tests/db_template.py",
)
WORKERINPUT_KEY = "db_template"
_template_key = pytest.StashKey[str]()


def load_reference_world() -> None:
    """Roles, reference data and treaty parameters: part of the schema's world, like the tables themselves."""
    from licensing.services.treaty_parameters import treaty_parameters_load

    roles_sync()
    call_command("load_reference_data", verbosity=0, stdout=open("/dev/null", "w"))  # noqa: SIM115
    treaty_parameters_load()


def roles_sync() -> None:
    from core.roles_setup import roles_sync as sync

    sync()


# --- names, key and the plain database statements -------------------------------------------------------------


def uses_template(config: pytest.Config) -> bool:
    from django.db import connection

    return connection.vendor == "postgresql" and not config.getvalue("nomigrations")


def template_name() -> str:
    """`test_<NAME>_tpl`, from the test database's name before pytest-xdist adds a worker's suffix."""
    from django.db import connection

    return f"{connection.creation._get_test_db_name()[:59]}_tpl"


def template_key() -> str:
    import django
    from django.apps import apps

    files: list[tuple[str, Path]] = [
        (f"{app.label}/migrations/{path.relative_to(app.path)}", path)
        for app in apps.get_app_configs()
        for path in sorted((Path(app.path) / "migrations").rglob("*.py"))
    ]
    for source in KEY_SOURCES:
        path = ROOT / source
        found = sorted(p for p in path.rglob("*") if p.is_file()) if path.is_dir() else [path]
        files += [(str(p.relative_to(ROOT)), p) for p in found if "__pycache__" not in p.parts]
    digest = hashlib.sha256(django.get_version().encode())
    for label, path in files:
        digest.update(label.encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()[:20]


@contextmanager
def _server_cursor() -> Iterator[Any]:
    """A cursor on the server's maintenance database, for CREATE, DROP and the catalogue."""
    from django.db import connection

    with connection.creation._nodb_cursor() as cursor:
        yield cursor


def _quoted(name: str) -> str:
    from django.db import connection

    return connection.ops.quote_name(name)


def database_key(name: str) -> str | None:
    """The key a template was built with ('' while it is being built); None when there is no such database."""
    with _server_cursor() as cursor:
        cursor.execute(
            "SELECT coalesce(shobj_description(oid, 'pg_database'), '') FROM pg_database WHERE datname = %s", [name]
        )
        row = cursor.fetchone()
    return None if row is None else row[0]


def database_drop(name: str) -> None:
    with _server_cursor() as cursor:
        cursor.execute(f"DROP DATABASE IF EXISTS {_quoted(name)} WITH (FORCE)")


def database_clone(template: str, name: str) -> None:
    with _server_cursor() as cursor:
        cursor.execute(f"DROP DATABASE IF EXISTS {_quoted(name)} WITH (FORCE)")
        cursor.execute(f"CREATE DATABASE {_quoted(name)} TEMPLATE {_quoted(template)}")


def _use_database(name: str) -> None:
    """Point the default connection at database `name` (settings.DATABASES holds the same dict)."""
    from django.db import connection

    connection.close()
    connection.settings_dict["NAME"] = name


# --- the template ------------------------------------------------------------------------------------------------


def template_build(name: str, key: str, verbosity: int) -> None:
    """Migrate a new database `name` and load the reference world into it; its comment is the key, written last,
    so a build that broke off is never taken for a finished one."""
    from django.db import connection

    test = connection.settings_dict["TEST"]
    database, test_name = connection.settings_dict["NAME"], test.get("NAME")
    test["NAME"] = name
    try:
        connection.creation.create_test_db(verbosity=verbosity, autoclobber=True, serialize=False)
        load_reference_world()
        with connection.cursor() as cursor:
            cursor.execute(f"COMMENT ON DATABASE {_quoted(name)} IS '{key}'")  # the key is hex digits
    finally:
        test["NAME"] = test_name
        _use_database(database)


def template_ensure(config: pytest.Config) -> str:
    """Build the template, or keep the one there under --reuse-db while its key matches; return its name."""
    name, key = template_name(), template_key()
    reuse = config.getvalue("reuse_db") and not config.getvalue("create_db")
    if reuse and database_key(name) == key:
        _say(config, f"test database template: {name} kept (key {key})")
        return name
    started = time.monotonic()
    database_drop(name)
    template_build(name, key, verbosity=max(config.option.verbose, 0))
    seconds = time.monotonic() - started
    _say(config, f"test database template: {name} built in {seconds:.0f} s (key {key})")
    return name


def _say(config: pytest.Config, line: str) -> None:
    """A line on the terminal, -q or not: how long the template took is the run's largest fixed cost."""
    reporter = config.pluginmanager.get_plugin("terminalreporter")
    if reporter is not None:
        reporter.write_line(line)


def _is_xdist_controller(config: pytest.Config) -> bool:
    return (
        not hasattr(config, "workerinput")
        and config.getoption("dist", "no") != "no"
        and bool(config.getoption("tx", None))
        and not config.getvalue("collectonly")
    )


def _unblocked(config: pytest.Config) -> Any:
    from pytest_django.plugin import blocking_manager_key

    return config.stash[blocking_manager_key].unblock()


@pytest.hookimpl(tryfirst=True)
def pytest_sessionstart(session: pytest.Session) -> None:
    """The xdist controller builds the template before it starts the workers (their pytest_sessionstart)."""
    config = session.config
    if _is_xdist_controller(config) and uses_template(config):
        with _unblocked(config):
            config.stash[_template_key] = template_ensure(config)


@pytest.hookimpl(optionalhook=True)
def pytest_configure_node(node: Any) -> None:
    """Tell each xdist worker which template to copy."""
    name = node.config.stash.get(_template_key, None)
    if name:
        node.workerinput[WORKERINPUT_KEY] = name


@pytest.hookimpl(trylast=True)
def pytest_sessionfinish(session: pytest.Session) -> None:
    """Without --reuse-db the controller drops its template once the workers are done."""
    config = session.config
    name = config.stash.get(_template_key, None)
    if name and not config.getvalue("reuse_db"):
        with _unblocked(config):
            database_drop(name)


# --- a process's own test database --------------------------------------------------------------------------------


@contextmanager
def own_test_database(request: pytest.FixtureRequest, blocker: Any) -> Iterator[None]:
    """The body of the django_db_setup fixture (tests/conftest.py): a copy of the template for this process, or
    pytest-django's own setup where no template is used; the reference world in either."""
    from django.db import connection
    from pytest_django.fixtures import _get_databases_for_setup

    config = request.config
    reuse = bool(config.getvalue("reuse_db"))
    verbosity = max(config.option.verbose, 0)
    _aliases, serialized_aliases = _get_databases_for_setup(request.session.items)
    if not uses_template(config):
        with _plain_test_database(config, blocker, serialized_aliases, verbosity):
            yield
        return
    workerinput = getattr(config, "workerinput", None)
    with blocker.unblock():
        if workerinput is None:
            template = template_ensure(config)
        elif workerinput.get(WORKERINPUT_KEY):
            template = workerinput[WORKERINPUT_KEY]
        else:
            pytest.fail("the xdist controller built no test database template (tests/db_template.py)")
        name = connection.creation._get_test_db_name()
        database = connection.settings_dict["NAME"]
        database_clone(template, name)
        _use_database(name)
        if serialized_aliases:
            connection._test_serialized_contents = connection.creation.serialize_db_to_string()
        _snapshot_take()
    yield
    with blocker.unblock():
        _use_database(database)
        if not reuse:
            database_drop(name)
            if workerinput is None:
                database_drop(template)


@contextmanager
def _plain_test_database(
    config: pytest.Config, blocker: Any, serialized_aliases: set[str], verbosity: int
) -> Iterator[None]:
    """pytest-django's django_db_setup, as it is, and the reference world."""
    from django.test.utils import setup_databases, teardown_databases
    from pytest_django.fixtures import _disable_migrations

    if config.getvalue("nomigrations"):
        _disable_migrations()
    keepdb = bool(config.getvalue("reuse_db") and not config.getvalue("create_db"))
    with blocker.unblock():
        databases = setup_databases(
            verbosity=verbosity,
            interactive=False,
            aliases={"default"},
            serialized_aliases=serialized_aliases,
            keepdb=keepdb,
        )
        load_reference_world()
    yield
    if not config.getvalue("reuse_db"):
        with blocker.unblock():
            teardown_databases(databases, verbosity=verbosity)


# --- the reference world back after a flush ------------------------------------------------------------------------

# Each table's rows as the template had them (COPY text format); empty until a template copy is set up.
_snapshot: dict[str, bytes] = {}


def _tables() -> list[str]:
    from django.db import connection

    return connection.introspection.django_table_names(only_existing=True, include_views=False)


def _snapshot_take() -> None:
    from django.db import connection

    _snapshot.clear()
    with connection.cursor() as cursor:
        for table in _tables():
            with cursor.copy(f"COPY {_quoted(table)} TO STDOUT") as copy:
                rows = b"".join(bytes(chunk) for chunk in copy)
            if rows:
                _snapshot[table] = rows
    connection.close()


def _empty_every_table(cursor: Any) -> None:
    """DELETE from every table, in one round trip, with triggers off until the transaction ends
    (`session_replication_role = replica`: neither the foreign-key checks nor the append-only guards fire; the
    tests connect as a superuser). A test's tables hold a few rows: DELETE takes milliseconds, where TRUNCATE of
    the ~170 tables took about a second even when they were empty (it gives every table and index a new file)."""
    deletes = "".join(f"DELETE FROM {_quoted(table)};" for table in _tables())  # noqa: S608  # quoted table names
    cursor.execute(f"SET LOCAL session_replication_role = replica;{deletes}")


def reference_world_restore(*, reset_sequences: bool) -> None:
    """Every table as the template had it: empties the tables and copies the template's rows in, in one
    transaction. A transactional test ends with it instead of Django's flush (_fixture_teardown_to_template below);
    after a flush it also takes away what the flush's post_migrate recreated (content types and permissions, with
    other ids). Without a template (SQLite), the reference world is loaded again."""
    from django.contrib.contenttypes.models import ContentType
    from django.core.management.color import no_style
    from django.db import connection, transaction

    if not _snapshot:
        load_reference_world()
        return
    with transaction.atomic(), connection.cursor() as cursor:
        _empty_every_table(cursor)
        for table, rows in _snapshot.items():
            with cursor.copy(f"COPY {_quoted(table)} FROM STDIN") as copy:
                copy.write(rows)
        if reset_sequences:
            from django.apps import apps

            statements = connection.ops.sequence_reset_sql(no_style(), apps.get_models(include_auto_created=True))
            for statement in statements:
                cursor.execute(statement)
    ContentType.objects.clear_cache()


# --- a transactional test's end --------------------------------------------------------------------------------------

_django_fixture_teardown = TransactionTestCase._fixture_teardown


def _fixture_teardown_to_template(self: TransactionTestCase) -> None:
    """A transactional test (transactional_db, live_server) ends with its database put back to the template's rows
    (reference_world_restore), not with Django's flush followed by that restore: the flush truncated every table,
    ran post_migrate (content types, permissions) whose rows the restore then threw away, and took most of the
    seconds these tests spent in teardown (`--durations`: 8-13 s a test on a busy machine, 80 of them). Without a
    template copy (SQLite), or with another database too, Django's flush as before, and then the reference world
    back (reference_world_restore loads it anew where there is no template copy)."""
    if not (_snapshot and set(self._databases_names(include_mirrors=False)) == {"default"}):
        _django_fixture_teardown(self)
    reference_world_restore(reset_sequences=self.reset_sequences)


def pytest_configure(config: pytest.Config) -> None:
    TransactionTestCase._fixture_teardown = _fixture_teardown_to_template  # type: ignore[method-assign]
