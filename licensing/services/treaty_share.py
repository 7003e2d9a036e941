"""The de minimis computation of a treaty transfer: the goods in EUR, the other transfers into the same final
system, the exclusion annex matched on the goods' rating, the parameters and parties on the application date.
The rule itself is licensing/treaty_rules.py (sources there); this module feeds it and stores the result with what
it used. "Application date" is the day the complete application was received (`received_on`); a draft is
computed as of today, and recomputed on submission.
"""

from __future__ import annotations

from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext

from audit.models import Verb
from audit.services import record
from core.exceptions import DomainValidationError
from core.formatting import format_amount
from core.i18n import gettext_lazy
from core.workdays import add_working_days
from parties.memberships import is_member
from parties.models import HOME_STATE, Bloc

from ..models import OPEN_STATUSES, Application, ApplicationStatus, LicenceType
from ..models.treaty import TreatyParameterName, TreatyTransfer
from ..treaty_rules import (
    COMPONENT_EXCEEDS_TOTAL,
    SERVICES_EXCEED_GROSS,
    SERVICES_NEGATIVE,
    TOTAL_NOT_POSITIVE,
    DeMinimisInput,
    Reason,
    assess_de_minimis,
    system_total_excluding_services,
)
from .clock import equated_holidays
from .money import convert_to_eur
from .treaty_parameters import exclusion_entries_on, parameter_on

ERR_NO_TRANSFER = gettext_lazy("Enter the treaty transfer details (final system and values) before submitting.")
ERR_SYSTEM_BELOW_COMPONENTS = gettext_lazy(
    "The final system's value excluding maintenance, spare parts, training and repairs (EUR {total}) is below the "
    "value of the Dutch components in it (EUR {components}: this application's goods)."
)
ERR_SYSTEM_BELOW_COMPONENTS_AND_EARLIER = gettext_lazy(
    "The final system's value excluding maintenance, spare parts, training and repairs (EUR {total}) is below the "
    "value of the Dutch components in it (EUR {components}: this application's goods plus EUR {earlier} of "
    "earlier approved transfers into the same system)."
)

# Which form field a rule-module error belongs to.
_RULE_ERROR_FIELDS = {
    TOTAL_NOT_POSITIVE: "gross_total_value",
    SERVICES_NEGATIVE: "maintenance_value",
    SERVICES_EXCEED_GROSS: "maintenance_value",
}


def _err(field: str, message: str) -> DomainValidationError:
    return DomainValidationError(message, field_errors={field: [message]})


def _rule_err(exc: ValueError) -> DomainValidationError:
    """A rule-module error (English, marked for translation there) on its form field, in the reader's language."""
    return _err(_RULE_ERROR_FIELDS.get(str(exc), "gross_total_value"), gettext(str(exc)))


def _rated_in(sub_item: str, covered: str) -> bool:
    """Whether a goods line's sub-item ("ML4.a.1") lies within a listed one ("ML4.a"); case and spaces ignored."""
    rating, listed = "".join(sub_item.split()).lower(), "".join(covered.split()).lower()
    return bool(listed) and (rating == listed or rating.startswith(listed + "."))


def _exclusion_hits(transfer: TreatyTransfer, on: date) -> list[Reason]:
    """Why the transfer is on the exclusion annex in force on `on` (empty: it is not).

    The goods' own rating decides, not only the exporter's tick (issue 13): an entry that names Military List
    sub-items excludes every goods line rated in one of them, and an entry naming a whole category excludes every
    line in that category. The entry the exporter chose excludes as well.
    """
    entries = list(exclusion_entries_on(on))
    hits: list[Reason] = []
    if transfer.exclusion_entry_id and any(entry.pk == transfer.exclusion_entry_id for entry in entries):
        hits.append(Reason("excluded_declared", {"entry": str(transfer.exclusion_entry)}))
    lines = list(transfer.application.goods.all()) if transfer.application_id else []
    for line in lines:
        for entry in entries:
            whole_category = not entry.description and entry.ml_category_id == line.ml_category_id
            sub_item = line.ml_sub_item and any(_rated_in(line.ml_sub_item, s) for s in entry.ml_sub_items.split())
            if whole_category or sub_item:
                rating = line.ml_sub_item or line.ml_category_id
                hits.append(
                    Reason("excluded_rating", {"position": line.position, "rating": rating, "entry": str(entry)})
                )
                break
    return hits


