"""A Redis of the test's own, on a spare port, that the test may really stop and start (never the shared one)."""

from __future__ import annotations

import shutil
import socket
import subprocess
import time
from collections.abc import Iterator
from contextlib import contextmanager

import pytest
from celery import Celery


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class SpareRedis:
    def __init__(self, port: int) -> None:
        self.port = port
        self.url = f"redis://127.0.0.1:{port}/0"
        self.process: subprocess.Popen[bytes] | None = None

    def start(self) -> None:
        if shutil.which("redis-server") is None:
            pytest.fail("redis-server is needed for the Redis outage tests")
        self.process = subprocess.Popen(
            ["redis-server", "--port", str(self.port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        for _ in range(50):
            try:
                socket.create_connection(("127.0.0.1", self.port), timeout=0.2).close()
                return
            except OSError:
                time.sleep(0.1)
        raise RuntimeError("spare Redis did not start")

    def stop(self) -> None:
        if self.process is not None:
            self.process.terminate()
            self.process.wait(timeout=10)
            self.process = None


@contextmanager
def celery_app_on(url: str, name: str) -> Iterator[Celery]:
    """A Celery app of the test's own with its broker and results on ``url`` (not eager), current while the test
    runs. Afterwards the project's app is current and default again: celery's start_worker makes the app it runs
    the default for every thread, and a dead spare Redis left as the default made the live server's later tasks
    hang on it (CI stop 25: the virus-scan walk after the broker outage test on the same xdist worker)."""
    from config.celery import app

    own = Celery(name, set_as_current=False)
    own.config_from_object("django.conf:settings", namespace="CELERY")
    own.conf.update(broker_url=url, result_backend=url, task_always_eager=False)
    own.set_current()
    try:
        yield own
    finally:
        app.set_current()
        app.set_default()
