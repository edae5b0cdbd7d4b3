"""Seed 003's JSend envelopes, for the API under ``/api/v1``.

``{"status": "success", "data": {...}}`` for an answer, ``{"status": "fail", "data": {"code",
"message", "fields"?}}`` for the client's mistake (4xx) and ``{"status": "error", "message",
"code", "data"}`` for the server's (5xx). Seed 003 is resource-shaped, so an id that is not
the tenant's is a 404 there (seed 004 answers 400 for the same error).

The shared handlers decide status and headers; ``jsend_handlers`` re-renders their seed 004
body in this shape for paths under ``/api/v1``, so the service and the gateway in front of it
answer one shape whoever refused the request.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable, Mapping, Sequence
from typing import Any

import orjson
from starlette.requests import Request
from starlette.responses import Response

from proximity import errors as e
from proximity.http.responses import JSON
from proximity.openapi.operation import Schema

JSEND_PREFIX = "/api/v1"


def in_jsend_api(path: str) -> bool:
    return path == JSEND_PREFIX or path.startswith(JSEND_PREFIX + "/")


def success(data: Mapping[str, Any], *, status: int = 200, headers: Mapping[str, str] | None = None) -> JSON:
    return JSON({"status": "success", "data": dict(data)}, status_code=status, headers=headers)


def _body(status: int, code: str, message: str, fields: Mapping[str, str] | None) -> dict[str, Any]:
    data: dict[str, Any] = {"code": code, "message": message}
    if fields:
        data["fields"] = dict(fields)
    if status >= 500:
        return {"status": "error", "message": message, "code": code, "data": data}
    return {"status": "fail", "data": data}


def render(error: e.ProximityError, headers: Mapping[str, str] | None = None) -> Response:
    status = 404 if isinstance(error, e.NotFound) else error.status
    fields = error.fields if isinstance(error, e.ValidationFailed) else None
    return JSON(_body(status, error.code, error.message, fields), status_code=status, headers=headers)


def reshaped(response: Response) -> Response:
    """A seed 004 error answer (``{"errors": [...]}``) of the shared handlers in JSend; any
    other answer (one already in JSend, a non-JSON one) as it is."""
    try:
        document = orjson.loads(bytes(response.body))
    except (orjson.JSONDecodeError, AttributeError):
        return response
    if (
        not isinstance(document, dict)
        or not isinstance(document.get("errors"), list)
        or not document["errors"]
    ):
        return response
    item = document["errors"][0]
    body = _body(response.status_code, str(item.get("code")), str(item.get("message")), item.get("fields"))
    headers = {k: v for k, v in response.headers.items() if k not in ("content-length", "content-type")}
    return JSON(body, status_code=response.status_code, headers=headers)


Handler = Callable[[Request, Exception], Any]


def jsend_handlers(handlers: Mapping[Any, Handler]) -> dict[Any, Handler]:
    """``handlers`` (the app's, keyed by exception class) answering in JSend under ``/api/v1``."""

    def wrapped(handler: Handler) -> Handler:
        async def handle(request: Request, exc: Exception) -> Response:
            if in_jsend_api(request.scope["path"]) and isinstance(exc, e.NotFound):
                return render(exc)
            answer = handler(request, exc)
            response: Response = await answer if inspect.isawaitable(answer) else answer
            return reshaped(response) if in_jsend_api(request.scope["path"]) else response

        return handle

    return {kind: wrapped(handler) for kind, handler in handlers.items()}


class JSendErrors:
    """The API document's side of ``render``: a ``fail`` body for a 4xx, ``error`` for a 5xx,
    ``code`` one of those the operation can answer with."""

    media_type = "application/json"

    def description(self, status: int, codes: Sequence[str]) -> str:
        return ", ".join(f"`{code}`" for code in sorted(set(codes)))

    def schema(self, status: int, codes: Sequence[str]) -> Schema:
        data: Schema = {
            "type": "object",
            "required": ["code", "message"],
            "properties": {
                "code": {"type": "string", "enum": sorted(set(codes))},
                "message": {"type": "string"},
                "fields": {"type": "object", "additionalProperties": {"type": "string"}},
            },
        }
        if status >= 500:
            return {
                "type": "object",
                "required": ["status", "message"],
                "properties": {
                    "status": {"type": "string", "const": "error"},
                    "message": {"type": "string"},
                    "code": {"type": "string"},
                    "data": data,
                },
            }
        return {
            "type": "object",
            "required": ["status", "data"],
            "properties": {"status": {"type": "string", "const": "fail"}, "data": data},
        }


JSEND_ERRORS = JSendErrors()


def jsend_schema(data: Mapping[str, Schema]) -> Schema:
    """A success answer's schema: ``data`` holds these keys."""
    return {
        "type": "object",
        "required": ["status", "data"],
        "properties": {
            "status": {"type": "string", "const": "success"},
            "data": {"type": "object", "required": list(data), "properties": dict(data)},
        },
    }
