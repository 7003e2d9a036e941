"""Data built once for a whole test module, for tests that each need the same costly world (issue 19).

Seeding the demo takes seconds; the modules whose every test seeded it for itself now build it once. The data is
written inside an outer transaction that stays open while the module's tests run; each test runs, as pytest-django's
`db` always runs it, in an atomic block of its own, here a savepoint inside the outer one. What a test changes is
rolled back after it, and the module's data after the module: the next test sees the data as it was built, the next
module an unchanged database. This is Django's `TestCase.setUpTestData`, for a pytest module.

Only for tests that run in a transaction (`django_db` without transaction=True): a transactional test would
commit and flush what the module built.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any, TypeVar

from django.db import transaction

T = TypeVar("T")


def built_for_the_module(django_db_blocker: Any, build: Callable[[], T]) -> Iterator[T]:
    """The body of a module-scoped fixture: `yield from built_for_the_module(django_db_blocker, seed)`. Runs
    `build` once, in the outer transaction, and rolls it back when the module's last test is done."""
    with django_db_blocker.unblock():
        outer = transaction.atomic()
        # The services' own durable transactions run inside it as they run inside a test: Django's TestCase marks
        # its blocks the same way (TestCase._enter_atomics), and `durable=True` is checked against the last one.
        outer._from_testcase = True  # type: ignore[attr-defined]
        outer.__enter__()
        try:
            built = build()
        except BaseException:
            _roll_back(outer)
            raise
    try:
        yield built
    finally:
        with django_db_blocker.unblock():
            _roll_back(outer)


def _roll_back(outer: Any) -> None:
    transaction.set_rollback(True)
    outer.__exit__(None, None, None)
