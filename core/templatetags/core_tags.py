from __future__ import annotations

from typing import Any

from django import template

register = template.Library()


@register.simple_tag(takes_context=True)
def query_replace(context: dict[str, Any], **kwargs: Any) -> str:
    """The current query string with some parameters replaced (keeps filters across pages)."""
    query = context["request"].GET.copy()
    for key, value in kwargs.items():
        query[key] = value
    return str(query.urlencode())
