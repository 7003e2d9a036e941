"""What the licensing API classes share. The classes themselves are split by audience: exporters in
licensing/api_exporter.py, officers in licensing/api_casework.py (as in UK LITE's exporter/caseworker split)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.core.exceptions import ObjectDoesNotExist
from django.http import Http404, QueryDict
from rest_framework.authentication import BaseAuthentication, SessionAuthentication
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.parsers import BaseParser, JSONParser
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from core.api import error_responses as error_responses
from core.api import strict_type_errors
from core.api_auth import ScopedTokenAuthentication

from .selectors import application_list_for


# The base of every licensing API class; list views put it before ListAPIView. (A comment, not a docstring:
# drf-spectacular would show a docstring as every operation's description.)
class BaseApi(APIView):
    # JSON bodies only, unless a class takes files (multipart) itself: fewer formats, fewer surprises.
    parser_classes: Sequence[type[BaseParser]] = [JSONParser]
    # Token first: DRF takes the 401-vs-403 answer from the first class, so a missing, unknown or revoked
    # token gives 401 with `WWW-Authenticate: Token`; browser sessions still work (with CSRF).
    authentication_classes: Sequence[type[BaseAuthentication]] = [ScopedTokenAuthentication, SessionAuthentication]

    def handle_exception(self, exc: Exception) -> Response:
        # A service's `.get(pk=...)` on a row that is not there (a goods line id in the URL, a decision id)
        # is a 404 for the client, not a 500.
        if isinstance(exc, ObjectDoesNotExist):
            exc = NotFound()
        return super().handle_exception(exc)


def ensure_application_visible(*, user: Any, pk: int) -> None:
    """404 unless the user may see the application, using the selector's scope but without loading the whole
    case. Exporter services answer 403 for another organisation's id; the API must answer 404 (no leak)."""
    if not application_list_for(user=user).filter(pk=pk).exists():
        raise Http404("No such application")


def validated(serializer_class: type[Any], request: Request, context: dict[str, Any] | None = None) -> dict[str, Any]:
    """The input serializer's validated data (a copy the caller may change); invalid input raises 400."""
    serializer = serializer_class(data=request.data, context=context or {})
    # Form fields (multipart uploads) are strings by nature; JSON says what type it sends.
    is_json = not isinstance(request.data, QueryDict)
    if is_json and (errors := strict_type_errors(serializer, request.data)):
        raise ValidationError(errors)
    serializer.is_valid(raise_exception=True)
    return dict(serializer.validated_data)
