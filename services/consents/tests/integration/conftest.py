"""The consents service against real PostgreSQL and NATS: a migrated database per run, the app
in-process over HTTP (httpx's ASGI transport), and access tokens signed here with an Ed25519
key whose JWKS a tiny Starlette app serves over a real (in-process) HTTP exchange."""

from __future__ import annotations

import contextlib
import time
import uuid
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass, field
from typing import Any

import httpx
import jwt
import orjson
import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from sqlmodel import col, select
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

from consents.app import create_app
from consents.bootstrap import Collaborators
from consents.config import ConsentsSettings
from proximity.auth.jwks import JwksClient
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


@dataclass
class Consents:
    http: httpx.AsyncClient
    wired: Collaborators
    signer: Signer
    settings: ConsentsSettings

    def headers(
        self,
        tenant_id: uuid.UUID,
        *,
        party_id: uuid.UUID | None = None,
        admin: bool = False,
        permissions: tuple[str, ...] = (),
        service: bool = False,
    ) -> dict[str, str]:
        claims: dict[str, Any] = {
            "sub": "consents-test-service" if service else str(uuid.uuid4()),
            "tid": str(tenant_id),
            "perms": list(permissions),
            "adm": admin,
        }
        if service:
            claims["typ"] = "service"
        else:
            claims["pid"] = str(party_id or uuid.uuid4())
        return {"Authorization": f"Bearer {self.signer.token(self.settings, **claims)}"}


@contextlib.asynccontextmanager
async def running(settings: ConsentsSettings, signer: Signer) -> AsyncIterator[Consents]:
    async def jwks(request: Request) -> JSONResponse:
        return JSONResponse(signer.jwks())

    keys_app = Starlette(routes=[Route("/.well-known/jwks.json", jwks)])
    keys_http = httpx.AsyncClient(transport=httpx.ASGITransport(app=keys_app), base_url="http://identity")
    app = create_app(settings, jwks=JwksClient("http://identity/.well-known/jwks.json", http=keys_http))
    async with (
        keys_http,
        app.router.lifespan_context(app),
        httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://consents") as http,
    ):
        yield Consents(http, app.state.consents, signer, settings)


@pytest.fixture
async def service(settings: ConsentsSettings, signer: Signer) -> AsyncIterator[Consents]:
    async with running(settings, signer) as started:
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
