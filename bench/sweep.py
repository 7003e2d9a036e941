"""Benchmark 5 of issue 8: the treaty deadline sweep over 100,000 open notifications.

The open notifications come from seeding.bulk_consultations (BULK-<seed>-OPEN-<i>, objection deadlines spread over
the two months after the seeding day S, reminders before S already sent). The sweep changes what it touches, so
each measurement first puts the bulk rows back as seeded (running again, the reminder engine's claims made by
sweeps removed with their outbox messages; audit events stay, the database refuses to delete them) and then sweeps
the days S, S+1, ... in order, as the hourly beat would: each day the engine (core.reminders) sends that day's
reminders (the latest point due of 20, 10, 5 and 1 days before a deadline) and the sweep records "no objection in
time" for the deadlines of the day before.

Timed: the whole `deadlines_sweep` call, and every transaction it runs (from BEGIN to COMMIT: the longest time a
row, and so a case's notification, stays locked). Not timed: handing the outbox e-mails to Celery after commit
(the bench settings run Celery eagerly, which would send every e-mail in-process); they are counted instead.

    DJANGO_SETTINGS_MODULE=config.settings.bench python -m bench.sweep --seed 1 --open 100000
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import time
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from datetime import date, timedelta
from typing import Any
from unittest import mock

BENCH_SEED = 1
OPEN_NOTIFICATIONS = 100_000
DAYS = 3


@contextmanager
def _transaction_clock(durations: list[float]) -> Iterator[None]:
    """Time every outermost transaction (BEGIN to COMMIT or ROLLBACK) opened while the block runs."""
    from django.db import transaction

    enter, exit_ = transaction.Atomic.__enter__, transaction.Atomic.__exit__
    started: dict[str, float] = {}

    def timed_enter(self: transaction.Atomic) -> None:
        connection = transaction.get_connection(self.using)
        if not connection.in_atomic_block:
            started[connection.alias] = time.perf_counter()
        enter(self)

    def timed_exit(self: transaction.Atomic, *exc: Any) -> None:
        exit_(self, *exc)
        connection = transaction.get_connection(self.using)
        if not connection.in_atomic_block and connection.alias in started:
            durations.append(time.perf_counter() - started.pop(connection.alias))

    with (
        mock.patch.object(transaction.Atomic, "__enter__", timed_enter),
        mock.patch.object(transaction.Atomic, "__exit__", timed_exit),
    ):
        yield


@contextmanager
def _outbox_counted(handed: list[int]) -> Iterator[None]:
    """Count the outbox messages handed to Celery after commit instead of delivering them in-process."""
    import consultations.services.sweep as sweep_module
    import core.notifications as notifications_module

    def count(message_ids: list[int]) -> None:
        handed.append(len(message_ids))

    with ExitStack() as stack:
        for module in (notifications_module, sweep_module):
            if hasattr(module, "enqueue_outbox"):
                stack.enter_context(mock.patch.object(module, "enqueue_outbox", count))
        yield


def reset(*, seed: int, seeded_day: date) -> dict[str, int]:
    """Put the bulk notifications of `seed` back as seeded on `seeded_day`, undoing earlier sweeps."""
    from datetime import datetime, time

    from django.db import connection, transaction
    from django.utils import timezone

    from consultations.models.treaty import NotificationStatus, Objection, ObjectionStatus, TreatyNotification
    from core.models import DeadlineReminder, ReminderKind

    bulk = TreatyNotification.objects.filter(their_reference__startswith=f"BULK-{seed}-")
    with transaction.atomic():
        # Ended by a sweep: their deadline was still running on the seeding day.
        ended = bulk.filter(status=NotificationStatus.NO_OBJECTION_IN_TIME, objection_deadline__gte=seeded_day)
        ended_ids = list(ended.values_list("pk", flat=True))
        proposed = Objection.objects.filter(notification_id__in=ended_ids, status=ObjectionStatus.PROPOSED)
        TreatyNotification.objects.filter(pk__in=proposed.values("notification_id")).update(
            status=NotificationStatus.OBJECTION_PROPOSED
        )
        TreatyNotification.objects.filter(pk__in=ended_ids, status=NotificationStatus.NO_OBJECTION_IN_TIME).update(
            status=NotificationStatus.OPEN
        )
        # The engine's claims made by sweeps (the seeder's are dated before the seeding day), with their e-mails:
        # a rerun writes them again instead of finding their idempotency keys.
        since = timezone.make_aware(datetime.combine(seeded_day, time.min))
        bulk_ids = list(bulk.values_list("pk", flat=True))
        subjects = [f"treaty_notification:{pk}" for pk in bulk_ids]
        claims = DeadlineReminder.objects.filter(
            kind=ReminderKind.TREATY_OBJECTION, subject__in=subjects, sent_at__gte=since
        )
        reminder_ids = list(claims.values_list("pk", flat=True))
        with connection.cursor() as cursor:
            cursor.execute(
                "DELETE FROM core_outboxmessage WHERE (key LIKE 'reminder:treaty_objection:treaty_notification:%%' "
                "AND split_part(key, ':', 4)::bigint = ANY(%s)) OR (key LIKE 'treaty-no-objection:%%' "
                "AND split_part(key, ':', 2)::bigint = ANY(%s))",
                [bulk_ids, ended_ids],
            )
            outbox = cursor.rowcount
        DeadlineReminder.objects.filter(pk__in=reminder_ids).delete()
    return {"notifications_reopened": len(ended_ids), "reminders_unsent": len(reminder_ids), "outbox_removed": outbox}


def _percentile(values: list[float], share: float) -> float:
    if not values:
        return 0.0
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def _backend_cpu_seconds() -> float | None:
    """CPU time used so far by this connection's PostgreSQL backend, when the server runs on this machine (the
    bench box): with other work competing for the cores, CPU seconds say what the sweep costs, wall time what it
    got."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        pid = cursor.fetchone()[0]
    try:
        with open(f"/proc/{pid}/stat", encoding="ascii") as stat:
            fields = stat.read().rsplit(")", 1)[1].split()
    except OSError:
        return None  # a remote database server
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")  # utime + stime


