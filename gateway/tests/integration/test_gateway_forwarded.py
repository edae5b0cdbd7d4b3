"""Behind a TLS ingress: what the ingress says the client called (``X-Forwarded-Proto/-Host/
-For``) is what the gateway forwards, so the services' links keep ``https``; from anyone but a
trusted proxy (``TRUSTED_PROXIES``) those headers change nothing."""

from __future__ import annotations

import contextlib
import uuid
from collections.abc import AsyncIterator, Callable
from ipaddress import ip_network

import httpx
from gateway_upstream import FakeUpstream

from gateway.app import create_app
from gateway.config import GatewaySettings

INGRESS = "10.244.1.5"
STRANGER = "198.51.100.4"
CLAIMS = {
    "X-Forwarded-Proto": "https",
    "X-Forwarded-Host": "api.example.com",
    "X-Forwarded-For": "203.0.113.9",
}


@contextlib.asynccontextmanager
async def calling_from(settings: GatewaySettings, peer: str) -> AsyncIterator[httpx.AsyncClient]:
    app = create_app(settings)
    transport = httpx.ASGITransport(app=app, client=(peer, 40000))
    async with (
        app.router.lifespan_context(app),
        httpx.AsyncClient(transport=transport, base_url="http://gateway:8000") as http,
    ):
        yield http


async def forwarded_for(upstream: FakeUpstream, settings: GatewaySettings, peer: str) -> dict[str, str]:
    client = upstream.add_client()
    path = f"/assets/{uuid.uuid4()}"
    headers = {"X-Client-Key": client.key, "Authorization": upstream.token(client.tenant_id), **CLAIMS}
    async with calling_from(settings, peer) as http:
        response = await http.get(path, headers=headers)
    assert response.status_code == 200
    return dict(upstream.calls_to(path)[-1]["headers"])


async def test_the_ingress_https_reaches_the_services(
    upstream: FakeUpstream, settings_for: Callable[..., GatewaySettings]
) -> None:
    settings = settings_for(trusted_proxies=[ip_network("10.244.0.0/16")])

    seen = await forwarded_for(upstream, settings, INGRESS)

    assert seen["x-forwarded-proto"] == "https"
    assert seen["x-forwarded-host"] == "api.example.com"
    assert seen["x-forwarded-for"] == "203.0.113.9"


async def test_a_stranger_cannot_claim_https_or_a_host(
    upstream: FakeUpstream, settings_for: Callable[..., GatewaySettings]
) -> None:
    settings = settings_for(trusted_proxies=[ip_network("10.244.0.0/16")])

    seen = await forwarded_for(upstream, settings, STRANGER)

    assert seen["x-forwarded-proto"] == "http"
    assert seen["x-forwarded-host"] == "gateway:8000"
    assert seen["x-forwarded-for"] == STRANGER
