"""Hand-made register records for report tests, written straight to the database (as the brief allows), each
with its history row dated at the moment it happened, so "as of" reports see the register as it was."""

from __future__ import annotations

import itertools
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from typing import Any

from django.utils import timezone

from licensing.models import (
    Application,
    ApplicationParty,
    ApplicationStatus,
    Decision,
    DecisionOutcome,
    DecisionStatus,
    GoodsLine,
    Licence,
    LicenceStatus,
    LicenceType,
    LicensedGoods,
    PartyRole,
    PartyType,
    Shipment,
)

_numbers = itertools.count(1)


def at(day: str, hour: int = 10) -> datetime:
    """An aware moment on `day` (YYYY-MM-DD) in the register's time zone."""
    return timezone.make_aware(datetime.combine(date.fromisoformat(day), time(hour)))


def saved(obj: Any, when: datetime) -> Any:
    """Save with its history row dated `when` (django-simple-history reads `_history_date`)."""
    obj._history_date = when
    obj.save()
    return obj


def _application(
    *,
    organisation: Any,
    created_by: Any,
    destination: str | None,
    received: str,
    goods: list[tuple[str, str]],
    licence_type: str,
    status: str,
    suspended_days: int = 0,
    end_user_type: str = PartyType.ARMED_FORCES,
) -> Application:
    n = next(_numbers)
    received_at = at(received, 9)
    app = Application(
        reference=f"APP-T-{n:05d}",
        organisation=organisation,
        created_by=created_by,
        licence_type=licence_type,
        status=status,
        title=f"Contract {n}",
        destination_id=destination,
        submitted_at=received_at,
        received_on=date.fromisoformat(received),
        suspended_days=suspended_days,
        total_value_eur=sum((Decimal(v) for _ml, v in goods), Decimal(0)),
    )
    saved(app, received_at)
    for position, (ml, value) in enumerate(goods, start=1):
        saved(
            GoodsLine(
                application=app,
                position=position,
                description=f"{ml} goods of case {n}",
                ml_category_id=ml,
                quantity=Decimal(1),
                unit_value=Decimal(value),
                value_eur=Decimal(value),
            ),
            received_at,
        )
    saved(
        ApplicationParty(
            application=app,
            role=PartyRole.END_USER,
            name=f"End user of case {n}",
            address="Somewhere 1",
            country_id=destination or "NL",
            party_type=end_user_type,
        ),
        received_at,
    )
    return app


def licence(
    *,
    organisation: Any,
    officer: Any,
    destination: str | None,
    issued: str,
    goods: list[tuple[str, str]],
    received: str,
    licence_type: str = LicenceType.INDIVIDUAL_EXPORT,
    suspended_days: int = 0,
    goods_history: bool = True,
    moment: datetime | None = None,
) -> Licence:
    """An approved application with its final decision and the licence issued on `issued` at 10:00, or at
    `moment` (an exact instant, for the boundaries of a day)."""
    when = moment or at(issued)
    app = _application(
        organisation=organisation,
        created_by=officer,
        destination=destination,
        received=received,
        goods=goods,
        licence_type=licence_type,
        status=ApplicationStatus.APPROVED,
        suspended_days=suspended_days,
    )
    app.decided_at = when
    saved(app, when)
    valid_from = date.fromisoformat(issued)
    valid_until = valid_from + timedelta(days=730)
    saved(
        Decision(
            application=app,
            outcome=DecisionOutcome.APPROVE,
            status=DecisionStatus.FINAL,
            justification="Criteria assessed; no objection.",
            valid_from=valid_from,
            valid_until=valid_until,
            proposed_by=officer,
            proposed_at=when,
        ),
        when,
    )
    issued_licence = saved(
        Licence(
            number=f"NL-ML-T-{app.pk:06d}",
            application=app,
            organisation=organisation,
            licence_type=licence_type,
            destination_id=destination,
            valid_from=valid_from,
            valid_until=valid_until,
            total_value_eur=app.total_value_eur,
            issued_by=officer,
            issued_at=when,
        ),
        when,
    )
    copies = [LicensedGoods.copied_from(line, licence=issued_licence) for line in app.goods.order_by("position")]
    if goods_history:
        for copy in copies:
            saved(copy, when)
    else:  # as licensing.services.casework._licence_issue does it: bulk_create writes no history rows
        LicensedGoods.objects.bulk_create(copies)
    return issued_licence


