"""What the assets integration tests share: tokens signed here, the stand-in identity (JWKS,
client keys, service tokens: ``proximity.testing.stand_in_identity``) on a real uvicorn
server, the running service, tenants with their standard asset types (provisioned as the
``identity.tenant.created`` consumer does), and request helpers."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import Any

import httpx
import orjson
from sqlmodel import col, select
from starlette.applications import Starlette

from assets.bootstrap import Collaborators
from assets.config import AssetsSettings
from assets.domain.asset_types import type_id
from assets.repositories.asset_types import provision_standard_types
from assets.repositories.entity_catalogues import provision_entity_catalogues
from assets.repositories.layouts import provision_default_layouts
from assets.repositories.party_replica import apply_party
from proximity.events.tables import OutboxMessage
from proximity.testing import stand_in_identity
from proximity.testing.stand_in_identity import ClientKeys as ClientKeys
from proximity.testing.stand_in_identity import Signer as Signer
from proximity.testing.stand_in_identity import identity_served as identity_served

ASSET_PERMISSIONS = ("assets.view", "assets.create", "assets.update", "assets.delete")
SERVICE_SECRET = "assets-test-service-secret"


def identity_app(signer: Signer, keys: ClientKeys) -> Starlette:
    """The stand-in identity, issuing assets its service tokens for ``SERVICE_SECRET``."""
    return stand_in_identity.identity_app(signer, keys, {"assets": SERVICE_SECRET})


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
