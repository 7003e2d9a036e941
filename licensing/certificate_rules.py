"""Is this end-user certificate good for this application? Pure functions of data, no writes.

Sources: Council Common Position 2008/944/CFSP, art. 5 (licences only on reliable prior knowledge of end use,
which generally requires a thorough check of the end-user certificate) and the User's Guide to the Common
Position (Council doc. 2019, section 2 "Best practices in the area of end-user certificates": the certificate
names the end user, is dated and numbered, and may carry a re-export clause). Validity is the certificate's
own: a certificate whose last day has passed, or that is not issued yet, supports no new application.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Protocol

from django.utils.formats import date_format

from core.i18n import gettext_lazy

from .models import EndUserCertificate, LicenceType


class NamedParty(Protocol):
    """An end user as an application (ApplicationParty) or a licence change (licensing.services.amendments) names
    it."""

    @property
    def name(self) -> str: ...

    @property
    def country_id(self) -> str: ...


@dataclass(frozen=True)
class EndUserNamed:
    """An end user named on a licence change, before it is a party of the licence."""

    name: str
    country_id: str


ERR_EUC_NOT_YET_VALID = gettext_lazy("The certificate is dated {issued}, after today: it cannot be relied on yet.")
ERR_EUC_EXPIRED = gettext_lazy("The certificate was valid until {until}; ask the end user for a new one.")
ERR_EUC_OTHER_END_USER = gettext_lazy(
    "The certificate names {named} ({country}), not this application's end user {end_user}."
)
ERR_EUC_NO_END_USER = gettext_lazy("Add the end user to the application before attaching the certificate.")


def end_user_certificate_required(*, licence_type: str, de_minimis: bool) -> bool:
    """Every export, and every new end user on a licence change, needs an end-user certificate, except a treaty
    component transfer to which the de minimis rule applies (../shared/domain/README.md, "Treaty: products for
    integration": "No end-user certificate or no-re-export certificate is required")."""
    return not (licence_type == LicenceType.TREATY_COMPONENT and de_minimis)


def _normalised(name: str) -> str:
    return " ".join(name.casefold().split())


def names_same_end_user(certificate: EndUserCertificate, party: NamedParty) -> bool:
    """Same country and the same name, ignoring case and spacing (the names are typed by the exporter)."""
    return certificate.end_user_country_id == party.country_id and _normalised(
        certificate.end_user_name
    ) == _normalised(party.name)


def certificate_problems(certificate: EndUserCertificate, end_user: NamedParty | None, on: date) -> list[str]:
    """Why `certificate` cannot support an application whose end user is `end_user`, on day `on`."""
    problems = []
    if on < certificate.issued_on:
        problems.append(ERR_EUC_NOT_YET_VALID.format(issued=date_format(certificate.issued_on)))
    if on > certificate.valid_until:
        problems.append(ERR_EUC_EXPIRED.format(until=date_format(certificate.valid_until)))
    if end_user is None:
        problems.append(ERR_EUC_NO_END_USER)
    elif not names_same_end_user(certificate, end_user):
        problems.append(
            ERR_EUC_OTHER_END_USER.format(
                named=certificate.end_user_name, country=certificate.end_user_country_id, end_user=end_user.name
            )
        )
    return problems
