"""Every consents error as seed 001's ``errorResponse``: ``{"_profile", "_error": {...}}``.

The domain's ``ConsentsError``s, the shared ``proximity.errors`` (authentication, media
type, malformed body...) and Starlette's routing errors (404, 405) all render here, so no
response of this service carries seed 004's ``{"errors": [...]}`` envelope.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping, Sequence
from typing import Any

from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import Response

from consents.domain.errors import ConsentsError
from consents.hal.representations import HalJSON
from proximity import errors as e
from proximity.http.hal_errors import ERROR_PROFILE as ERROR_PROFILE  # the shape consents answers in
from proximity.http.hal_errors import HAL_MEDIA_TYPE, error_document, error_object, error_type
from proximity.openapi.operation import Schema

log = logging.getLogger(__name__)

_BY_STATUS: dict[int, tuple[str, str]] = {
    400: ("badRequest", "The request is not well formed."),
    401: ("unauthorized", "Authentication is required, or the token is invalid or expired."),
    403: ("forbidden", "You do not have permission to do this."),
    404: ("notFound", "There is no resource at this URL."),
    405: ("methodNotAllowed", "The method is not permitted for this URL."),
    406: ("notAcceptable", "Only JSON responses are available."),
    409: ("conflict", "The request conflicts with the current state."),
    412: ("preconditionFailed", "The resource has changed in the interim."),
    413: ("payloadTooLarge", "The request body is too large."),
    415: ("unsupportedMediaType", "The request body must be application/json."),
    422: ("unprocessableEntity", "The request is well formed but invalid."),
    429: ("tooManyRequests", "Too many requests; try again later."),
    503: ("serviceUnavailable", "The service is temporarily unavailable; try again later."),
}


def error_response(
    status: int,
    error_type: str,
    message: str,
    *,
    attributes: Mapping[str, Any] | None = None,
    remediation: str | None = None,
    errors: Sequence[dict[str, Any]] = (),
    headers: Mapping[str, str] | None = None,
) -> Response:
    error = error_object(
        status, error_type, message, attributes=attributes, remediation=remediation, errors=errors
    )
    return HalJSON(error_document(error), status_code=status, headers=headers)


def _nested(error: ConsentsError, status: int) -> dict[str, Any]:
    return error_object(
        status,
        error.error_type,
        error.message,
        attributes=error.attributes,
        remediation=error.remediation,
        errors=[_nested(inner, status) for inner in error.errors],
    )


def render_consents_error(error: ConsentsError) -> Response:
    return error_response(
        error.status,
        error.error_type,
        error.message,
        attributes=error.attributes,
        remediation=error.remediation,
        errors=[_nested(inner, error.status) for inner in error.errors],
    )


def render_proximity_error(error: e.ProximityError, headers: Mapping[str, str] | None = None) -> Response:
    nested: list[dict[str, Any]] = []
    if isinstance(error, e.ValidationFailed):
        nested = [
            error_object(error.status, "invalidField", message, attributes={"field": field})
            for field, message in error.fields.items()
        ]
    return error_response(
        error.status,
        error_type(error.code),
        error.message,
        errors=nested if len(nested) > 1 else (),
        attributes={"field": next(iter(error.fields))}
        if isinstance(error, e.ValidationFailed) and error.fields
        else None,
        headers=headers,
    )


async def on_consents_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, ConsentsError)
    return render_consents_error(exc)


async def on_proximity_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, e.ProximityError)
    return render_proximity_error(exc)


async def on_http_exception(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, HTTPException)
    error_type, message = _BY_STATUS.get(exc.status_code, (f"http{exc.status_code}", str(exc.detail)))
    return error_response(exc.status_code, error_type, message, headers=exc.headers)


async def on_crash(request: Request, exc: Exception) -> Response:
    request_id = request.headers.get("x-request-id")
    log.exception("unhandled error", extra={"path": request.url.path, "request_id": request_id})
    headers = {"X-Request-Id": request_id} if request_id else None
    return error_response(500, "internalError", "Internal server error.", headers=headers)


def exception_handlers() -> dict[Any, Callable[[Request, Exception], Any]]:
    return {
        ConsentsError: on_consents_error,
        e.ProximityError: on_proximity_error,
        HTTPException: on_http_exception,
        Exception: on_crash,
    }


def hal_error(kind: type[ConsentsError]) -> tuple[int, str]:
    """A consents error as the API document takes it: (status, ``type``)."""
    return kind.status, kind.error_type


# An unmatched path is answered by Starlette's router here (an HTTPException, rendered above),
# and by the gateway (a path it refuses to route) as the shared RouteNotFound.
_RENDERED_AS = {e.RouteNotFound.code: (_BY_STATUS[404][0], error_type(e.RouteNotFound.code))}


def _text(**extra: Any) -> Schema:
    return {"type": "string", **extra}


def _error_schema(status: int, error_type: Schema, nested: Schema) -> Schema:
    properties: dict[str, Schema] = {
        "_id": _text(),
        "message": _text(),
        "statusCode": {"type": "integer", "const": status},
        "type": error_type,
        "occurredAt": _text(format="date-time"),
        "remediation": _text(),
        "attributes": {"type": "object"},
        "errors": nested,
    }
    return {"type": "object", "required": [k for k in properties if k != "errors"], "properties": properties}


class HalErrors:
    """The API document's side of ``error_response``: the ``_error`` body of each status, its
    ``type`` one of those the operation can answer with. Seed 004's codes (the shared errors
    the document adds to every operation, ``proximity.errors`` a route raises) appear as
    ``type_of`` renders them; a consents error is given as ``hal_error(ErrorClass)``."""

    media_type = HAL_MEDIA_TYPE

    def _types(self, codes: Sequence[str]) -> list[str]:
        return sorted({kind for code in codes for kind in _RENDERED_AS.get(code, (error_type(code),))})

    def description(self, status: int, codes: Sequence[str]) -> str:
        return ", ".join(f"`{kind}`" for kind in self._types(codes))

    def schema(self, status: int, codes: Sequence[str]) -> Schema:
        types = self._types(codes)
        # Nested errors (one per invalid field or type name) carry their own, finer type.
        inner = _error_schema(status, _text(), {"type": "array", "items": {"type": "object"}})
        error = _error_schema(status, _text(enum=types), {"type": "array", "items": inner})
        return {
            "type": "object",
            "required": ["_profile", "_error"],
            "properties": {"_profile": _text(format="uri"), "_error": error},
        }


HAL_ERRORS = HalErrors()
