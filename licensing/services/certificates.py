"""End-user certificates as data: the exporter registers one once and attaches it to each application for the
same end user while it is valid (rules in licensing/certificate_rules.py)."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone

from audit.models import Verb
from audit.services import record
from core.exceptions import DomainValidationError, NotAllowed

from ..certificate_rules import certificate_problems
from ..models import CertificateUse, EndUserCertificate, PartyRole
from .applications import _lock_draft

ERR_EUC_DATES = "The certificate cannot be valid until a day before its date of issue."
ERR_EUC_DUPLICATE = "You already registered certificate {number} from this issuer."
ERR_EUC_REQUIRED = "Fill in the issuer, the number and the end user named in the certificate."
ERR_EUC_OTHER_ORGANISATION = "This certificate belongs to another organisation."


def _err(field: str, message: str) -> DomainValidationError:
    return DomainValidationError(message, field_errors={field: [message]})


@transaction.atomic(durable=True)
def end_user_certificate_register(
    *,
    actor: Any,
    issuer: str,
    number: str,
    issued_on: date,
    valid_until: date,
    re_export_clause: bool,
    end_user_name: str,
    end_user_country_id: str,
) -> EndUserCertificate:
    for field, value in (("issuer", issuer), ("number", number), ("end_user_name", end_user_name)):
        if not value.strip():
            raise _err(field, ERR_EUC_REQUIRED)
    if valid_until < issued_on:
        raise _err("valid_until", ERR_EUC_DATES)
    certificate = EndUserCertificate(
        organisation_id=actor.organisation_id,
        issuer=issuer.strip(),
        number=number.strip(),
        issued_on=issued_on,
        valid_until=valid_until,
        re_export_clause=re_export_clause,
        end_user_name=end_user_name.strip(),
        end_user_country_id=end_user_country_id,
        created_by=actor,
    )
    certificate._change_reason = "end-user certificate registered"  # type: ignore[attr-defined]
    try:
        # Savepoint: the unique constraint answers two colleagues registering the same number at once.
        with transaction.atomic():
            certificate.save()
    except IntegrityError as exc:
        raise _err("number", ERR_EUC_DUPLICATE.format(number=number.strip())) from exc
    record(
        actor=actor,
        verb=Verb.END_USER_CERTIFICATE_REGISTERED,
        target=certificate,
        payload={"number": certificate.number, "issuer": certificate.issuer, "valid_until": valid_until},
    )
    return certificate


@transaction.atomic(durable=True)
def end_user_certificate_attach(*, actor: Any, application_id: int, certificate_id: int) -> CertificateUse:
    """Rely on a registered certificate for a draft: it must name the draft's end user and be valid today."""
    application = _lock_draft(actor=actor, application_id=application_id)
    certificate = EndUserCertificate.objects.get(pk=certificate_id)
    if certificate.organisation_id != application.organisation_id:
        raise NotAllowed(ERR_EUC_OTHER_ORGANISATION)
    end_user = application.parties.filter(role=PartyRole.END_USER).order_by("id").first()
    problems = certificate_problems(certificate, end_user, timezone.localdate())
    if problems:
        raise DomainValidationError(problems[0], field_errors={"certificate": problems})
    use, _created = CertificateUse.objects.update_or_create(
        application=application, defaults={"certificate": certificate, "attached_by": actor}
    )
    record(
        actor=actor,
        verb=Verb.END_USER_CERTIFICATE_ATTACHED,
        target=application,
        payload={"certificate": certificate.pk, "number": certificate.number},
    )
    return use