def _goods_value_eur(transfer: TreatyTransfer, on: date) -> Decimal:
    """The Dutch components: the application's goods lines in EUR at the stored rates in force on `on`."""
    if not transfer.application_id:
        return Decimal(0)
    total = Decimal(0)
    for line in transfer.application.goods.all():
        total += convert_to_eur(amount=line.quantity * line.unit_value, currency=line.currency, on=on).value_eur
    return total


def _other_transfers(transfer: TreatyTransfer) -> tuple[list[dict[str, Any]], Decimal, Decimal]:
    """The other transfers of Dutch components into the same final system: (listing, decided EUR, pending EUR).

    Approved transfers count towards the share; submitted, undecided ones only warn (they may yet be refused or
    withdrawn). Follow-on maintenance, spares, training and repairs are not part of the system's value, as the
    share's denominator leaves them out too, so they are not added. Drafts, refusals and withdrawals never count.
    """
    others = (
        TreatyTransfer.objects.filter(
            final_system_id=transfer.final_system_id,
            follow_on_of__isnull=True,
            application__status__in=[ApplicationStatus.APPROVED, *OPEN_STATUSES],
        )
        .exclude(application_id=transfer.application_id)
        .select_related("application")
        .order_by("application__submitted_at", "application_id")
    )
    listing: list[dict[str, Any]] = []
    decided = pending = Decimal(0)
    for other in others:
        approved = other.application.status == ApplicationStatus.APPROVED
        if approved:
            decided += other.component_value_eur
        else:
            pending += other.component_value_eur
        listing.append(
            {
                "application_id": other.application_id,
                "reference": other.application.reference,
                "organisation_id": other.application.organisation_id,
                "value_eur": str(other.component_value_eur),
                "status": other.application.status,
                "counts": approved,
            }
        )
    return listing, decided, pending


def share_compute(transfer: TreatyTransfer, *, on: date) -> None:
    """Convert to EUR as of `on`, add the earlier transfers into the same final system, apply the rule with the
    parameters and parties of `on`, and store the result with what it used."""
    try:
        net_total = system_total_excluding_services(
            transfer.gross_total_value,
            transfer.maintenance_value,
            transfer.spares_value,
            transfer.training_value,
            transfer.repairs_value,
        )
    except ValueError as exc:
        raise _rule_err(exc) from exc
    system = convert_to_eur(amount=net_total, currency=transfer.system_currency, on=on)
    goods_eur = _goods_value_eur(transfer, on)
    is_follow_on = transfer.follow_on_of_id is not None
    listing, decided, pending = _other_transfers(transfer) if not is_follow_on else ([], Decimal(0), Decimal(0))
    components = goods_eur + decided
    threshold = parameter_on(TreatyParameterName.DE_MINIMIS_THRESHOLD, on)
    exclusion_hits = _exclusion_hits(transfer, on)
    follow_on = (
        transfer.follow_on_of_id is not None
        and TreatyTransfer.objects.filter(application_id=transfer.follow_on_of_id, de_minimis=True).exists()
    )
    inp = DeMinimisInput(
        component_value_eur=components,
        system_total_value_eur=system.value_eur,
        excluded_item=bool(exclusion_hits),
        # The recipient's state is the integrator's: both states must be parties on the application date.
        recipient_state_is_party=is_member(transfer.final_system.integrator_country_id, Bloc.TREATY, on),
        home_state_is_party=is_member(HOME_STATE, Bloc.TREATY, on),
        follow_on_of_de_minimis=follow_on,
    )
    try:
        result = assess_de_minimis(inp, threshold_percent=threshold.as_decimal)
    except ValueError as exc:
        if str(exc) == COMPONENT_EXCEEDS_TOTAL:
            template = ERR_SYSTEM_BELOW_COMPONENTS_AND_EARLIER if decided else ERR_SYSTEM_BELOW_COMPONENTS
            message = template.format(
                total=format_amount(system.value_eur),
                components=format_amount(components),
                earlier=format_amount(decided),
            )
            raise _err("gross_total_value", message) from exc
        raise _rule_err(exc) from exc
    reasons = list(result.reason_list)
    if exclusion_hits:
        after = [r.code for r in reasons].index("excluded") + 1
        reasons[after:after] = exclusion_hits
    if decided:
        counted = sum(1 for item in listing if item["counts"])
        reasons.insert(
            1, Reason("earlier_decided", {"earlier": f"{decided:.2f}", "count": counted, "this": f"{goods_eur:.2f}"})
        )
    if pending:
        with_pending = ((components + pending) * 100 / system.value_eur).quantize(Decimal("0.01"), ROUND_HALF_UP)
        waiting = sum(1 for item in listing if not item["counts"])
        reasons.append(
            Reason("pending_warning", {"count": waiting, "pending": f"{pending:.2f}", "share": f"{with_pending:.2f}"})
        )
    transfer.system_total_eur = system.value_eur
    transfer.system_exchange_rate = system.rate
    transfer.component_value_eur = goods_eur
    transfer.earlier_decided_eur = decided
    transfer.earlier_pending_eur = pending
    transfer.earlier_transfers = listing
    transfer.rate_date = system.rate_date
    transfer.excluded_item = inp.excluded_item
    transfer.assessed_on = on
    transfer.share = result.share
    transfer.share_percent = result.share_percent
    transfer.threshold_percent = result.threshold_percent
    transfer.threshold_parameter = threshold
    transfer.de_minimis = result.applies
    transfer.reasons = [reason.english() for reason in reasons]
    transfer.reason_codes = [reason.as_json() for reason in reasons]
    transfer.computed_at = timezone.now()


