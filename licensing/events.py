"""What the licensing services tell an exporter's own systems (core/events.py: feed and webhooks), in one place so
the payloads keep one shape. Each function is called by a service inside its transaction, by name."""

from __future__ import annotations

from typing import Any

from core.events import event_record
from core.models import Event, EventType

from .models import Application, Decision, DecisionObjection, Document, InformationRequest, Licence


def _application(application: Application) -> dict[str, Any]:
    return {"id": application.pk, "reference": application.reference}


def _licence(licence: Licence) -> dict[str, Any]:
    return {"id": licence.pk, "number": licence.number}


def information_requested(request: InformationRequest) -> Event:
    application = request.application
    return event_record(
        organisation_id=application.organisation_id,
        type=EventType.INFORMATION_REQUESTED,
        subject=f"application:{application.pk}",
        data={
            "application": _application(application),
            "information_request": request.pk,
            "respond_by": request.respond_by,
        },
    )


def decision_taken(decision: Decision, *, application: Application) -> Event:
    return event_record(
        organisation_id=application.organisation_id,
        type=EventType.DECISION_TAKEN,
        subject=f"application:{application.pk}",
        data={
            "decision_on": "application",
            "application": _application(application),
            "decision": decision.pk,
            "outcome": decision.outcome,
            "status": application.status,
        },
    )


def objection_decided(objection: DecisionObjection) -> Event:
    """The decision on an objection (bezwaar, Awb 7:11): the earlier decision upheld, changed or revoked."""
    application = objection.application
    return event_record(
        organisation_id=application.organisation_id,
        type=EventType.DECISION_TAKEN,
        subject=f"application:{application.pk}",
        data={
            "decision_on": "objection",
            "application": _application(application),
            "objection": objection.pk,
            "decision": objection.decision_id,
            "outcome": objection.outcome,
            "status": application.status,
        },
    )


def licence_issued(licence: Licence, *, application: Application) -> Event:
    return event_record(
        organisation_id=licence.organisation_id,
        type=EventType.LICENCE_ISSUED,
        subject=f"licence:{licence.pk}",
        data={
            "licence": _licence(licence),
            "application": _application(application),
            "status": licence.status,
            "valid_from": licence.valid_from,
            "valid_until": licence.valid_until,
        },
    )


def licence_changed(licence: Licence, *, previous: str) -> Event:
    return event_record(
        organisation_id=licence.organisation_id,
        type=EventType.LICENCE_CHANGED,
        subject=f"licence:{licence.pk}",
        data={"licence": _licence(licence), "from": previous, "status": licence.status, "version": licence.version},
    )


def document_scanned(document: Document) -> Event:
    application = document.application
    return event_record(
        organisation_id=application.organisation_id,
        type=EventType.DOCUMENT_SCANNED,
        subject=f"document:{document.pk}",
        data={"document": document.pk, "application": _application(application), "scan_status": document.scan_status},
    )
