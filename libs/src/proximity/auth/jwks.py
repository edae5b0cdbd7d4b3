"""A JWKS client: identity's public keys by ``kid``, cached and refreshed without making
verification wait on identity.

- A known ``kid`` is answered from the cache at once, however old the cache is. Once it is
  older than ``max_age`` a refresh starts in the background; callers go on with the keys they
  have. So an identity outage changes nothing for tokens signed with keys already seen, for
  as long as it lasts; a key identity withdrew stops working at the first refresh that
  succeeds after it.
- One refresh at a time (single flight), however many callers want one.
- After a failed refresh the next waits ``retry_after_failure``, doubling with each failure
  up to ``max_backoff``: an outage does not become a stream of fetches.
- An unknown ``kid`` (a rotated key, or a forged token) may start a refresh, and waits for
  it, at most once per ``min_refresh_interval``; otherwise it is unknown at once.
- Only a cold cache (nothing fetched yet) makes its callers wait for a fetch, and a failure
  answers them ``JwksUnavailable`` (503) until the backoff allows another try.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import math
import time
from collections.abc import Callable
from typing import Any

import httpx
import jwt

log = logging.getLogger(__name__)


class JwksUnavailable(Exception):
    """The key set could not be fetched."""


class JwksClient:
    def __init__(
        self,
        url: str,
        *,
        http: httpx.AsyncClient | None = None,
        max_age: float = 300.0,
        min_refresh_interval: float = 5.0,
        retry_after_failure: float = 5.0,
        max_backoff: float = 60.0,
        timeout: float = 5.0,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._url = url
        self._http = http
        self._max_age = max_age
        self._min_refresh_interval = min_refresh_interval
        self._retry_after_failure = retry_after_failure
        self._max_backoff = max_backoff
        self._timeout = timeout
        self._clock = clock
        self._keys: dict[str, jwt.PyJWK] = {}
        self._fetched_at: float | None = None  # the last fetch that succeeded
        self._next_attempt = -math.inf  # no refresh starts before this
        self._failures = 0  # in a row
        self._refresh: asyncio.Task[None] | None = None
        self.fetches = 0  # attempts started, for metrics and tests

    async def key(self, kid: str) -> jwt.PyJWK | None:
        known = self._keys.get(kid)
        if known is not None:
            if self._stale():
                self._start_refresh()  # in the background: nobody waits for it
            return known
        refresh = self._refresh or self._start_refresh()
        if refresh is None:
            if self._fetched_at is None:
                raise JwksUnavailable("the key set has not been fetched yet; backing off")
            return None  # asked again too soon: unknown for now
        await asyncio.shield(refresh)  # raises JwksUnavailable when the fetch failed
        return self._keys.get(kid)

    async def aclose(self) -> None:
        """Stop a refresh still under way (the lifespan that built the client is ending)."""
        if self._refresh is not None:
            self._refresh.cancel()
            with contextlib.suppress(asyncio.CancelledError, JwksUnavailable):
                await self._refresh

    def _stale(self) -> bool:
        return self._fetched_at is None or self._clock() - self._fetched_at >= self._max_age

    def _start_refresh(self) -> asyncio.Task[None] | None:
        """The refresh just started, or None when one is under way or not allowed yet."""
        now = self._clock()
        if self._refresh is not None or now < self._next_attempt:
            return None
        self._next_attempt = now + self._min_refresh_interval  # moved further out on failure
        self.fetches += 1
        task = asyncio.create_task(self._fetch(), name="jwks-refresh")
        self._refresh = task
        task.add_done_callback(self._settle)
        return task

    def _settle(self, task: asyncio.Task[None]) -> None:
        self._refresh = None
        if task.cancelled():
            return
        if task.exception() is None:  # retrieved here, so a refresh nobody awaited is not reported
            self._failures = 0
            return
        self._failures += 1
        backoff = min(self._max_backoff, self._retry_after_failure * 2 ** (self._failures - 1))
        self._next_attempt = self._clock() + backoff
        log.warning(
            "JWKS refresh failed; serving the keys already known",
            extra={"known_keys": len(self._keys), "retry_in_seconds": backoff, "failures": self._failures},
        )

    async def _fetch(self) -> None:
        try:
            if self._http is not None:
                response = await self._http.get(self._url, timeout=self._timeout)
            else:
                async with httpx.AsyncClient(trust_env=False) as http:
                    response = await http.get(self._url, timeout=self._timeout)
            response.raise_for_status()
            body: dict[str, Any] = response.json()
        except (httpx.HTTPError, ValueError) as exc:
            raise JwksUnavailable(type(exc).__name__) from exc
        keys: dict[str, jwt.PyJWK] = {}
        for entry in body.get("keys", []) if isinstance(body, dict) else []:
            try:
                key = jwt.PyJWK(entry)
            except (jwt.PyJWKError, jwt.InvalidKeyError):
                continue  # a key type we do not use
            if key.key_id:
                keys[key.key_id] = key
        self._keys = keys
        self._fetched_at = self._clock()
