"""The public API document: every service's own document, merged, without what the gateway
never exposes.

Each service generates its document from its code and serves it at ``/openapi.json``; the
gateway fetches them (never imports a service), keeps a merged copy for a while, and serves
it at its own ``/openapi.json``. Operations marked ``x-internal`` (service-to-service and
operator routes) are dropped. Component names are prefixed with their service, so two
services' ``Party`` models can never overwrite each other.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Mapping
from typing import Any

import httpx
import orjson

from proximity.openapi.document import OPENAPI_VERSION, SECURITY_SCHEMES

log = logging.getLogger(__name__)

SCHEMA_REF = "#/components/schemas/"
TITLE = "Proximity API"
DESCRIPTION = (
    "Every operation of every Proximity service, as the gateway exposes it. Send the tenant's "
    "client key in `X-Client-Key` on every call and, unless an operation is public, the access "
    "token from `POST /auth/login` in `Authorization` (bare, or as `Bearer <token>`)."
)


def _renamed(node: Any, context: str) -> Any:
    if isinstance(node, dict):
        renamed = {key: _renamed(value, context) for key, value in node.items()}
        ref = node.get("$ref")
        if isinstance(ref, str) and ref.startswith(SCHEMA_REF):
            renamed["$ref"] = f"{SCHEMA_REF}{context}.{ref.removeprefix(SCHEMA_REF)}"
        return renamed
    if isinstance(node, list):
        return [_renamed(item, context) for item in node]
    return node


def merged(own: Mapping[str, Any], documents: Mapping[str, Mapping[str, Any]]) -> dict[str, Any]:
    """``own`` (the gateway's operations) and each context's document, public operations only."""
    paths: dict[str, dict[str, Any]] = {}
    schemas: dict[str, Any] = {}
    for context, document in [("gateway", own), *sorted(documents.items())]:
        document = _renamed(document, context)
        for path, item in document.get("paths", {}).items():
            public = {verb: op for verb, op in item.items() if not op.get("x-internal")}
            if public:
                paths.setdefault(path, {}).update(public)
        for name, schema in document.get("components", {}).get("schemas", {}).items():
            schemas[f"{context}.{name}"] = schema
    return {
        "openapi": OPENAPI_VERSION,
        "info": {
            "title": TITLE,
            "version": str(own.get("info", {}).get("version", "1")),
            "description": DESCRIPTION,
        },
        "paths": dict(sorted(paths.items())),
        "components": {"schemas": schemas, "securitySchemes": SECURITY_SCHEMES},
    }


class ApiDocuments:
    """Fetches the services' documents and keeps the merged one for ``ttl`` seconds.

    A service that does not answer is left out of that copy (its last document is used if the
    gateway had one), and the copy is fetched again sooner, so the document never hangs on one
    service and fills in once it is up.
    """

    def __init__(
        self,
        http: httpx.AsyncClient,
        upstreams: Mapping[str, str],
        own: Mapping[str, Any],
        *,
        ttl: float = 60.0,
        retry_after: float = 2.0,
        timeout: float = 5.0,
    ) -> None:
        self._http = http
        self._upstreams = dict(upstreams)
        self._own = own
        self._ttl = ttl
        self._retry_after = retry_after
        self._timeout = timeout
        self._known: dict[str, Mapping[str, Any]] = {}
        self._merged: bytes | None = None
        self._until = 0.0
        self._lock = asyncio.Lock()

    async def _fetch(self, context: str, base: str) -> Mapping[str, Any] | None:
        try:
            response = await self._http.get(f"{base.rstrip('/')}/openapi.json", timeout=self._timeout)
            response.raise_for_status()
            document = response.json()
        except (httpx.HTTPError, ValueError) as exc:
            log.warning("api document unavailable", extra={"context": context, "error": type(exc).__name__})
            return None
        return document if isinstance(document, dict) else None

    async def document(self) -> bytes:
        async with self._lock:
            if self._merged is not None and time.monotonic() < self._until:
                return self._merged
            fetched = await asyncio.gather(*(self._fetch(c, url) for c, url in self._upstreams.items()))
            complete = True
            for context, document in zip(self._upstreams, fetched, strict=True):
                if document is None:
                    complete = False
                else:
                    self._known[context] = document
            self._merged = orjson.dumps(merged(self._own, self._known))
            self._until = time.monotonic() + (self._ttl if complete else self._retry_after)
            return self._merged
