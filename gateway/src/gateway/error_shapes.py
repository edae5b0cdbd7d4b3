"""The body of an error the gateway answers itself, in the shape of the API it was asked for.

Under ``/consents`` the API is seed 001's, whose errors are HAL ``{"_profile", "_error"}``
objects (as the consents service renders them): a client of that API parses one error
shape, whether the consents service or the gateway in front of it refused the request.
Everywhere else, seed 004's ``{"errors": [{"code", "message"}]}``. The gateway does not
import the consents package, so the shape is rendered here too.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Mapping
from datetime import UTC, datetime
from typing import Any

import orjson
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import Response

from proximity import errors as e
from proximity.http import errors as envelope

CONSENTS_PREFIX = "/consents"
ERROR_PROFILE = "https://production.api.apiture.com/schemas/common/errorResponse/v2.0.0/profile.json"
HAL_MEDIA_TYPE = "application/hal+json"


def in_consents_api(path: str) -> bool:
    return path == CONSENTS_PREFIX or path.startswith(CONSENTS_PREFIX + "/")


def error_type(code: str) -> str:
    """``eInvalidClientKey`` → ``invalidClientKey``: seed 004's codes in seed 001's style."""
    name = code[1:] if code.startswith("e") and code[1:2].isupper() else code
    return name[:1].lower() + name[1:]


def hal_error(error: e.ProximityError, headers: Mapping[str, str] | None = None) -> Response:
    body = {
        "_profile": ERROR_PROFILE,
        "_error": {
            "_id": str(uuid.uuid4()),
            "message": error.message,
            "statusCode": error.status,
            "type": error_type(error.code),
            "occurredAt": datetime.now(UTC).isoformat().replace("+00:00", "Z"),
            "remediation": "",
            "attributes": {},
        },
    }
    return Response(orjson.dumps(body), error.status, headers=headers, media_type=HAL_MEDIA_TYPE)


def render_error(
    request: Request, error: e.ProximityError, headers: Mapping[str, str] | None = None
) -> Response:
    if in_consents_api(request.scope["path"]):
        return hal_error(error, headers)
    return envelope.render(error, headers)


def reshaped(response: Response) -> Response:
    """A response of the shared handlers (status and headers decided there, ``Allow`` and
    ``Connection`` among them) with its envelope body in seed 001's shape."""
    item = orjson.loads(bytes(response.body))["errors"][0]
    error = e.ProximityError(str(item["message"]), code=str(item["code"]))
    error.status = response.status_code
    headers = {k: v for k, v in response.headers.items() if k not in ("content-length", "content-type")}
    return hal_error(error, headers)


async def on_proximity_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, e.ProximityError)
    return render_error(request, exc)


async def on_http_exception(request: Request, exc: Exception) -> Response:
    response = await envelope.on_http_exception(request, exc)
    return reshaped(response) if in_consents_api(request.scope["path"]) else response


async def on_crash(request: Request, exc: Exception) -> Response:
    response = await envelope.on_crash(request, exc)
    return reshaped(response) if in_consents_api(request.scope["path"]) else response


def exception_handlers() -> dict[Any, Callable[[Request, Exception], Any]]:
    return {
        e.ProximityError: on_proximity_error,
        HTTPException: on_http_exception,
        Exception: on_crash,
    }
