"""What the contracts integration tests share: the stand-in identity
(``proximity.testing.stand_in_identity``) on a real uvicorn server, the running service,
tenants with their contract roles (provisioned as the ``identity.tenant.created`` consumer
does), replicas fed as identity's and assets' events would, and request helpers."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import httpx
import orjson
from sqlmodel import col, select

from contracts.bootstrap import Collaborators
from contracts.config import ContractsSettings
from contracts.domain.contract_roles import role_id
from contracts.repositories.asset_replica import apply_asset, apply_entity
from contracts.repositories.document_replica import apply_document
from contracts.repositories.party_replica import apply_party
from contracts.services.tenant_provisioning import provision_tenant
from proximity.events.tables import OutboxMessage
from proximity.testing.stand_in_identity import ClientKeys, Signer

CONTRACT_PERMISSIONS = ("contracts.view", "contracts.create", "contracts.update", "contracts.delete")
SERVICE_PERMISSIONS = ("services.view", "services.create", "services.update", "services.delete")
# The secret the stand-in identity issues assets' service tokens for.
ASSETS_SECRET = "assets-test-service-secret"


@dataclass
class Contracts:
    http: httpx.AsyncClient
    wired: Collaborators
    signer: Signer
    settings: ContractsSettings
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

    def service_headers(
        self, tenant_id: uuid.UUID, *, scope: str = "contracts.write", audience: str = "contracts"
    ) -> dict[str, str]:
        """assets' service token, as identity issues it for a link write."""
        token = self.signer.service_token(
            service="assets", audience=audience, tenant_id=tenant_id, scope=scope
        )
        return {"Authorization": f"Bearer {token}"}


@dataclass(frozen=True)
class Tenant:
    """A tenant with its contract roles, a system administrator and a member holding every
    contract and service permission."""

    id: uuid.UUID
    admin: dict[str, str]
    member: dict[str, str]

    def role_id(self, key: str) -> str:
        return str(role_id(self.id, key))


async def provisioned_tenant(service: Contracts) -> Tenant:
    tenant_id = uuid.uuid4()
    async with service.wired.unit_of_work() as uow:
        await provision_tenant(uow.session, tenant_id)
        await uow.commit()
    return Tenant(
        tenant_id,
        admin=service.headers(tenant_id, admin=True),
        member=service.headers(tenant_id, permissions=CONTRACT_PERMISSIONS + SERVICE_PERMISSIONS),
    )


async def known_party(service: Contracts, tenant: Tenant, *, deleted: bool = False) -> uuid.UUID:
    """A party the replica knows, as identity's events would have made it."""
    party_id = uuid.uuid4()
    async with service.wired.unit_of_work() as uow:
        await apply_party(uow.session, tenant_id=tenant.id, party_id=party_id, deleted=deleted, version=1)
        await uow.commit()
    return party_id


def _state(name: str, deleted: bool) -> dict[str, Any]:
    return {"name": name, "suspended_at": None, "deleted_at": datetime.now(UTC) if deleted else None}


async def known_asset(service: Contracts, tenant: Tenant, *, deleted: bool = False) -> uuid.UUID:
    """An asset the replica knows, as assets' events would have made it."""
    asset_id = uuid.uuid4()
    async with service.wired.unit_of_work() as uow:
        await apply_asset(
            uow.session, tenant_id=tenant.id, asset_id=asset_id, version=1, state=_state("Asset", deleted)
        )
        await uow.commit()
    return asset_id


async def known_entity(service: Contracts, tenant: Tenant, *, deleted: bool = False) -> uuid.UUID:
    entity_id = uuid.uuid4()
    async with service.wired.unit_of_work() as uow:
        await apply_entity(
            uow.session, tenant_id=tenant.id, entity_id=entity_id, version=1, state=_state("Entity", deleted)
        )
        await uow.commit()
    return entity_id


async def known_document(service: Contracts, tenant: Tenant, *, deleted: bool = False) -> uuid.UUID:
    """A document of an asset the replica knows, as assets' events would have made it."""
    document_id = uuid.uuid4()
    async with service.wired.unit_of_work() as uow:
        await apply_document(
            uow.session,
            tenant_id=tenant.id,
            document_id=document_id,
            version=1,
            documentable_type="asset",
            documentable_id=uuid.uuid4(),
            deleted_at=datetime.now(UTC) if deleted else None,
        )
        await uow.commit()
    return document_id


def contract_body(name: str = "Contract", **overrides: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "name": name,
        "description": f"{name} description",
        "starts_at": None,
        "expires_at": None,
        "url": None,
        "owners": [],
        "contacts": [],
        "party_ids": [],
        "service_ids": [],
        "asset_ids": [],
        "entities_ids": [],
        "media_ids": [],
    }
    body.update(overrides)
    return body


async def create_contract(
    service: Contracts, tenant: Tenant, name: str = "Contract", **overrides: Any
) -> dict[str, Any]:
    response = await service.http.post(
        "/contracts", headers=tenant.admin, json=contract_body(name, **overrides)
    )
    assert response.status_code == 201, response.text
    created: dict[str, Any] = response.json()["data"]
    return created


def assert_error(response: httpx.Response, code: str, status: int = 400) -> None:
    assert response.status_code == status, response.text
    assert [e["code"] for e in response.json()["errors"]] == [code], response.text


async def recorded_events(service: Contracts, aggregate_id: object) -> list[dict[str, Any]]:
    async with service.wired.unit_of_work() as uow:
        rows = await uow.session.execute(
            select(col(OutboxMessage.payload))
            .where(col(OutboxMessage.aggregate_id) == str(aggregate_id))
            .order_by(col(OutboxMessage.seq))
        )
        return [orjson.loads(raw) for raw in rows.scalars()]
