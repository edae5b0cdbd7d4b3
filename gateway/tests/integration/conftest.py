"""The gateway on a real server, in front of a real stand-in upstream, on a real NATS."""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator, Callable, Iterator
from typing import Any

import httpx
import nats
import pytest
from gateway_harness import StartGateway
from gateway_servers import server_in_task, server_in_thread
from gateway_upstream import FakeUpstream
from nats.js import JetStreamContext

from gateway.app import create_app
from gateway.config import GatewaySettings
from proximity.events.streams import declare_stream


@pytest.fixture(scope="session")
def upstream() -> Iterator[FakeUpstream]:
    fake = FakeUpstream()
    with server_in_thread(fake.app()) as url:
        fake.url = url
        yield fake


@pytest.fixture
def settings_for(nats_url: str, upstream: FakeUpstream) -> Callable[..., GatewaySettings]:
    def build(**overrides: Any) -> GatewaySettings:
        values: dict[str, Any] = {
            "nats_url": nats_url,
            "jwks_url": f"{upstream.url}/.well-known/jwks.json",
            "identity_url": upstream.url,
            "assets_url": upstream.url,
            "contracts_url": upstream.url,
            "iam_url": upstream.url,
            "consents_url": upstream.url,
            "heatmaps_url": None,  # not deployed
            "max_body_bytes": 4096,
            "upstream_timeouts": {"iam": 0.5},
            "log_level": "warning",
            **overrides,
        }
        return GatewaySettings(**values)

    return build


@pytest.fixture
def start_gateway(settings_for: Callable[..., GatewaySettings]) -> StartGateway:
    """``async with start_gateway(**settings) as url``: a gateway on a free port."""

    @contextlib.asynccontextmanager
    async def start(**overrides: Any) -> AsyncIterator[str]:
        async with server_in_task(create_app(settings_for(**overrides))) as url:
            yield url

    return start


@pytest.fixture
async def gateway_url(start_gateway: StartGateway) -> AsyncIterator[str]:
    async with start_gateway() as url:
        yield url


@pytest.fixture
async def http(gateway_url: str) -> AsyncIterator[httpx.AsyncClient]:
    async with httpx.AsyncClient(base_url=gateway_url, timeout=10) as client:
        yield client


@pytest.fixture
async def js(nats_url: str) -> AsyncIterator[JetStreamContext]:
    nc = await nats.connect(nats_url)
    try:
        context = nc.jetstream()
        await declare_stream(context, "identity")  # as identity, its publisher, does
        yield context
    finally:
        await nc.drain()
