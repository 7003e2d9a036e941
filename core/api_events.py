"""Events over the API (issue 18): the organisation's event feed (GET /api/v1/events/?after=<cursor>) and its
signed webhooks (/api/v1/webhooks/), with every delivery attempt. Services and selectors: core/events.py and
core/webhooks.py; the portal page for the same: core/views/webhooks.py."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.db.models import QuerySet
from drf_spectacular.utils import OpenApiExample, OpenApiParameter, extend_schema
from rest_framework import exceptions, serializers, status
from rest_framework.authentication import BaseAuthentication, SessionAuthentication
from rest_framework.generics import ListAPIView
from rest_framework.parsers import BaseParser, JSONParser
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from .api import KeysetPagination, error_responses, strict_type_errors
from .api_auth import ScopedTokenAuthentication
from .events import FEED_LIMIT, event_body, event_list_for, events_sequence
from .i18n import gettext_lazy
from .models import DeliveryStatus, EventType, WebhookDelivery
from .webhooks import (
    ATTEMPT_HEADER,
    EVENT_ID_HEADER,
    EVENT_TYPE_HEADER,
    SIGNATURE_HEADER,
    webhook_delivery_list_for,
    webhook_endpoint_disable,
    webhook_endpoint_get_for,
    webhook_endpoint_list_for,
    webhook_endpoint_register,
    webhook_endpoint_rotate_secret,
)

TAG = "Events"
MAX_CURSOR = 2**63 - 1
ERR_CURSOR = gettext_lazy("Send a whole number from 0: the `cursor` of the last event you handled.")
ERR_LIMIT = gettext_lazy("Send a whole number from 1 to {limit}.")

EVENT_EXAMPLE = {
    "id": "0b6f1f8e-3c1e-4f7a-9a53-5d7c1f0e2a41",
    "type": "decision.taken",
    "occurred_at": "2026-12-05T10:15:00+00:00",
    "subject": "application:4211",
    "data": {
        "application": {"id": 4211, "reference": "APP-2026-004211"},
        "outcome": "approve",
        "status": "approved",
        "licence": {"id": 902, "number": "NL-2026-000902"},
    },
    "cursor": 1207,
}
SIGNATURE_DESCRIPTION = f"""Each event is POSTed as JSON (the same object as in the feed) with these headers:

- `{SIGNATURE_HEADER}: t=<unix seconds>,v1=<hex>`, where `<hex>` is HMAC-SHA256 with your secret over the bytes
  `<t>.<raw body>`. Recompute it over the raw body, compare in constant time, and reject a `t` more than five
  minutes from your clock.
- `{EVENT_ID_HEADER}`: the event's stable id. Delivery is at least once: de-duplicate on it.
- `{EVENT_TYPE_HEADER}`, `{ATTEMPT_HEADER}` (1 for the first try).

