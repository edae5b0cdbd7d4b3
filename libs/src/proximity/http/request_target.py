"""The request target (path and query string) refused before routing when it holds text
PostgreSQL cannot store.

``%00`` arrives as NUL, which PostgreSQL refuses inside text; percent-escapes that are not
UTF-8 (``%FF``) Starlette quietly turns into U+FFFD, so the client's value would be stored
changed; and an ASGI server other than uvicorn may hand over lone surrogates, which psycopg
cannot encode. Installed by ``build_app``, so no service's parsing of ``page``, ``filter``,
``{id}``... has to remember any of it: the 400 names the parameter (or the path parameter)
and is rendered as the app renders its own errors.
"""

from __future__ import annotations

from urllib.parse import unquote_to_bytes

from starlette.requests import Request
from starlette.routing import Match
from starlette.types import ASGIApp, Receive, Scope, Send

from proximity.errors import ValidationFailed
from proximity.http.errors import render_as_app
from proximity.http.storable import printable_name, text_fault

NOT_UTF8 = "must be percent-encoded UTF-8"


def _text(encoded: bytes) -> str | None:
    """``encoded`` (percent-escapes, ``+`` already a space) as strict UTF-8, or None."""
    try:
        return unquote_to_bytes(encoded).decode("utf-8")
    except UnicodeDecodeError:
        return None


def _query_refusal(query: bytes) -> ValidationFailed | None:
    if b"\x00" not in query and b"%" not in query and query.isascii():
        return None  # the common case, settled without decoding
    for pair in query.split(b"&"):
        raw_name, _, raw_value = pair.partition(b"=")
        name = _text(raw_name.replace(b"+", b" "))
        value = _text(raw_value.replace(b"+", b" "))
        if name is None or value is None:
            problem: str | None = NOT_UTF8
        else:
            problem = text_fault(name) or text_fault(value)
        if problem is not None:
            spelled = name if name is not None else unquote_to_bytes(raw_name).decode("utf-8", "replace")
            shown = printable_name(spelled)
            return ValidationFailed(f"'{shown}' {problem}.", fields={shown: problem})
    return None


def _path_parameter(scope: Scope) -> str:
    """The path parameter holding the fault, found by routing the way the router will."""
    router = getattr(scope.get("app"), "router", None)
    for route in getattr(router, "routes", ()):
        match, child = route.matches(scope)
        if match is Match.NONE:
            continue
        for name, value in child.get("path_params", {}).items():
            if isinstance(value, str) and (text_fault(value) is not None or "\ufffd" in value):
                return str(name)
        break
    return "path"


def _path_refusal(scope: Scope) -> ValidationFailed | None:
    raw_path = scope.get("raw_path")
    problem = text_fault(scope["path"])
    if problem is None and isinstance(raw_path, bytes) and (b"%" in raw_path or not raw_path.isascii()):
        decoded = _text(raw_path)
        problem = NOT_UTF8 if decoded is None else text_fault(decoded)
    if problem is None:
        return None
    name = _path_parameter(scope)
    return ValidationFailed(f"'{name}' {problem}.", fields={name: problem})


def target_refusal(scope: Scope) -> ValidationFailed | None:
    """Why the request's path or query string cannot be served, or None."""
    return _path_refusal(scope) or _query_refusal(scope.get("query_string", b""))


class StorableTarget:
    """ASGI middleware answering 400 ``eValidationError`` for a request target holding NUL,
    a lone surrogate or bytes that are not UTF-8."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http":
            refusal = target_refusal(scope)
            if refusal is not None:
                response = await render_as_app(Request(scope, receive), refusal)
                await response(scope, receive, send)
                return
        await self.app(scope, receive, send)
