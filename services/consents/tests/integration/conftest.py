"""The consents service against real PostgreSQL and NATS: a migrated database per run, the app
in-process over HTTP (httpx's ASGI transport), access tokens signed here with an Ed25519 key,
and a stand-in identity on a real uvicorn server answering what consents asks identity: the
JWKS and which tenant a client key opens. Every tenant gets a key, sent with its users'
tokens as the gateway forwards it."""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import secrets
import socket
import time
import uuid
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass, field
from typing import Any

import httpx
import jwt
import orjson
import pytest
import uvicorn
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from sqlmodel import col, select
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from consents.app import create_app
from consents.bootstrap import Collaborators
from consents.config import ConsentsSettings
from proximity.db.migrate import upgrade
from proximity.events.tables import OutboxMessage

KID = "test-key-1"


@dataclass
class Signer:
    key: Ed25519PrivateKey = field(default_factory=Ed25519PrivateKey.generate)

    def jwks(self) -> dict[str, Any]:
        public = orjson.loads(jwt.algorithms.OKPAlgorithm.to_jwk(self.key.public_key()))
        return {"keys": [{**public, "kid": KID, "alg": "EdDSA", "use": "sig"}]}

    def token(self, settings: ConsentsSettings, **claims: Any) -> str:
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
    by_hash: dict[str, tuple[uuid.UUID, uuid.UUID]] = field(default_factory=dict)  # tenant, client

    def key_of(self, tenant_id: uuid.UUID) -> str:
        if tenant_id not in self.by_tenant:
            key = secrets.token_urlsafe(16)
            self.by_tenant[tenant_id] = key
            self.by_hash[hashlib.sha256(key.encode()).hexdigest()] = (tenant_id, uuid.uuid4())
        return self.by_tenant[tenant_id]

    def forget(self, key: str) -> tuple[uuid.UUID, uuid.UUID] | None:
        """identity revoking the key: its lookups answer 404 from now on."""
        return self.by_hash.pop(hashlib.sha256(key.encode()).hexdigest(), None)


