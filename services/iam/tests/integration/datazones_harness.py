"""What the datazone integration tests share besides ``iam_harness``: the replicas of
entities, industries and contracts fed as assets' and contracts' events would, datazone
bodies, a member holding every datazone permission, and territory groups holding zones."""

from __future__ import annotations

import uuid
from typing import Any

from iam_harness import Iam, Tenant

from iam.repositories import datazone_replicas
from iam.repositories.datazone_replicas import Replica, ReplicaRow
from iam.repositories.groups import GroupInherit, GroupItem, IamGroup
from proximity.db.columns import now

DATAZONE_PERMISSIONS = ("datazones.view", "datazones.create", "datazones.update", "datazones.delete")


def member(
    service: Iam, tenant: Tenant, permissions: tuple[str, ...] = DATAZONE_PERMISSIONS
) -> dict[str, str]:
    return service.headers(tenant.id, permissions=permissions)


async def _known(
    service: Iam, tenant: Tenant, replica: Replica[Any], *, deleted: bool = False, **extra: Any
) -> uuid.UUID:
    object_id = uuid.uuid4()
    async with service.wired.unit_of_work() as uow:
        await replica.apply(
            uow.session,
            tenant_id=tenant.id,
            object_id=object_id,
            deleted=deleted,
            version=1,
            extra=extra or None,
        )
        await uow.commit()
    return object_id


async def known_entity(
    service: Iam, tenant: Tenant, *, deleted: bool = False, industry_id: uuid.UUID | None = None
) -> uuid.UUID:
    return await _known(service, tenant, datazone_replicas.entities, deleted=deleted, industry_id=industry_id)


async def known_industry(service: Iam, tenant: Tenant, *, deleted: bool = False) -> uuid.UUID:
    return await _known(service, tenant, datazone_replicas.industries, deleted=deleted)


async def known_contract(service: Iam, tenant: Tenant, *, deleted: bool = False) -> uuid.UUID:
    return await _known(service, tenant, datazone_replicas.contracts, deleted=deleted)


async def replica_row(service: Iam, table: type[ReplicaRow], object_id: uuid.UUID) -> ReplicaRow | None:
    async with service.wired.unit_of_work() as uow:
        return await uow.session.get(table, object_id)


def datazone_body(name: str = "Zone", kind: str = "geo", **overrides: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "name": name,
        "description": f"{name} description",
        "type": kind,
        "is_dynamic": False,
        "addresses": [],
        "owner_ids": [],
        "industry_ids": [],
        "entity_ids": [],
        "contract_ids": [],
        "suspended_at": None,
    }
    body.update(overrides)
    return body


async def create_datazone(
    service: Iam, tenant: Tenant, name: str = "Zone", kind: str = "geo", **overrides: Any
) -> dict[str, Any]:
    response = await service.http.post(
        "/datazones", headers=tenant.admin, json=datazone_body(name, kind, **overrides)
    )
    assert response.status_code == 201, response.text
    created: dict[str, Any] = response.json()["data"]
    return created


async def group(
    service: Iam,
    tenant: Tenant,
    kind: str,
    *,
    items: tuple[uuid.UUID, ...] = (),
    inherits: tuple[uuid.UUID, ...] = (),
    suspended: bool = False,
) -> uuid.UUID:
    """A group written as iam's group use cases would store it (their API is another helper's)."""
    group_id = uuid.uuid4()
    async with service.wired.unit_of_work() as uow:
        row = IamGroup(id=group_id, tenant_id=tenant.id, name=f"{kind} group", type=kind)
        if suspended:
            row.suspended_at = now()
        uow.session.add(row)
        await uow.session.flush()
        uow.session.add_all(GroupItem(tenant_id=tenant.id, group_id=group_id, item_id=item) for item in items)
        uow.session.add_all(
            GroupInherit(tenant_id=tenant.id, group_id=group_id, inherit_id=inherited)
            for inherited in inherits
        )
        await uow.commit()
    return group_id
