"""Paths and query strings holding NUL, lone surrogates or bytes that are not UTF-8 are
refused before any route runs: 400 ``eValidationError`` naming the parameter, in the app's
own error shape. In-process over ASGI; no database is involved."""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator, Mapping
from typing import Any

import httpx
import pytest
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route
from starlette.types import Message, Scope

from proximity import errors as e
from proximity.http.app import build_app
from proximity.http.request_target import NOT_UTF8, StorableTarget, target_refusal
from proximity.observability.health import ReadinessCheck

NUL = "must not contain the NUL character"
SURROGATE = "must not contain a lone surrogate"


async def echo(request: Request) -> Response:
    return JSONResponse({"params": request.path_params, "query": dict(request.query_params)})


@contextlib.asynccontextmanager
async def no_lifespan(app: Starlette) -> AsyncIterator[None]:
    yield


def readiness() -> Mapping[str, ReadinessCheck]:
    return {}


def widgets_app() -> Starlette:
    return build_app(
        service="widgets",
        routes=[Route("/widgets", echo), Route("/widgets/{widget_id}/parts/{part}", echo)],
        lifespan=no_lifespan,
        readiness=readiness,
    )


async def get(app: Starlette, target: str) -> httpx.Response:
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://widgets") as http:
        return await http.get(target)


def assert_refused(response: httpx.Response, field: str, problem: str) -> None:
    assert response.status_code == 400, response.text
    (error,) = response.json()["errors"]
    assert error["code"] == "eValidationError"
    assert error["fields"] == {field: problem}
    assert field in error["message"] or field == "\ufffd"
    assert "x-request-id" in response.headers  # refused inside the request context


@pytest.mark.parametrize(
    ("target", "field", "problem"),
    [
        ("/widgets?keywords=a%00b", "keywords", NUL),
        ("/widgets?page=1&filter=eq(type,%00)", "filter", NUL),
        ("/widgets?na%00me=1", "na\ufffdme", NUL),
        ("/widgets?keywords=%FF", "keywords", NOT_UTF8),
        ("/widgets?keywords=%C3", "keywords", NOT_UTF8),
        ("/widgets?keywords=%ED%A0%80", "keywords", NOT_UTF8),  # a surrogate, UTF-8-encoded
        ("/widgets?%FF=1", "\ufffd", NOT_UTF8),
    ],
)
async def test_a_query_parameter_that_cannot_be_stored_is_named(
    target: str, field: str, problem: str
) -> None:
    assert_refused(await get(widgets_app(), target), field, problem)


@pytest.mark.parametrize(
    ("target", "field", "problem"),
    [
        ("/widgets/a%00b/parts/x", "widget_id", NUL),
        ("/widgets/7/parts/%FF", "part", NOT_UTF8),
        ("/nowhere/%00", "path", NUL),
    ],
)
async def test_a_path_parameter_that_cannot_be_stored_is_named(target: str, field: str, problem: str) -> None:
    assert_refused(await get(widgets_app(), target), field, problem)


@pytest.mark.parametrize(
    "target",
    [
        "/widgets?keywords=caf%C3%A9&sort=-name&ids[]=1,2&q=a+b",
        "/widgets?keywords=%F0%9F%98%80",
        "/widgets?keywords=%EF%BF%BD",  # U+FFFD itself, sent as such
        "/widgets/caf%C3%A9/parts/%E2%82%AC",
        "/widgets?",
        "/widgets?&&=&a",
    ],
)
async def test_text_that_can_be_stored_passes_unchanged(target: str) -> None:
    response = await get(widgets_app(), target)

    assert response.status_code == 200, response.text


async def test_the_app_renders_the_refusal_in_its_own_shape() -> None:
    app = widgets_app()

    async def own_shape(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, e.ValidationFailed)
        return JSONResponse(
            {"_error": {"type": "validationError", "fields": exc.fields}}, status_code=exc.status
        )

    app.exception_handlers[e.ProximityError] = own_shape
    response = await get(app, "/widgets?q=%00")

    assert response.status_code == 400
    assert response.json() == {"_error": {"type": "validationError", "fields": {"q": NUL}}}


def scope_of(path: str, query: bytes = b"", raw_path: bytes | None = None) -> Scope:
    scope: dict[str, Any] = {
        "type": "http",
        "method": "GET",
        "path": path,
        "query_string": query,
        "headers": [],
    }
    if raw_path is not None:
        scope["raw_path"] = raw_path
    return scope


def test_a_lone_surrogate_an_asgi_server_hands_over_is_refused() -> None:
    refusal = target_refusal(scope_of("/widgets/\ud800"))

    assert refusal is not None
    assert refusal.fields == {"path": SURROGATE}


def test_raw_non_ascii_bytes_in_the_query_must_be_utf8() -> None:
    assert target_refusal(scope_of("/", "keywords=café".encode())) is None
    refusal = target_refusal(scope_of("/", b"keywords=caf\xe9"))

    assert refusal is not None
    assert refusal.fields == {"keywords": NOT_UTF8}


def test_without_raw_path_the_decoded_path_is_checked() -> None:
    refusal = target_refusal(scope_of("/widgets/a\x00b"))

    assert refusal is not None
    assert refusal.fields == {"path": NUL}


async def test_other_connections_pass_through() -> None:
    seen: list[str] = []

    async def inner(scope: Scope, receive: Any, send: Any) -> None:
        seen.append(scope["type"])

    async def receive() -> Message:
        return {"type": "lifespan.startup"}

    async def send(message: Message) -> None:
        raise AssertionError("nothing is sent")

    await StorableTarget(inner)({"type": "lifespan"}, receive, send)

    assert seen == ["lifespan"]