def identity_app(signer: Signer, keys: ClientKeys) -> Starlette:
    async def jwks(request: Request) -> JSONResponse:
        return JSONResponse(signer.jwks())

    async def client_key(request: Request) -> Response:
        found = keys.by_hash.get(request.path_params["key_hash"])
        if found is None:
            return JSONResponse({"errors": [{"code": "eInvalidClientKey"}]}, status_code=404)
        return JSONResponse({"data": {"tenant_id": str(found[0]), "client_id": str(found[1])}})

    return Starlette(
        routes=[
            Route("/.well-known/jwks.json", jwks),
            Route("/internal/client-keys/{key_hash}", client_key),
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


@pytest.fixture(scope="session")
def consents_database_url(database_factory: Callable[[str], str]) -> str:
    url = database_factory("consents")
    upgrade("consents", url)
    return url


@pytest.fixture
def settings(consents_database_url: str, nats_url: str) -> ConsentsSettings:
    return ConsentsSettings(database_url=consents_database_url, nats_url=nats_url)


@pytest.fixture(scope="session")
def signer() -> Signer:
    return Signer()


@pytest.fixture(scope="session")
def client_keys() -> ClientKeys:
    return ClientKeys()


@dataclass
class Consents:
    http: httpx.AsyncClient
    wired: Collaborators
    signer: Signer
    settings: ConsentsSettings
    client_keys: ClientKeys

    def headers(
        self,
        tenant_id: uuid.UUID,
        *,
        party_id: uuid.UUID | None = None,
        admin: bool = False,
        permissions: tuple[str, ...] = (),
        service: bool = False,
        session_id: uuid.UUID | None = None,
        audience: str = "consents",
        scope: str = "consents.read consents.write",
    ) -> dict[str, str]:
        """A user's token with their tenant's client key, as the gateway forwards them; or a
        service's token alone (services call each other directly, with no client), for
        ``audience`` with ``scope``, as identity issues it."""
        claims: dict[str, Any] = {
            "sub": "consents-test-service" if service else str(uuid.uuid4()),
            "tid": str(tenant_id),
            "perms": list(permissions),
            "adm": admin,
        }
        if service:
            claims.update(typ="service", aud=audience, scope=scope)
            return {"Authorization": f"Bearer {self.signer.token(self.settings, **claims)}"}
        claims["pid"] = str(party_id or uuid.uuid4())
        claims["sid"] = str(session_id or uuid.uuid4())
        token = self.signer.token(self.settings, **claims)
        return {"Authorization": f"Bearer {token}", "X-Client-Key": self.client_keys.key_of(tenant_id)}


@contextlib.asynccontextmanager
async def running(
    settings: ConsentsSettings, signer: Signer, client_keys: ClientKeys
) -> AsyncIterator[Consents]:
    async with identity_served(identity_app(signer, client_keys)) as identity_url:
        pointed = settings.model_copy(
            update={"identity_url": identity_url, "jwks_url": f"{identity_url}/.well-known/jwks.json"}
        )
        app = create_app(pointed)
        async with (
            app.router.lifespan_context(app),
            httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://consents") as http,
        ):
            yield Consents(http, app.state.consents, signer, pointed, client_keys)


@pytest.fixture
async def service(
    settings: ConsentsSettings, signer: Signer, client_keys: ClientKeys
) -> AsyncIterator[Consents]:
    async with running(settings, signer, client_keys) as started:
        yield started


@dataclass(frozen=True)
class Tenant:
    """A fresh tenant with an administrator and two ordinary users (their party ids)."""

    id: uuid.UUID
    admin: dict[str, str]
    alice_id: uuid.UUID
    alice: dict[str, str]
    bob_id: uuid.UUID
    bob: dict[str, str]


@pytest.fixture
def tenant(service: Consents) -> Tenant:
    return new_tenant(service)


def new_tenant(service: Consents) -> Tenant:
    tenant_id, alice, bob = uuid.uuid4(), uuid.uuid4(), uuid.uuid4()
    return Tenant(
        id=tenant_id,
        admin=service.headers(tenant_id, admin=True),
        alice_id=alice,
        alice=service.headers(tenant_id, party_id=alice),
        bob_id=bob,
        bob=service.headers(tenant_id, party_id=bob),
    )


def consent_body(user_id: uuid.UUID | str, **overrides: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "document": {
            "uri": f"/vault/files/{uuid.uuid4()}/content",
            "contentType": "application/pdf",
            "revisionId": "2019:1.02.0",
            "revisedAt": "2019-07-23T08:26:45.375Z",
        },
        "type": "termsAndConditions",
        "userId": str(user_id),
        "contextUri": "/products/products/34011fe5-192d-4ffb-be32-e7215e56028a",
    }
    body.update(overrides)
    return body


async def recorded_events(service: Consents, prefix: str, aggregate_id: object) -> list[dict[str, Any]]:
    async with service.wired.unit_of_work() as uow:
        rows = await uow.session.execute(
            select(col(OutboxMessage.payload))
            .where(col(OutboxMessage.subject).startswith(prefix))
            .order_by(col(OutboxMessage.created_at))
        )
        found = [orjson.loads(raw) for raw in rows.scalars()]
    return [e for e in found if e["aggregate_id"] == str(aggregate_id)]


def assert_error(response: httpx.Response, status: int, error_type: str | None = None) -> dict[str, Any]:
    """The body is seed 001's ``errorResponse`` with this status (and type)."""
    assert response.status_code == status, response.text
    body = response.json()
    assert set(body) == {"_profile", "_error"}, body
    assert body["_profile"].endswith("/errorResponse/v2.0.0/profile.json")
    error: dict[str, Any] = body["_error"]
    assert {"_id", "message", "statusCode", "type", "occurredAt", "remediation", "attributes"} <= set(error)
    assert error["statusCode"] == status
    if error_type is not None:
        assert error["type"] == error_type, error
    return error
