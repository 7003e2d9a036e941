"""End-user certificates as data: the exporter registers one once and attaches it to each application for the
same end user while it is valid (rules in licensing/certificate_rules.py)."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.contrib.auth import get_user_model
from django.db import IntegrityError, transaction
from django.utils import timezone

from audit.models import Verb
from audit.services import record
from core.access import require, require_officer
from core.exceptions import DomainValidationError, NotAllowed, TransitionNotAllowed
from core.i18n import gettext_lazy as _
from core.notifications import notify

from ..certificate_rules import certificate_problems
from ..models import (
    OPEN_STATUSES,
    Application,
    CertificateUse,
    DocumentKind,
    EndUserCertificate,
    IntegrationCertificateRequest,
    LicenceType,
    PartyRole,
)
from .applications import _lock_draft, _store_document

ERR_EUC_DATES = _("The certificate cannot be valid until a day before its date of issue.")
ERR_EUC_DUPLICATE = _("You already registered certificate {number} from this issuer.")
ERR_EUC_REQUIRED = _("Fill in the issuer, the number and the end user named in the certificate.")
ERR_EUC_OTHER_ORGANISATION = _("This certificate belongs to another organisation.")


def _err(field: str, message: str) -> DomainValidationError:
    return DomainValidationError(str(message), field_errors={field: [str(message)]})


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
    require(actor, "portal.use")
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


# --- Certificates of integration (treaty component transfers) ---------------------------------------------------

ERR_NOT_TREATY = _("A certificate of integration is asked only on a treaty component transfer.")
ERR_NOT_OPEN = _("The case is not open: nothing can be asked any more.")
ERR_REQUEST_OPEN = _("A certificate of integration is already asked on this case and not yet received.")
ERR_REQUEST_NOTE = _("Say what the certificate must show (the final system, the integrating company).")
ERR_ALREADY_RECEIVED = _("This certificate of integration has already been received.")
ERR_INTEGRATION_FIELDS = _("Fill in the integrating company, the certificate number and its date.")
ERR_INTEGRATION_FUTURE = _("The certificate cannot be dated after today.")


@transaction.atomic(durable=True)
def integration_certificate_request(*, actor: Any, application_id: int, note: str) -> IntegrationCertificateRequest:
    """An officer asks the exporter for a certificate of integration on a treaty component transfer."""
    require_officer(actor)
    if not note.strip():
        raise _err("note", ERR_REQUEST_NOTE)
    # Row lock on the case: two officers asking at once; the partial unique constraint would also refuse it.
    application = Application.objects.select_for_update().get(pk=application_id)
    if application.licence_type != LicenceType.TREATY_COMPONENT:
        raise TransitionNotAllowed(str(ERR_NOT_TREATY))
    if application.status not in OPEN_STATUSES:
        raise TransitionNotAllowed(str(ERR_NOT_OPEN))
    request = IntegrationCertificateRequest(application=application, note=note.strip(), requested_by=actor)
    request._history_user = actor  # type: ignore[attr-defined]
    request._change_reason = note.strip()  # type: ignore[attr-defined]
    try:
        with transaction.atomic():
            request.save()
    except IntegrityError as exc:
        raise TransitionNotAllowed(str(ERR_REQUEST_OPEN)) from exc
    record(actor=actor, verb=Verb.INTEGRATION_CERTIFICATE_REQUESTED, target=application,
           payload={"request": request.pk}, reason=note.strip())  # fmt: skip
    members = list(get_user_model().objects.filter(organisation_id=application.organisation_id, is_active=True))
    if members:
        notify(users=members, title=f"{application.reference}: certificate of integration asked",
               body=note.strip(), link=f"/portal/applications/{application.pk}/certificates/",
               key=f"integration-request:{request.pk}")  # fmt: skip
    return request


@transaction.atomic(durable=True)
def integration_certificate_receive(
    *, actor: Any, request_id: int, issuer: str, number: str, issued_on: date, upload: Any = None
) -> IntegrationCertificateRequest:
    """The exporter enters the certificate (and may upload the signed copy, scanned like every upload)."""
    require(actor, "portal.use")
    # Row lock: two colleagues answering the same request at once; the second finds it received.
    request = IntegrationCertificateRequest.objects.select_for_update().select_related("application").get(pk=request_id)
    application = request.application
    if application.organisation_id != actor.organisation_id:
        raise NotAllowed(ERR_EUC_OTHER_ORGANISATION)
    if request.received_at is not None:
        raise TransitionNotAllowed(str(ERR_ALREADY_RECEIVED))
    for field, value in (("issuer", issuer), ("number", number)):
        if not value.strip():
            raise _err(field, ERR_INTEGRATION_FIELDS)
    if issued_on > timezone.localdate():
        raise _err("issued_on", ERR_INTEGRATION_FUTURE)
    if upload is not None:
        request.document = _store_document(
            actor=actor, application=application, kind=DocumentKind.INTEGRATION_CERTIFICATE, upload=upload
        )
    request.issuer, request.number, request.issued_on = issuer.strip(), number.strip(), issued_on
    request.received_by, request.received_at = actor, timezone.now()
    request._history_user = actor  # type: ignore[attr-defined]
    request._change_reason = "certificate of integration received"  # type: ignore[attr-defined]
    request.save(update_fields=["issuer", "number", "issued_on", "document", "received_by", "received_at"])
    record(actor=actor, verb=Verb.INTEGRATION_CERTIFICATE_RECEIVED, target=application,
           payload={"request": request.pk, "number": request.number, "issuer": request.issuer,
                    "document": request.document_id})  # fmt: skip
    if application.assigned_to_id:
        notify(users=[application.assigned_to], title=f"{application.reference}: certificate of integration received",
               body=f"{request.issuer} {request.number}", link=f"/casework/cases/{application.pk}/",
               key=f"integration-received:{request.pk}")  # fmt: skip
    return request
