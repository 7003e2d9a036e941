"""The exporter's side: drafts, goods, parties, documents, submission, answers and withdrawal."""

from __future__ import annotations

import hashlib
import logging
import os
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

import filetype
from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import Count, Sum
from django.template.defaultfilters import filesizeformat
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop

from audit.models import Verb
from audit.services import record
from core.access import can
from core.exceptions import DomainValidationError, NotAllowed, TransitionNotAllowed
from core.i18n import gettext_lazy
from core.notifications import notice, notify
from core.texts import Words
from core.workdays import awb_suspended_days
from parties.models import HOME_STATE, Country, Organisation

from ..certificate_rules import end_user_certificate_required
from ..models import (
    MULTI_DESTINATION_TYPES,
    Application,
    ApplicationParty,
    ApplicationStatus,
    Currency,
    Document,
    DocumentKind,
    GoodsLine,
    InformationRequest,
    LicenceType,
    PartyRole,
    UNRegisterCategory,
)
from ..models.assessment import CheckTrigger
from ..models.treaty import TreatyTransfer
from ..transitions import Action
from .checks import checks_run
from .clock import recompute_deadlines
from .consultations import case_follow_consultations, consultations_close_with_case
from .money import ERR_CURRENCY, convert_to_eur
from .numbering import application_reference
from .treaty_share import share_compute, treaty_on_submission, treaty_submission_problems
from .workflow import application_transition, lock_application

logger = logging.getLogger(__name__)

MAX_QUANTITY = Decimal("1000000000")
MAX_UNIT_VALUE_EUR = Decimal("5000000000")
ALLOWED_DOCUMENT_TYPES = {"application/pdf", "image/png", "image/jpeg"}

ERR_NOT_DRAFT = gettext_lazy(
    "A submitted application cannot be changed. Answer a request for information or start a new version."
)
ERR_NOT_APPROVED_ORG = gettext_lazy("Your company's registration has not been approved yet, so you cannot submit.")
ERR_NO_GOODS = gettext_lazy("Add at least one goods line.")
ERR_NO_END_USER = gettext_lazy("Add the end user.")
ERR_NO_CONSIGNEE = gettext_lazy("Add the consignee.")
ERR_ONE_END_USER = gettext_lazy("An individual licence has exactly one end user; use a global licence for several.")
ERR_THIRD_PARTY_ROLE = gettext_lazy("Say what this third party does, for example freight forwarder or broker.")
ERR_DESTINATION_HOME = gettext_lazy(
    "The destination may not be the Netherlands: this register licenses exports and transfers out."
)
ERR_NO_END_USE = gettext_lazy("Describe the end use.")
ERR_NO_EUC = gettext_lazy("Upload the end-user certificate.")
ERR_NO_EUC_TREATY = gettext_lazy(
    "The de minimis rule does not apply to this transfer, so it is an ordinary transfer licence that needs an "
    "end-user certificate: upload it."
)
ERR_TRANSFER_OUTSIDE_EU = gettext_lazy(
    "An intra-EU transfer licence is only for destinations in another EU Member State."
)
ERR_QUANTITY = gettext_lazy("The quantity must be more than zero.")
ERR_QUANTITY_HUGE = gettext_lazy("The quantity is implausibly large; check the number and the unit.")
ERR_VALUE = gettext_lazy("The unit value must be more than zero.")
ERR_VALUE_HUGE = gettext_lazy("The value is implausibly large; check the amount and the currency.")
ERR_FILE_TOO_LARGE = gettext_lazy("The file is larger than the limit of {limit}.")
ERR_FILE_TYPE = gettext_lazy("Upload a PDF, PNG or JPEG file (the file's content was checked, not its name).")
ERR_FILE_NAME_MISMATCH = gettext_lazy(
    "The file's name says {ext} but its content is {kind}; rename it or upload the right file."
)
EXTENSION_TYPES = {".pdf": "application/pdf", ".png": "image/png", ".jpg": "image/jpeg", ".jpeg": "image/jpeg"}
ERR_FILE_EMPTY = gettext_lazy("The file is empty.")
ERR_FILE_NO_EXTENSION = gettext_lazy("The file's name has no extension; name it .{kind} and upload it again.")
# Quotas (issue 14): a company that is not approved yet drafts, but stores no files; an approved one stores at most
# settings.ORGANISATION_UPLOADS_PER_DAY files and ORGANISATION_UPLOAD_BYTES_PER_DAY bytes a day; an application has
# at most settings.APPLICATION_MAX_GOODS_LINES goods lines (10,000 lines made the case page take 5 s).
ERR_UPLOAD_NOT_APPROVED = _(
    "Your company's registration has not been approved yet, so you cannot upload files. You can fill in the rest."
)
ERR_UPLOAD_QUOTA = _(
    "Your company has reached today's upload limit ({files} files or {size}). Try again tomorrow or contact "
    "the licensing authority."
)
ERR_GOODS_LINES_CAP = _("An application has at most {limit} goods lines. Split the export over several applications.")
ERR_ANSWER_REQUIRED = gettext_lazy("Write your answer.")
ERR_UN_CATEGORY = gettext_lazy("Choose one of the UN Register categories, or none.")
ERR_PRODUCTION_COUNTRY = gettext_lazy("Choose the country where the goods were made.")
ERR_NO_OPEN_REQUEST = gettext_lazy("There is no open request for information on this case.")


