"""What identity knows about clients and sessions, as every process but identity learns it:
keys resolved over identity's HTTP API (and cached), revocations from its events.

The gateway and each service behind it follow identity the same way, so a key or session
identity has ended is refused by all of them within the same second or so.
"""

from __future__ import annotations

import contextlib
import uuid
from collections.abc import AsyncIterator

import httpx
from nats.js import JetStreamContext

from proximity.auth.caller import CallerGuard, PresentedClient
from proximity.auth.client_credentials import ClientCredentials
from proximity.auth.client_keys import ClientKeyResolver, KnownClient
from proximity.auth.jwks import JwksClient
from proximity.auth.revocation_feed import RevocationFeed
from proximity.auth.sessions import RevokedSessions
from proximity.auth.verifier import TokenVerifier
from proximity.settings import ServiceSettings


class RemoteIdentityRecords:
    def __init__(self, client_keys: ClientKeyResolver, sessions: RevokedSessions) -> None:
        self.client_keys = client_keys
        self.sessions = sessions

    async def client(self, presented: PresentedClient) -> KnownClient:
        if isinstance(presented, ClientCredentials):
            return await self.client_keys.resolve_credentials(presented)
        return await self.client_keys.resolve(presented)

    async def session_revoked(self, tenant_id: uuid.UUID, session_id: uuid.UUID) -> bool:
        # Session ids are identity's random UUIDs: unique across tenants.
        return self.sessions.is_revoked(session_id)

    async def standing(
        self, presented: PresentedClient, session_id: uuid.UUID | None
    ) -> tuple[KnownClient, bool]:
        client = await self.client(presented)
        return client, session_id is not None and self.sessions.is_revoked(session_id)


@contextlib.asynccontextmanager
async def followed_identity(
    settings: ServiceSettings, http: httpx.AsyncClient, js: JetStreamContext, *, follow: bool = True
) -> AsyncIterator[RemoteIdentityRecords]:
    """The records, kept current by identity's events while the block runs (replayed from as
    far back as still matters first). ``follow=False`` only for processes that serve nobody
    (one-shot tools with events switched off)."""
    sessions = RevokedSessions(settings.access_token_ttl_seconds, leeway=settings.revocation_leeway_seconds)
    client_keys = ClientKeyResolver(
        http,
        settings.identity_url or None,
        ttl=settings.client_key_ttl_seconds,
        negative_ttl=settings.client_key_negative_ttl_seconds,
        negative_max=settings.client_key_negative_max,
        max_lookups=settings.client_key_max_concurrent_lookups,
    )
    feed = RevocationFeed(
        js, sessions=sessions, client_keys=client_keys, client_replay_seconds=settings.client_key_ttl_seconds
    )
    try:
        if follow:
            await feed.start()
        yield RemoteIdentityRecords(client_keys, sessions)
    finally:
        await feed.stop()


def identity_pool() -> httpx.AsyncClient:
    return httpx.AsyncClient(
        timeout=httpx.Timeout(5.0),
        follow_redirects=False,
        trust_env=False,  # identity is internal: no proxy from the environment
    )


@contextlib.asynccontextmanager
async def remote_caller_guard(settings: ServiceSettings, js: JetStreamContext) -> AsyncIterator[CallerGuard]:
    """A service's guard: tokens verified with identity's JWKS, keys and sessions followed."""
    async with (
        identity_pool() as http,
        followed_identity(settings, http, js, follow=settings.events_enabled) as records,
    ):
        jwks = JwksClient(settings.jwks_url, http=http)
        verifier = TokenVerifier(
            jwks,
            audience=settings.jwt_audience,
            service_audience=settings.service_name,  # service tokens for this service only
            issuer=settings.jwt_issuer,
        )
        try:
            yield CallerGuard(verifier, records)
        finally:
            await jwks.aclose()
