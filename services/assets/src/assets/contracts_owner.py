"""Writing contract links where they belong: contracts owns every contract ↔ asset and
contract ↔ entity link, so assets forwards a write that names them (docs/internal-api.md) and
shows what contracts answered.

A forward runs inside the local write's transaction, before its commit:

- contracts unreachable, timing out, answering 5xx or 429, or not configured: 503
  ``eServiceUnavailable`` (the local write rolls back: nothing is written);
- contracts refusing the write (another 4xx): its code and message, as a 400;
- contracts refusing assets' own token (401, 403): our misconfiguration, logged, and 503 for
  the client (who can do nothing about it but try later).

If contracts applied the write and the local commit then fails, the link stays written at
contracts; every link write is an idempotent replace or assign, so the user's retry converges.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Literal

import httpx

from assets.config import AssetsSettings
from assets.errors import ContractLinksUnavailable
from assets.repositories.contract_replica import OwnedLink
from proximity.auth.service_token import ServiceTokenRefused, ServiceTokenSource, authorization_header
from proximity.errors import ProximityError

log = logging.getLogger(__name__)

AUDIENCE = "contracts"
SCOPES = ("contracts.write",)

Linked = Literal["assets", "entities"]


class ContractsNotConfigured(ContractLinksUnavailable):
    message = (
        "Contract links cannot be changed here now: the contracts service is not configured "
        "(CONTRACTS_URL). Nothing was changed."
    )


class ContractsUnavailable(ContractLinksUnavailable):
    pass


class ContractsRefused(ProximityError):
    """contracts refused the link write: its own code and message, as a 400."""


@dataclass(frozen=True, slots=True)
class OwnedLinks:
    """contracts' answer: the contracts linked after the write, and each link it reported."""

    contract_ids: tuple[uuid.UUID, ...]
    links: tuple[OwnedLink, ...]


class ContractsOwner:
    def __init__(
        self, http: httpx.AsyncClient | None, base_url: str | None, tokens: ServiceTokenSource | None
    ) -> None:
        self._http = http
        self._base_url = base_url.rstrip("/") if base_url else None
        self._tokens = tokens

    async def replace(
        self, linked: Linked, tenant_id: uuid.UUID, object_id: uuid.UUID, contract_ids: Sequence[uuid.UUID]
    ) -> OwnedLinks:
        """The object is linked to exactly ``contract_ids`` afterwards (an idempotent replace)."""
        body = {"contract_ids": [str(c) for c in sorted(set(contract_ids))]}
        return await self._call("PUT", linked, tenant_id, object_id, body)

    async def change(
        self,
        linked: Linked,
        tenant_id: uuid.UUID,
        object_id: uuid.UUID,
        *,
        assign: uuid.UUID | None,
        unassign: uuid.UUID | None,
    ) -> OwnedLinks:
        """One contract linked and / or one unlinked (each a no-op when already so)."""
        body = {"assign": str(assign) if assign else None, "unassign": str(unassign) if unassign else None}
        return await self._call("PATCH", linked, tenant_id, object_id, body)

    async def _call(
        self, method: str, linked: Linked, tenant_id: uuid.UUID, object_id: uuid.UUID, body: dict[str, Any]
    ) -> OwnedLinks:
        if self._http is None or self._base_url is None or self._tokens is None:
            raise ContractsNotConfigured()
        try:
            token = await self._tokens.token(tenant_id)
        except ServiceTokenRefused:
            raise ContractsUnavailable() from None  # logged by the token source
        url = f"{self._base_url}/internal/links/{linked}/{object_id}"
        try:
            response = await self._http.request(method, url, json=body, headers=authorization_header(token))
        except httpx.HTTPError as exc:
            log.warning("contracts is unreachable", extra={"url": url, "error": type(exc).__name__})
            raise ContractsUnavailable() from None
        if response.status_code >= 500 or response.status_code == 429:
            raise ContractsUnavailable()
        if response.status_code in (401, 403):
            log.error("contracts refused assets' service token", extra={"status": response.status_code})
            raise ContractsUnavailable()
        if response.status_code != 200:
            code, message = _error_of(response)
            raise ContractsRefused(message, code=code)
        return _answer(response, object_id)


def _error_of(response: httpx.Response) -> tuple[str, str]:
    try:
        first = response.json()["errors"][0]
        return str(first["code"]), str(first.get("message") or "contracts refused the link write.")
    except (ValueError, KeyError, TypeError, IndexError):
        return "eValidationError", "contracts refused the link write."


def _answer(response: httpx.Response, object_id: uuid.UUID) -> OwnedLinks:
    try:
        data = response.json()["data"]
        contract_ids = tuple(sorted(uuid.UUID(c) for c in data["contract_ids"]))
        links = tuple(
            OwnedLink(uuid.UUID(item["contract_id"]), bool(item["linked"]), int(item["version"]))
            for item in data["links"]
        )
    except (ValueError, KeyError, TypeError) as exc:
        log.error("contracts answered a link write with no usable body", extra={"error": str(exc)})
        raise ContractsUnavailable() from None
    return OwnedLinks(contract_ids, links)


def contracts_owner(settings: AssetsSettings, tasks: list[asyncio.Task[None]]) -> ContractsOwner:
    """The owner as configured; its connection pool is closed when the runtime stops ``tasks``."""
    if not settings.contracts_url or settings.service_secret is None or not settings.identity_url:
        return ContractsOwner(None, None, None)
    http = httpx.AsyncClient(
        timeout=httpx.Timeout(settings.contracts_timeout_seconds),
        follow_redirects=False,
        trust_env=False,  # contracts and identity are internal: no proxy from the environment
    )
    tokens = ServiceTokenSource(
        http,
        settings.identity_url,
        settings.service_name,
        settings.service_secret.get_secret_value(),
        audience=AUDIENCE,
        scope=SCOPES,
    )
    tasks.append(asyncio.create_task(_closed_at_stop(http), name="contracts-http"))
    return ContractsOwner(http, settings.contracts_url, tokens)


async def _closed_at_stop(http: httpx.AsyncClient) -> None:
    try:
        await asyncio.Event().wait()
    finally:
        with contextlib.suppress(Exception):
            await http.aclose()
