"""Signed webhooks: the organisation's administrator registers an endpoint (the secret shown once), every event is
POSTed to it signed with HMAC-SHA256 over the timestamp and body, failures are retried with exponential back-off
until the attempts run out, and every attempt is visible to the administrator, over the API and in the portal.

Each delivery here is made by calling the worker's service directly against a real local HTTP receiver; the
Celery worker itself is in test_webhooks_worker.py."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from audit.models import AuditEvent, Verb
from core.models import DeliveryStatus, WebhookDelivery, WebhookEndpoint
from core.roles import Role
from core.webhooks import (
    ERR_UNSAFE_ADDRESS,
    ERR_URL_PRIVATE,
    ERR_URL_SCHEME,
    backoff,
    webhook_deliver,
    webhook_endpoint_register,
)
from tests.factories import UserFactory

from .builders import issued_licence

pytestmark = pytest.mark.django_db

HOOKS = "/api/v1/webhooks/"


@pytest.fixture
def registered(exporter_a, receiver):  # type: ignore[no-untyped-def]
    return webhook_endpoint_register(actor=exporter_a, url=receiver.url)


def _deliver_all() -> list[str]:
    return [
        webhook_deliver(delivery_id=pk).result
        for pk in WebhookDelivery.objects.order_by("pk").values_list("pk", flat=True)
    ]


def test_administrator_registers_an_endpoint_and_sees_the_secret_once_when_posting(token_client, exporter_a):
    client = token_client(exporter_a)
    created = client.post(HOOKS, {"url": "http://127.0.0.1:9/hook"}, format="json")

    assert created.status_code == 201, created.data
    assert created.data["secret"].startswith("whsec_") and len(created.data["secret"]) > 40
    listed = client.get(HOOKS).data
    assert [row["url"] for row in listed] == ["http://127.0.0.1:9/hook"]
    assert "secret" not in listed[0]
    audit = AuditEvent.objects.get(verb=Verb.WEBHOOK_REGISTERED)
    assert audit.payload == {"url": "http://127.0.0.1:9/hook"} and created.data["secret"] not in str(audit.payload)


def test_colleague_who_is_not_the_administrator_is_refused_when_registering(token_client, exporter_a):
    colleague = UserFactory(username="arthur", organisation=exporter_a.organisation, roles=[Role.EXPORTER])
    answer = token_client(colleague).post(HOOKS, {"url": "https://hooks.example.org/x"}, format="json")
    assert answer.status_code == 403
    assert answer.json()["code"] == "permission_denied"


def test_exporter_b_gets_404_when_reading_or_disabling_a_endpoint(token_client, exporter_b, registered):
    client = token_client(exporter_b)
    pk = registered.endpoint.pk
    assert client.get(f"{HOOKS}{pk}/").status_code == 404
    assert client.get(f"{HOOKS}{pk}/deliveries/").status_code == 404
    assert client.post(f"{HOOKS}{pk}/rotate-secret/").status_code == 404
    assert client.delete(f"{HOOKS}{pk}/").status_code == 404
    assert WebhookEndpoint.objects.get(pk=pk).is_active


@pytest.mark.parametrize(
    ("url", "message"),
    [("http://hooks.example.org/x", ERR_URL_SCHEME), ("https://127.0.0.1/x", ERR_URL_PRIVATE),
     ("https://10.1.2.3/x", ERR_URL_PRIVATE)],
)  # fmt: skip
def test_registration_refuses_plain_http_and_private_addresses_when_not_in_development(
    token_client, exporter_a, settings, url, message
):
    settings.WEBHOOK_ALLOW_INSECURE = False
    answer = token_client(exporter_a).post(HOOKS, {"url": url}, format="json")
    assert answer.status_code == 400
    assert answer.json()["errors"] == {"url": [str(message)]}


def test_registration_answers_400_when_the_url_is_not_a_string(token_client, exporter_a):
    answer = token_client(exporter_a).post(HOOKS, {"url": 12}, format="json")
    assert answer.status_code == 400
    assert list(answer.json()["errors"]) == ["url"]


def test_receiver_gets_the_signed_event_when_a_decision_is_taken(exporter_a, officer, registered, receiver):
    licence = issued_licence(organisation=exporter_a.organisation, officer=officer)

    assert _deliver_all() == ["delivered", "delivered"]

    calls = receiver.wait_for(2)
    assert [call.json["type"] for call in calls] == ["decision.taken", "licence.issued"]
    decision = calls[0]
    assert decision.signed_with(registered.secret)
    assert not decision.signed_with("whsec_someone-elses")
    assert decision.headers["Register-Event-Id"] == decision.json["id"]
    assert decision.headers["Register-Event-Type"] == "decision.taken"
    assert decision.headers["Register-Delivery-Attempt"] == "1"
    assert decision.json["data"]["application"]["id"] == licence.application_id
    assert set(WebhookDelivery.objects.values_list("status", flat=True)) == {DeliveryStatus.DELIVERED}


def test_failed_call_is_retried_with_doubling_back_off_when_the_receiver_answers_500(
    exporter_a,
    officer,
    registered,
    receiver,
    settings,
):
    settings.WEBHOOK_RETRY_BASE_SECONDS = 30
    receiver.replies = [500, 503]
    issued_licence(organisation=exporter_a.organisation, officer=officer)
    delivery = WebhookDelivery.objects.order_by("pk").first()
    assert delivery is not None

    first = webhook_deliver(delivery_id=delivery.pk)
    assert (first.result, first.retry_in) == ("retry", timedelta(seconds=30))
    assert webhook_deliver(delivery_id=delivery.pk).result == "not due"  # the back-off holds it back

    WebhookDelivery.objects.filter(pk=delivery.pk).update(next_attempt_at=timezone.now())
    second = webhook_deliver(delivery_id=delivery.pk)
    assert (second.result, second.retry_in) == ("retry", timedelta(seconds=60))
    WebhookDelivery.objects.filter(pk=delivery.pk).update(next_attempt_at=timezone.now())
    assert webhook_deliver(delivery_id=delivery.pk).result == "delivered"

    calls = receiver.wait_for(3)
    ids = {call.headers["Register-Event-Id"] for call in calls[:3]}
    assert len(ids) == 1  # the same event, with the same stable id, each time
    assert [call.headers["Register-Delivery-Attempt"] for call in calls[:3]] == ["1", "2", "3"]
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts) == (DeliveryStatus.DELIVERED, 3)
    assert [(a.number, a.status_code, a.error) for a in delivery.attempt_log.all()] == [
        (1, 500, "HTTP 500"),
        (2, 503, "HTTP 503"),
        (3, 204, ""),
    ]


def test_back_off_doubles_from_the_base_and_stops_at_six_hours_when_attempts_grow(settings):
    settings.WEBHOOK_RETRY_BASE_SECONDS = 30
    assert [backoff(n).total_seconds() for n in (1, 2, 3, 4)] == [30, 60, 120, 240]
    assert backoff(9) == timedelta(seconds=30 * 256)
    assert backoff(20) == timedelta(hours=6)


def test_delivery_gives_up_when_the_last_attempt_fails(exporter_a, officer, registered, receiver, settings):
    settings.WEBHOOK_MAX_ATTEMPTS = 2
    receiver.replies = [500, 500]
    issued_licence(organisation=exporter_a.organisation, officer=officer)
    delivery = WebhookDelivery.objects.order_by("pk").first()
    assert delivery is not None
    assert webhook_deliver(delivery_id=delivery.pk).result == "retry"
    WebhookDelivery.objects.filter(pk=delivery.pk).update(next_attempt_at=timezone.now())
    assert webhook_deliver(delivery_id=delivery.pk).result == "failed"
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts) == (DeliveryStatus.FAILED, 2)


def test_unreachable_endpoint_is_an_attempt_with_the_error_when_nothing_listens(exporter_a, officer):
    endpoint = webhook_endpoint_register(actor=exporter_a, url="http://127.0.0.1:9/closed").endpoint
    issued_licence(organisation=exporter_a.organisation, officer=officer)
    delivery = WebhookDelivery.objects.filter(endpoint=endpoint).order_by("pk").first()
    assert delivery is not None
    assert webhook_deliver(delivery_id=delivery.pk).result == "retry"
    attempt = delivery.attempt_log.get()
    assert attempt.status_code is None and attempt.error.startswith("ConnectionError")


def test_administrator_sees_every_attempt_over_the_api_when_listing_deliveries(
    token_client,
    exporter_a,
    officer,
    registered,
    receiver,
    django_assert_max_num_queries,
):
    receiver.replies = [500]
    issued_licence(organisation=exporter_a.organisation, officer=officer)
    _deliver_all()
    client = token_client(exporter_a)

    with django_assert_max_num_queries(8):
        page = client.get(f"{HOOKS}{registered.endpoint.pk}/deliveries/").data

    rows = {row["event"]["type"]: row for row in page["results"]}
    assert rows["decision.taken"]["status"] == "pending" and rows["decision.taken"]["attempts"] == 1
    assert rows["decision.taken"]["attempt_log"][0]["status_code"] == 500
    assert rows["licence.issued"]["status"] == "delivered"


def test_rotating_the_secret_signs_later_deliveries_with_the_new_one_when_rotated(
    token_client,
    exporter_a,
    officer,
    registered,
    receiver,
):
    rotated = token_client(exporter_a).post(f"{HOOKS}{registered.endpoint.pk}/rotate-secret/")
    assert rotated.status_code == 200 and rotated.data["secret"] != registered.secret
    issued_licence(organisation=exporter_a.organisation, officer=officer)
    _deliver_all()
    call = receiver.wait_for(1)[0]
    assert call.signed_with(rotated.data["secret"]) and not call.signed_with(registered.secret)


def test_disabled_endpoint_gets_nothing_more_when_the_administrator_disables_it(
    token_client,
    exporter_a,
    officer,
    registered,
    receiver,
):
    assert token_client(exporter_a).delete(f"{HOOKS}{registered.endpoint.pk}/").status_code == 204
    issued_licence(organisation=exporter_a.organisation, officer=officer)
    assert not WebhookDelivery.objects.exists()
    assert AuditEvent.objects.filter(verb=Verb.WEBHOOK_DISABLED).count() == 1


def test_portal_page_lists_the_endpoint_and_its_attempts_when_the_administrator_opens_it(
    client,
    exporter_a,
    officer,
    registered,
    receiver,
):
    receiver.replies = [500]
    issued_licence(organisation=exporter_a.organisation, officer=officer)
    _deliver_all()
    client.force_login(exporter_a, backend="django.contrib.auth.backends.ModelBackend")

    page = client.get("/portal/webhooks/")

    assert page.status_code == 200
    html = page.content.decode()
    assert receiver.url in html
    assert "decision.taken" in html and "HTTP 500" in html
    assert registered.secret not in html


def test_portal_registration_shows_the_secret_once_when_the_administrator_adds_an_endpoint(client, exporter_a):
    client.force_login(exporter_a, backend="django.contrib.auth.backends.ModelBackend")
    added = client.post("/portal/webhooks/", {"url": "http://127.0.0.1:9/hook"})
    assert added.status_code == 201
    secret = WebhookEndpoint.objects.get().secret
    assert secret in added.content.decode()
    assert secret not in client.get("/portal/webhooks/").content.decode()


def test_delivery_refuses_a_private_address_when_the_name_points_inside_at_delivery_time(
    exporter_a, officer, registered, receiver, settings
):
    settings.WEBHOOK_ALLOW_INSECURE = False  # registered in development; delivered where it is not allowed
    issued_licence(organisation=exporter_a.organisation, officer=officer)
    delivery = WebhookDelivery.objects.order_by("pk").first()
    assert delivery is not None

    assert webhook_deliver(delivery_id=delivery.pk).result == "retry"

    assert receiver.received == []
    assert delivery.attempt_log.get().error == ERR_UNSAFE_ADDRESS
