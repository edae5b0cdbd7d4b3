"""What the assets integration tests share: tokens signed here, a stand-in identity (JWKS and
client keys) on a real uvicorn server, the running service, tenants with their standard asset
types (provisioned as the ``identity.tenant.created`` consumer does), and request helpers."""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import secrets
import socket
import time
import uuid
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from typing import Any

import httpx
import jwt
import orjson
import uvicorn
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from sqlmodel import col, select
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from assets.bootstrap import Collaborators
from assets.config import AssetsSettings
from assets.domain.asset_types import type_id
from assets.repositories.asset_types import provision_standard_types
from assets.repositories.entity_catalogues import provision_entity_catalogues
from assets.repositories.layouts import provision_default_layouts
from assets.repositories.party_replica import apply_party
from proximity.events.tables import OutboxMessage

KID = "test-key-1"
ASSET_PERMISSIONS = ("asset.view", "asset.create", "asset.update", "asset.delete")


@dataclass
class Signer:
    key: Ed25519PrivateKey = field(default_factory=Ed25519PrivateKey.generate)

    def jwks(self) -> dict[str, Any]:
        public = orjson.loads(jwt.algorithms.OKPAlgorithm.to_jwk(self.key.public_key()))
        return {"keys": [{**public, "kid": KID, "alg": "EdDSA", "use": "sig"}]}

    def token(self, settings: AssetsSettings, **claims: Any) -> str:
        now = int(time.time())
        payload = {
            "iss": settings.jwt_issuer,
            "aud": settings.jwt_audience,
            "iat": now,
            "exp": now + 300,
            "sid": str(uuid.uuid4()),
            "typ": "access",
            **claims,
        }
        return jwt.encode(payload, self.key, algorithm="EdDSA", headers={"kid": KID})


@dataclass
class ClientKeys:
    """The client keys the stand-in identity knows: one per tenant, made on first use."""

    by_tenant: dict[uuid.UUID, str] = field(default_factory=dict)
    by_hash: dict[str, tuple[uuid.UUID, uuid.UUID]] = field(default_factory=dict)

    def key_of(self, tenant_id: uuid.UUID) -> str:
        if tenant_id not in self.by_tenant:
            key = secrets.token_urlsafe(16)
            self.by_tenant[tenant_id] = key
            self.by_hash[hashlib.sha256(key.encode()).hexdigest()] = (tenant_id, uuid.uuid4())
        return self.by_tenant[tenant_id]


SERVICE_SECRET = "assets-test-service-secret"


def identity_app(signer: Signer, keys: ClientKeys) -> Starlette:
    async def jwks(request: Request) -> JSONResponse:
        return JSONResponse(signer.jwks())

    async def service_token(request: Request) -> Response:
        """As identity issues them: for the audience asked, with its scopes, 5 minutes."""
        body = await request.json()
        if body.get("service") != "assets" or body.get("secret") != SERVICE_SECRET:
            return JSONResponse({"errors": [{"code": "eInvalidServiceCredentials"}]}, status_code=401)
        now = int(time.time())
        claims = {
            "iss": "proximity-identity",
            "aud": body["audience"],
            "scope": body.get("scope") or "",
            "sub": "assets",
            "tid": body["tenant_id"],
            "perms": [],
            "adm": False,
            "typ": "service",
            "iat": now,
            "exp": now + 300,
        }
        token = jwt.encode(claims, signer.key, algorithm="EdDSA", headers={"kid": KID})
        return JSONResponse({"data": {"access_token": token, "expires_in": 300, "scope": claims["scope"]}})

    async def client_key(request: Request) -> Response:
        found = keys.by_hash.get(request.path_params["key_hash"])
        if found is None:
            return JSONResponse({"errors": [{"code": "eInvalidClientKey"}]}, status_code=404)
        return JSONResponse({"data": {"tenant_id": str(found[0]), "client_id": str(found[1])}})

    return Starlette(
        routes=[
            Route("/.well-known/jwks.json", jwks),
            Route("/internal/client-keys/{key_hash}", client_key),
            Route("/internal/service-tokens", service_token, methods=["POST"]),
        ]
    )


