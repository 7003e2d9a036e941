"""Display names for the codes the aggregate queries group by, fetched once per report."""

from __future__ import annotations

from collections.abc import Iterable

from django.utils.translation import get_language
from django.utils.translation import gettext as _

from core.i18n import field_in_language
from licensing.models import MLCategory
from parties.models import Country


class _Names(dict[str | None, str]):
    """Country names that answer a code missing from the register with the code itself."""

    def __missing__(self, code: str | None) -> str:
        return str(code)


def country_names(codes: Iterable[str | None] | None = None) -> dict[str | None, str]:
    """ISO code -> name in the current language; None (a licence for several destinations) gets a label. Without
    `codes`, every country of the register (a hundred rows): one statement for a report that names countries from
    several tables."""
    dutch = (get_language() or "").startswith("nl")
    names = _Names({None: _("Several destinations")})
    countries = Country.objects.all()
    if codes is not None:
        countries = countries.filter(iso2__in={c for c in codes if c})
    for iso2, name_en, name_nl in countries.values_list("iso2", "name_en", "name_nl"):
        names[iso2] = (name_nl or name_en) if dutch else name_en
    return names


def ml_order() -> dict[str, int]:
    """ML category code -> its number, so ML2 sorts before ML10."""
    return dict(MLCategory.objects.values_list("code", "number"))


def ml_titles() -> dict[str, str]:
    return dict(MLCategory.objects.values_list("code", field_in_language(en="short_title", nl="short_title_nl")))
