"""The gateway's own errors take the shape of the API asked for: seed 001's HAL ``_error``
under /consents (the one the consents service answers in), seed 004's envelope elsewhere."""

from __future__ import annotations

import asyncio
import uuid
from typing import Any

import httpx
from gateway_harness import StartGateway, code_of, publish
from gateway_upstream import FakeUpstream
from nats.js import JetStreamContext
from raw_http import exchange, parse, request_head

from consents.hal.errors import ERROR_PROFILE, error_object
from proximity.events.envelope import Event


def hal_error_of(response: httpx.Response, status: int) -> dict[str, Any]:
    """The ``_error`` of a seed 001 error body, after checking that it has the consents
    service's shape exactly."""
    assert response.status_code == status, response.text
    assert response.headers["content-type"] == "application/hal+json"
    body = response.json()
    assert set(body) == {"_profile", "_error"}
    assert body["_profile"] == ERROR_PROFILE
    error: dict[str, Any] = body["_error"]
    assert set(error) == set(error_object(status, "any", "any"))
    assert error["statusCode"] == status
    assert error["message"]
    uuid.UUID(error["_id"])
    return error


def caller(upstream: FakeUpstream, **claims: Any) -> dict[str, str]:
    client = upstream.add_client()
    return {"X-Client-Key": client.key, "Authorization": upstream.token(client.tenant_id, **claims)}


async def test_refusals_before_forwarding_are_hal_under_consents(
    http: httpx.AsyncClient, upstream: FakeUpstream
) -> None:
    headers = caller(upstream)
    key_only = {"X-Client-Key": headers["X-Client-Key"]}
    cases = [
        (await http.get("/consents/consents"), 401, "invalidClientKey"),
        (await http.get("/consents/consents", headers=key_only), 401, "invalidToken"),
        (await http.get("/consents/%2e%2e/internal/x", headers=headers), 404, "routeNotFound"),
        (await http.request("TRACE", "/consents/consents", headers=headers), 405, "methodNotAllowed"),
        (await http.post("/consents/consents", headers=headers, content=b"x" * 5000), 413, "payloadTooLarge"),
    ]
    for response, status, error_type in cases:
        assert hal_error_of(response, status)["type"] == error_type, response.request.url
    assert cases[3][0].headers["allow"]  # what a 405 says besides its body survives the reshaping


async def test_the_same_refusals_are_the_envelope_elsewhere(
    http: httpx.AsyncClient, upstream: FakeUpstream
) -> None:
    headers = caller(upstream)
    for response, status, code in [
        (await http.get("/assets"), 401, "eInvalidClientKey"),
        (await http.request("TRACE", "/assets", headers=headers), 405, "eMethodNotAllowed"),
        (await http.post("/assets", headers=headers, content=b"x" * 5000), 413, "ePayloadTooLarge"),
        # A prefix of the path, not of its segment: not the consents API.
        (await http.get("/consentsX", headers=headers), 404, "eRouteNotFound"),
    ]:
        assert response.status_code == status
        assert response.headers["content-type"] == "application/json"
        assert code_of(response) == code


async def test_the_same_refusals_are_jsend_under_api_v1(
    http: httpx.AsyncClient, upstream: FakeUpstream
) -> None:
    headers = caller(upstream)
    for response, status, code in [
        (await http.get("/api/v1/assets"), 401, "eInvalidClientKey"),
        (await http.post("/api/v1/assets", headers=headers, content=b"x" * 5000), 413, "ePayloadTooLarge"),
        # Seed 003's sign-in and organisations are not served: no route.
        (await http.get("/api/v1/organizations/1", headers=headers), 404, "eRouteNotFound"),
    ]:
        assert response.status_code == status, response.text
        assert response.headers["content-type"] == "application/json"
        body = response.json()
        assert body["status"] == "fail"
        assert body["data"]["code"] == code
        assert body["data"]["message"]


async def test_a_revoked_session_is_hal_under_consents(
    http: httpx.AsyncClient, upstream: FakeUpstream, js: JetStreamContext
) -> None:
    client = upstream.add_client()
    session_id = uuid.uuid4()
    headers = {
        "X-Client-Key": client.key,
        "Authorization": upstream.token(client.tenant_id, session_id=session_id),
    }
    await publish(
        js,
        Event(
            type="identity.session.revoked",
            tenant_id=client.tenant_id,
            aggregate_id=str(session_id),
            data={"session_id": str(session_id), "user_id": str(uuid.uuid4()), "reason": "logout"},
        ),
    )
    async with asyncio.timeout(30):  # events arrive in their own time; this only stops a hang
        while True:
            response = await http.get("/consents/consents", headers=headers)
            if response.status_code == 401:
                break
            await asyncio.sleep(0.05)
    assert hal_error_of(response, 401)["type"] == "sessionRevoked"


async def test_limits_and_missing_services_are_hal_under_consents(
    start_gateway: StartGateway, upstream: FakeUpstream
) -> None:
    headers = caller(upstream)
    async with (
        start_gateway(rate_limit_per_minute=1) as limited_url,
        start_gateway(consents_url=None) as undeployed_url,
        httpx.AsyncClient(base_url=limited_url) as limited,
        httpx.AsyncClient(base_url=undeployed_url) as undeployed,
    ):
        assert (await limited.get("/consents/consents", headers=headers)).status_code == 200
        too_many = await limited.get("/consents/consents", headers=headers)
        missing = await undeployed.get("/consents/consents", headers=headers)

    assert hal_error_of(too_many, 429)["type"] == "tooManyRequests"
    assert int(too_many.headers["retry-after"]) >= 1
    assert hal_error_of(missing, 503)["type"] == "serviceUnavailable"


async def test_a_body_that_stops_arriving_is_hal_under_consents(
    start_gateway: StartGateway, upstream: FakeUpstream
) -> None:
    headers = {**caller(upstream), "Content-Type": "application/json", "Content-Length": "100"}
    async with start_gateway(body_idle_timeout_seconds=0.5) as url:
        answer = await exchange(url, request_head("POST", "/consents/consents", headers) + b'{"type": ')

    status, response_headers, body = parse(answer)
    response = httpx.Response(status, headers=response_headers, content=body)
    assert hal_error_of(response, 408)["type"] == "requestTimeout"
