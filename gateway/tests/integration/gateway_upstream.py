"""A real HTTP server standing in for the services behind the gateway: identity's internal
client-key lookup, client-credentials check and JWKS, ``/health``, and an echo of everything else."""

from __future__ import annotations

import asyncio
import hashlib
import secrets
import time
import uuid
from dataclasses import dataclass, field
from typing import Any

import jwt
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from jwt.algorithms import OKPAlgorithm
from starlette.applications import Starlette
from starlette.requests import ClientDisconnect, Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

ALL_METHODS = ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"]


@dataclass(frozen=True)
class Client:
    key: str
    tenant_id: uuid.UUID
    client_id: uuid.UUID


@dataclass
class FakeUpstream:
    signing_key: Ed25519PrivateKey = field(default_factory=Ed25519PrivateKey.generate)
    kid: str = field(default_factory=lambda: secrets.token_hex(8))
    clients: dict[str, Client] = field(default_factory=dict)  # by key hash
    calls: list[dict[str, Any]] = field(default_factory=list)
    credentials: dict[str, tuple[str, Client]] = field(default_factory=dict)  # by client id
    key_lookups: int = 0
    credential_checks: int = 0
    url: str = ""

    # -- what tests set up -------------------------------------------------------------
    def add_client(self, tenant_id: uuid.UUID | None = None) -> Client:
        client = Client(secrets.token_urlsafe(24), tenant_id or uuid.uuid4(), uuid.uuid4())
        self.clients[hashlib.sha256(client.key.encode()).hexdigest()] = client
        return client

    def add_credentials(self, client: Client) -> tuple[str, str]:
        """Seed 000's client id and secret for ``client``, which identity would check."""
        secret = secrets.token_urlsafe(24)
        self.credentials[str(client.client_id)] = (secret, client)
        return str(client.client_id), secret

    def remove_client(self, client: Client) -> None:
        self.clients.pop(hashlib.sha256(client.key.encode()).hexdigest(), None)

    def token(
        self,
        tenant_id: uuid.UUID,
        *,
        session_id: uuid.UUID | None = None,
        expires_in: int = 300,
        key: Ed25519PrivateKey | None = None,
        **overrides: Any,
    ) -> str:
        now = int(time.time())
        claims: dict[str, Any] = {
            "sub": str(uuid.uuid4()),
            "pid": str(uuid.uuid4()),
            "tid": str(tenant_id),
            "sid": str(session_id or uuid.uuid4()),
            "perms": [],
            "adm": False,
            "iat": now,
            "exp": now + expires_in,
            "aud": "proximity",
            "iss": "proximity-identity",
            **overrides,
        }
        claims = {k: v for k, v in claims.items() if v is not None}
        return jwt.encode(claims, key or self.signing_key, algorithm="EdDSA", headers={"kid": self.kid})

    def calls_to(self, path: str) -> list[dict[str, Any]]:
        return [call for call in self.calls if call["path"] == path]

    # -- the server ------------------------------------------------------------------
    def app(self) -> Starlette:
        async def client_key(request: Request) -> Response:
            self.key_lookups += 1
            client = self.clients.get(request.path_params["digest"])
            if client is None:
                return JSONResponse({"errors": [{"code": "eNotFound", "message": "unknown"}]}, 404)
            data = {"tenant_id": str(client.tenant_id), "client_id": str(client.client_id)}
            return JSONResponse({"data": data, "warnings": []})

        async def client_credentials(request: Request) -> Response:
            self.credential_checks += 1
            body = await request.json()
            secret, client = self.credentials.get(str(body.get("client_id")), ("", None))
            if client is None or not secrets.compare_digest(secret, str(body.get("client_secret"))):
                return JSONResponse({"errors": [{"code": "eInvalidClientKey", "message": "unknown"}]}, 404)
            data = {"tenant_id": str(client.tenant_id), "client_id": str(client.client_id)}
            return JSONResponse({"data": data, "warnings": []})

        async def jwks(_: Request) -> Response:
            jwk = OKPAlgorithm.to_jwk(self.signing_key.public_key(), as_dict=True)
            return JSONResponse({"keys": [{**jwk, "kid": self.kid, "alg": "EdDSA", "use": "sig"}]})

        async def health(_: Request) -> Response:
            return JSONResponse({"data": {"status": "ok"}, "warnings": []})

        async def echo(request: Request) -> Response:
            call: dict[str, Any] = {
                "method": request.method,
                "path": request.url.path,
                "raw_path": request.scope["raw_path"].decode(),
                "query": request.scope["query_string"].decode(),
                "headers": [[k.decode(), v.decode()] for k, v in request.scope["headers"]],
            }
            self.calls.append(call)
            if request.url.path.endswith("/slow"):
                await asyncio.sleep(2)
            size = 0
            try:
                async for chunk in request.stream():
                    size += len(chunk)
            except ClientDisconnect:
                call["disconnected"] = True  # the gateway gave the request up
                return Response(status_code=499)  # read by nobody
            call["body_bytes"] = size
            response = JSONResponse({"data": call, "warnings": []})
            response.headers.append("set-cookie", "a=1")
            response.headers.append("set-cookie", "b=2")
            response.headers["connection"] = "x-private"
            response.headers["x-private"] = "hop"
            return response

        return Starlette(
            routes=[
                Route("/internal/client-keys/{digest}", client_key),
                Route("/internal/client-credentials", client_credentials, methods=["POST"]),
                Route("/.well-known/jwks.json", jwks),
                Route("/health", health),
                Route("/{path:path}", echo, methods=ALL_METHODS),
            ]
        )
