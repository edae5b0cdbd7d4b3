"""What the gateway's lifespan builds and tears down: its HTTP clients (a pool per upstream,
one for identity's lookups), the NATS connection with its revocation consumers, and the
request pipeline wired from them."""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator, Mapping
from dataclasses import dataclass

from nats.aio.client import Client as NATS

from gateway.auth import Authenticator
from gateway.clients import GatewayClients
from gateway.config import GatewaySettings
from gateway.pipeline import Pipeline
from gateway.proxy import Proxy
from gateway.rate_limit import RateLimiter
from gateway.routing import CONTEXTS, IDENTITY, RouteTable
from proximity.auth.identity_records import RemoteIdentityRecords, followed_identity
from proximity.auth.jwks import JwksClient
from proximity.auth.verifier import TokenVerifier
from proximity.events.connection import connect_as_service, disconnect
from proximity.observability.health import ReadinessCheck


@dataclass
class GatewayRuntime:
    settings: GatewaySettings
    pipeline: Pipeline
    clients: GatewayClients
    nats: NATS

    async def _broker_answers(self) -> None:
        if not self.nats.is_connected:
            raise ConnectionError("NATS is not connected")
        await self.nats.flush(timeout=1)

    async def _identity_answers(self) -> None:
        url = self.settings.upstream_url(IDENTITY)
        if url is None:
            raise ConnectionError("IDENTITY_URL is not set")
        response = await self.clients.identity.get(f"{url.rstrip('/')}/health", timeout=2)
        response.raise_for_status()

    def readiness(self) -> Mapping[str, ReadinessCheck]:
        return {"nats": self._broker_answers, "identity": self._identity_answers}


def build_pipeline(
    settings: GatewaySettings, clients: GatewayClients, jwks: JwksClient, records: RemoteIdentityRecords
) -> Pipeline:
    verifier = TokenVerifier(
        jwks,
        audience=settings.jwt_audience,
        issuer=settings.jwt_issuer,
    )
    upstreams = {c: url for c in CONTEXTS if (url := settings.upstream_url(c)) is not None}
    proxy = Proxy(
        clients.upstreams,
        upstreams=upstreams,
        timeouts={c: settings.upstream_timeout(c) for c in CONTEXTS},
        default_timeout=settings.upstream_timeout_seconds,
        max_body_bytes=settings.max_body_bytes,
        body_idle_seconds=settings.body_idle_timeout_seconds,
        body_seconds=settings.body_timeout_seconds,
    )
    return Pipeline(
        routes=RouteTable(),
        auth=Authenticator(verifier, records),
        limiter=RateLimiter(settings.rate_limit_per_minute),
        proxy=proxy,
        invalid_keys=RateLimiter(settings.invalid_keys_per_minute),
    )


@contextlib.asynccontextmanager
async def open_runtime(settings: GatewaySettings) -> AsyncIterator[GatewayRuntime]:
    clients = GatewayClients.open(settings)
    jwks = JwksClient(
        settings.jwks_url, http=clients.identity, timeout=settings.identity_lookup_timeout_seconds
    )
    try:
        nc = await connect_as_service(settings)
        try:
            async with followed_identity(settings, clients.identity, nc.jetstream()) as records:
                yield GatewayRuntime(settings, build_pipeline(settings, clients, jwks, records), clients, nc)
        finally:
            # Not ``drain``: the gateway publishes nothing, and draining a pull subscription
            # whose pump was just cancelled can wait out nats-py's 30 s drain timeout.
            await disconnect(nc, drain=False)
    finally:
        await jwks.aclose()
        await clients.aclose()
