"""A stand-in identity for the integration tests of the services behind it: tokens signed
here, a JWKS, the client keys it knows and service tokens for the services it knows, on a
real uvicorn server. Every service's tests use this one, so they check callers against the
same identity."""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import secrets
import socket
import time
import uuid
from collections.abc import AsyncIterator, Mapping
from dataclasses import dataclass, field
from typing import Any

import jwt
import orjson
import uvicorn
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from proximity.settings import ServiceSettings

KID = "test-key-1"
SERVICE_TOKEN_SECONDS = 300


@dataclass
class Signer:
    key: Ed25519PrivateKey = field(default_factory=Ed25519PrivateKey.generate)

    def jwks(self) -> dict[str, Any]:
        public = orjson.loads(jwt.algorithms.OKPAlgorithm.to_jwk(self.key.public_key()))
        return {"keys": [{**public, "kid": KID, "alg": "EdDSA", "use": "sig"}]}

    def token(self, settings: ServiceSettings, **claims: Any) -> str:
        """A user's access token for ``settings``' audience (claims override the defaults)."""
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
        return self.sign(payload)

    def service_token(
        self, *, service: str, audience: str, tenant_id: uuid.UUID, scope: str, **claims: Any
    ) -> str:
        """A service token as identity issues them (``typ: service``, no session)."""
        now = int(time.time())
        payload = {
            "iss": "proximity-identity",
            "aud": audience,
            "scope": scope,
            "sub": service,
            "tid": str(tenant_id),
            "perms": [],
            "adm": False,
            "typ": "service",
            "iat": now,
            "exp": now + SERVICE_TOKEN_SECONDS,
            **claims,
        }
        return self.sign(payload)

    def sign(self, payload: Mapping[str, Any]) -> str:
        return jwt.encode(dict(payload), self.key, algorithm="EdDSA", headers={"kid": KID})


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


def identity_app(
    signer: Signer, keys: ClientKeys, service_secrets: Mapping[str, str] | None = None
) -> Starlette:
    """``service_secrets``: service name -> the secret it sends for a service token."""
    known = dict(service_secrets or {})

    async def jwks(request: Request) -> JSONResponse:
        return JSONResponse(signer.jwks())

    async def service_token(request: Request) -> Response:
        """As identity issues them: for the audience asked, with its scopes, 5 minutes."""
        body = await request.json()
        service = body.get("service")
        if service not in known or body.get("secret") != known[service]:
            return JSONResponse({"errors": [{"code": "eInvalidServiceCredentials"}]}, status_code=401)
        scope = body.get("scope") or ""
        token = signer.service_token(
            service=service, audience=body["audience"], tenant_id=uuid.UUID(body["tenant_id"]), scope=scope
        )
        return JSONResponse(
            {"data": {"access_token": token, "expires_in": SERVICE_TOKEN_SECONDS, "scope": scope}}
        )

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
async def served(app: Starlette, *, what: str = "the stand-in") -> AsyncIterator[str]:
    """``app`` on a free port of a real uvicorn server; yields its base URL."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        server = uvicorn.Server(uvicorn.Config(app, lifespan="off", log_level="warning", access_log=False))
        task = asyncio.create_task(server.serve(sockets=[sock]))
        try:
            while not server.started:
                if task.done():
                    task.result()
                    raise RuntimeError(f"{what} did not start")
                await asyncio.sleep(0.01)
            yield f"http://127.0.0.1:{sock.getsockname()[1]}"
        finally:
            server.should_exit = True
            await asyncio.gather(task, return_exceptions=True)


def identity_served(app: Starlette) -> contextlib.AbstractAsyncContextManager[str]:
    return served(app, what="the stand-in identity")
