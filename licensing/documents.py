"""PDF documents the register issues (licence, refusal letter), rendered with WeasyPrint from templates."""

from __future__ import annotations

from decimal import Decimal
from types import SimpleNamespace

from django.conf import settings
from django.utils.translation import override

from core.documents import render_pdf
from core.formatting import format_amount, format_money

from .models import Licence, LicenceVersion, PartyRole, PartyType, Unit
from .models.parliament import ParliamentInformation


def licence_pdf(licence: Licence) -> bytes:
    """The version in force: its own goods and parties (LicensedGoods, LicensedParty), not the application's."""
    goods = list(licence.goods.select_related("ml_category"))
    application = licence.application
    parties = list(licence.parties.select_related("country"))
    return render_pdf(
        "licensing/pdf/licence.html",
        {
            "licence": licence,
            "goods": goods,
            "application": application,
            "parties": parties,
            "organisation": licence.organisation,
        },
    )


def licence_version_pdf(version: LicenceVersion) -> bytes:
    """An earlier version, from what it froze (terms, goods, parties), for a version replaced before its PDF was
    rendered. The same template as the version in force, fed with the frozen rows."""
    from parties.models import Country

    licence = version.licence
    countries = Country.objects.in_bulk(
        [c for c in {version.destination_id, *(p["country"] for p in version.parties)} if c]
    )
    terms = SimpleNamespace(
        number=licence.number,
        terms_version=version.number,
        get_licence_type_display=licence.get_licence_type_display(),  # type: ignore[attr-defined]
        destination=countries.get(version.destination_id or ""),
        valid_from=version.valid_from,
        valid_until=version.valid_until,
        issued_at=version.issued_at,
        total_value_eur=version.total_value_eur,
        conditions=version.conditions,
    )
    goods = [
        SimpleNamespace(
            ml_category_id=g["ml_category"],
            description=g["description"],
            quantity=Decimal(g["quantity"]),
            get_unit_display=Unit(g["unit"]).label if g["unit"] in Unit.values else g["unit"],
            value_eur=Decimal(g["value_eur"]),
        )
        for g in version.goods
    ]
    parties = [
        SimpleNamespace(
            get_role_display=PartyRole(p["role"]).label,
            name=p["name"],
            address=p["address"],
            country=countries.get(p["country"]),
            get_party_type_display=PartyType(p["party_type"]).label,
        )
        for p in version.parties
    ]
    context = {
        "licence": terms,
        "goods": goods,
        "application": licence.application,
        "parties": parties,
        "organisation": licence.organisation,
    }
    return render_pdf("licensing/pdf/licence.html", context)


def parliament_letter_pdf(flag: ParliamentInformation) -> bytes:
    """The draft letter to parliament for a flagged decision (accelerated information), in Dutch."""
    from parties.models import Country

    application = flag.application
    with override(settings.LANGUAGE_CODE):  # names and amounts as the letter's language writes them
        names = {country.pk: country.name for country in Country.objects.filter(pk__in=flag.destinations)}
        goods = [
            {
                "description": line.description,
                "ml_category_id": line.ml_category_id,
                "value_text": format_amount(line.value_eur),
            }
            for line in application.goods.order_by("position", "pk")
        ]
        value_text, threshold_text = format_money(flag.value_eur), format_money(flag.rule.value_threshold_eur)
    end_users = list(
        application.parties.filter(role__in=[PartyRole.END_USER, PartyRole.ULTIMATE_END_USER]).select_related("country")
    )
    return render_pdf(
        "licensing/pdf/parliament_letter.html",
        {
            "flag": flag,
            "application": application,
            "licence": flag.licence,
            "goods": goods,
            "end_users": end_users,
            "destination_names": ", ".join(names.get(code, code) for code in flag.destinations),
            "value_text": value_text,
            "threshold_text": threshold_text,
        },
    )
