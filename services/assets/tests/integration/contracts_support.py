"""A stand-in contracts service (issue 10 builds the real one) on a real uvicorn server: the
internal link API of docs/internal-api.md over an in-memory store, checking assets' service
token as contracts will; and its events, published on contracts' stream as it will."""

from __future__ import annotations

import asyncio
import contextlib
import socket
import uuid
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from typing import Any, Literal

import jwt
import uvicorn
from assets_support import Assets, Signer
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from proximity.events.envelope import Event
from proximity.events.streams import declare_stream

Kind = Literal["assets", "entities"]


@dataclass
class Contract:
    id: uuid.UUID
    tenant_id: uuid.UUID
    name: str
    version: int = 1
    deleted: bool = False
    assets: set[uuid.UUID] = field(default_factory=set)
    entities: set[uuid.UUID] = field(default_factory=set)

    def links(self, kind: Kind) -> set[uuid.UUID]:
        return self.assets if kind == "assets" else self.entities

    def event(self, verb: str = "updated") -> Event:
        return Event(
            type=f"contracts.contract.{verb}",
            tenant_id=self.tenant_id,
            aggregate_id=str(self.id),
            version=self.version,
            data={
                "contract": 1,
                "id": str(self.id),
                "name": self.name,
                "suspended_at": None,
                "deleted_at": "2026-01-01T00:00:00+00:00" if self.deleted else None,
                "asset_ids": [str(a) for a in sorted(self.assets)],
                "entity_ids": [str(e) for e in sorted(self.entities)],
                "party_ids": [],
                "service_ids": [],
            },
        )


@dataclass
class StandInContracts:
    signer: Signer
    contracts: dict[uuid.UUID, Contract] = field(default_factory=dict)
    calls: list[tuple[str, str]] = field(default_factory=list)
    # After this many link writes, the stand-in stops listening (as if stopped mid-batch).
    stop_after: int | None = None
    server: uvicorn.Server | None = None

    def contract(self, tenant_id: uuid.UUID, name: str = "Contract") -> Contract:
        made = Contract(uuid.uuid4(), tenant_id, name)
        self.contracts[made.id] = made
        return made

    def _claims(self, request: Request) -> dict[str, Any] | None:
        header = request.headers.get("authorization", "")
        if not header.startswith("Bearer "):
            return None
        try:
            claims: dict[str, Any] = jwt.decode(
                header.removeprefix("Bearer "),
                self.signer.key.public_key(),
                algorithms=["EdDSA"],
                audience="contracts",
                issuer="proximity-identity",
            )
        except jwt.InvalidTokenError:
            return None
        if claims.get("typ") != "service" or "contracts.write" not in str(claims.get("scope", "")).split():
            return None
        return claims

    def _live(self, tenant_id: uuid.UUID, contract_id: uuid.UUID) -> Contract | None:
        found = self.contracts.get(contract_id)
        return found if found is not None and found.tenant_id == tenant_id and not found.deleted else None

    async def links(self, request: Request) -> Response:
        claims = self._claims(request)
        if claims is None:
            return JSONResponse({"errors": [{"code": "eUnauthorized", "message": "No."}]}, status_code=401)
        kind: Kind = request.path_params["kind"]
        object_id = uuid.UUID(request.path_params["object_id"])
        tenant_id = uuid.UUID(claims["tid"])
        body = await request.json()
        self.calls.append((request.method, f"{kind}/{object_id}"))
        if request.method == "PUT":
            wanted = {uuid.UUID(c) for c in body["contract_ids"]}
            named = wanted
        else:
            named = {uuid.UUID(c) for c in (body.get("assign"),) if c}
        if any(self._live(tenant_id, c) is None for c in named):
            error = {
                "code": "eAttemptSaveWithMissingContracts",
                "message": "One or more contracts do not exist.",
            }
            return JSONResponse({"errors": [error]}, status_code=400)
        held = {
            c.id for c in self.contracts.values() if c.tenant_id == tenant_id and object_id in c.links(kind)
        }
        if request.method == "PUT":
            after = wanted
        else:
            after = set(held)
            if body.get("assign"):
                after.add(uuid.UUID(body["assign"]))
            if body.get("unassign"):
                after.discard(uuid.UUID(body["unassign"]))
        reported = []
        for contract_id in sorted(after | held):
            contract = self.contracts[contract_id]
            if (contract_id in after) != (contract_id in held):
                contract.links(kind).symmetric_difference_update({object_id})
                contract.version += 1
            reported.append(
                {"contract_id": str(contract_id), "linked": contract_id in after, "version": contract.version}
            )
        answer = {
            "object_id": str(object_id),
            "contract_ids": [str(c) for c in sorted(after)],
            "links": reported,
        }
        headers = {}
        if self.stop_after is not None and len(self.calls) >= self.stop_after and self.server is not None:
            for listening in self.server.servers:
                listening.close()  # no new connection is accepted from here on
            headers["connection"] = "close"  # and this one ends with this answer
        return JSONResponse({"data": answer}, headers=headers)

    def app(self) -> Starlette:
        return Starlette(
            routes=[Route("/internal/links/{kind:str}/{object_id:str}", self.links, methods=["PUT", "PATCH"])]
        )


@contextlib.asynccontextmanager
async def contracts_served(contracts: StandInContracts) -> AsyncIterator[str]:
    """The stand-in on a free port of a real uvicorn server; yields its base URL."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        config = uvicorn.Config(contracts.app(), lifespan="off", log_level="warning", access_log=False)
        server = uvicorn.Server(config)
        contracts.server = server
        task = asyncio.create_task(server.serve(sockets=[sock]))
        try:
            while not server.started:
                if task.done():
                    task.result()
                    raise RuntimeError("the stand-in contracts did not start")
                await asyncio.sleep(0.01)
            yield f"http://127.0.0.1:{sock.getsockname()[1]}"
        finally:
            server.should_exit = True
            await asyncio.gather(task, return_exceptions=True)


def closed_port_url() -> str:
    """A URL nothing listens on: contracts down."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    return f"http://127.0.0.1:{port}"


async def publish(service: Assets, event: Event) -> None:
    """As contracts will: onto its stream ``CONTRACTS`` (declared by contracts, its publisher)."""
    js = service.wired.runtime.js
    await declare_stream(js, "contracts")
    await js.publish(event.subject, event.to_json())


def service_event(
    tenant_id: uuid.UUID, service_id: uuid.UUID, *, version: int, deleted: bool = False, verb: str = "updated"
) -> Event:
    return Event(
        type=f"contracts.service.{verb}",
        tenant_id=tenant_id,
        aggregate_id=str(service_id),
        version=version,
        data={
            "contract": 1,
            "id": str(service_id),
            "name": "Cleaning",
            "type": "maintenance",
            "suspended_at": None,
            "deleted_at": "2026-01-01T00:00:00+00:00" if deleted else None,
        },
    )