def _sweep_day(day: date) -> dict[str, Any]:
    from consultations.services.sweep import deadlines_sweep

    durations: list[float] = []
    handed: list[int] = []
    server_before = _backend_cpu_seconds()
    with _transaction_clock(durations), _outbox_counted(handed):
        started, cpu_started = time.perf_counter(), time.process_time()
        result = deadlines_sweep(today=day)
        seconds, client_cpu = time.perf_counter() - started, time.process_time() - cpu_started
    server_after = _backend_cpu_seconds()
    server_cpu = server_after - server_before if server_before is not None and server_after is not None else None
    items = result.reminders_sent + result.no_objection_recorded
    return {
        "today": day.isoformat(),
        "seconds": round(seconds, 3),
        "reminders_sent": result.reminders_sent,
        "no_objection_recorded": result.no_objection_recorded,
        "items": items,
        "items_per_second": round(items / seconds) if seconds else 0,
        "transactions": len(durations),
        "max_transaction_ms": round(max(durations, default=0.0) * 1000, 1),
        "p95_transaction_ms": round(_percentile(durations, 0.95) * 1000, 1),
        "median_transaction_ms": round(statistics.median(durations) * 1000, 1) if durations else 0.0,
        "outbox_messages": sum(handed),
        "client_cpu_seconds": round(client_cpu, 3),
        "server_cpu_seconds": round(server_cpu, 3) if server_cpu is not None else None,
    }


def measure(
    *,
    today: date | None = None,
    seed: int = BENCH_SEED,
    open_notifications: int = OPEN_NOTIFICATIONS,
    days: int = DAYS,
    ensure: bool = True,
) -> dict[str, Any]:
    """Seed the open notifications if missing (`ensure`), reset the bulk rows, and time the sweep on `days`
    successive days from `today` (default: the day after the seeding day; the days before it are swept first,
    untimed, as the hourly beat would have).

    Returns the worst day's figures at the top level (seconds, items, max/p95 transaction time) and every day
    under "days"."""
    from consultations.models.treaty import DEADLINE_RUNNING, TreatyNotification
    from seeding.bulk_consultations import bulk_seed_consultations, seeded_on

    seeding: dict[str, float] = {}
    there = TreatyNotification.objects.filter(their_reference__startswith=f"BULK-{seed}-OPEN-").count()
    if ensure and there < open_notifications:  # first use (the seed also reads every bulk application once)
        seeding = bulk_seed_consultations(seed=seed, open_notifications=open_notifications)
    seeded_day = seeded_on(seed)
    if seeded_day is None:
        raise RuntimeError(f"No open bulk notifications for seed {seed}: run with ensure=True first.")
    undone = reset(seed=seed, seeded_day=seeded_day)
    open_count = TreatyNotification.objects.filter(status__in=DEADLINE_RUNNING).count()
    # The seeding day itself passes no deadline (all were running then): start the day after, by default.
    first = today or seeded_day + timedelta(days=1)
    catch_up = [_sweep_day(seeded_day + timedelta(days=k)) for k in range((first - seeded_day).days)]
    runs = [_sweep_day(first + timedelta(days=k)) for k in range(days)]
    worst = max(runs, key=lambda run: run["seconds"])
    return {
        "seed": seed,
        "seeded_on": seeded_day.isoformat(),
        "open_notifications": open_count,
        "seeding_seconds": seeding.get("seconds"),
        "reset": undone,
        "caught_up_days": len(catch_up),
        **{key: worst[key] for key in worst if key != "today"},
        "worst_day": worst["today"],
        "max_transaction_ms": max(run["max_transaction_ms"] for run in runs),
        "p95_transaction_ms": max(run["p95_transaction_ms"] for run in runs),
        "days": runs,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seed", type=int, default=BENCH_SEED)
    parser.add_argument("--open", type=int, default=OPEN_NOTIFICATIONS, dest="open_notifications")
    parser.add_argument("--days", type=int, default=DAYS)
    parser.add_argument("--today", type=date.fromisoformat, default=None)
    parser.add_argument("--no-seed", action="store_false", dest="ensure", help="measure what is there")
    args = parser.parse_args()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.bench")
    import django

    django.setup()
    print(json.dumps(measure(**vars(args)), indent=2))


if __name__ == "__main__":
    main()