@transaction.atomic
def treaty_assessment_compute(application: Application, *, on: date) -> TreatyTransfer:
    """Recompute and store the de minimis result of `application` as of `on` (its application date).

    Runs inside the caller's transaction (the submission); the transfer row is locked so two recomputations
    cannot interleave their halves of the result.
    """
    try:
        transfer = TreatyTransfer.objects.select_for_update().get(application=application)
    except TreatyTransfer.DoesNotExist as exc:
        raise _err("treaty", ERR_NO_TRANSFER) from exc
    transfer.application = application
    share_compute(transfer, on=on)
    transfer.version += 1
    transfer._change_reason = f"de minimis rule applied as of {on.isoformat()}"  # type: ignore[attr-defined]
    transfer.save()
    return transfer


def treaty_submission_problems(application: Application) -> dict[str, list[str]]:
    """A treaty component transfer needs its transfer details (final system, values) before submission."""
    if application.licence_type != LicenceType.TREATY_COMPONENT:
        return {}
    if TreatyTransfer.objects.filter(application_id=application.pk).exists():
        return {}
    return {"treaty": [ERR_NO_TRANSFER]}


def treaty_on_submission(*, application: Application, actor: Any) -> None:
    """On submission: apply the rule as of the application date; a de minimis case gets its own target."""
    if application.licence_type != LicenceType.TREATY_COMPONENT:
        return
    treaty_rule_reapply(application=application, actor=actor)


def treaty_rule_reapply(*, application: Application, actor: Any, reason: str = "") -> TreatyTransfer:
    """Apply the rule as of the application date and store the result, inside the caller's transaction (the
    submission, or an officer's correction); a de minimis case gets its own target.

    Treaty de minimis: the licence is issued "without delay", taken as a configurable number of working days
    (parameter de_minimis_target_working_days) from receipt.
    """
    received_on = application.received_on or timezone.localdate()
    transfer = treaty_assessment_compute(application, on=received_on)
    target_days: int | None = None
    if transfer.de_minimis:
        target_days = parameter_on(TreatyParameterName.DE_MINIMIS_TARGET_DAYS, received_on).as_int
        transfer.target_date = add_working_days(received_on, target_days, extra=equated_holidays())
    else:
        transfer.target_date = None
    transfer.save(update_fields=["target_date"])
    # A system action: the register applies the rule, whoever pressed "submit" or corrected the details.
    record(
        actor=None,
        verb=Verb.TREATY_TRANSFER_ASSESSED,
        target=application,
        reason=reason,
        payload={
            "share_percent": transfer.share_percent,
            "threshold_percent": transfer.threshold_percent,
            "threshold_parameter": transfer.threshold_parameter_id,
            "de_minimis": transfer.de_minimis,
            "reasons": transfer.reasons,
            "as_of": received_on,
            "target_date": transfer.target_date,
            "target_working_days": target_days,
            "submitted_by": getattr(actor, "pk", None),
        },
    )
    return transfer
