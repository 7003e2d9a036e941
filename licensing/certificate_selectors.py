"""Reads of certificates for one application: the end-user certificate it relies on, the organisation's
certificates that could serve it (same end user's country, still valid), and certificates of integration asked.
Callers pass an application already read through a scoped selector (licensing.selectors.application_get_for)."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.http import Http404
from django.utils import timezone

from core.access import can

from .models import Application, CertificateUse, EndUserCertificate, IntegrationCertificateRequest, PartyRole


def certificate_use_of(application: Application) -> CertificateUse | None:
    return CertificateUse.objects.select_related("certificate").filter(application=application).first()


def reusable_certificates_for(application: Application) -> QuerySet[EndUserCertificate]:
    """The organisation's certificates for the end user's country that are valid today (the index
    euc_org_country_valid); the service checks the name when one is attached."""
    end_user = application.parties.filter(role=PartyRole.END_USER).order_by("id").first()
    if end_user is None:
        return EndUserCertificate.objects.none()
    today = timezone.localdate()
    return EndUserCertificate.objects.filter(
        organisation_id=application.organisation_id,
        end_user_country_id=end_user.country_id,
        valid_until__gte=today,
        issued_on__lte=today,
    ).order_by("-issued_on")


def integration_requests_of(application: Application) -> list[IntegrationCertificateRequest]:
    return list(application.integration_certificates.select_related("document", "requested_by"))


def certificate_list_for(*, user: Any) -> QuerySet[EndUserCertificate]:
    """The exporter's own organisation's end-user certificates, latest first; nobody else's (staff have none)."""
    if not can(user, "portal.use"):
        return EndUserCertificate.objects.none()
    return (
        EndUserCertificate.objects.filter(organisation_id=user.organisation_id)
        .select_related("end_user_country")
        .order_by("-issued_on", "-id")
    )


def certificate_get_for(*, user: Any, pk: int) -> EndUserCertificate:
    """One certificate of the caller's organisation; another organisation's is a 404, like a missing one."""
    try:
        return certificate_list_for(user=user).get(pk=pk)
    except EndUserCertificate.DoesNotExist as exc:
        raise Http404("No such certificate") from exc
