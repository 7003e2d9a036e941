from __future__ import annotations

from typing import Any

from django import template
from django.utils.html import format_html

from core.formatting import format_amount, format_money

register = template.Library()


@register.simple_tag(takes_context=True)
def query_replace(context: dict[str, Any], **kwargs: Any) -> str:
    """The current query string with some parameters replaced (keeps filters across pages)."""
    query = context["request"].GET.copy()
    for key, value in kwargs.items():
        query[key] = value
    return str(query.urlencode())


@register.filter
def money(value: Any, currency: str = "EUR") -> str:
    """`{{ amount|money }}` or `{{ amount|money:line.currency }}`: "€ 1.250.000,00", never wrapped."""
    if value is None or value == "":
        return "—"
    return format_html('<span class="app-money">{}</span>', format_money(value, currency))


@register.filter
def amount(value: Any) -> str:
    """A number with two decimals in the language's format, for columns whose header names the currency."""
    if value is None or value == "":
        return "—"
    return format_html('<span class="app-money">{}</span>', format_amount(value))


@register.filter
def may(user: Any, capability: str) -> bool:
    """Whether the user has a capability of core.access, e.g. {% if user|may:"audit.view" %}: for links only;
    the view behind the link checks again."""
    from core.access import can

    return bool(can(user, capability))
