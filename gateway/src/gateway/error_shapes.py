"""The body of an error the gateway answers itself, in the shape of the API it was asked for.

Under ``/consents`` the API is seed 001's, whose errors are HAL ``{"_profile", "_error"}``
objects (as the consents service renders them): a client of that API parses one error
shape, whether the consents service or the gateway in front of it refused the request.
Under ``/api/v1`` the API is seed 003's, in JSend (``{"status": "fail", "data": ...}``), as
the assets service answers there. Everywhere else, seed 004's ``{"errors": [{"code",
"message"}]}``. Every shape comes from libs.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

import orjson
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import Response

from proximity import errors as e
from proximity.http import errors as envelope
from proximity.http import jsend
from proximity.http.hal_errors import HAL_MEDIA_TYPE, error_document, error_object, error_type

CONSENTS_PREFIX = "/consents"


def in_consents_api(path: str) -> bool:
    return path == CONSENTS_PREFIX or path.startswith(CONSENTS_PREFIX + "/")


def hal_error(error: e.ProximityError, headers: Mapping[str, str] | None = None) -> Response:
    body = error_document(error_object(error.status, error_type(error.code), error.message))
    return Response(orjson.dumps(body), error.status, headers=headers, media_type=HAL_MEDIA_TYPE)


def render_error(
    request: Request, error: e.ProximityError, headers: Mapping[str, str] | None = None
) -> Response:
    if in_consents_api(request.scope["path"]):
        return hal_error(error, headers)
    if jsend.in_jsend_api(request.scope["path"]):
        return jsend.render(error, headers)
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


def _in_api_shape(request: Request, response: Response) -> Response:
    if in_consents_api(request.scope["path"]):
        return reshaped(response)
    if jsend.in_jsend_api(request.scope["path"]):
        return jsend.reshaped(response)
    return response


async def on_http_exception(request: Request, exc: Exception) -> Response:
    return _in_api_shape(request, await envelope.on_http_exception(request, exc))


async def on_crash(request: Request, exc: Exception) -> Response:
    return _in_api_shape(request, await envelope.on_crash(request, exc))


def exception_handlers() -> dict[Any, Callable[[Request, Exception], Any]]:
    return {
        e.ProximityError: on_proximity_error,
        HTTPException: on_http_exception,
        Exception: on_crash,
    }