Answer 2xx within ten seconds. Anything else (or no answer) is retried with exponential back-off (30 s, 1 min,
2 min, ... at most 6 hours apart, ten attempts in all); every attempt is listed under `deliveries/`."""


# Reads and writes of the organisation's own events and endpoints. (A comment, not a docstring: drf-spectacular
# would show a docstring as every operation's description.)
class _EventsApi(APIView):
    parser_classes: Sequence[type[BaseParser]] = [JSONParser]
    authentication_classes: Sequence[type[BaseAuthentication]] = [ScopedTokenAuthentication, SessionAuthentication]


class EventOutput(serializers.Serializer):
    id = serializers.UUIDField(help_text="The event's stable id: the same in the feed and in every webhook try.")
    type = serializers.ChoiceField(choices=EventType.choices)
    occurred_at = serializers.DateTimeField()
    subject = serializers.CharField(help_text="What it is about: application:<id>, licence:<id> or document:<id>.")
    data = serializers.DictField(  # type: ignore[assignment]  # a field; DRF's metaclass moves it off the class
        help_text="Ids, references and statuses; read the record itself for more."
    )
    cursor = serializers.IntegerField(allow_null=True, help_text="Its position in the feed.")


class EventFeedOutput(serializers.Serializer):
    results = EventOutput(many=True)
    cursor = serializers.IntegerField(help_text="Send it as `after` next time (the same value when nothing is new).")
    more = serializers.BooleanField(help_text="True when more events are waiting: ask again at once.")


def _whole_number(request: Request, name: str, *, default: int, low: int, high: int, message: Any) -> int:
    """A query parameter that is one whole number in [low, high], or a 400 naming it."""
    values = request.query_params.getlist(name)
    if not values:
        return default
    value = values[0]
    if len(values) > 1 or not value.isascii() or not value.isdigit() or not low <= int(value) <= high:
        raise exceptions.ValidationError({name: [str(message)]})
    return int(value)


class EventFeedApi(_EventsApi):
    capability = "portal.events"

    @extend_schema(
        tags=[TAG],
        summary="Your organisation's events, oldest first, after a cursor",
        description=(
            "Poll with the `cursor` of the last answer as `after` (start with 0). Events appear in the order they "
            "became visible, so nothing is skipped; each has a stable `id` (the same as in its webhooks). "
            "Event types: " + ", ".join(f"`{value}`" for value in EventType.values) + "."
        ),
        parameters=[
            OpenApiParameter(
                "after",
                {"type": "integer", "minimum": 0, "maximum": MAX_CURSOR},
                description="The last cursor you handled (0 to start).",
            ),
            OpenApiParameter(
                "limit",
                {"type": "integer", "minimum": 1, "maximum": FEED_LIMIT},
                description=f"At most this many (1 to {FEED_LIMIT}).",
            ),
        ],
        responses={200: EventFeedOutput, **error_responses(400)},
        examples=[
            OpenApiExample(
                "One new event", value={"results": [EVENT_EXAMPLE], "cursor": 1207, "more": False}, response_only=True
            )
        ],
    )
    def get(self, request: Request) -> Response:
        after = _whole_number(request, "after", default=0, low=0, high=MAX_CURSOR, message=ERR_CURSOR)
        limit = _whole_number(
            request,
            "limit",
            default=FEED_LIMIT,
            low=1,
            high=FEED_LIMIT,
            message=str(ERR_LIMIT).format(limit=FEED_LIMIT),
        )
        # Number what has committed since the last numbering, so a poll never waits for the sweep.
        events_sequence()
        events = list(event_list_for(user=request.user, after=after, limit=limit + 1))
        page = events[:limit]
        body = {
            "results": [event_body(event) for event in page],
            "cursor": page[-1].position if page else after,
            "more": len(events) > limit,
        }
        return Response(body)


# --- Webhooks -------------------------------------------------------------------------------------------------


class WebhookInput(serializers.Serializer):
    url = serializers.URLField(max_length=500, help_text="Where to POST the events: https:// on the internet.")


class WebhookOutput(serializers.Serializer):
    id = serializers.IntegerField()
    url = serializers.CharField()
    is_active = serializers.BooleanField()
    created_at = serializers.DateTimeField()


class WebhookSecretOutput(WebhookOutput):
    secret = serializers.CharField(help_text="Shown only in this answer: store it to check the signatures.")


class WebhookAttemptOutput(serializers.Serializer):
    number = serializers.IntegerField()
    attempted_at = serializers.DateTimeField()
    status_code = serializers.IntegerField(allow_null=True, help_text="Your endpoint's HTTP status, if it answered.")
    error = serializers.CharField(help_text="Why the attempt failed (empty when it succeeded).")
    duration_ms = serializers.IntegerField()


class WebhookDeliveryOutput(serializers.Serializer):
    id = serializers.IntegerField()
    event = EventOutput(source="event_body")
    status = serializers.ChoiceField(choices=DeliveryStatus.choices)
    attempts = serializers.IntegerField()
    next_attempt_at = serializers.DateTimeField(allow_null=True, help_text="When the next try is due, if pending.")
    delivered_at = serializers.DateTimeField(allow_null=True)
    attempt_log = WebhookAttemptOutput(many=True, help_text="Every call made, first to last.")


SECRET_EXAMPLE = {
    "id": 3,
    "url": "https://compliance.example.nl/hooks/register",
    "is_active": True,
    "created_at": "2026-12-05T09:00:00+01:00",
    "secret": "whsec_3q2-7c1QmB0e8Xf0pL5d9tq3mYk1sW0u4vR2nA6bC8E",
}


def _validated_url(request: Request) -> str:
    serializer = WebhookInput(data=request.data)
    if errors := strict_type_errors(serializer, request.data):
        raise exceptions.ValidationError(errors)
    serializer.is_valid(raise_exception=True)
    return str(serializer.validated_data["url"])


def _secret_body(registered: Any) -> dict[str, Any]:
    return {**WebhookOutput(registered.endpoint).data, "secret": registered.secret}


class WebhookListCreateApi(_EventsApi):
    capability = "portal.webhooks"

    @extend_schema(
        tags=[TAG],
        summary="Your organisation's webhook endpoints (administrators)",
        responses={200: WebhookOutput(many=True), **error_responses()},
    )
    def get(self, request: Request) -> Response:
        return Response(WebhookOutput(webhook_endpoint_list_for(user=request.user), many=True).data)

    @extend_schema(
        tags=[TAG],
        summary="Register a webhook endpoint (administrators)",
        description=SIGNATURE_DESCRIPTION,
        request=WebhookInput,
        responses={201: WebhookSecretOutput, **error_responses(400)},
        examples=[
            OpenApiExample("Register", value={"url": SECRET_EXAMPLE["url"]}, request_only=True),
            OpenApiExample(
                "Registered, with the secret", value=SECRET_EXAMPLE, response_only=True, status_codes=["201"]
            ),
        ],
    )
    def post(self, request: Request) -> Response:
        registered = webhook_endpoint_register(actor=request.user, url=_validated_url(request))
        return Response(_secret_body(registered), status=status.HTTP_201_CREATED)


class WebhookDetailApi(_EventsApi):
    capability = "portal.webhooks"

    @extend_schema(tags=[TAG], summary="One webhook endpoint", responses={200: WebhookOutput, **error_responses(404)})
    def get(self, request: Request, pk: int) -> Response:
        return Response(WebhookOutput(webhook_endpoint_get_for(user=request.user, pk=pk)).data)

    @extend_schema(
        tags=[TAG],
        summary="Disable a webhook endpoint",
        description="No further deliveries; waiting ones give up. The endpoint and its attempts stay listed.",
        responses={204: None, **error_responses(404)},
    )
    def delete(self, request: Request, pk: int) -> Response:
        webhook_endpoint_disable(actor=request.user, endpoint_id=pk)
        return Response(status=status.HTTP_204_NO_CONTENT)


class WebhookRotateSecretApi(_EventsApi):
    capability = "portal.webhooks"

    @extend_schema(
        tags=[TAG],
        summary="Replace an endpoint's secret",
        description="The old secret stops at once; the new one is shown only in this answer.",
        request=None,
        responses={200: WebhookSecretOutput, **error_responses(404)},
        examples=[OpenApiExample("New secret", value=SECRET_EXAMPLE, response_only=True)],
    )
    def post(self, request: Request, pk: int) -> Response:
        return Response(_secret_body(webhook_endpoint_rotate_secret(actor=request.user, endpoint_id=pk)))


class WebhookDeliveryListApi(_EventsApi, ListAPIView):
    capability = "portal.webhooks"
    serializer_class = WebhookDeliveryOutput
    pagination_class = KeysetPagination
    filter_backends: Sequence[Any] = []

    def get_queryset(self) -> QuerySet[WebhookDelivery]:
        endpoint = webhook_endpoint_get_for(user=self.request.user, pk=self.kwargs["pk"])
        return webhook_delivery_list_for(user=self.request.user, endpoint_id=endpoint.pk).order_by("-id")

    def paginate_queryset(self, queryset: Any) -> list[Any] | None:
        page = super().paginate_queryset(queryset)
        for delivery in page or []:
            delivery.event_body = event_body(delivery.event)
        return page

    @extend_schema(
        tags=[TAG],
        summary="Deliveries to an endpoint, newest first, with every attempt",
        responses={200: WebhookDeliveryOutput(many=True), **error_responses(400, 404)},
    )
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().get(request, *args, **kwargs)
