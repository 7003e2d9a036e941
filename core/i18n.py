"""Reference data in the reader's language: rows carry an English and a Dutch text, the active language picks one."""

from __future__ import annotations

from django.utils.translation import get_language


def in_language(*, en: str, nl: str) -> str:
    """The Dutch text when Dutch is active and the row has one, else the English text."""
    language = get_language() or ""
    return nl if language.startswith("nl") and nl else en


def field_in_language(*, en: str, nl: str) -> str:
    """The name of the column to read or sort by in the active language (for values_list and order_by)."""
    language = get_language() or ""
    return nl if language.startswith("nl") else en
