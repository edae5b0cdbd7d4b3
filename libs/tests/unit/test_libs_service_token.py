"""How ``ServiceTokenSource`` maps identity's answers, over a scripted transport (identity's
real endpoint is exercised in identity's integration tests)."""

from __future__ import annotations

import asyncio
import json
import uuid
from collections.abc import Callable

import httpx
import pytest

from proximity.auth.service_token import (
    ServiceCredentialsRejected,
    ServiceTokenRefused,
    ServiceTokenSource,
    authorization_header,
)
from proximity.errors import ServiceUnavailable

Answer = Callable[[httpx.Request], httpx.Response]


def issued(expires_in: float = 300) -> Answer:
    return lambda _: httpx.Response(
        200, json={"data": {"access_token": "t1", "token_type": "Bearer", "expires_in": expires_in}}
    )


def source(
    answer: Answer, requests: list[httpx.Request] | None = None, **kwargs: float
) -> ServiceTokenSource:
    def handle(request: httpx.Request) -> httpx.Response:
        if requests is not None:
            requests.append(request)
        return answer(request)

    http = httpx.AsyncClient(transport=httpx.MockTransport(handle))
    return ServiceTokenSource(http, "http://identity/", "reports", "s3cret", audience="consents", **kwargs)


def test_authorization_header_is_bearer() -> None:
    assert authorization_header("abc") == {"Authorization": "Bearer abc"}


async def test_posts_the_credentials_once_per_tenant() -> None:
    requests: list[httpx.Request] = []
    tokens = source(issued(), requests)
    tenant = uuid.uuid4()

    assert await tokens.token(tenant) == "t1"
    assert await tokens.token(tenant) == "t1"

    assert len(requests) == 1
    assert str(requests[0].url) == "http://identity/internal/service-tokens"
    assert requests[0].read() == (
        b'{"service":"reports","secret":"s3cret","tenant_id":"'
        + str(tenant).encode()
        + b'","audience":"consents"}'
    )


async def test_asks_for_the_called_service_and_the_scopes_it_needs() -> None:
    requests: list[httpx.Request] = []

    def handle(request: httpx.Request) -> httpx.Response:
        requests.append(request)
        return issued()(request)

    http = httpx.AsyncClient(transport=httpx.MockTransport(handle))
    tokens = ServiceTokenSource(
        http, "http://identity", "reports", "s3cret", audience="consents", scope=("consents.read",)
    )
    await tokens.token(uuid.uuid4())

    body = json.loads(requests[0].read())
    assert (body["audience"], body["scope"]) == ("consents", "consents.read")
    assert "consents" in repr(tokens)


async def test_a_margin_longer_than_the_ttl_still_caches_for_half_its_life() -> None:
    requests: list[httpx.Request] = []
    tokens = source(issued(expires_in=0.2), requests, refresh_margin=30)
    tenant = uuid.uuid4()

    await tokens.token(tenant)
    await tokens.token(tenant)
    assert len(requests) == 1
    await asyncio.sleep(0.11)
    await tokens.token(tenant)
    assert len(requests) == 2


@pytest.mark.parametrize(
    "answer",
    [
        lambda _: httpx.Response(500),
        lambda _: httpx.Response(503, json={"errors": [{"code": "eServiceUnavailable"}]}),
        lambda _: httpx.Response(429),
        lambda _: httpx.Response(200, json={"data": {}}),
        lambda _: httpx.Response(200, text="not json"),
    ],
)
async def test_outage_or_nonsense_is_service_unavailable(answer: Answer) -> None:
    with pytest.raises(ServiceUnavailable):
        await source(answer).token(uuid.uuid4())


async def test_401_is_rejected_credentials_and_other_4xx_a_refusal() -> None:
    rejected = source(
        lambda _: httpx.Response(401, json={"errors": [{"code": "eInvalidServiceCredentials"}]})
    )
    refused = source(lambda _: httpx.Response(400, json={"errors": [{"code": "eTenantNotFound"}]}))

    with pytest.raises(ServiceCredentialsRejected) as caught:
        await rejected.token(uuid.uuid4())
    with pytest.raises(ServiceTokenRefused) as refusal:
        await refused.token(uuid.uuid4())

    # Escaping to the end client, it is our fault (500), not theirs (401).
    assert caught.value.status == 500
    assert not isinstance(refusal.value, ServiceCredentialsRejected)


async def test_concurrent_callers_share_one_failure() -> None:
    requests: list[httpx.Request] = []
    tokens = source(lambda _: httpx.Response(503), requests)
    tenant = uuid.uuid4()

    results = await asyncio.gather(*(tokens.token(tenant) for _ in range(5)), return_exceptions=True)

    assert all(isinstance(r, ServiceUnavailable) for r in results)
    assert len(requests) == 1
    with pytest.raises(ServiceUnavailable):  # the failure is not cached: the next caller tries again
        await tokens.token(tenant)
    assert len(requests) == 2


async def test_a_cancelled_caller_does_not_cancel_the_shared_fetch() -> None:
    release = asyncio.Event()

    async def slow(_: httpx.Request) -> httpx.Response:
        await release.wait()
        return issued()(_)

    http = httpx.AsyncClient(transport=httpx.MockTransport(slow))
    tokens = ServiceTokenSource(http, "http://identity", "reports", "s3cret", audience="consents")
    tenant = uuid.uuid4()
    impatient = asyncio.create_task(tokens.token(tenant))
    patient = asyncio.create_task(tokens.token(tenant))
    await asyncio.sleep(0.01)

    impatient.cancel()
    release.set()

    assert await patient == "t1"
    assert impatient.cancelled()
