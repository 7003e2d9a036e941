"""API tokens for exporters' own systems (/api/v1/tokens/): one DRF token per user, shown once, revocable.

A token acts as its user (core.api_auth.ScopedTokenAuthentication), so it sees exactly what the user sees in
the portal. The key is shown only in the answer that creates it; afterwards only its first characters, so a
colleague reading the screen later cannot copy it. Issuing a new token replaces the old one (rotation).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.db import transaction
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import serializers, status
from rest_framework.authentication import BaseAuthentication, SessionAuthentication
from rest_framework.authtoken.models import Token
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from audit.models import Verb
from audit.services import record

from .access import can
from .api_auth import ScopedTokenAuthentication
from .exceptions import NotAllowed

KEY_PREFIX_LENGTH = 6
ERR_TOKEN_NOT_APPROVED = _("Your company's registration has not been approved yet, so it has no API access.")
_DENIED = {
    401: OpenApiResponse(description="Not logged in, or the token is unknown or revoked."),
    403: OpenApiResponse(description="Only exporters of a registered company have API tokens."),
}


# --- Selector and services ---------------------------------------------------------------------------------


def api_token_get_for(*, user: Any) -> Token | None:
    return Token.objects.filter(user=user).first()


@transaction.atomic(durable=True)
def api_token_issue(*, actor: Any) -> Token:
    """Create the user's token, replacing (and so revoking) any earlier one. Only for an approved company."""
    if not can(actor, "portal.api_token"):
        raise NotAllowed(str(ERR_TOKEN_NOT_APPROVED))
    replaced = Token.objects.filter(user=actor).delete()[0] > 0
    token = Token.objects.create(user=actor)
    record(
        actor=actor,
        verb=Verb.API_TOKEN_ISSUED,
        target=actor,
        payload={"key_prefix": token.key[:KEY_PREFIX_LENGTH], "replaced_earlier_token": replaced},
    )
    return token


@transaction.atomic(durable=True)
def api_token_revoke(*, actor: Any) -> bool:
    """Delete the user's token: the next request with it gets 401. Revoking twice is harmless."""
    token = Token.objects.filter(user=actor).first()
    if token is None:
        return False
    prefix = token.key[:KEY_PREFIX_LENGTH]
    token.delete()
    record(actor=actor, verb=Verb.API_TOKEN_REVOKED, target=actor, payload={"key_prefix": prefix})
    return True


# --- API ---------------------------------------------------------------------------------------------------


class ApiTokenStateOutput(serializers.Serializer):
    exists = serializers.BooleanField()
    key_prefix = serializers.CharField(allow_null=True, help_text="The first characters, to recognise the key.")
    created = serializers.DateTimeField(allow_null=True)


class ApiTokenIssuedOutput(serializers.Serializer):
    key = serializers.CharField(help_text="Send as `Authorization: Token <key>`. Shown only now.")
    created = serializers.DateTimeField()


class ApiTokenApi(APIView):
    capability = "portal.use"
    # Token first, as in licensing.api.ApiDefaults: a revoked token answers 401, not 403.
    authentication_classes: Sequence[type[BaseAuthentication]] = [ScopedTokenAuthentication, SessionAuthentication]

    @extend_schema(
        tags=["Tokens"], summary="Whether you have an API token", responses={200: ApiTokenStateOutput, **_DENIED}
    )
    def get(self, request: Request) -> Response:
        token = api_token_get_for(user=request.user)
        state = {
            "exists": token is not None,
            "key_prefix": token.key[:KEY_PREFIX_LENGTH] if token else None,
            "created": token.created if token else None,
        }
        return Response(ApiTokenStateOutput(state).data)

    @extend_schema(
        tags=["Tokens"],
        summary="Create an API token (replaces any earlier one); the key is shown once",
        request=None,
        responses={201: ApiTokenIssuedOutput, **_DENIED},
    )
    def post(self, request: Request) -> Response:
        token = api_token_issue(actor=request.user)
        return Response(ApiTokenIssuedOutput(token).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        tags=["Tokens"],
        summary="Revoke your API token",
        responses={204: OpenApiResponse(description="Revoked (or there was none)."), **_DENIED},
    )
    def delete(self, request: Request) -> Response:
        api_token_revoke(actor=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)
