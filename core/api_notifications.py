"""The signed-in user's notifications over the API (/api/v1/notifications/; issue 18): what the portal's
notification list shows, newest first, for an exporter's own system to poll with a cursor."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.db.models import QuerySet
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import serializers
from rest_framework.authentication import BaseAuthentication, SessionAuthentication
from rest_framework.generics import ListAPIView
from rest_framework.request import Request
from rest_framework.response import Response

from .api import KeysetPagination
from .api_auth import ScopedTokenAuthentication
from .models import Notification


def notification_list_for(*, user: Any) -> QuerySet[Notification]:
    """The user's own notifications, newest first; nobody else's."""
    return Notification.objects.filter(user=user).order_by("-created_at", "-id")


class NotificationOutput(serializers.Serializer):
    id = serializers.IntegerField()
    title = serializers.CharField()
    body = serializers.CharField()
    link = serializers.CharField(help_text="A path in the register's web interface, or empty.")
    created_at = serializers.DateTimeField()
    read_at = serializers.DateTimeField(allow_null=True)


class NotificationListApi(ListAPIView):
    capability = "notifications.view"
    authentication_classes: Sequence[type[BaseAuthentication]] = [ScopedTokenAuthentication, SessionAuthentication]
    serializer_class = NotificationOutput
    pagination_class = KeysetPagination
    filter_backends: Sequence[Any] = []

    def get_queryset(self) -> QuerySet[Notification]:
        return notification_list_for(user=self.request.user)

    @extend_schema(
        tags=["Notifications"],
        summary="Your notifications",
        description="Newest first, a page at a time: follow `next` for older ones.",
        responses={
            200: NotificationOutput(many=True),
            400: OpenApiResponse(description="Invalid `cursor` or `page_size`."),
            401: OpenApiResponse(description="Not logged in, or the token is unknown or revoked."),
        },
    )
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().get(request, *args, **kwargs)
