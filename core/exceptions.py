"""Domain exceptions. Mapped to HTTP in one place: core.api.exception_handler and core.views.domain_errors."""

from __future__ import annotations

from typing import Any


class DomainError(Exception):
    status_code = 400
    code = "invalid"

    def __init__(self, message: str, *, field_errors: dict[str, list[str]] | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field_errors = field_errors or {}


class DomainValidationError(DomainError):
    status_code = 400
    code = "invalid"


class NotAllowed(DomainError):
    """The user's role does not allow this action (403)."""

    status_code = 403
    code = "permission_denied"


class TransitionNotAllowed(DomainError):
    """The object's current state does not allow this action (409)."""

    status_code = 409
    code = "transition_not_allowed"


class DecisionBlocked(TransitionNotAllowed):
    """The decision gate refuses this outcome now; `blockers` say why, each with a stable code (409)."""

    code = "decision_blocked"

    def __init__(self, blockers: Any) -> None:
        self.blockers = tuple(blockers)
        super().__init__(" ".join(str(b.message) for b in self.blockers))


class StaleVersion(DomainError):
    """Someone else changed the record since this user loaded it (409)."""

    status_code = 409
    code = "stale_version"
