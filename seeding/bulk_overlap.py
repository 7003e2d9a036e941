"""The bulk register (`seed_bulk`) in two processes: the applications loader (seeding/bulk_licensing.py) here, and
the consultations loader (seeding/bulk_consultations.py) in a forked child that follows it, so the child's work
runs on the core that the loader and PostgreSQL, waiting on each other, leave idle (issue 19).

The loader tells the child after each committed batch (a pipe); the child does the applications committed so far
in pk order, waits for the next word, and when the loader has finished does the rest and the open notifications.
The loader is the only writer of the seed's applications and reserves their ids batch by batch, so they commit in
pk order and the child's pk cursor misses none. The rows are those of the serial run (every draw is seeded per
application); only ids and the order of the audit chain's events differ.

Locks: both write their own new rows; the child's foreign keys take KEY SHARE locks on rows the loader committed
and never changes again. The one lock both take is the audit chain head's (audit.services.record_many), last in
each transaction and held to its commit, so no transaction waits for it while holding something the other wants:
the two serialize there and cannot deadlock.

A failure on either side stops both: the child's error (its traceback) is raised in the loader at its next batch
or at the end; if the loader fails, the child sees the pipe close, rolls back its batch and stops.
"""

from __future__ import annotations

import multiprocessing
import time
import traceback
from collections.abc import Callable, Iterator
from multiprocessing.connection import Connection

from django.db import connections

from seeding.bulk_consultations import bulk_seed_consultations
from seeding.bulk_licensing import DEFAULT_BATCH, SeedResult, bulk_seed_run

MORE, DONE = "more", "done"


class ConsultationsLoaderFailed(RuntimeError):
    """The consultations loader (the child process) failed; the message carries its traceback."""


def _words(signals: Connection) -> Iterator[None]:
    """One item per "more applications committed" (those queued meanwhile taken together); ends at DONE."""
    while True:
        try:
            word = signals.recv()
            while word == MORE and signals.poll():
                word = signals.recv()
        except EOFError:
            raise RuntimeError("the applications loader stopped before it finished") from None
        if word == DONE:
            return
        yield None


def _child(
    seed: int,
    open_notifications: int,
    pipes: tuple[Connection, Connection, Connection, Connection],
    progress: Callable[[str], None] | None,
) -> None:  # pragma: no cover  (runs in the forked process; the tests check what it writes)
    signals, signals_out, results_in, results = pipes
    # The fork copied the loader's ends too: closed here, so that each side sees the pipe end when the other does.
    signals_out.close()
    results_in.close()
    try:
        counts = bulk_seed_consultations(
            seed=seed, open_notifications=open_notifications, progress=progress, waits=_words(signals)
        )
        results.send(("ok", counts))
    except BaseException:
        results.send(("error", traceback.format_exc()))
        raise SystemExit(1) from None
    finally:
        connections.close_all()


def _answer(results: Connection, child: multiprocessing.process.BaseProcess) -> dict[str, float]:
    try:
        status, value = results.recv()
    except EOFError:
        child.join()
        raise ConsultationsLoaderFailed(f"the consultations loader ended without a result (exit code "
                                        f"{child.exitcode})") from None  # fmt: skip
    if status != "ok":
        raise ConsultationsLoaderFailed(f"the consultations loader failed:\n{value}")
    return dict(value)


def bulk_seed_overlapped(
    *,
    applications: int,
    seed: int,
    open_notifications: int,
    batch: int = DEFAULT_BATCH,
    progress: Callable[[str], None] | None = None,
) -> tuple[SeedResult, dict[str, float]]:
    """bulk_seed_run and bulk_seed_consultations at once, the latter in a child process following the former.
    Returns what each returns; the second's "seconds" is the wall time of the two together."""
    started = time.perf_counter()
    context = multiprocessing.get_context("fork")
    connections.close_all()  # the child opens its own connection; a shared socket would mix the two sessions
    signals_in, signals_out = context.Pipe(duplex=False)
    results_in, results_out = context.Pipe(duplex=False)
    child = context.Process(
        target=_child,
        args=(seed, open_notifications, (signals_in, signals_out, results_in, results_out), progress),
        name="seed_bulk consultations",
    )
    child.start()
    signals_in.close()
    results_out.close()

    def committed() -> None:
        if results_in.poll():  # the child has answered before the loader finished: it failed
            _answer(results_in, child)
            raise ConsultationsLoaderFailed("the consultations loader ended before the applications loader")
        try:
            signals_out.send(MORE)
        except BrokenPipeError:  # it ended between the two lines
            _answer(results_in, child)
            raise

    try:
        try:
            result = bulk_seed_run(
                applications=applications, seed=seed, batch=batch, progress=progress, committed=committed
            )
            signals_out.send(DONE)
        finally:
            signals_out.close()  # without DONE first, the child stops: the loader failed
        counts = _answer(results_in, child)
    finally:
        child.join()
        results_in.close()
    counts["seconds"] = time.perf_counter() - started
    return result, counts
