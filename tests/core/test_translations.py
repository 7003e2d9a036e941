"""Dutch is the default language, English one click away, and every user-facing string has a Dutch translation."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.test import override_settings

import config.settings.base as base_settings

EXTRACTED = [
    "audit",
    "config",
    "consultations",
    "core",
    "general_licences",
    "licensing",
    "parties",
    "reports",
    "templates",
]


def test_dutch_is_the_default_language_and_english_is_offered():
    assert base_settings.LANGUAGE_CODE == "nl"
    assert [code for code, _name in base_settings.LANGUAGES] == ["nl", "en"]
    assert "django.middleware.locale.LocaleMiddleware" in base_settings.MIDDLEWARE


@pytest.mark.django_db
def test_sign_in_page_opens_in_dutch_and_switches_to_english(client):
    with override_settings(LANGUAGE_CODE="nl"):
        dutch = client.get("/accounts/login/").content.decode()
        assert '<html lang="nl"' in dutch
        assert "Inloggen" in dutch
        response = client.post("/i18n/setlang/", {"language": "en", "next": "/accounts/login/"})
        assert response.status_code == 302
        english = client.get("/accounts/login/").content.decode()
    assert '<html lang="en"' in english
    assert "Sign in" in english or "Log in" in english


@pytest.mark.skipif(shutil.which("xgettext") is None, reason="needs GNU gettext (scripts/system-deps.sh)")
def test_every_message_has_a_dutch_translation(tmp_path: Path) -> None:
    """makemessages on a copy of the sources finds no message without a Dutch translation and none marked fuzzy
    (a changed English text whose old translation no longer fits)."""
    root = Path(settings.BASE_DIR)
    for name in EXTRACTED:
        shutil.copytree(root / name, tmp_path / name, ignore=shutil.ignore_patterns("__pycache__", "*.mo"))
    shutil.copytree(root / "locale", tmp_path / "locale", ignore=shutil.ignore_patterns("*.mo"))
    with override_settings(LOCALE_PATHS=[tmp_path / "locale"]):
        cwd = Path.cwd()
        try:
            os.chdir(tmp_path)
            call_command("makemessages", locale=["nl"], verbosity=0, no_obsolete=True)
        finally:
            os.chdir(cwd)
    po = tmp_path / "locale" / "nl" / "LC_MESSAGES" / "django.po"
    untranslated = _msgids("--untranslated", po)
    fuzzy = _msgids("--only-fuzzy", po)
    assert untranslated == [], f"{len(untranslated)} message(s) without a Dutch translation: {untranslated[:20]}"
    assert fuzzy == [], f"{len(fuzzy)} fuzzy message(s) to check: {fuzzy[:20]}"


def _msgids(flag: str, po: Path) -> list[str]:
    """The entries msgattrib selects, each as its msgid line(s); the header entry is left out."""
    output = subprocess.run(
        ["msgattrib", flag, "--no-wrap", "--no-location", str(po)],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    entries = [block for block in output.strip().split("\n\n") if block and "Project-Id-Version" not in block]
    return [" ".join(line for line in block.splitlines() if not line.startswith("#")) for block in entries]


# A message constant (ERR_…, MSG_…) is shown to a user: a plain string literal would never reach makemessages.
_UNMARKED_MESSAGE = re.compile(r'^((?:ERR|MSG)_[A-Z0-9_]+) = (?:"|\(\n\s+")', re.MULTILINE)


def test_every_message_constant_is_marked_for_translation() -> None:
    root = Path(settings.BASE_DIR)
    unmarked = [
        f"{path.relative_to(root)}: {match.group(1)}"
        for name in EXTRACTED
        if name != "templates"
        for path in sorted((root / name).rglob("*.py"))
        if "migrations" not in path.parts
        for match in _UNMARKED_MESSAGE.finditer(path.read_text())
    ]
    assert unmarked == [], f"message constants not marked for translation: {unmarked}"
