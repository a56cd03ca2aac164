"""What a use case can refuse, as values the web, API and CLI layers turn into responses."""

from __future__ import annotations


class ServiceError(Exception):
    status = 400

    def __init__(self, message: str, fields: dict[str, list[str]] | None = None):
        super().__init__(message)
        self.message = message
        self.fields = fields or {}


class NotFound(ServiceError):
    """Also what another tenant's ids get: their existence is not revealed."""

    status = 404


class Forbidden(ServiceError):
    status = 403


class Conflict(ServiceError):
    """Someone else changed the thing since the caller last read it."""

    status = 409


class Invalid(ServiceError):
    status = 422


class Unavailable(ServiceError):
    status = 503
