"""Hand a task to the broker after the transaction commits, without letting a broker outage undo the request.

The work itself is already recorded in the database (an outbox message, a licence without its PDF, a queued
report run), so a beat sweep finds it again when Redis is back; the user's action stands and the page answers.
"""

from __future__ import annotations

import logging
from typing import Any

from django.db import transaction

logger = logging.getLogger(__name__)


def enqueue(task: Any, *args: Any) -> bool:
    """Publish now; False (and a warning) when the broker is unreachable."""
    try:
        task.delay(*args)
    except Exception:  # kombu/redis raise several types; any of them means "not published"
        logger.warning("Broker unavailable; %s%r left for its sweep", task.name, args)
        return False
    return True


def enqueue_on_commit(task: Any, *args: Any) -> None:
    transaction.on_commit(lambda: enqueue(task, *args))