def refusal(
    *,
    organisation: Any,
    officer: Any,
    destination: str,
    decided: str,
    goods: list[tuple[str, str]],
    criteria: list[int],
    received: str,
    sub_criteria: str = "",
    licence_type: str = LicenceType.INDIVIDUAL_EXPORT,
    moment: datetime | None = None,
) -> Decision:
    when = moment or at(decided)
    app = _application(
        organisation=organisation,
        created_by=officer,
        destination=destination,
        received=received,
        goods=goods,
        licence_type=licence_type,
        status=ApplicationStatus.REFUSED,
    )
    app.decided_at = when
    saved(app, when)
    decision = saved(
        Decision(
            application=app,
            outcome=DecisionOutcome.REFUSE,
            status=DecisionStatus.FINAL,
            justification="Refused under the criteria cited.",
            sub_criteria=sub_criteria,
            proposed_by=officer,
            proposed_at=when,
        ),
        when,
    )
    decision.criteria.set(criteria)  # the M2M change writes a second history row, also dated `when`
    return decision


def open_case(*, organisation: Any, officer: Any, destination: str, received: str) -> Application:
    return _application(
        organisation=organisation,
        created_by=officer,
        destination=destination,
        received=received,
        goods=[("ML15", "1000")],
        licence_type=LicenceType.INDIVIDUAL_EXPORT,
        status=ApplicationStatus.UNDER_REVIEW,
    )


def shipment(
    *, licence: Licence, line: int, shipped_on: str, value: str, recorded_by: Any, recorded: str | None = None
) -> Shipment:
    """A shipment, recorded on its shipment day unless `recorded` says it was entered later."""
    goods = licence.goods.order_by("id")[line]
    return saved(
        Shipment(
            licence=licence,
            licensed_goods=goods,
            shipped_on=date.fromisoformat(shipped_on),
            quantity=Decimal("0.5"),
            value_eur=Decimal(value),
            recorded_by=recorded_by,
        ),
        at(recorded or shipped_on, 12),
    )


def revoke(issued_licence: Licence, *, on: str) -> None:
    issued_licence.status = LicenceStatus.REVOKED
    issued_licence.status_reason = "End user diverted goods."
    saved(issued_licence, at(on, 11))


def sent_objection(notification: Any, *, ground: str, sent_on: str, opened_on: str, officer: Any, senior: Any) -> Any:
    """Our emergency-brake objection to `notification`, approved and sent on `sent_on`, with the high-level
    consultation it opened on `opened_on` (still open; the caller concludes it where the test needs that)."""
    from consultations.models.treaty import Objection, ObjectionStatus
    from licensing.models.consultation import Consultation, ConsultationKind, ConsultationStatus

    consultation = saved(
        Consultation(kind=ConsultationKind.HIGH_LEVEL, counterpart_id=notification.counterpart_id, subject="Brake",
                     opened_by=officer, opened_on=date.fromisoformat(opened_on), status=ConsultationStatus.OPEN),
        at(opened_on),
    )  # fmt: skip
    sent = date.fromisoformat(sent_on)
    saved(
        Objection(notification=notification, ground=ground, reasons="Our direct interests", status=ObjectionStatus.SENT,
                  proposed_by=officer, proposed_at=at(sent_on, 9), approved_by=senior, approved_at=at(sent_on, 9),
                  sent_by=officer, sent_on=sent, consultation=consultation),
        at(sent_on),
    )  # fmt: skip
    return consultation