def _validate_origin(un_register_category_id: str | None, production_country_id: str | None) -> None:
    """The UN Register category and the country of production, when given, must be known ones."""
    if un_register_category_id and not UNRegisterCategory.objects.filter(pk=un_register_category_id).exists():
        raise _err("un_register_category", ERR_UN_CATEGORY)
    if production_country_id and not Country.objects.filter(pk=production_country_id).exists():
        raise _err("production_country", ERR_PRODUCTION_COUNTRY)


def _err(field: str, message: str) -> DomainValidationError:
    return DomainValidationError(message, field_errors={field: [message]})


def _lock_draft(*, actor: Any, application_id: int, expected_version: int | None = None) -> Application:
    application = lock_application(pk=application_id, expected_version=expected_version)
    if application.organisation_id != actor.organisation_id:
        raise NotAllowed("This case belongs to another organisation.")
    if application.status != ApplicationStatus.DRAFT:
        raise TransitionNotAllowed(ERR_NOT_DRAFT)
    return application


def _touch(application: Application, *, actor: Any, what: str, payload: dict[str, Any] | None = None) -> None:
    """Bump the version, refresh totals and search text, and audit a change to a draft."""
    total = application.goods.aggregate(total=Sum("value_eur"))["total"] or Decimal("0")
    application.total_value_eur = total
    end_user = application.parties.filter(role=PartyRole.END_USER).order_by("id").first()
    application.destination_id = end_user.country_id if end_user else None
    _refresh_search_document(application)
    application.version += 1
    application._change_reason = what  # type: ignore[attr-defined]
    application.save(update_fields=["total_value_eur", "destination", "search_document", "version", "updated_at"])
    record(actor=actor, verb=Verb.APPLICATION_UPDATED, target=application, payload={"change": what, **(payload or {})})


def _refresh_search_document(application: Application) -> None:
    parts = [application.reference, application.title, application.organisation.name]
    if application.pk:
        parts += list(application.parties.values_list("name", flat=True))
        parts += list(application.goods.values_list("description", flat=True))
        parts += list(application.goods.values_list("part_numbers", flat=True))
    application.search_document = " ".join(p for p in parts if p).lower()


@transaction.atomic(durable=True)
def application_create(
    *,
    actor: Any,
    licence_type: str,
    title: str,
    end_use: str = "",
    intended_shipment_date: date | None = None,
    related_licences: str = "",
) -> Application:
    if not can(actor, "portal.use"):
        raise NotAllowed("Only exporters create applications.")
    if licence_type not in LicenceType.values:
        raise _err("licence_type", "Choose a licence type from the list.")
    if not title.strip():
        raise _err("title", "Give the application a short title.")
    application = Application(
        reference=application_reference(timezone.localdate().year),
        organisation=actor.organisation,
        created_by=actor,
        licence_type=licence_type,
        title=title.strip(),
        end_use=end_use,
        intended_shipment_date=intended_shipment_date,
        related_licences=related_licences,
    )
    _refresh_search_document(application)
    application._change_reason = "draft created"  # type: ignore[attr-defined]
    application.save()
    record(
        actor=actor,
        verb=Verb.APPLICATION_CREATED,
        target=application,
        payload={"licence_type": licence_type, "reference": application.reference},
    )
    return application


