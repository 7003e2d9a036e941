"""Fixtures for the assessment tests. Until LicensingConfig.ready() imports licensing.assessment_hooks, importing
it here registers the hooks (submission checks, decision blockers, four eyes, refusal effects, case panels)."""

from __future__ import annotations

import pytest

import licensing.assessment_hooks  # noqa: F401  (registers the hooks)
from licensing.services.check_lists import policy_rules_load, watch_list_load


@pytest.fixture
def policy_rules(db):  # type: ignore[no-untyped-def]
    return policy_rules_load()


@pytest.fixture
def watch_list(db):  # type: ignore[no-untyped-def]
    return watch_list_load()
