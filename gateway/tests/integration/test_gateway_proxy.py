"""Forwarding: request ids, headers, streamed bodies and their limit, upstream failures."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator

import httpx
import pytest
from gateway_harness import StartGateway, code_of
from gateway_servers import closed_port_url, raw_request
from gateway_upstream import Client, FakeUpstream


@pytest.fixture
def caller(upstream: FakeUpstream) -> tuple[Client, dict[str, str]]:
    client = upstream.add_client()
    return client, {"X-Client-Key": client.key, "Authorization": upstream.token(client.tenant_id)}


async def chunks(total: int, size: int = 1000) -> AsyncIterator[bytes]:
    sent = 0
    while sent < total:
        part = min(size, total - sent)
        sent += part
        yield b"x" * part


async def test_request_id_is_added_or_kept(
    http: httpx.AsyncClient, upstream: FakeUpstream, caller: tuple[Client, dict[str, str]]
) -> None:
    _, headers = caller
    path = f"/assets/{uuid.uuid4()}"
    response = await http.get(path, headers=headers)
    assert response.status_code == 200
    generated = response.headers["x-request-id"]
    assert len(generated) >= 8
    assert dict(upstream.calls_to(path)[-1]["headers"])["x-request-id"] == generated

    kept = f"client-{uuid.uuid4().hex}"
    response = await http.get(path, headers={**headers, "X-Request-Id": kept})
    assert response.headers["x-request-id"] == kept
    assert dict(upstream.calls_to(path)[-1]["headers"])["x-request-id"] == kept

    response = await http.get(path, headers={**headers, "X-Request-Id": "bad id!"})
    replaced = response.headers["x-request-id"]
    assert replaced != "bad id!"
    assert dict(upstream.calls_to(path)[-1]["headers"])["x-request-id"] == replaced
    # Errors the gateway answers itself carry one too.
    assert "x-request-id" in (await http.get("/nowhere", headers=headers)).headers


async def test_path_query_and_headers_are_forwarded(
    http: httpx.AsyncClient, upstream: FakeUpstream, caller: tuple[Client, dict[str, str]]
) -> None:
    _, headers = caller
    raw = f"/entities/{uuid.uuid4()}/a%2Fb"
    query = "ids[]=1&ids[]=2&sort=%2Bname&keywords=caf%C3%A9"
    response = await http.get(
        f"{raw}?{query}",
        headers={**headers, "Connection": "keep-alive, x-hop", "X-Hop": "1", "X-Custom": "yes"},
    )
    assert response.status_code == 200
    seen = response.json()["data"]
    assert seen["raw_path"] == raw
    assert seen["query"] == query
    forwarded = dict(seen["headers"])
    assert forwarded["x-custom"] == "yes"
    assert "x-hop" not in forwarded
    assert forwarded["host"] == upstream.url.removeprefix("http://")
    assert forwarded["x-forwarded-for"] == "127.0.0.1"
    assert forwarded["x-forwarded-proto"] == "http"
    assert "accept-encoding" in forwarded  # the client's own
    # Response headers: repeated ones kept, hop-by-hop ones dropped.
    assert response.headers.get_list("set-cookie") == ["a=1", "b=2"]
    assert "x-private" not in response.headers


async def test_body_is_streamed_to_the_upstream(
    http: httpx.AsyncClient, upstream: FakeUpstream, caller: tuple[Client, dict[str, str]]
) -> None:
    _, headers = caller
    sized = await http.post("/assets", content=b"y" * 4096, headers=headers)  # exactly the limit
    assert sized.status_code == 200
    assert sized.json()["data"]["body_bytes"] == 4096
    chunked = await http.put(f"/assets/{uuid.uuid4()}", content=chunks(3000), headers=headers)
    assert chunked.status_code == 200
    assert chunked.json()["data"]["body_bytes"] == 3000
    assert dict(chunked.json()["data"]["headers"]).get("transfer-encoding") == "chunked"


async def test_declared_length_over_the_limit_is_refused_unread(
    http: httpx.AsyncClient, upstream: FakeUpstream, caller: tuple[Client, dict[str, str]]
) -> None:
    _, headers = caller
    path = f"/assets/{uuid.uuid4()}"
    response = await http.put(path, content=b"z" * 4097, headers=headers)
    assert response.status_code == 413
    assert code_of(response) == "ePayloadTooLarge"
    assert not upstream.calls_to(path)


async def test_chunked_body_over_the_limit_is_cut_off(
    http: httpx.AsyncClient, upstream: FakeUpstream, caller: tuple[Client, dict[str, str]]
) -> None:
    _, headers = caller
    response = await http.post("/assets", content=chunks(50_000), headers=headers)
    assert response.status_code == 413
    assert code_of(response) == "ePayloadTooLarge"


async def test_unknown_and_internal_routes_are_404(
    http: httpx.AsyncClient, gateway_url: str, upstream: FakeUpstream, caller: tuple[Client, dict[str, str]]
) -> None:
    _, headers = caller
    for path in (
        "/nowhere",
        "/assetsX",
        "/internal/client-keys/abc",
        "/internal",
        "/assets/%2e%2e/internal/x",
    ):
        response = await http.get(path, headers=headers)
        assert response.status_code == 404, path
        assert code_of(response) == "eRouteNotFound"
    # Sent raw: an HTTP client would have normalised these before sending.
    before = len(upstream.calls)
    for target in ("/assets/../internal/client-keys/abc", "//internal/x", "/assets//../../internal/x"):
        status, body = await raw_request(gateway_url, f"GET {target} HTTP/1.1", headers)
        assert status == 404, target
        assert b"eRouteNotFound" in body
    assert len(upstream.calls) == before


async def test_verb_no_upstream_takes_is_405(
    http: httpx.AsyncClient, caller: tuple[Client, dict[str, str]]
) -> None:
    _, headers = caller
    response = await http.request("TRACE", "/assets", headers=headers)
    assert response.status_code == 405
    assert code_of(response) == "eMethodNotAllowed"


async def test_upstream_not_deployed_down_or_slow_is_503(
    start_gateway: StartGateway, caller: tuple[Client, dict[str, str]]
) -> None:
    _, headers = caller
    async with (
        start_gateway(contracts_url=closed_port_url()) as url,
        httpx.AsyncClient(base_url=url, timeout=10) as http,
    ):
        # The slow upstream would answer 200 after the gateway's timeout; a hang would end in the
        # client's own timeout (an exception, not a response).
        for path in ("/heatmaps", "/contracts", "/groups/slow"):
            response = await http.get(path, headers=headers)
            assert response.status_code == 503, path
            assert code_of(response) == "eServiceUnavailable"
