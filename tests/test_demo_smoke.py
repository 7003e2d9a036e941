"""The zero-setup demo on SQLite: migrate, load reference data, seed, render the main pages as every role."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


@pytest.mark.sqlite
def test_demo_migrates_seeds_and_renders_on_sqlite_when_run_from_scratch(tmp_path):
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.local",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'demo.sqlite3'}",
        "REDIS_URL": "",
        "MEDIA_ROOT": str(tmp_path / "media"),
    }

    def run(*args: str) -> str:
        result = subprocess.run(
            [sys.executable, *args],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
            timeout=600,
            check=False,
        )
        assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
        return result.stdout

    run("manage.py", "migrate", "--noinput", "-v0")
    run("manage.py", "load_reference_data")
    seeded = run("manage.py", "seed_demo")
    assert "officer@demo.exportregister.nl" in seeded
    again = run("manage.py", "seed_demo")  # idempotent
    assert "Demo data ready" in again
    output = run("scripts/demo_smoke.py")
    assert "rendered" in output
    assert int(output.strip().splitlines()[-1].split()[1]) >= 9
