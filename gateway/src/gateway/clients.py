"""The gateway's HTTP clients: one pool per upstream service, and one each for identity's
lookups and for the services' API documents.

Each pool has its own connection limit. A service that holds every connection of its pool
(slow answers, slow uploads through to it) makes its own callers wait for a connection,
and nobody else: another service's requests, and the client-key lookups and JWKS every
request needs, go through pools it cannot touch.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from http.cookiejar import CookieJar, DefaultCookiePolicy

import httpx

from gateway.config import GatewaySettings
from gateway.routing import CONTEXTS


def upstream_pool(settings: GatewaySettings) -> httpx.AsyncClient:
    return httpx.AsyncClient(
        limits=httpx.Limits(
            max_connections=settings.upstream_max_connections,
            max_keepalive_connections=settings.upstream_max_keepalive,
            # Below uvicorn's keep-alive timeout (5 s): the gateway lets an idle connection go
            # before the service closes it, so it rarely sends on one the service is closing.
            keepalive_expiry=4,
        ),
        timeout=httpx.Timeout(settings.upstream_timeout_seconds, connect=5),
        follow_redirects=False,
        trust_env=False,  # upstreams are internal: no proxy from the environment
        # Responses pass through; their cookies belong to the client, not to a shared jar.
        cookies=CookieJar(policy=DefaultCookiePolicy(allowed_domains=[])),
    )


def internal_client(max_connections: int, timeout: float) -> httpx.AsyncClient:
    """For the gateway's own calls (lookups, documents): small answers, short timeouts."""
    quick = min(timeout, 5.0)
    return httpx.AsyncClient(
        limits=httpx.Limits(max_connections=max_connections, keepalive_expiry=4),
        timeout=httpx.Timeout(timeout, connect=quick, pool=quick),
        follow_redirects=False,
        trust_env=False,
    )


@dataclass
class GatewayClients:
    upstreams: dict[str, httpx.AsyncClient]  # by context, for each deployed one
    identity: httpx.AsyncClient  # client keys and credentials, JWKS, identity's /health
    documents: httpx.AsyncClient  # each service's /openapi.json

    @classmethod
    def open(cls, settings: GatewaySettings) -> GatewayClients:
        return cls(
            upstreams={c: upstream_pool(settings) for c in CONTEXTS if settings.upstream_url(c) is not None},
            identity=internal_client(
                settings.identity_lookup_max_connections, settings.identity_lookup_timeout_seconds
            ),
            documents=internal_client(len(CONTEXTS), 5.0),
        )

    async def aclose(self) -> None:
        await asyncio.gather(
            *(pool.aclose() for pool in self.upstreams.values()),
            self.identity.aclose(),
            self.documents.aclose(),
        )
