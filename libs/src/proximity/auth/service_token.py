"""Service tokens for service-to-service calls, fetched from identity and cached per tenant.

A token is for one called service (its ``audience``, which accepts it and nobody else does)
and carries the scopes asked for there (``scope``; none named: all identity grants). So a
service builds one source per service it calls, in its lifespan, on its shared
``httpx.AsyncClient``. ``ServiceTokenSource.token(tenant_id)`` answers from the cache until
shortly before the token expires; concurrent callers for one tenant share a single request.
"""

from __future__ import annotations

import asyncio
import logging
import time
import uuid
from collections.abc import Sequence
from typing import Any

import httpx

from proximity.errors import ProximityError, ServiceUnavailable

log = logging.getLogger(__name__)

PATH = "/internal/service-tokens"


class ServiceTokenRefused(ProximityError):
    """identity refused to issue a token (a 4xx other than 429).

    Our own misconfiguration, not the end client's fault: if it escapes a route, the client
    sees a plain 500, and the reason is in our log.
    """

    status = 500
    code = "eInternal"
    message = "Internal server error."


class ServiceCredentialsRejected(ServiceTokenRefused):
    """identity does not know this service's name or secret (401)."""


def authorization_header(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


class ServiceTokenSource:
    def __init__(
        self,
        http: httpx.AsyncClient,
        identity_url: str,
        service: str,
        secret: str,
        *,
        audience: str,
        scope: Sequence[str] = (),
        refresh_margin: float = 30,
    ) -> None:
        self._http = http
        self._url = identity_url.rstrip("/") + PATH
        self._service = service
        self._secret = secret
        self._audience = audience
        self._scope = " ".join(scope) or None
        self._refresh_margin = refresh_margin
        self._tokens: dict[uuid.UUID, tuple[str, float]] = {}  # tenant → (token, refresh at)
        self._fetching: dict[uuid.UUID, asyncio.Task[str]] = {}

    def __repr__(self) -> str:  # never the secret
        return (
            f"ServiceTokenSource(service={self._service!r}, audience={self._audience!r}, url={self._url!r})"
        )

    async def token(self, tenant_id: uuid.UUID) -> str:
        found = self._tokens.get(tenant_id)
        if found is not None and time.monotonic() < found[1]:
            return found[0]
        # Single flight: callers arriving while a fetch is under way share it, its token and
        # its failure alike, so an identity outage costs one timeout, not one per caller.
        task = self._fetching.get(tenant_id)
        if task is None:
            task = asyncio.create_task(self._refresh(tenant_id))
            self._fetching[tenant_id] = task
            task.add_done_callback(lambda done: self._finished(tenant_id, done))
        # Shielded: one caller giving up (a cancelled request) must not cancel the others' fetch.
        return await asyncio.shield(task)

    def _finished(self, tenant_id: uuid.UUID, task: asyncio.Task[str]) -> None:
        self._fetching.pop(tenant_id, None)
        if not task.cancelled():
            task.exception()  # retrieved here too, in case every waiter was cancelled

    async def _refresh(self, tenant_id: uuid.UUID) -> str:
        token, expires_in = await self._fetch(tenant_id)
        # Refreshed ``refresh_margin`` early, so a token never expires in flight; but never
        # before half its life, or a margin longer than the TTL would defeat the cache.
        lifetime = max(expires_in - self._refresh_margin, expires_in / 2)
        self._tokens[tenant_id] = (token, time.monotonic() + lifetime)
        return token

    async def _fetch(self, tenant_id: uuid.UUID) -> tuple[str, float]:
        body = {
            "service": self._service,
            "secret": self._secret,
            "tenant_id": str(tenant_id),
            "audience": self._audience,
            **({"scope": self._scope} if self._scope else {}),
        }
        try:
            response = await self._http.post(self._url, json=body, timeout=5)
        except httpx.HTTPError as exc:
            raise ServiceUnavailable("identity is unreachable; try again later.") from exc
        if response.status_code >= 500 or response.status_code == 429:
            raise ServiceUnavailable("identity cannot issue service tokens now; try again later.")
        if response.status_code != 200:
            code = _error_code(response)
            log.error(
                "identity refused a service token",
                extra={
                    "service": self._service,
                    "audience": self._audience,
                    "status": response.status_code,
                    "identity_error": code,
                },
            )
            if response.status_code == 401:
                raise ServiceCredentialsRejected()
            raise ServiceTokenRefused()
        try:
            data = response.json()["data"]
            return str(data["access_token"]), float(data["expires_in"])
        except (ValueError, KeyError, TypeError) as exc:
            raise ServiceUnavailable("identity answered with no token; try again later.") from exc


def _error_code(response: httpx.Response) -> Any:
    try:
        return response.json()["errors"][0]["code"]
    except (ValueError, KeyError, TypeError, IndexError):
        return None
