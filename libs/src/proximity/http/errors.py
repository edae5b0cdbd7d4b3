"""The one exception handler: domain errors, routing errors and crashes become the
``{"errors": [{"code", "message"}]}`` envelope with the documented status."""

from __future__ import annotations

import inspect
import logging
from collections.abc import Callable, Mapping
from typing import Any

import psycopg
from sqlalchemy.exc import DBAPIError
from sqlalchemy.exc import TimeoutError as PoolTimeout
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import Response

from proximity import errors as e
from proximity.http.allowed_methods import allowed_methods
from proximity.http.database_refusals import database_refusal
from proximity.http.database_unavailability import database_unavailability
from proximity.http.responses import errors as error_response

log = logging.getLogger(__name__)

_BY_STATUS: dict[int, type[e.ProximityError]] = {
    400: e.ProximityError,
    401: e.Unauthenticated,
    403: e.PermissionDenied,
    404: e.RouteNotFound,
    405: e.MethodNotAllowed,
    406: e.NotAcceptable,
    408: e.RequestTimeout,
    409: e.Conflict,
    413: e.PayloadTooLarge,
    415: e.UnsupportedMediaType,
    429: e.TooManyRequests,
    503: e.ServiceUnavailable,
}


def render(error: e.ProximityError, headers: Mapping[str, str] | None = None) -> Response:
    item: dict[str, Any] = {"code": error.code, "message": error.message}
    if isinstance(error, e.ValidationFailed) and error.fields:
        item["fields"] = error.fields
    return error_response(error.status, [item], headers=headers)


async def on_proximity_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, e.ProximityError)
    if isinstance(exc, e.ServiceUnavailable) and exc.retry_after_seconds:
        return render(exc, headers={"Retry-After": str(exc.retry_after_seconds)})
    return render(exc)


async def on_http_exception(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, HTTPException)
    kind = _BY_STATUS.get(exc.status_code)
    error = kind() if kind else e.ProximityError(str(exc.detail), code=f"eHttp{exc.status_code}")
    if kind is None:
        error.status = exc.status_code
    headers = exc.headers
    if exc.status_code == 405 and (methods := allowed_methods(request)):
        headers = {**(exc.headers or {}), "Allow": ", ".join(methods)}
    return render(error, headers=headers)


async def on_crash(request: Request, exc: Exception) -> Response:
    # Starlette runs this outside every middleware, after RequestContext has finished: the
    # request id it put in the headers is added to the log line and the response here.
    request_id = request.headers.get("x-request-id")
    log.exception("unhandled error", extra={"path": request.url.path, "request_id": request_id})
    # uvicorn drops the connection after a crash, racing the client, which may already have
    # put it back in its pool and sent the next request on it: saying so makes it not reuse it.
    headers = {"Connection": "close"}
    if request_id:
        headers["X-Request-Id"] = request_id
    return error_response(500, [{"code": "eInternal", "message": "Internal server error."}], headers=headers)


async def render_as_app(request: Request, error: e.ProximityError) -> Response:
    """``error`` as the app renders its own errors: the handler it has for the error's class
    (consents answers in HAL ``_error``), else the shared envelope. For refusals made outside
    Starlette's exception middleware, where no handler would see them."""
    handlers: Mapping[Any, Any] = getattr(request.scope.get("app"), "exception_handlers", {})
    for kind in type(error).__mro__:
        handler = handlers.get(kind)
        if handler is not None:
            response = handler(request, error)
            rendered: Response = await response if inspect.isawaitable(response) else response
            return rendered
        if kind is e.ProximityError:
            break
    return render(error)


async def on_refused_value(request: Request, exc: Exception) -> Response:
    """The safety net: a value the database refused is the client's 400, not a crash."""
    refusal = database_refusal(exc)
    if refusal is None:
        if database_unavailability(exc) is not None:
            return await on_database_unavailable(request, exc)
        raise exc
    # Neither the value nor PostgreSQL's message (which quotes it) is logged.
    log.warning(
        "database refused a value",
        extra={
            "path": request.url.path,
            "request_id": request.headers.get("x-request-id"),
            "sqlstate": refusal.sqlstate,
            "refusal": refusal.problem,
        },
    )
    field = refusal.column or "request"
    error = e.ValidationFailed(f"{field}: {refusal.problem}.", fields={field: refusal.problem})
    return await render_as_app(request, error)


# Long enough for a pool to free a connection or a server to finish restarting; short enough
# that a client retrying by it sees the service back soon.
DATABASE_RETRY_AFTER_SECONDS = 1


async def on_database_unavailable(request: Request, exc: Exception) -> Response:
    """The database did not answer in time or at all: 503 with ``Retry-After`` in the app's
    own envelope, within the pool or statement timeout, rather than a crash."""
    reason = database_unavailability(exc)
    if reason is None:
        raise exc
    log.warning(
        "database unavailable",
        extra={"path": request.url.path, "request_id": request.headers.get("x-request-id"), "reason": reason},
    )
    response = await render_as_app(request, e.ServiceUnavailable())
    response.headers["Retry-After"] = str(DATABASE_RETRY_AFTER_SECONDS)
    return response


def exception_handlers() -> dict[Any, Callable[[Request, Exception], Any]]:
    return {
        e.ProximityError: on_proximity_error,
        HTTPException: on_http_exception,
        DBAPIError: on_refused_value,
        psycopg.Error: on_refused_value,
        UnicodeEncodeError: on_refused_value,
        PoolTimeout: on_database_unavailable,
        Exception: on_crash,
    }
