"""PDF documents rendered with WeasyPrint from templates (licence, refusal letter, audit history export)."""

from __future__ import annotations

import hashlib
from typing import Any

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import override


def render_pdf(template: str, context: dict[str, Any], *, language: str | None = None) -> bytes:
    """A document of the authority, in the authority's language (Awb 2:6: Dutch; settings.LANGUAGE_CODE),
    whatever language the person who triggered it reads the interface in; `language` for a document written for
    its reader (a report run, in the language it was asked in)."""
    from weasyprint import HTML  # imported here: loading Pango is slow and only PDF work needs it

    with override(language or settings.LANGUAGE_CODE):
        html = render_to_string(template, {**context, "generated_at": timezone.now()})
    return bytes(HTML(string=html).write_pdf())


def sha256(content: bytes) -> str:
    return hashlib.sha256(content).hexdigest()
