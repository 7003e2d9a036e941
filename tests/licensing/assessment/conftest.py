"""Fixtures for the assessment tests: the national policy rules and the watch list, loaded as in production."""

from __future__ import annotations

import pytest

from licensing.services.check_lists import policy_rules_load, watch_list_load


@pytest.fixture
def policy_rules(db):  # type: ignore[no-untyped-def]
    return policy_rules_load()


@pytest.fixture
def watch_list(db):  # type: ignore[no-untyped-def]
    return watch_list_load()
