"""PDF documents the register issues (licence, refusal letter), rendered with WeasyPrint from templates."""

from __future__ import annotations

from django.conf import settings
from django.utils.translation import override

from core.documents import render_pdf
from core.formatting import format_amount, format_money

from .models import Licence, PartyRole
from .models.parliament import ParliamentInformation


def licence_pdf(licence: Licence) -> bytes:
    goods = list(licence.goods.select_related("ml_category"))
    application = licence.application
    parties = list(application.parties.select_related("country"))
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
