"""The seed 004 HTTP conventions on a small app built like every service's: envelopes,
status codes, request ids, health, readiness and metrics. In-process over ASGI."""

from __future__ import annotations

import contextlib
import logging
import re
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable
from typing import Any

import httpx
import orjson
import pytest
from prometheus_client.parser import text_string_to_metric_families
from pydantic import BaseModel, Field
from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from proximity import errors as e
from proximity.http.app import build_app
from proximity.http.body import DEFAULT_MAX_BODY, read_model
from proximity.http.list_query import parse_list_query
from proximity.http.responses import created, many, one
from proximity.testing.metrics import sample_value

DOMAIN_ERRORS: dict[str, e.ProximityError] = {
    "not-found": e.NotFound("Widget 7 was not found.", code="eWidgetNotFound"),
    "invalid": e.ValidationFailed("name: required", fields={"name": "required"}),
    "unauthenticated": e.Unauthenticated(),
    "forbidden": e.PermissionDenied(),
    "conflict": e.Conflict(),
    "too-many": e.TooManyRequests(),
    "unavailable": e.ServiceUnavailable(),
}
WIDGETS = [{"id": str(uuid.UUID(int=n)), "name": f"widget {n:02}"} for n in range(25)]


class Widget(BaseModel):
    name: str = Field(min_length=1, max_length=50)
    floors: int = Field(ge=0)


async def raise_domain_error(request: Request) -> Response:
    raise DOMAIN_ERRORS[request.path_params["kind"]]


async def create_widget(request: Request) -> Response:
    widget = await read_model(request, Widget)
    return created({"id": uuid.uuid4(), **widget.model_dump()})


async def create_small(request: Request) -> Response:
    widget = await read_model(request, Widget, max_bytes=64)
    return created(widget.model_dump())


async def list_widgets(request: Request) -> Response:
    query = parse_list_query(request.query_params, sortable=("name",))
    rows = sorted(WIDGETS, key=lambda w: w["name"], reverse=query.sort[0].direction == "desc")
    return many(
        rows[query.offset : query.offset + query.per_page], query=query, total=len(rows), url=request.url
    )


async def crash(request: Request) -> Response:
    raise RuntimeError("secret detail in /srv/app/handlers.py")


async def teapot(request: Request) -> Response:
    raise HTTPException(418, "I'm a teapot")


async def echo_request_id(request: Request) -> Response:
    return one({"seen": request.headers.get("x-request-id")})


Check = Callable[[], Awaitable[None]]


async def passes() -> None:
    return None


async def fails() -> None:
    raise ConnectionError("database is down")


@pytest.fixture
def checks() -> dict[str, Check]:
    return {"database": passes, "nats": passes}


@pytest.fixture
def service() -> str:
    return f"libs-test-{uuid.uuid4().hex[:8]}"


@pytest.fixture
def app(service: str, checks: dict[str, Check]) -> Starlette:
    @contextlib.asynccontextmanager
    async def lifespan(_: Starlette) -> AsyncIterator[None]:
        yield

    return build_app(
        service=service,
        routes=[
            Route("/errors/{kind}", raise_domain_error, methods=["GET"]),
            Route("/widgets", list_widgets, methods=["GET"]),
            Route("/widgets", create_widget, methods=["POST"]),
            Route("/small-widgets", create_small, methods=["POST"]),
            Route("/crash", crash, methods=["GET"]),
            Route("/teapot", teapot, methods=["GET"]),
            Route("/request-id", echo_request_id, methods=["GET"]),
        ],
        lifespan=lifespan,
        readiness=lambda: checks,
    )


@pytest.fixture
async def client(app: Starlette) -> AsyncIterator[httpx.AsyncClient]:
    # raise_app_exceptions=False: see what a client sees when a route crashes, as a server would.
    transport = httpx.ASGITransport(app=app, raise_app_exceptions=False)
    async with (
        app.router.lifespan_context(app),
        httpx.AsyncClient(transport=transport, base_url="http://widgets.test") as http,
    ):
        yield http


def error_of(response: httpx.Response, status: int) -> dict[str, Any]:
    """The single error of an error envelope, after checking the envelope's shape."""
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith("application/json")
    body = response.json()
    assert list(body) == ["errors"]
    [error] = body["errors"]
    assert isinstance(error["code"], str)
    assert error["code"].startswith("e")
    assert isinstance(error["message"], str)
    assert error["message"]
    return dict(error)


def assert_fresh_request_id(response: httpx.Response) -> None:
    assert uuid.UUID(response.headers["x-request-id"]).version == 4


