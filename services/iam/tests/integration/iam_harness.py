"""What the iam integration tests share: the stand-in identity
(``proximity.testing.stand_in_identity``) on a real uvicorn server, the running service,
tenants provisioned as the ``identity.tenant.created`` consumer does, replicas fed as
identity's events would, and request helpers."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import Any

import httpx
import orjson
from sqlmodel import col, select

from iam.bootstrap import Collaborators
from iam.config import IamSettings
from iam.domain.system_catalogue import feature_id, system_group_id
from iam.repositories.party_replica import apply_party
from iam.repositories.permission_changes import PermissionChange
from iam.repositories.user_replica import apply_user
from iam.services.tenant_provisioning import provision_tenant
from proximity.events.tables import OutboxMessage
from proximity.testing.stand_in_identity import ClientKeys, Signer

GROUP_PERMISSIONS = ("groups.view", "groups.create", "groups.update", "groups.delete")
FEATURE_PERMISSIONS = ("features.view",)


@dataclass
class Iam:
    http: httpx.AsyncClient
    wired: Collaborators
    signer: Signer
    settings: IamSettings
    client_keys: ClientKeys

    def headers(
        self,
        tenant_id: uuid.UUID,
        *,
        admin: bool = False,
        permissions: tuple[str, ...] = (),
        party_id: uuid.UUID | None = None,
    ) -> dict[str, str]:
        """A user's token with their tenant's client key, as the gateway forwards them."""
        claims: dict[str, Any] = {
            "sub": str(uuid.uuid4()),
            "tid": str(tenant_id),
            "pid": str(party_id or uuid.uuid4()),
            "perms": list(permissions),
            "adm": admin,
        }
        token = self.signer.token(self.settings, **claims)
        return {"Authorization": f"Bearer {token}", "X-Client-Key": self.client_keys.key_of(tenant_id)}


@dataclass(frozen=True)
class Tenant:
    """A provisioned tenant, a system administrator and a member holding every group and
    feature permission."""

    id: uuid.UUID
    admin: dict[str, str]
    member: dict[str, str]


async def provisioned_tenant(service: Iam) -> Tenant:
    tenant_id = uuid.uuid4()
    async with service.wired.unit_of_work() as uow:
        await provision_tenant(uow.session, tenant_id)
        await uow.commit()
    return Tenant(
        tenant_id,
        admin=service.headers(tenant_id, admin=True),
        member=service.headers(tenant_id, permissions=GROUP_PERMISSIONS + FEATURE_PERMISSIONS),
    )


async def known_party(
    service: Iam, tenant: Tenant, *, base_type: str = "user", deleted: bool = False
) -> uuid.UUID:
    """A party the replica knows, as identity's events would have made it."""
    party_id = uuid.uuid4()
    async with service.wired.unit_of_work() as uow:
        await apply_party(
            uow.session,
            tenant_id=tenant.id,
            party_id=party_id,
            base_type=base_type,
            deleted=deleted,
            version=1,
        )
        await uow.commit()
    return party_id


def assert_error(response: httpx.Response, code: str, status: int = 400) -> None:
    assert response.status_code == status, response.text
    assert [e["code"] for e in response.json()["errors"]] == [code], response.text


async def recorded_events(service: Iam, aggregate_id: object) -> list[dict[str, Any]]:
    async with service.wired.unit_of_work() as uow:
        rows = await uow.session.execute(
            select(col(OutboxMessage.payload))
            .where(col(OutboxMessage.aggregate_id) == str(aggregate_id))
            .order_by(col(OutboxMessage.seq))
        )
        return [orjson.loads(raw) for raw in rows.scalars()]


async def permission_changes(service: Iam, tenant: Tenant) -> list[PermissionChange]:
    async with service.wired.unit_of_work() as uow:
        rows = await uow.session.execute(
            select(PermissionChange)
            .where(col(PermissionChange.tenant_id) == tenant.id)
            .order_by(col(PermissionChange.id))
        )
        return list(rows.scalars())


async def known_user(service: Iam, tenant: Tenant, *, deleted: bool = False) -> uuid.UUID:
    return await known_party(service, tenant, base_type="user", deleted=deleted)


async def known_user_account(service: Iam, tenant: Tenant, party_id: uuid.UUID) -> uuid.UUID:
    """A user of ``party_id`` the replica knows, as ``identity.user.created`` would make it."""
    user_id = uuid.uuid4()
    async with service.wired.unit_of_work() as uow:
        await apply_user(
            uow.session, tenant_id=tenant.id, user_id=user_id, party_id=party_id, deleted_at=None, version=1
        )
        await uow.commit()
    return user_id


def system_feature(tenant: Tenant, permission: str) -> str:
    return str(feature_id(tenant.id, permission))


def system_group(tenant: Tenant, resource: str) -> str:
    return str(system_group_id(tenant.id, resource))


def group_body(name: str = "Group", group_type: str = "user", **overrides: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "name": name,
        "description": f"{name} description",
        "type": group_type,
        "owner_ids": [],
        "inherit_ids": [],
        "items": [],
        "meta": None,
        "suspended_at": None,
    }
    body.update(overrides)
    return body


async def create_group(
    service: Iam, tenant: Tenant, name: str = "Group", group_type: str = "user", **overrides: Any
) -> dict[str, Any]:
    response = await service.http.post(
        "/groups", headers=tenant.admin, json=group_body(name, group_type, **overrides)
    )
    assert response.status_code == 201, response.text
    created: dict[str, Any] = response.json()["data"]
    return created


async def get_group(service: Iam, tenant: Tenant, group_id: str, **params: Any) -> dict[str, Any]:
    response = await service.http.get(f"/groups/{group_id}", headers=tenant.admin, params=params)
    assert response.status_code == 200, response.text
    found: dict[str, Any] = response.json()["data"]
    return found
