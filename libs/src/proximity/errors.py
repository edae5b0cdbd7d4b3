"""Errors every context raises, each carrying the code and status seed 004 documents.

Plain Python on purpose: domain modules raise these without importing Starlette; the one
exception handler in ``proximity.http.errors`` turns them into the error envelope.
"""

from __future__ import annotations


class ProximityError(Exception):
    """A failure the client is told about: ``{"errors": [{"code", "message"}]}``."""

    status: int = 400
    code: str = "eBadRequest"
    message: str = "The request is invalid."

    def __init__(self, message: str | None = None, *, code: str | None = None) -> None:
        self.message = message or type(self).message
        self.code = code or type(self).code
        super().__init__(self.message)


class ValidationFailed(ProximityError):
    code = "eValidationError"
    message = "A field is missing or invalid."

    def __init__(
        self, message: str | None = None, *, code: str | None = None, fields: dict[str, str] | None = None
    ) -> None:
        super().__init__(message, code=code)
        self.fields = fields or {}


class NotFound(ProximityError):
    """An id that does not exist in the caller's tenant: 400, as seed 004 documents."""

    code = "eNotFound"
    message = "The requested item was not found."


class Unauthenticated(ProximityError):
    status = 401
    code = "eUnauthorized"
    message = "Authentication is required, or the token is invalid or expired."


class InvalidClientKey(Unauthenticated):
    code = "eInvalidClientKey"
    message = "The client key is missing or unknown."


class SessionRevoked(Unauthenticated):
    """The token's session was ended (logout, refresh-token reuse): refused before it expires."""

    code = "eSessionRevoked"
    message = "The session has ended; sign in again."


class PermissionDenied(ProximityError):
    status = 403
    code = "ePermissionDenied"
    message = "You do not have permission to do this."


class RouteNotFound(ProximityError):
    status = 404
    code = "eRouteNotFound"
    message = "The specified URL could not be found."


class MethodNotAllowed(ProximityError):
    status = 405
    code = "eMethodNotAllowed"
    message = "The method is not permitted for this URL."


class NotAcceptable(ProximityError):
    status = 406
    code = "eNotAcceptable"
    message = "Only application/json responses are available."


class Conflict(ProximityError):
    status = 409
    code = "eConflict"
    message = "The request conflicts with the current state."


class PayloadTooLarge(ProximityError):
    status = 413
    code = "ePayloadTooLarge"
    message = "The request body is too large."


class UnsupportedMediaType(ProximityError):
    status = 415
    code = "eUnsupportedMediaType"
    message = "The request body must be application/json."


class TooManyRequests(ProximityError):
    status = 429
    code = "eTooManyRequests"
    message = "Too many requests; try again later."


class ServiceUnavailable(ProximityError):
    status = 503
    code = "eServiceUnavailable"
    message = "The service is temporarily unavailable; try again later."
    # Sent as ``Retry-After`` when set: how soon a retry has a fair chance.
    retry_after_seconds: int | None = None


class RequestTimeout(ProximityError):
    """The request body stopped arriving: the connection is given up rather than held open."""

    status = 408
    code = "eRequestTimeout"
    message = "The request body did not arrive in time."