# --- errors ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("kind", "status", "code"),
    [
        ("not-found", 400, "eWidgetNotFound"),
        ("invalid", 400, "eValidationError"),
        ("unauthenticated", 401, "eUnauthorized"),
        ("forbidden", 403, "ePermissionDenied"),
        ("conflict", 409, "eConflict"),
        ("too-many", 429, "eTooManyRequests"),
        ("unavailable", 503, "eServiceUnavailable"),
    ],
)
async def test_domain_errors_become_the_envelope(
    client: httpx.AsyncClient, kind: str, status: int, code: str
) -> None:
    response = await client.get(f"/errors/{kind}")

    error = error_of(response, status)
    assert error["code"] == code
    assert error["message"] == DOMAIN_ERRORS[kind].message


async def test_validation_error_names_its_fields(client: httpx.AsyncClient) -> None:
    error = error_of(await client.get("/errors/invalid"), 400)

    assert error["fields"] == {"name": "required"}


async def test_unknown_route_is_404(client: httpx.AsyncClient) -> None:
    assert error_of(await client.get("/no/such/thing"), 404)["code"] == "eRouteNotFound"


@pytest.mark.parametrize(
    ("method", "path", "allowed"), [("DELETE", "/small-widgets", "POST"), ("POST", "/crash", "GET")]
)
async def test_wrong_verb_is_405_with_allow(
    client: httpx.AsyncClient, method: str, path: str, allowed: str
) -> None:
    response = await client.request(method, path)

    assert error_of(response, 405)["code"] == "eMethodNotAllowed"
    assert allowed in response.headers["allow"]


async def test_other_http_errors_keep_their_status(client: httpx.AsyncClient) -> None:
    assert error_of(await client.get("/teapot"), 418)["code"] == "eHttp418"


async def test_a_crash_is_a_500_envelope_without_details(client: httpx.AsyncClient) -> None:
    response = await client.get("/crash", headers={"accept": "text/html"})

    error = error_of(response, 500)
    assert error == {"code": "eInternal", "message": "Internal server error."}
    for leak in ("Traceback", "RuntimeError", "secret detail", "handlers.py", "<html"):
        assert leak not in response.text
    assert_fresh_request_id(response)


async def test_a_crash_is_logged_with_its_request_id(
    client: httpx.AsyncClient, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.ERROR, logger="proximity.http.errors"):
        response = await client.get("/crash", headers={"x-request-id": "trace-crash-0001"})

    [record] = [r for r in caplog.records if r.name == "proximity.http.errors"]
    assert record.request_id == "trace-crash-0001"  # type: ignore[attr-defined]
    assert record.exc_info is not None
    assert "secret detail" in str(record.exc_info[1])  # in the log, never in the response
    assert "secret detail" not in response.text


# --- request bodies -------------------------------------------------------------------------


async def test_a_valid_body_is_read_into_the_model(client: httpx.AsyncClient) -> None:
    response = await client.post("/widgets", json={"name": "Tower", "floors": 12, "extra": "ignored"})

    assert response.status_code == 201
    body = response.json()
    assert body["data"]["name"] == "Tower"
    assert body["data"]["floors"] == 12
    uuid.UUID(body["data"]["id"])
    assert body["warnings"] == []


async def test_json_suffix_media_types_are_accepted(client: httpx.AsyncClient) -> None:
    response = await client.post(
        "/widgets",
        content=b'{"name": "Tower", "floors": 1}',
        headers={"content-type": "application/vnd.proximity+json; charset=utf-8"},
    )

    assert response.status_code == 201


@pytest.mark.parametrize("content_type", [None, "text/plain", "application/x-www-form-urlencoded"])
async def test_non_json_body_is_415(client: httpx.AsyncClient, content_type: str | None) -> None:
    headers = {"content-type": content_type} if content_type else {}
    response = await client.post("/widgets", content=b'{"name": "Tower", "floors": 1}', headers=headers)

    assert error_of(response, 415)["code"] == "eUnsupportedMediaType"


@pytest.mark.parametrize("raw", [b"{", b"", b"{'name': 'Tower'}", b'{"name": "Tower",}', b"\xff\xfe"])
async def test_malformed_json_is_400(client: httpx.AsyncClient, raw: bytes) -> None:
    response = await client.post("/widgets", content=raw, headers={"content-type": "application/json"})

    assert error_of(response, 400)["code"] == "eMalformedJson"


