"""``X-Client-Key`` (or seed 000's client credentials) → tenant, resolved by identity and cached:
the gateway's resolver, and every other service's that checks the key itself.

identity's ``/internal/client-keys`` and ``/internal/client-credentials`` take no service
token: the key (its hash) or the secret is the credential, and the answer names only ids.

Known keys are cached for a minute and unknown ones for a few seconds (bounded, so a flood
of random keys neither grows memory nor reaches identity more than once per key and TTL).
``identity.client.revoked`` evicts a key at once. Keys are handled only as their SHA-256.
At most ``max_lookups`` keys are being looked up at once; one more answers 503 at once rather
than waiting its turn, so random keys cannot queue up behind identity.

Client credentials are cached the same way, under the SHA-256 of id and secret together (so
a wrong secret never finds a right one's entry); identity checks the secret, sent in a POST
body so that it appears in no URL. Revoking the client evicts them with its key.
"""

from __future__ import annotations

import asyncio
import hashlib
import logging
import uuid
from collections import deque
from collections.abc import Awaitable, Callable
from dataclasses import dataclass

import httpx
from prometheus_client import Counter

from proximity.auth.client_credentials import ClientCredentials
from proximity.errors import InvalidClientKey, ServiceUnavailable
from proximity.expiring import ExpiringMap

log = logging.getLogger(__name__)

MAX_KEY_LENGTH = 512

LOOKUPS_REFUSED = Counter(
    "client_key_lookups_refused_total",
    "Client keys not looked up at identity because the most allowed at once already were",
)


@dataclass(frozen=True, slots=True)
class KnownClient:
    tenant_id: uuid.UUID
    client_id: uuid.UUID


def key_hash(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


def credentials_hash(credentials: ClientCredentials) -> str:
    # A prefix no key hash has, and a separator no client id holds: the two never collide.
    joined = f"{credentials.client_id}\0{credentials.secret}"
    return "credentials:" + hashlib.sha256(joined.encode()).hexdigest()


class ClientKeyResolver:
    def __init__(
        self,
        http: httpx.AsyncClient,
        identity_url: str | None,
        *,
        ttl: float = 60.0,
        negative_ttl: float = 5.0,
        negative_max: int = 10_000,
        max_known: int = 100_000,
        timeout: float = 5.0,
        max_lookups: int = 64,
    ) -> None:
        self._http = http
        self._max_lookups = max_lookups
        self._identity_url = identity_url.rstrip("/") if identity_url else None
        self._timeout = timeout
        self._known: ExpiringMap[str, KnownClient] = ExpiringMap(ttl, max_size=max_known)
        self._unknown: ExpiringMap[str, bool] = ExpiringMap(negative_ttl, max_size=negative_max)
        self._inflight: dict[str, asyncio.Task[KnownClient | None]] = {}
        # Revocations in order: a lookup that overlapped the revocation of its own key or client
        # does not cache its answer. Only that one: revocations of other clients (a replay at
        # start-up, say) must not stop every key from being cached.
        self._revocations: deque[tuple[int, str | None, uuid.UUID | None]] = deque(maxlen=10_000)
        self._revoked_count = 0

    async def resolve(self, key: str | None) -> KnownClient:
        """Raises ``InvalidClientKey`` (401) or ``ServiceUnavailable`` (identity unreachable)."""
        if not key or len(key) > MAX_KEY_LENGTH:
            raise InvalidClientKey()
        digest = key_hash(key)
        return await self._resolve(digest, lambda: self._ask_for_key(digest))

    async def resolve_credentials(self, credentials: ClientCredentials) -> KnownClient:
        """Seed 000's client id and secret; the same errors as ``resolve``."""
        return await self._resolve(
            credentials_hash(credentials), lambda: self._ask_for_credentials(credentials)
        )

    async def _resolve(self, digest: str, ask: Callable[[], Awaitable[httpx.Response]]) -> KnownClient:
        known = self._known.get(digest)
        if known is not None:
            return known
        if self._unknown.get(digest):
            raise InvalidClientKey()
        found = await self._lookup_once(digest, ask)
        if found is None:
            raise InvalidClientKey()
        return found

    def forget(self, *, digest: str | None = None, client_id: uuid.UUID | None = None) -> None:
        """A revoked key (by hash) or every key of a revoked client stops resolving now."""
        self._revoked_count += 1
        self._revocations.append((self._revoked_count, digest, client_id))
        if digest:
            self._known.pop(digest)
        if client_id is not None:
            for stale in self._known.keys_where(lambda c: c.client_id == client_id):
                self._known.pop(stale)

    def admit(self, digest: str) -> None:
        """A key just created stops being remembered as unknown."""
        self._unknown.pop(digest)

    async def _lookup_once(
        self, digest: str, ask: Callable[[], Awaitable[httpx.Response]]
    ) -> KnownClient | None:
        # Concurrent requests with the same new key share one call to identity.
        task = self._inflight.get(digest)
        if task is None:
            if len(self._inflight) >= self._max_lookups:
                LOOKUPS_REFUSED.inc()
                raise ServiceUnavailable("Too many client keys are being checked; try again later.")
            task = asyncio.create_task(self._lookup(digest, ask))
            self._inflight[digest] = task
            task.add_done_callback(lambda done: self._settle(digest, done))
        return await asyncio.shield(task)

    def _settle(self, digest: str, task: asyncio.Task[KnownClient | None]) -> None:
        self._inflight.pop(digest, None)
        if not task.cancelled():
            task.exception()  # retrieved here, so a lookup nobody awaits any more is not reported

    def _identity(self) -> str:
        if self._identity_url is None:
            raise ServiceUnavailable("Client keys cannot be checked; try again later.")
        return self._identity_url

    async def _ask_for_key(self, digest: str) -> httpx.Response:
        return await self._http.get(
            f"{self._identity()}/internal/client-keys/{digest}", timeout=self._timeout
        )

    async def _ask_for_credentials(self, credentials: ClientCredentials) -> httpx.Response:
        body = {"client_id": credentials.client_id, "client_secret": credentials.secret}
        return await self._http.post(
            f"{self._identity()}/internal/client-credentials", json=body, timeout=self._timeout
        )

    async def _lookup(self, digest: str, ask: Callable[[], Awaitable[httpx.Response]]) -> KnownClient | None:
        seen = self._revoked_count
        try:
            response = await ask()
        except httpx.HTTPError as exc:
            log.warning("client key lookup failed", extra={"error": type(exc).__name__})
            raise ServiceUnavailable("Client keys cannot be checked; try again later.") from exc
        if response.status_code == 404:
            self._unknown.put(digest, True)
            return None
        try:
            response.raise_for_status()
            data = response.json()["data"]
            found = KnownClient(uuid.UUID(str(data["tenant_id"])), uuid.UUID(str(data["client_id"])))
        except (httpx.HTTPError, ValueError, KeyError, TypeError) as exc:
            log.warning("client key lookup answered badly", extra={"status": response.status_code})
            raise ServiceUnavailable("Client keys cannot be checked; try again later.") from exc
        if not self._revoked_since(seen, digest, found.client_id):
            self._known.put(digest, found)
        return found

    def _revoked_since(self, seen: int, digest: str, client_id: uuid.UUID) -> bool:
        if seen < self._revoked_count - len(self._revocations):
            return True  # more revocations than remembered: assume the worst
        return any(
            number > seen and (revoked_digest == digest or revoked_client == client_id)
            for number, revoked_digest, revoked_client in self._revocations
        )