@transaction.atomic(durable=True)
def application_update(*, actor: Any, application_id: int, expected_version: int, **fields: Any) -> Application:
    """Change a draft's own fields (title, end use, shipment date, related licences)."""
    allowed = {"title", "end_use", "intended_shipment_date", "related_licences", "licence_type"}
    unknown = set(fields) - allowed
    if unknown:
        raise _err(sorted(unknown)[0], "This field cannot be changed here.")
    application = _lock_draft(actor=actor, application_id=application_id, expected_version=expected_version)
    if "licence_type" in fields and fields["licence_type"] not in LicenceType.values:
        raise _err("licence_type", "Choose a licence type from the list.")
    if "title" in fields and not str(fields["title"]).strip():
        raise _err("title", "Give the application a short title.")
    changed = {}
    for name, value in fields.items():
        if getattr(application, name) != value:
            changed[name] = str(value)
            setattr(application, name, value)
    application.save(update_fields=[*fields.keys()])
    _touch(application, actor=actor, what="details changed", payload={"fields": changed})
    return application


def _validate_goods(quantity: Decimal, unit_value: Decimal, currency: str) -> None:
    errors: dict[str, list[str]] = {}
    if quantity is None or quantity <= 0:
        errors["quantity"] = [ERR_QUANTITY]
    elif quantity > MAX_QUANTITY:
        errors["quantity"] = [ERR_QUANTITY_HUGE]
    if unit_value is None or unit_value <= 0:
        errors["unit_value"] = [ERR_VALUE]
    if currency not in Currency.values:
        errors["currency"] = [ERR_CURRENCY]
    if errors:
        raise DomainValidationError(next(iter(errors.values()))[0], field_errors=errors)


@transaction.atomic(durable=True)
def goods_line_save(
    *,
    actor: Any,
    application_id: int,
    description: str,
    ml_category_id: str,
    quantity: Decimal,
    unit: str,
    unit_value: Decimal,
    currency: str,
    ml_sub_item: str = "",
    is_component: bool = False,
    part_numbers: str = "",
    line_id: int | None = None,
    un_register_category_id: str | None = None,
    production_country_id: str | None = None,
) -> GoodsLine:
    """Add a goods line to a draft, or change one (line_id). The UN Register category and the country of
    production: None leaves them as they are (a new line: none, made in the home state); "" clears them."""
    application = _lock_draft(actor=actor, application_id=application_id)
    _validate_goods(quantity, unit_value, currency)
    _validate_origin(un_register_category_id, production_country_id)
    money = convert_to_eur(amount=quantity * unit_value, currency=currency, on=timezone.localdate())
    if money.value_eur > MAX_UNIT_VALUE_EUR:
        raise _err("unit_value", ERR_VALUE_HUGE)
    line = application.goods.get(pk=line_id) if line_id else GoodsLine(application=application)
    if not line_id:
        count, limit = application.goods.count(), settings.APPLICATION_MAX_GOODS_LINES
        if count >= limit:
            raise _err("goods", str(ERR_GOODS_LINES_CAP).format(limit=limit))
        line.position = count + 1
    for name, value in {
        "description": description.strip(),
        "ml_category_id": ml_category_id,
        "ml_sub_item": ml_sub_item,
        "quantity": quantity,
        "unit": unit,
        "unit_value": unit_value,
        "currency": currency,
        "exchange_rate": money.rate,
        "rate_date": money.rate_date,
        "value_eur": money.value_eur,
        "is_component": is_component,
        "part_numbers": part_numbers,
    }.items():
        setattr(line, name, value)
    if un_register_category_id is not None:
        line.un_register_category_id = un_register_category_id or None
    if production_country_id is not None:
        line.production_country_id = production_country_id or None
    line.full_clean(exclude=["application"])
    line._change_reason = "goods line saved"  # type: ignore[attr-defined]
    line.save()
    _touch(application, actor=actor, what="goods line saved", payload={"line": line.pk, "value_eur": money.value_eur})
    return line


@transaction.atomic(durable=True)
def goods_line_remove(*, actor: Any, application_id: int, line_id: int) -> None:
    application = _lock_draft(actor=actor, application_id=application_id)
    line = application.goods.get(pk=line_id)
    line._change_reason = "goods line removed"  # type: ignore[attr-defined]
    line.delete()
    _touch(application, actor=actor, what="goods line removed", payload={"line": line_id})


