"""Browser origins at the gateway: preflights answered before the client key is asked for,
the allowed and exposed headers, nothing for an origin not allowed, nothing by default."""

from __future__ import annotations

from pathlib import Path

import httpx
from gateway_harness import StartGateway, code_of
from gateway_upstream import FakeUpstream

from proximity.devstack.stack import load_stack

APP = "https://app.example"
STRANGER = "https://stranger.example"
DEV_STACK = Path(__file__).resolve().parents[3] / "deploy" / "dev-stack.toml"
REQUESTED_HEADERS = (
    "x-client-key, authorization, content-type, if-match, if-none-match, x-request-id, api-key"
)


def preflight(origin: str, method: str = "PUT") -> dict[str, str]:
    return {
        "Origin": origin,
        "Access-Control-Request-Method": method,
        "Access-Control-Request-Headers": REQUESTED_HEADERS,
    }


def listed(value: str) -> set[str]:
    return {item.strip().lower() for item in value.split(",")}


async def test_a_preflight_is_answered_without_a_client_key(
    start_gateway: StartGateway, upstream: FakeUpstream
) -> None:
    lookups, calls = upstream.key_lookups, len(upstream.calls)
    async with start_gateway(cors_origins=[APP]) as url, httpx.AsyncClient(base_url=url) as http:
        allowed = await http.options("/parties/7", headers=preflight(APP))
        stranger = await http.options("/parties/7", headers=preflight(STRANGER))
        unknown_method = await http.options("/parties/7", headers=preflight(APP, "TRACE"))

    assert allowed.status_code == 200
    assert allowed.headers["access-control-allow-origin"] == APP
    assert listed(REQUESTED_HEADERS) <= listed(allowed.headers["access-control-allow-headers"])
    assert {"get", "post", "put", "patch", "delete"} <= listed(
        allowed.headers["access-control-allow-methods"]
    )
    assert "x-request-id" in allowed.headers  # answered inside the request context
    assert stranger.status_code == 400
    assert "access-control-allow-origin" not in stranger.headers
    assert unknown_method.status_code == 400
    # Neither identity nor any upstream was asked anything.
    assert (upstream.key_lookups, len(upstream.calls)) == (lookups, calls)


async def test_answers_to_an_allowed_origin_expose_the_api_headers(
    start_gateway: StartGateway, upstream: FakeUpstream
) -> None:
    client = upstream.add_client()
    headers = {"X-Client-Key": client.key, "Authorization": upstream.token(client.tenant_id)}
    async with start_gateway(cors_origins=[APP]) as url, httpx.AsyncClient(base_url=url) as http:
        answered = await http.get("/parties", headers={**headers, "Origin": APP})
        refused = await http.get("/parties", headers={"Origin": APP})  # no key: a 401 the page can read
        stranger = await http.get("/parties", headers={**headers, "Origin": STRANGER})

    assert answered.status_code == 200
    assert answered.headers["access-control-allow-origin"] == APP
    exposed = listed(answered.headers["access-control-expose-headers"])
    assert {"x-request-id", "x-total-count", "link", "etag"} <= exposed
    assert refused.status_code == 401
    assert refused.headers["access-control-allow-origin"] == APP
    assert stranger.status_code == 200  # the browser, not the gateway, keeps it from the page
    assert "access-control-allow-origin" not in stranger.headers


async def test_no_origin_is_allowed_by_default(http: httpx.AsyncClient) -> None:
    response = await http.options("/parties/7", headers=preflight(APP))

    assert response.status_code == 401  # just a request without a client key
    assert code_of(response) == "eInvalidClientKey"
    assert "access-control-allow-origin" not in response.headers


async def test_the_dev_stack_allows_local_pages_only(start_gateway: StartGateway) -> None:
    [gateway] = [spec for spec in load_stack(DEV_STACK) if spec.name == "gateway"]
    pattern = gateway.env["GATEWAY_CORS_ORIGIN_REGEX"]
    local = ("http://localhost:5173", "http://127.0.0.1:3000", "http://localhost")
    foreign = (STRANGER, "http://localhost.evil.example", "http://localhost:5173.evil.example")
    async with start_gateway(cors_origin_regex=pattern) as url, httpx.AsyncClient(base_url=url) as http:
        allowed = {o: await http.options("/parties/7", headers=preflight(o)) for o in local}
        refused = {o: await http.options("/parties/7", headers=preflight(o)) for o in foreign}

    assert {o: r.headers.get("access-control-allow-origin") for o, r in allowed.items()} == {
        o: o for o in local
    }
    assert {o: r.headers.get("access-control-allow-origin") for o, r in refused.items()} == dict.fromkeys(
        foreign
    )
