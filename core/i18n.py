"""Reference data in the reader's language: rows carry an English and a Dutch text, the active language picks one."""

from __future__ import annotations

from collections.abc import Callable
from typing import cast

from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _django_gettext_lazy


def in_language(*, en: str, nl: str) -> str:
    """The Dutch text when Dutch is active and the row has one, else the English text."""
    language = get_language() or ""
    return nl if language.startswith("nl") and nl else en


def field_in_language(*, en: str, nl: str) -> str:
    """The name of the column to read or sort by in the active language (for values_list and order_by)."""
    language = get_language() or ""
    return nl if language.startswith("nl") else en


# Message constants (ERR_*, MSG_*) are translated when shown, not when their module loads. A lazy translation
# formats, compares and joins like a str, so it is typed as one here; makemessages finds the calls by this name.
gettext_lazy: Callable[[str], str] = cast(Callable[[str], str], _django_gettext_lazy)
