"""An officer's corrections to what the exporter stated, after submission: a goods line's Military List rating,
and a treaty transfer's details. Each needs a reason, which goes into the field history and the audit event, and
the de minimis rule is applied again as of the application date, so the decision rests on the corrected facts
(issue 13: the exclusion annex is matched on the goods' rating, and treaty details can be corrected).
"""

from __future__ import annotations

from typing import Any

from django.db import transaction

from audit.models import Verb
from audit.services import record
from core.access import can
from core.exceptions import DomainValidationError, NotAllowed, TransitionNotAllowed
from core.i18n import gettext_lazy
from parties.models import Country

from ..models import OPEN_STATUSES, Application, GoodsLine, LicenceType, MLCategory, UNRegisterCategory
from ..models.treaty import TreatyTransfer
from .applications import ERR_PRODUCTION_COUNTRY, ERR_UN_CATEGORY
from .treaty import TreatyDetails, details_apply, details_validate
from .treaty_share import treaty_rule_reapply
from .workflow import lock_application

ERR_NOT_OFFICER = gettext_lazy("Only a licensing officer corrects a submitted application.")
ERR_NOT_OPEN = gettext_lazy("Only an open case can be corrected; this one is a draft or has been decided.")
ERR_REASON_REQUIRED = gettext_lazy("Give the reason for the correction: it is kept in the case's history.")
ERR_NO_SUCH_LINE = gettext_lazy("This goods line is not part of this application.")
ERR_NO_CATEGORY = gettext_lazy("Choose a Military List category.")
ERR_NOT_TREATY = gettext_lazy("Only a treaty component transfer has treaty details to correct.")


def _lock_open_case(*, actor: Any, application_id: int, reason: str, expected_version: int | None) -> Application:
    if not can(actor, "casework.use"):
        raise NotAllowed(ERR_NOT_OFFICER)
    if not reason.strip():
        raise DomainValidationError(ERR_REASON_REQUIRED, field_errors={"reason": [ERR_REASON_REQUIRED]})
    # Row lock: a correction and a decision on the same case never interleave; the decision sees the new facts.
    application = lock_application(pk=application_id, expected_version=expected_version)
    if application.status not in OPEN_STATUSES:
        raise TransitionNotAllowed(ERR_NOT_OPEN)
    return application


def _bump(application: Application, reason: str) -> None:
    application.version += 1
    application._change_reason = reason  # type: ignore[attr-defined]
    application.save(update_fields=["version", "updated_at"])


@transaction.atomic(durable=True)
def goods_line_reclassify(
    *,
    actor: Any,
    application_id: int,
    line_id: int,
    ml_category_id: str,
    ml_sub_item: str,
    reason: str,
    expected_version: int | None = None,
    un_register_category_id: str | None = None,
    production_country_id: str | None = None,
) -> GoodsLine:
    """Correct a goods line's rating (ML category and sub-item, and when given its UN Register category and
    country of production: None leaves them, "" clears the UN category); a treaty transfer is assessed again."""
    application = _lock_open_case(
        actor=actor, application_id=application_id, reason=reason, expected_version=expected_version
    )
    line = GoodsLine.objects.filter(application=application, pk=line_id).first()
    if line is None:
        raise DomainValidationError(ERR_NO_SUCH_LINE, field_errors={"line": [ERR_NO_SUCH_LINE]})
    if not MLCategory.objects.filter(pk=ml_category_id).exists():
        raise DomainValidationError(ERR_NO_CATEGORY, field_errors={"ml_category": [ERR_NO_CATEGORY]})
    if un_register_category_id and not UNRegisterCategory.objects.filter(pk=un_register_category_id).exists():
        raise DomainValidationError(str(ERR_UN_CATEGORY), field_errors={"un_register_category": [str(ERR_UN_CATEGORY)]})
    if production_country_id is not None and not Country.objects.filter(pk=production_country_id).exists():
        message = str(ERR_PRODUCTION_COUNTRY)
        raise DomainValidationError(message, field_errors={"production_country": [message]})
    # The audit payload names the fields this correction touched: the rating always, the origin when given.
    attributes = {"ml_category": "ml_category_id", "ml_sub_item": "ml_sub_item"}
    if un_register_category_id is not None:
        attributes["un_register_category"] = "un_register_category_id"
    if production_country_id is not None:
        attributes["production_country"] = "production_country_id"
    fields = list(attributes)
    before = {name: getattr(line, attribute) for name, attribute in attributes.items()}
    line.ml_category_id = ml_category_id
    line.ml_sub_item = " ".join(ml_sub_item.split())
    if un_register_category_id is not None:
        line.un_register_category_id = un_register_category_id or None
    if production_country_id is not None:
        line.production_country_id = production_country_id
    line._change_reason = reason.strip()  # type: ignore[attr-defined]
    line.save(update_fields=fields)
    after = {name: getattr(line, attribute) for name, attribute in attributes.items()}
    _bump(application, reason.strip())
    record(
        actor=actor,
        verb=Verb.TREATY_TRANSFER_CORRECTED,
        target=application,
        reason=reason.strip(),
        payload={
            "line": line.pk,
            "before": before,
            "after": after,
        },
    )
    if application.licence_type == LicenceType.TREATY_COMPONENT and hasattr(application, "treaty_transfer"):
        treaty_rule_reapply(application=application, actor=actor, reason=reason.strip())
    return line


@transaction.atomic(durable=True)
def treaty_transfer_correct(
    *, actor: Any, application_id: int, details: TreatyDetails, reason: str, expected_version: int | None = None
) -> TreatyTransfer:
    """Correct a submitted transfer's details (final system, values, exclusion entry, follow-on) and apply the
    rule again as of the application date."""
    application = _lock_open_case(
        actor=actor, application_id=application_id, reason=reason, expected_version=expected_version
    )
    if application.licence_type != LicenceType.TREATY_COMPONENT:
        raise TransitionNotAllowed(ERR_NOT_TREATY)
    transfer = TreatyTransfer.objects.select_for_update().get(application=application)
    details_validate(details, application=application, on=application.received_on or application.created_at.date())
    before = {"final_system": transfer.final_system_id, "exclusion_entry": transfer.exclusion_entry_id}
    details_apply(transfer, details, actor=actor)
    transfer._change_reason = reason.strip()  # type: ignore[attr-defined]
    transfer.save()
    transfer.end_destinations.set(Country.objects.filter(pk__in=details.end_destination_ids))
    _bump(application, reason.strip())
    record(
        actor=actor,
        verb=Verb.TREATY_TRANSFER_CORRECTED,
        target=application,
        reason=reason.strip(),
        payload={
            "before": before,
            "after": {"final_system": transfer.final_system_id, "exclusion_entry": transfer.exclusion_entry_id},
            "gross_total_value": details.gross_total_value,
        },
    )
    return treaty_rule_reapply(application=application, actor=actor, reason=reason.strip())
