"""Issue 18, done when: an exporter's system, with a token, submits a treaty transfer and receives the decision by
webhook, against a local receiver. Everything is real: the API over HTTP handlers, committed transactions, a Celery
worker on Redis delivering the events, and an HTTP server on a free port checking the signature by the published
recipe. The receiver refuses the first call, so the decision also shows delivery at least once, with back-off."""

from __future__ import annotations

import threading
from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest
from celery.contrib.testing.worker import start_worker
from django.utils import timezone
from rest_framework.test import APIClient

from config.celery import app
from core.api_tokens import api_token_issue
from core.models import DeliveryStatus, WebhookDelivery

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("reference_data_restored")]

API = "/api/v1"


@pytest.fixture
def celery_worker_on_redis():  # type: ignore[no-untyped-def]
    app.conf.task_always_eager = False
    with start_worker(app, pool="solo", perform_ping_check=False, loglevel="WARNING") as worker:
        yield worker
    app.conf.task_always_eager = True


def _eventually(check: Callable[[], bool], *, timeout: float = 60) -> None:
    """Wait until the worker has recorded what the receiver already saw (it writes after the answer)."""
    pause = threading.Event()
    for _ in range(int(timeout * 10)):
        if check():
            return
        pause.wait(0.1)
    raise AssertionError("the worker did not record it in time")


def _ok(response: Any, status: int = 200) -> dict[str, Any]:
    assert response.status_code == status, response.content
    return response.json()  # type: ignore[no-any-return]


def _submit_treaty_transfer(system: APIClient) -> tuple[int, dict[str, Any]]:
    """What the exporter's compliance system does: draft, goods, parties, treaty details, submit."""
    draft = {"licence_type": "treaty_component", "title": "Radar modules", "end_use": "Integration into a radar"}
    pk = _ok(system.post(f"{API}/applications/", draft, format="json"), 201)["id"]
    goods = {"description": "Radar receiver module", "ml_category": "ML11", "quantity": "1", "unit": "pcs",
             "unit_value": "150000.00", "currency": "EUR", "is_component": True}  # fmt: skip
    _ok(system.post(f"{API}/applications/{pk}/goods/", goods, format="json"), 201)
    for role in ("consignee", "end_user"):
        party = {"role": role, "name": "Integrateur Radar SA", "address": "1 rue de l'Industrie, Toulouse",
                 "country": "FR", "party_type": "commercial"}  # fmt: skip
        _ok(system.post(f"{API}/applications/{pk}/parties/", party, format="json"), 201)
    details = {"version": 0, "final_system_name": "Naval air-defence radar", "final_system_identifier": "NADR-2026",
               "final_system_ml_category": "ML11", "integrator_name": "Integrateur Radar SA",
               "integrator_country": "FR", "end_destinations": ["IN"], "gross_total_value": "1000000.00"}  # fmt: skip
    computed = _ok(system.put(f"{API}/applications/{pk}/treaty-transfer/", details, format="json"))["de_minimis"]
    _ok(system.post(f"{API}/applications/{pk}/submit/", {}, format="json"))
    return pk, computed


@pytest.mark.celery_worker
def test_exporter_system_receives_the_decision_by_signed_webhook_when_it_submitted_a_treaty_transfer(
    celery_worker_on_redis, receiver, exporter_a, officer, settings
):
    settings.WEBHOOK_RETRY_BASE_SECONDS = 0.5  # the back-off's base: 0.5 s, then 1 s, ... (30 s in production)
    receiver.replies = [503]  # the exporter's system is briefly down for the first call
    system = APIClient()
    system.credentials(HTTP_AUTHORIZATION=f"Token {api_token_issue(actor=exporter_a).key}")
    secret = _ok(system.post(f"{API}/webhooks/", {"url": receiver.url}, format="json"), 201)["secret"]

    pk, computed = _submit_treaty_transfer(system)
    # 150,000 / 1,000,000 = 15.00 %: does not exceed 20 %, so the de minimis rule applies.
    assert (computed["share_percent"], computed["applies"]) == ("15.00", True)

    officer_client = APIClient()
    officer_client.force_login(officer, backend="django.contrib.auth.backends.ModelBackend")
    _ok(officer_client.post(f"{API}/casework/cases/{pk}/assign/", {"assignee": officer.pk}, format="json"))
    today = timezone.localdate()
    decision = {"outcome": "approve", "justification": "De minimis transfer into a partner's system.",
                "valid_from": today.isoformat(), "valid_until": (today + timedelta(days=365)).isoformat()}  # fmt: skip
    _ok(officer_client.post(f"{API}/casework/cases/{pk}/decisions/", decision, format="json"), 201)

    calls = receiver.wait_for(3)  # the decision (refused with 503, then again) and the licence
    assert all(call.signed_with(secret) for call in calls)
    decisions = [call for call in calls if call.json["type"] == "decision.taken"]
    assert [call.headers["Register-Delivery-Attempt"] for call in decisions] == ["1", "2"]
    assert len({call.headers["Register-Event-Id"] for call in decisions}) == 1  # one event, delivered at least once
    body = decisions[-1].json
    assert body["subject"] == f"application:{pk}"
    assert (body["data"]["outcome"], body["data"]["status"]) == ("approve", "approved")
    licence = next(call.json for call in calls if call.json["type"] == "licence.issued")
    assert licence["data"]["application"]["id"] == pk

    # The organisation's administrator sees both attempts; the feed lists the same event under the same id.
    _eventually(lambda: not WebhookDelivery.objects.exclude(status=DeliveryStatus.DELIVERED).exists())
    endpoint = _ok(system.get(f"{API}/webhooks/"))[0]["id"]
    rows = _ok(system.get(f"{API}/webhooks/{endpoint}/deliveries/"))["results"]
    shown = next(row for row in rows if row["event"]["type"] == "decision.taken")
    assert [a["status_code"] for a in shown["attempt_log"]] == [503, 204]
    feed = _ok(system.get(f"{API}/events/"))["results"]
    assert body["id"] in {event["id"] for event in feed}
