"""API plumbing shared by every app: authentication, deny-by-default permission, pagination, errors."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from rest_framework import exceptions, pagination, status
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from .exceptions import DomainError


class DefaultPagination(pagination.PageNumberPagination):
    page_size = 25
    page_size_query_param = "page_size"
    max_page_size = 100


def _body(code: str, detail: Any, errors: dict[str, Any] | None = None) -> dict[str, Any]:
    return {"code": code, "detail": detail, "errors": errors or {}}


def exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    """One consistent error body: {"code", "detail", "errors": {field: [messages]}}."""
    if isinstance(exc, DomainError):
        return Response(_body(exc.code, exc.message, exc.field_errors), status=exc.status_code)
    if isinstance(exc, DjangoValidationError):
        errors = exc.message_dict if hasattr(exc, "error_dict") else {"non_field_errors": exc.messages}
        return Response(_body("invalid", "Invalid input.", errors), status=status.HTTP_400_BAD_REQUEST)
    if isinstance(exc, Http404):
        exc = exceptions.NotFound()
    elif isinstance(exc, DjangoPermissionDenied):
        exc = exceptions.PermissionDenied()
    response = drf_exception_handler(exc, context)
    if response is None:
        return None
    if isinstance(exc, exceptions.ValidationError):
        data = response.data if isinstance(response.data, dict) else {"non_field_errors": response.data}
        response.data = _body("invalid", "Invalid input.", data)
    elif isinstance(exc, exceptions.APIException):
        detail = response.data.get("detail", str(exc)) if isinstance(response.data, dict) else str(exc)
        response.data = _body(getattr(exc, "default_code", "error"), detail)
    return response
