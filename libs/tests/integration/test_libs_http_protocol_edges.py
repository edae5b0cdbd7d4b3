"""Where HTTP meets the connection: what a 405 advertises, what a crash does to a keep-alive
connection, and how a request that is not HTTP at all is answered. On real uvicorn servers
except for the 405 (routing only)."""

from __future__ import annotations

import asyncio
import contextlib
import socket
from collections.abc import AsyncIterator

import httpx
import orjson
import pytest
import uvicorn
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from proximity.http.app import build_app
from proximity.http.responses import one
from proximity.http.server_protocol import H11EnvelopeProtocol, HttpToolsEnvelopeProtocol


async def read_item(request: Request) -> Response:
    return one({"id": request.path_params["id"]})


async def write_item(request: Request) -> Response:
    return one({"id": request.path_params["id"]})


async def crash(request: Request) -> Response:
    raise RuntimeError("boom")


def edge_app() -> Starlette:
    @contextlib.asynccontextmanager
    async def lifespan(_: Starlette) -> AsyncIterator[None]:
        yield

    return build_app(
        service="libs-edges",
        routes=[
            # One path, two routes: Starlette's 405 would name the first one's methods only.
            Route("/items/{id}", read_item, methods=["GET"]),
            Route("/items/{id}", write_item, methods=["PUT", "POST"]),
            Route("/crash", crash, methods=["GET"]),
        ],
        lifespan=lifespan,
        readiness=dict,
    )


@contextlib.asynccontextmanager
async def served(app: Starlette, protocol: type[asyncio.Protocol] | None = None) -> AsyncIterator[int]:
    """``app`` on a real uvicorn server (with ``protocol`` as its HTTP implementation); the port."""
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.bind(("127.0.0.1", 0))
    config = uvicorn.Config(app, lifespan="off", log_config=None, access_log=False, http=protocol or "auto")
    server = uvicorn.Server(config)
    task = asyncio.create_task(server.serve(sockets=[sock]))
    try:
        async with asyncio.timeout(10):
            while not server.started:
                if task.done():
                    task.result()
                await asyncio.sleep(0.01)
        yield sock.getsockname()[1]
    finally:
        server.should_exit = True
        await task
        sock.close()


async def exchange(port: int, raw: bytes) -> bytes:
    """Send ``raw`` and read until the server closes the connection."""
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    try:
        writer.write(raw)
        await writer.drain()
        return await reader.read()
    finally:
        writer.close()


def parse(response: bytes) -> tuple[int, dict[str, str], bytes]:
    head, _, body = response.partition(b"\r\n\r\n")
    status_line, *lines = head.decode("latin-1").split("\r\n")
    headers = {name.strip().lower(): value.strip() for name, _, value in (h.partition(":") for h in lines)}
    return int(status_line.split(" ")[1]), headers, body


async def test_a_405_allows_every_method_of_every_route_on_the_path() -> None:
    transport = httpx.ASGITransport(app=edge_app())
    async with httpx.AsyncClient(transport=transport, base_url="http://edges.test") as http:
        response = await http.delete("/items/7")
        other_path = await http.post("/crash")

    assert response.status_code == 405
    assert response.json()["errors"][0]["code"] == "eMethodNotAllowed"
    assert response.headers["allow"] == "GET, HEAD, POST, PUT"
    # A path with one route still names just that route's methods.
    assert other_path.headers["allow"] == "GET, HEAD"


async def test_a_crash_tells_the_client_not_to_reuse_the_connection() -> None:
    async with served(edge_app()) as port:
        answer = await exchange(
            port, b"GET /crash HTTP/1.1\r\nHost: edges\r\nX-Request-Id: crash-00000001\r\n\r\n"
        )
        async with httpx.AsyncClient(base_url=f"http://127.0.0.1:{port}") as http:
            crashed = await http.get("/crash")
            after = await http.get("/items/1")

    status, headers, body = parse(answer)  # read to the end: the server closed the connection
    assert status == 500
    assert headers["connection"] == "close"
    assert headers["x-request-id"] == "crash-00000001"
    assert orjson.loads(body)["errors"][0]["code"] == "eInternal"
    assert crashed.headers["connection"] == "close"
    assert after.status_code == 200


@pytest.mark.parametrize("protocol", [HttpToolsEnvelopeProtocol, H11EnvelopeProtocol])
@pytest.mark.parametrize(
    "garbage",
    [
        b"\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03 not http at all\r\n\r\n",  # TLS to a plain port
        b"GET /items/1 HTTP/1.1\r\nHost: edges\r\nBad Header Line\r\n\r\n",
        b"GET /items/1 HTTP/1.1\r\nHost: edges\r\nContent-Length: nope\r\n\r\n",
    ],
    ids=["binary", "header-without-colon", "bad-content-length"],
)
async def test_a_request_that_is_not_http_is_answered_in_the_envelope(
    protocol: type[asyncio.Protocol], garbage: bytes
) -> None:
    async with served(edge_app(), protocol) as port:
        answer = await exchange(port, garbage)

    status, headers, body = parse(answer)  # read to the end: the server closed the connection
    assert status == 400
    assert headers["content-type"] == "application/json"
    assert headers["connection"] == "close"
    assert int(headers["content-length"]) == len(body)
    assert orjson.loads(body) == {
        "errors": [{"code": "eMalformedRequest", "message": "The request is not valid HTTP."}]
    }


@pytest.mark.parametrize("protocol", [HttpToolsEnvelopeProtocol, H11EnvelopeProtocol])
async def test_valid_requests_are_served_as_before(protocol: type[asyncio.Protocol]) -> None:
    async with (
        served(edge_app(), protocol) as port,
        httpx.AsyncClient(base_url=f"http://127.0.0.1:{port}") as http,
    ):
        responses = [await http.get(f"/items/{n}") for n in range(3)]  # one kept-alive connection

    assert [r.json()["data"]["id"] for r in responses] == ["0", "1", "2"]
