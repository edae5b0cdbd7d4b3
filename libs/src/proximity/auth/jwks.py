"""A JWKS client: public keys by ``kid``, cached, refreshed when an unknown ``kid`` appears."""

from __future__ import annotations

import asyncio
import time
from typing import Any

import httpx
import jwt


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
    ) -> None:
        self._url = url
        self._http = http
        self._max_age = max_age
        # Unknown kids in forged tokens must not turn into a stream of requests to identity.
        self._min_refresh_interval = min_refresh_interval
        self._keys: dict[str, jwt.PyJWK] = {}
        self._fetched_at = 0.0
        self._lock = asyncio.Lock()

    async def key(self, kid: str) -> jwt.PyJWK | None:
        now = time.monotonic()
        if kid in self._keys and now - self._fetched_at < self._max_age:
            return self._keys[kid]
        async with self._lock:
            stale = time.monotonic() - self._fetched_at
            wanted = kid not in self._keys or stale >= self._max_age
            if wanted and (stale >= self._min_refresh_interval or not self._keys):
                await self._refresh()
        return self._keys.get(kid)

    async def _refresh(self) -> None:
        try:
            if self._http is not None:
                response = await self._http.get(self._url, timeout=5)
            else:
                async with httpx.AsyncClient() as http:
                    response = await http.get(self._url, timeout=5)
            response.raise_for_status()
            body: dict[str, Any] = response.json()
        except (httpx.HTTPError, ValueError) as exc:
            raise JwksUnavailable(str(exc)) from exc
        keys: dict[str, jwt.PyJWK] = {}
        for entry in body.get("keys", []):
            try:
                key = jwt.PyJWK(entry)
            except (jwt.PyJWKError, jwt.InvalidKeyError):
                continue  # a key type we do not use
            if key.key_id:
                keys[key.key_id] = key
        self._keys = keys
        self._fetched_at = time.monotonic()
