"""Faults on the connections around the gateway: pooled upstream connections that died, request
bodies that stop arriving, requests that are not HTTP. Real servers and real processes."""

from __future__ import annotations

import asyncio
import time
import uuid
from collections.abc import AsyncIterator, Callable

import httpx
import orjson
import pytest
from dropping_upstream import DroppingUpstream
from gateway_harness import StartGateway, code_of
from gateway_processes import uvicorn_process
from gateway_upstream import FakeUpstream
from raw_http import exchange, parse, request_head


def caller_headers(upstream: FakeUpstream) -> dict[str, str]:
    client = upstream.add_client()
    return {"X-Client-Key": client.key, "Authorization": upstream.token(client.tenant_id)}


async def until(condition: Callable[[], bool], within: float = 10.0) -> bool:
    """Whether ``condition`` came true, waiting no longer than that (nor than ``within``)."""
    deadline = time.monotonic() + within
    while True:
        if condition() or time.monotonic() > deadline:
            return condition()
        await asyncio.sleep(0.02)


# --- pooled connections the upstream closed ------------------------------------------------


async def test_after_a_service_crashed_other_callers_are_not_refused(
    start_gateway: StartGateway, upstream: FakeUpstream
) -> None:
    crasher, other = caller_headers(upstream), caller_headers(upstream)
    async with (
        uvicorn_process("crashing_service:create_app") as service,
        start_gateway(assets_url=service) as url,
        httpx.AsyncClient(base_url=url, timeout=10) as http,
    ):
        # Connections to the service in the gateway's pool, then one of them ends in a crash.
        warm = await asyncio.gather(*(http.get(f"/assets/{n}", headers=other) for n in range(10)))
        crashed = await http.get("/assets/crash", headers=crasher)
        after = await asyncio.gather(*(http.get(f"/assets/{n}", headers=other) for n in range(30)))

    assert [r.status_code for r in warm] == [200] * 10
    assert crashed.status_code == 500
    assert code_of(crashed) == "eInternal"
    assert [r.status_code for r in after] == [200] * 30


@pytest.mark.parametrize("method", ["GET", "HEAD", "OPTIONS", "PUT", "DELETE"])
async def test_an_idempotent_request_on_a_closed_pooled_connection_is_sent_once_more(
    start_gateway: StartGateway, upstream: FakeUpstream, method: str
) -> None:
    dropping, headers = DroppingUpstream(), caller_headers(upstream)
    async with (
        dropping.serve() as service,
        start_gateway(assets_url=service) as url,
        httpx.AsyncClient(base_url=url, timeout=10) as http,
    ):
        first = await http.get("/assets/1", headers=headers)  # leaves connection 1 in the pool
        again = await http.request(method, "/assets/1", headers=headers)

    assert first.status_code == 200
    assert again.status_code == 200
    # Sent on the pooled connection, which the upstream closed; then once on a new one.
    assert dropping.requests == [(1, "GET"), (1, method), (2, method)]
    if method != "HEAD":
        assert again.json()["data"] == {"connection": 2}


@pytest.mark.parametrize(
    ("method", "body"), [("POST", None), ("PATCH", None), ("PUT", b'{"name": "x"}'), ("DELETE", b"{}")]
)
async def test_no_request_is_sent_twice_when_that_could_repeat_it(
    start_gateway: StartGateway, upstream: FakeUpstream, method: str, body: bytes | None
) -> None:
    dropping, headers = DroppingUpstream(), caller_headers(upstream)
    async with (
        dropping.serve() as service,
        start_gateway(assets_url=service) as url,
        httpx.AsyncClient(base_url=url, timeout=10) as http,
    ):
        await http.get("/assets/1", headers=headers)
        response = await http.request(method, "/assets/1", headers=headers, content=body)

    assert response.status_code == 503
    assert code_of(response) == "eServiceUnavailable"
    assert dropping.requests == [(1, "GET"), (1, method)]


async def test_a_failure_on_a_new_connection_is_not_retried(
    start_gateway: StartGateway, upstream: FakeUpstream
) -> None:
    dropping, headers = DroppingUpstream(drop_first=True), caller_headers(upstream)
    async with (
        dropping.serve() as service,
        start_gateway(assets_url=service) as url,
        httpx.AsyncClient(base_url=url, timeout=10) as http,
    ):
        response = await http.get("/assets/1", headers=headers)

    assert response.status_code == 503
    assert dropping.requests == [(1, "GET")]


# --- request bodies that stop arriving -----------------------------------------------------


@pytest.mark.parametrize(
    ("framing", "sent"),
    [
        ({"Content-Length": "100"}, b'{"name": "short'),
        ({"Transfer-Encoding": "chunked"}, b'7\r\n{"name"\r\n'),
    ],
    ids=["shorter-than-declared", "chunked-stalled"],
)
async def test_a_body_that_stops_arriving_is_a_408_and_frees_both_connections(
    start_gateway: StartGateway, upstream: FakeUpstream, framing: dict[str, str], sent: bytes
) -> None:
    headers = {**caller_headers(upstream), "Content-Type": "application/json", **framing}
    path = f"/assets/{uuid.uuid4()}"
    async with start_gateway(body_idle_timeout_seconds=0.5) as url:
        answer = await exchange(url, request_head("PUT", path, headers) + sent)

    status, response_headers, body = parse(answer)  # read to the end: the gateway closed it
    assert status == 408
    assert orjson.loads(body)["errors"][0]["code"] == "eRequestTimeout"
    assert response_headers["connection"] == "close"
    # The upstream request was abandoned, not left waiting for the rest.
    [call] = upstream.calls_to(path)
    assert await until(lambda: call.get("disconnected", False))
    assert "body_bytes" not in call


async def test_a_body_that_keeps_coming_is_forwarded_whole(
    start_gateway: StartGateway, upstream: FakeUpstream
) -> None:
    headers = caller_headers(upstream)

    async def parts() -> AsyncIterator[bytes]:
        for _ in range(5):
            yield b"x" * 100

    async with start_gateway(body_idle_timeout_seconds=5) as url, httpx.AsyncClient(base_url=url) as http:
        response = await http.put("/assets/steady", headers=headers, content=parts())

    assert response.status_code == 200
    assert response.json()["data"]["body_bytes"] == 500


# --- requests that are not HTTP --------------------------------------------------------------


@pytest.mark.parametrize(
    "garbage",
    [
        b"\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03 a TLS hello on a plain port\r\n\r\n",
        b"GET /users/me HTTP/1.1\r\nHost: gateway\r\nNot A Header\r\n\r\n",
        b"GET /users/me HTTP/1.1\r\nHost: gateway\r\nContent-Length: -1\r\n\r\n",
    ],
    ids=["binary", "header-without-colon", "negative-length"],
)
async def test_a_request_that_is_not_http_is_answered_in_the_envelope(
    nats_url: str, upstream: FakeUpstream, garbage: bytes
) -> None:
    env = {
        "NATS_URL": nats_url,
        "IDENTITY_URL": upstream.url,
        "JWKS_URL": f"{upstream.url}/.well-known/jwks.json",
    }
    async with uvicorn_process("gateway.app:create_app", env) as url, httpx.AsyncClient() as http:
        answer = await exchange(url, garbage)
        still_serving = await http.get(f"{url}/health")

    status, headers, body = parse(answer)  # read to the end: the gateway closed the connection
    assert status == 400
    assert headers["content-type"] == "application/json"
    assert headers["connection"] == "close"
    assert orjson.loads(body) == {
        "errors": [{"code": "eMalformedRequest", "message": "The request is not valid HTTP."}]
    }
    assert still_serving.status_code == 200