@pytest.mark.parametrize("raw", [b"[]", b'"Tower"', b"null", b"12"])
async def test_a_body_that_is_not_an_object_is_400(client: httpx.AsyncClient, raw: bytes) -> None:
    response = await client.post("/widgets", content=raw, headers={"content-type": "application/json"})

    assert error_of(response, 400)["code"] == "eValidationError"


async def test_invalid_fields_are_400_and_named(client: httpx.AsyncClient) -> None:
    response = await client.post("/widgets", json={"name": "", "floors": -1})

    error = error_of(response, 400)
    assert error["code"] == "eValidationError"
    assert set(error["fields"]) == {"name", "floors"}


async def test_oversized_body_is_413(client: httpx.AsyncClient) -> None:
    body = orjson.dumps({"name": "x" * DEFAULT_MAX_BODY, "floors": 1})

    response = await client.post("/widgets", content=body, headers={"content-type": "application/json"})

    assert error_of(response, 413)["code"] == "ePayloadTooLarge"


async def test_a_route_sets_its_own_body_limit(client: httpx.AsyncClient) -> None:
    small = await client.post("/small-widgets", json={"name": "Tower", "floors": 1})
    large = await client.post("/small-widgets", json={"name": "T" * 50, "floors": 1})

    assert small.status_code == 201
    assert error_of(large, 413)["code"] == "ePayloadTooLarge"


async def test_a_streamed_oversized_body_is_413(client: httpx.AsyncClient) -> None:
    async def chunks() -> AsyncIterator[bytes]:
        yield b'{"name": "'
        for _ in range(40):
            yield b"x" * 32 * 1024
        yield b'", "floors": 1}'

    response = await client.post("/widgets", content=chunks(), headers={"content-type": "application/json"})

    assert error_of(response, 413)["code"] == "ePayloadTooLarge"


# --- lists ----------------------------------------------------------------------------------


async def test_many_sets_the_envelope_and_paging_headers(client: httpx.AsyncClient) -> None:
    response = await client.get("/widgets", params={"page": 1, "per_page": 10, "sort": "-name"})

    assert response.status_code == 200
    body = response.json()
    assert [w["name"] for w in body["data"]] == [f"widget {n:02}" for n in range(14, 4, -1)]
    assert body["pagination"] == {"page": 1, "per_page": 10, "total": 25}
    assert body["sort"] == [{"field": "name", "dir": "desc"}]
    assert body["warnings"] == []
    assert response.headers["x-total-count"] == "25"
    links = dict((rel, url) for url, rel in re.findall(r'<([^>]+)>; rel="(\w+)"', response.headers["link"]))
    assert set(links) == {"first", "prev", "next", "last"}
    for rel, page in {"first": 0, "prev": 0, "next": 2, "last": 2}.items():
        target = httpx.URL(links[rel])
        assert target.host == "widgets.test"
        assert target.path == "/widgets"
        assert target.params["page"] == str(page)
        assert target.params["sort"] == "-name"
        assert target.params["per_page"] == "10"


async def test_following_the_next_links_visits_every_row(client: httpx.AsyncClient) -> None:
    seen: list[str] = []
    url: str | None = "/widgets?per_page=7"
    while url:
        response = await client.get(url)
        seen += [w["id"] for w in response.json()["data"]]
        found = re.search(r'<([^>]+)>; rel="next"', response.headers["link"])
        url = found.group(1) if found else None

    assert seen == [w["id"] for w in WIDGETS]


async def test_a_bad_list_query_is_400(client: httpx.AsyncClient) -> None:
    response = await client.get("/widgets", params={"per_page": "1000"})

    assert error_of(response, 400)["code"] == "eValidationError"


# --- request ids ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("GET", "/widgets"),
        ("GET", "/errors/not-found"),
        ("GET", "/nowhere"),
        ("PUT", "/widgets"),
        ("POST", "/widgets"),
        ("GET", "/crash"),
        ("GET", "/health"),
    ],
)
async def test_every_response_carries_a_request_id(client: httpx.AsyncClient, method: str, path: str) -> None:
    assert_fresh_request_id(await client.request(method, path))


@pytest.mark.parametrize("path", ["/request-id", "/errors/forbidden", "/nowhere", "/crash"])
async def test_a_valid_incoming_request_id_is_kept(client: httpx.AsyncClient, path: str) -> None:
    given = f"client-{uuid.uuid4().hex}"

    response = await client.get(path, headers={"x-request-id": given})

    assert response.headers["x-request-id"] == given