@contextlib.asynccontextmanager
async def identity_served(app: Starlette) -> AsyncIterator[str]:
    """The stand-in identity on a free port of a real uvicorn server; yields its base URL."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        server = uvicorn.Server(uvicorn.Config(app, lifespan="off", log_level="warning", access_log=False))
        task = asyncio.create_task(server.serve(sockets=[sock]))
        try:
            while not server.started:
                if task.done():
                    task.result()
                    raise RuntimeError("the stand-in identity did not start")
                await asyncio.sleep(0.01)
            yield f"http://127.0.0.1:{sock.getsockname()[1]}"
        finally:
            server.should_exit = True
            await asyncio.gather(task, return_exceptions=True)


@dataclass
class Assets:
    http: httpx.AsyncClient
    wired: Collaborators
    signer: Signer
    settings: AssetsSettings
    client_keys: ClientKeys

    def headers(
        self, tenant_id: uuid.UUID, *, admin: bool = False, permissions: tuple[str, ...] = ()
    ) -> dict[str, str]:
        """A user's token with their tenant's client key, as the gateway forwards them."""
        claims: dict[str, Any] = {
            "sub": str(uuid.uuid4()),
            "tid": str(tenant_id),
            "pid": str(uuid.uuid4()),
            "perms": list(permissions),
            "adm": admin,
        }
        token = self.signer.token(self.settings, **claims)
        return {"Authorization": f"Bearer {token}", "X-Client-Key": self.client_keys.key_of(tenant_id)}


@dataclass(frozen=True)
class Tenant:
    """A tenant with its standard asset types, a system administrator and a member holding
    every asset permission."""

    id: uuid.UUID
    admin: dict[str, str]
    member: dict[str, str]

    def type_id(self, key: str) -> str:
        return str(type_id(self.id, key))


async def provisioned_tenant(service: Assets) -> Tenant:
    tenant_id = uuid.uuid4()
    async with service.wired.unit_of_work() as uow:
        await provision_standard_types(uow.session, tenant_id)
        await provision_entity_catalogues(uow.session, tenant_id)
        await provision_default_layouts(uow.session, tenant_id)
        await uow.commit()
    return Tenant(
        tenant_id,
        admin=service.headers(tenant_id, admin=True),
        member=service.headers(tenant_id, permissions=ASSET_PERMISSIONS),
    )


async def known_party(service: Assets, tenant: Tenant, *, deleted: bool = False) -> uuid.UUID:
    """A party the replica knows, as identity's events would have made it."""
    party_id = uuid.uuid4()
    async with service.wired.unit_of_work() as uow:
        await apply_party(uow.session, tenant_id=tenant.id, party_id=party_id, deleted=deleted, version=1)
        await uow.commit()
    return party_id


def asset_body(name: str = "Asset", **overrides: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "name": name,
        "description": f"{name} description",
        "type_id": None,
        "parent_id": None,
        "service_ids": [],
        "party_ids": [],
        "address": None,
        "geo": None,
        "is_hidden": False,
    }
    body.update(overrides)
    return body


async def create(service: Assets, tenant: Tenant, name: str = "Asset", **overrides: Any) -> dict[str, Any]:
    response = await service.http.post("/assets", headers=tenant.admin, json=asset_body(name, **overrides))
    assert response.status_code == 201, response.text
    created: dict[str, Any] = response.json()["data"]
    return created


def assert_error(response: httpx.Response, code: str, status: int = 400) -> None:
    assert response.status_code == status, response.text
    assert [e["code"] for e in response.json()["errors"]] == [code], response.text


async def recorded_events(service: Assets, aggregate_id: object) -> list[dict[str, Any]]:
    async with service.wired.unit_of_work() as uow:
        rows = await uow.session.execute(
            select(col(OutboxMessage.payload))
            .where(col(OutboxMessage.aggregate_id) == str(aggregate_id))
            .order_by(col(OutboxMessage.seq))
        )
        return [orjson.loads(raw) for raw in rows.scalars()]