@transaction.atomic(durable=True)
def party_save(
    *,
    actor: Any,
    application_id: int,
    role: str,
    name: str,
    address: str,
    country_id: str,
    party_type: str,
    third_party_role: str = "",
    party_id: int | None = None,
) -> ApplicationParty:
    # What a third party does is asked of third parties only (intermediate consignee, broker, forwarder); for
    # any other role the field means nothing and is not kept.
    third_party_role = third_party_role.strip() if role == PartyRole.THIRD_PARTY else ""
    if role == PartyRole.THIRD_PARTY and not third_party_role:
        raise _err("third_party_role", ERR_THIRD_PARTY_ROLE)
    application = _lock_draft(actor=actor, application_id=application_id)
    party = application.parties.get(pk=party_id) if party_id else ApplicationParty(application=application)
    for field, value in {
        "role": role,
        "name": name.strip(),
        "address": address.strip(),
        "country_id": country_id,
        "party_type": party_type,
        "third_party_role": third_party_role,
    }.items():
        setattr(party, field, value)
    party.full_clean(exclude=["application"])
    if role in (PartyRole.END_USER, PartyRole.CONSIGNEE) and country_id == HOME_STATE:
        raise _err("country", ERR_DESTINATION_HOME)
    party._change_reason = "party saved"  # type: ignore[attr-defined]
    party.save()
    _touch(application, actor=actor, what="party saved", payload={"party": party.pk, "role": role})
    return party


@transaction.atomic(durable=True)
def party_remove(*, actor: Any, application_id: int, party_id: int) -> None:
    application = _lock_draft(actor=actor, application_id=application_id)
    party = application.parties.get(pk=party_id)
    party._change_reason = "party removed"  # type: ignore[attr-defined]
    party.delete()
    _touch(application, actor=actor, what="party removed", payload={"party": party_id})


def _checked_file(upload: UploadedFile) -> tuple[str, str]:
    """Check size and type by content (not by name); return (content type, sha256)."""
    limit = settings.DOCUMENT_MAX_BYTES
    if upload.size is None or upload.size == 0:
        raise _err("file", ERR_FILE_EMPTY)
    if upload.size > limit:
        raise _err("file", ERR_FILE_TOO_LARGE.format(limit=filesizeformat(limit)))
    head = upload.read(8192)
    upload.seek(0)
    kind = filetype.guess(head)
    if kind is None or kind.mime not in ALLOWED_DOCUMENT_TYPES:
        raise _err("file", ERR_FILE_TYPE)
    # A name that promises another type than the content is refused too: the officer opens files by name.
    # A name with no or another extension (a PDF/HTML polyglot named x.html) is refused as well (issue 14).
    ext = os.path.splitext(upload.name or "")[1].lower()
    if not ext:
        raise _err("file", ERR_FILE_NO_EXTENSION.format(kind=kind.extension))
    if EXTENSION_TYPES.get(ext) != kind.mime:
        raise _err("file", ERR_FILE_NAME_MISMATCH.format(ext=ext, kind=kind.extension.upper()))
    digest = hashlib.sha256()
    for chunk in upload.chunks():
        digest.update(chunk)
    upload.seek(0)
    return kind.mime, digest.hexdigest()


def _enqueue_scan(document_id: int) -> None:
    """Hand the new document to the virus scanner; if the broker is down, the rescan sweep picks it up."""
    from ..tasks import document_scan  # tasks import the services: import at call time

    try:
        document_scan.delay(document_id)
    except Exception:  # broker down: documents_rescan_pending finds the document later
        logger.warning("Broker unavailable; document %s left for the rescan sweep", document_id)


def _check_upload_quota(*, actor: Any, application: Application, size: int) -> None:
    if not can(actor, "portal.upload"):
        raise NotAllowed(str(ERR_UPLOAD_NOT_APPROVED))
    # Lock the organisation: two uploads at once must not both pass the last free place in the quota.
    Organisation.objects.select_for_update().filter(pk=application.organisation_id).first()
    since = timezone.now() - timedelta(days=1)
    used = Document.objects.filter(application__organisation_id=application.organisation_id, uploaded_at__gte=since)
    totals = used.aggregate(files=Count("pk"), size=Sum("size"))
    max_files, max_bytes = settings.ORGANISATION_UPLOADS_PER_DAY, settings.ORGANISATION_UPLOAD_BYTES_PER_DAY
    if totals["files"] + 1 > max_files or (totals["size"] or 0) + size > max_bytes:
        raise _err("file", str(ERR_UPLOAD_QUOTA).format(files=max_files, size=filesizeformat(max_bytes)))


