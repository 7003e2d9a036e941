"""{{ finding|finding_text }}: an amendment's stored check finding in the reader's language (licensing.check_texts)."""

from __future__ import annotations

from typing import Any

from django import template

from licensing.check_texts import finding_text as _finding_text

register = template.Library()


@register.filter
def finding_text(finding: dict[str, Any]) -> str:
    return _finding_text(finding)