async def test_the_route_sees_the_same_request_id_as_the_client(client: httpx.AsyncClient) -> None:
    given = f"client-{uuid.uuid4().hex}"

    kept = await client.get("/request-id", headers={"x-request-id": given})
    replaced = await client.get("/request-id", headers={"x-request-id": "bad id!"})

    assert kept.json()["data"]["seen"] == given
    assert replaced.json()["data"]["seen"] == replaced.headers["x-request-id"] != "bad id!"
    assert_fresh_request_id(replaced)


# --- health, readiness, metrics ------------------------------------------------------------


async def test_health(client: httpx.AsyncClient, checks: dict[str, Check]) -> None:
    checks["database"] = fails  # the process answering is all /health says

    response = await client.get("/health")

    assert response.status_code == 200
    assert response.json() == {"data": {"status": "ok"}, "warnings": []}


async def test_ready_when_every_check_passes(client: httpx.AsyncClient) -> None:
    response = await client.get("/ready")

    assert response.status_code == 200
    assert response.json()["data"] == {"status": "ok", "checks": {"database": "ok", "nats": "ok"}}


def dependency_up(metrics: str, service: str, dependency: str) -> float | None:
    return sample_value(metrics, "dependency_up", service=service, dependency=dependency)


async def test_a_failing_dependency_is_reported_not_made_unready(
    app: Starlette,
    client: httpx.AsyncClient,
    checks: dict[str, Check],
    service: str,
    caplog: pytest.LogCaptureFixture,
) -> None:
    checks["nats"] = fails

    with caplog.at_level(logging.WARNING, logger="proximity.observability.health"):
        for _ in range(3):  # three rounds of checks: one line for the change, not one per round
            await app.state.readiness.observe()
        response = await client.get("/ready")
        metrics = (await client.get("/metrics")).text

        assert response.status_code == 200
        assert response.json() == {
            "data": {"status": "ok", "checks": {"database": "ok", "nats": "unavailable"}},
            "warnings": ["nats is unavailable."],
        }
        assert dependency_up(metrics, service, "nats") == 0
        assert dependency_up(metrics, service, "database") == 1

        checks["nats"] = passes
        await app.state.readiness.observe()
        await app.state.readiness.observe()
    assert (await client.get("/ready")).json()["data"]["checks"] == {"database": "ok", "nats": "ok"}
    assert dependency_up((await client.get("/metrics")).text, service, "nats") == 1
    lines = [(r.getMessage(), getattr(r, "dependency", None)) for r in caplog.records]
    assert lines == [("dependency unavailable", "nats"), ("dependency available again", "nats")]


async def test_not_ready_until_started_and_once_shutting_down(app: Starlette) -> None:
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://widgets.test") as http:
        before = await http.get("/ready")
        async with app.router.lifespan_context(app):
            during = await http.get("/ready")
        after = await http.get("/ready")

    assert error_of(before, 503)["code"] == "eServiceUnavailable"
    assert during.status_code == 200
    assert error_of(after, 503)["code"] == "eServiceUnavailable"


async def test_metrics_count_requests_by_route_and_status(client: httpx.AsyncClient, service: str) -> None:
    for _ in range(3):
        await client.get("/errors/forbidden")
    await client.get("/nowhere")

    response = await client.get("/metrics")

    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/plain")
    samples = [
        sample
        for family in text_string_to_metric_families(response.text)
        for sample in family.samples
        if sample.name == "http_requests_total" and sample.labels.get("service") == service
    ]

    def count(route: str, status: str) -> float:
        wanted = {"service": service, "method": "GET", "route": route, "status": status}
        [value] = [sample.value for sample in samples if sample.labels == wanted]
        return float(value)

    assert count("/errors/{kind}", "403") == 3
    assert count("unmatched", "404") == 1
    assert "http_request_duration_seconds_bucket{" in response.text


# --- through a real server ------------------------------------------------------------------


async def test_the_conventions_hold_through_a_real_server(
    app: Starlette, serve_app: Callable[[Starlette], Awaitable[str]]
) -> None:
    base = await serve_app(app)
    async with httpx.AsyncClient(base_url=base) as http:
        crashed = await http.get("/crash", headers={"x-request-id": "trace-12345678"})
        missing = await http.get("/nowhere")
        too_big = await http.post(
            "/small-widgets",
            content=b'{"name": "' + b"x" * 4096 + b'"}',
            headers={"content-type": "application/json"},
        )

    assert error_of(crashed, 500)["code"] == "eInternal"
    assert crashed.headers["x-request-id"] == "trace-12345678"
    assert error_of(missing, 404)["code"] == "eRouteNotFound"
    assert_fresh_request_id(missing)
    assert error_of(too_big, 413)["code"] == "ePayloadTooLarge"