def _store_document(
    *,
    actor: Any,
    application: Application,
    kind: str,
    upload: UploadedFile,
    information_request: InformationRequest | None = None,
) -> Document:
    if kind not in DocumentKind.values:
        raise _err("kind", "Choose the kind of document.")
    _check_upload_quota(actor=actor, application=application, size=upload.size or 0)
    mime, sha = _checked_file(upload)
    document = Document(
        application=application,
        information_request=information_request,
        kind=kind,
        original_name=(upload.name or "document")[:255],
        content_type=mime,
        size=upload.size or 0,
        sha256=sha,
        uploaded_by=actor,
    )
    document.file.save(f"{application.reference}-{sha[:12]}", upload, save=False)
    document._change_reason = "document uploaded"  # type: ignore[attr-defined]
    document.save()
    record(
        actor=actor,
        verb=Verb.DOCUMENT_UPLOADED,
        target=document,
        payload={"application": application.reference, "kind": kind, "sha256": sha, "size": document.size},
    )
    # Every upload is scanned by clamd in a task (licensing/virus_scan.py), after the row is committed.
    transaction.on_commit(lambda: _enqueue_scan(document.pk))
    return document


@transaction.atomic(durable=True)
def document_upload(*, actor: Any, application_id: int, kind: str, upload: UploadedFile) -> Document:
    application = _lock_draft(actor=actor, application_id=application_id)
    document = _store_document(actor=actor, application=application, kind=kind, upload=upload)
    _touch(application, actor=actor, what="document uploaded", payload={"document": document.pk})
    return document


def _needs_end_user_certificate(application: Application) -> bool:
    """Every application needs the end-user certificate except a treaty transfer to which the de minimis rule
    applies (../shared/domain/README.md: "No end-user certificate or no-re-export certificate is required").

    Whether the rule applies is worked out here as it will be on submission (today is the application date), on
    the draft's current goods and details, never read from a result stored before the goods changed. A share
    above the threshold (20.00 % still qualifies, 20.01 % does not) or an item on the exclusion annex makes it an
    ordinary transfer licence: the certificate is then required like any other. A draft without treaty details
    is told to enter them first (treaty_submission_problems); the certificate question waits for them.
    """
    if application.licence_type != LicenceType.TREATY_COMPONENT:
        return end_user_certificate_required(licence_type=application.licence_type, de_minimis=False)
    transfer = TreatyTransfer.objects.filter(application_id=application.pk).select_related("final_system").first()
    if transfer is None:
        return False
    transfer.application = application
    try:
        share_compute(transfer, on=timezone.localdate())
    except DomainValidationError:
        return False  # the submission itself reports the treaty details' error on its field
    return end_user_certificate_required(licence_type=application.licence_type, de_minimis=transfer.de_minimis)


def submission_problems(application: Application) -> dict[str, list[str]]:
    """What still stops a draft from being submitted, by field (shown on the draft before the exporter tries)."""
    problems: dict[str, list[str]] = {}
    for field, messages in treaty_submission_problems(application).items():
        problems.setdefault(field, []).extend(messages)
    parties = list(application.parties.all())
    end_users = [p for p in parties if p.role == PartyRole.END_USER]
    if not application.goods.exists():
        problems.setdefault("goods", []).append(ERR_NO_GOODS)
    if not end_users:
        problems.setdefault("parties", []).append(ERR_NO_END_USER)
    elif len(end_users) > 1 and application.licence_type not in MULTI_DESTINATION_TYPES:
        problems.setdefault("parties", []).append(ERR_ONE_END_USER)
    if not any(p.role == PartyRole.CONSIGNEE for p in parties):
        problems.setdefault("parties", []).append(ERR_NO_CONSIGNEE)
    if any(p.country_id == HOME_STATE for p in parties if p.role in (PartyRole.END_USER, PartyRole.CONSIGNEE)):
        problems.setdefault("parties", []).append(ERR_DESTINATION_HOME)
    if not application.end_use.strip():
        problems.setdefault("end_use", []).append(ERR_NO_END_USE)
    if (
        _needs_end_user_certificate(application)
        and not application.documents.filter(kind=DocumentKind.END_USER_CERTIFICATE).exists()
    ):
        treaty = application.licence_type == LicenceType.TREATY_COMPONENT
        problems.setdefault("documents", []).append(ERR_NO_EUC_TREATY if treaty else ERR_NO_EUC)
    if application.licence_type in (LicenceType.TRANSFER_INDIVIDUAL, LicenceType.TRANSFER_GLOBAL) and end_users:
        from parties.memberships import is_member
        from parties.models import Bloc

        if not all(is_member(p.country_id, Bloc.EU, timezone.localdate()) for p in end_users):
            problems.setdefault("parties", []).append(ERR_TRANSFER_OUTSIDE_EU)
    return problems


