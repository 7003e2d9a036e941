"""Words a service stores now and a page puts into the reader's language later (issue 15; Awb 2:6).

A service that writes a text of its own (an audit reason such as "validity ended on 4 December 2026") keeps it as
`Words`: an English template with {named} fields, marked with gettext_noop where it is written, and its
parameters as plain JSON. The English text is stored where a text always was (the audit event's reason), so
exports and older readers keep working; `as_json()` goes beside it (the event's payload, "reason_words"), and
`words_text` says it in the active language when a page shows it.

Parameters: a str or number is shown as it is; {"date": "2026-12-04"} as the language's DATE_FORMAT;
{"label": "No objection"} (a choice label's English text) is translated; {"en": ..., "nl": ...} (a country's
names) picks the reader's language.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.utils.formats import date_format
from django.utils.translation import gettext, override

from .i18n import in_language

REASON_WORDS = "reason_words"  # the payload key of an audit event's reason as Words


@dataclass(frozen=True)
class Words:
    msgid: str
    params: dict[str, Any] = field(default_factory=dict)

    def english(self) -> str:
        with override("en"):
            return words_text(self.as_json())

    def as_json(self) -> dict[str, Any]:
        return {"msgid": self.msgid, "params": self.params}


def date_param(day: date) -> dict[str, str]:
    return {"date": day.isoformat()}


def label_param(label: Any) -> dict[str, str]:
    """A choice label (a lazy translation), kept as its English text so it can be translated when read."""
    with override("en"):
        return {"label": str(label)}


def _shown(value: Any) -> str:
    if isinstance(value, dict):
        if "date" in value:
            return str(date_format(date.fromisoformat(value["date"]), "DATE_FORMAT"))
        if "label" in value:
            return gettext(value["label"])
        if "en" in value:
            return in_language(en=value["en"], nl=value.get("nl", ""))
    return str(value)


def words_text(stored: dict[str, Any]) -> str:
    """Stored Words in the active language."""
    params = {name: _shown(value) for name, value in (stored.get("params") or {}).items()}
    return gettext(stored["msgid"]).format(**params)