@transaction.atomic(durable=True)
def application_submit(*, actor: Any, application_id: int, expected_version: int | None = None) -> Application:
    """Submit a draft: it is frozen from now on, and the Awb decision term starts."""
    if not can(actor, "portal.submit"):
        raise NotAllowed(ERR_NOT_APPROVED_ORG)
    application = _lock_draft(actor=actor, application_id=application_id, expected_version=expected_version)
    problems = submission_problems(application)
    if problems:
        raise DomainValidationError(next(iter(problems.values()))[0], field_errors=problems)
    application.submitted_at = timezone.now()
    application.received_on = timezone.localdate()
    recompute_deadlines(application)
    application_transition(
        application=application,
        action=Action.SUBMIT,
        actor=actor,
        payload={"legal_deadline": application.legal_deadline, "target_date": application.target_date},
        extra_fields=("submitted_at", "received_on", "legal_deadline", "target_date"),
    )
    # What the register works out on receipt, in this transaction: the automatic checks as of the day of
    # receipt, then (treaty component transfers) the de minimis rule as of the application date.
    checks_run(application=application, actor=actor, on=application.received_on, trigger=CheckTrigger.SUBMISSION)
    treaty_on_submission(application=application, actor=actor)
    return application


@transaction.atomic(durable=True)
def application_withdraw(*, actor: Any, application_id: int, reason: str) -> Application:
    application = lock_application(pk=application_id)
    application_transition(application=application, action=Action.WITHDRAW, actor=actor, reason=reason)
    consultations_close_with_case(application=application, actor=actor, reason=reason)
    if application.assigned_to_id:
        notify(
            users=[application.assigned_to],
            title=notice(gettext_lazy("{reference} was withdrawn by the exporter"), reference=application.reference),
            body=reason,
            link=f"/casework/cases/{application.pk}/",
            key=f"withdrawn:{application.pk}",
        )
    return application


@transaction.atomic(durable=True)
def information_provide(
    *, actor: Any, application_id: int, answer: str, uploads: list[tuple[str, UploadedFile]] | None = None
) -> InformationRequest:
    """The exporter answers the open request for information; the Awb clock runs again (Awb 4:15)."""
    if not answer.strip():
        raise _err("answer", ERR_ANSWER_REQUIRED)
    application = lock_application(pk=application_id)
    if application.organisation_id != actor.organisation_id:
        raise NotAllowed("This case belongs to another organisation.")
    request = application.information_requests.filter(answered_at__isnull=True).first()
    if request is None:
        raise TransitionNotAllowed(ERR_NO_OPEN_REQUEST)
    today = timezone.localdate()
    request.answer, request.answered_by = answer.strip(), actor
    request.answered_at, request.answered_on = timezone.now(), today
    request._change_reason = "information provided"  # type: ignore[attr-defined]
    request.save(update_fields=["answer", "answered_by", "answered_at", "answered_on"])
    for kind, upload in uploads or []:
        _store_document(actor=actor, application=application, kind=kind, upload=upload, information_request=request)
    # Awb 4:15(1)(a): from the day after the request up to (not including) the answer, or up to the end of the
    # answer-by term when the answer comes late (core.workdays.awb_suspended_days states the convention).
    # Days already added when the answer-by term passed unused (services/awb.py) are not added twice.
    paused = awb_suspended_days(request.requested_on, request.respond_by, today) - (
        request.suspension_counted_days or 0
    )
    paused = max(paused, 0)
    application.suspended_days += paused
    recompute_deadlines(application)
    application_transition(
        application=application,
        action=Action.PROVIDE_INFORMATION,
        actor=actor,
        payload={"paused_days": paused, "legal_deadline": application.legal_deadline},
        extra_fields=("suspended_days", "legal_deadline", "target_date"),
    )
    # A consultation opened while the exporter was asked holds the case again now that the clock runs.
    case_follow_consultations(
        application_id=application.pk, actor=actor, reason=Words(gettext_noop("information provided"))
    )
    if application.assigned_to_id:
        notify(
            users=[application.assigned_to],
            title=notice(gettext_lazy("{reference}: the exporter answered"), reference=application.reference),
            body=answer[:500],
            link=f"/casework/cases/{application.pk}/",
            key=f"answered:{request.pk}",
        )
    return request
