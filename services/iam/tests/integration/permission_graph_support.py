"""Changing a tenant's groups as iam's use cases do (the rows, and one ``permission_change``
naming the changed group, in one transaction), and reading what the permission worker told
whom: the ``iam.permissions.updated`` rows it wrote to the outbox."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import orjson
from iam_harness import Iam, Tenant
from sqlalchemy import delete, func
from sqlmodel import col, select

from iam.repositories.datazone_records import Datazone
from iam.repositories.features import Feature
from iam.repositories.groups import GroupInherit, GroupItem, IamGroup
from iam.repositories.permission_changes import PermissionChange, record_change
from proximity.events.tables import OutboxMessage


@dataclass
class GroupGraph:
    service: Iam
    tenant: Tenant

    async def feature(self, tag: str) -> uuid.UUID:
        """The tenant's system feature of ``tag`` (provisioned with it)."""
        async with self.service.wired.unit_of_work() as uow:
            query = select(col(Feature.id)).where(
                col(Feature.tenant_id) == self.tenant.id, col(Feature.permission) == tag
            )
            found: uuid.UUID = (await uow.session.execute(query)).scalar_one()
            return found

    async def datazone(self, *, live: bool = True) -> uuid.UUID:
        zone_id = uuid.uuid4()
        async with self.service.wired.unit_of_work() as uow:
            deleted_at = None if live else datetime.now(UTC)
            zone = Datazone(id=zone_id, tenant_id=self.tenant.id, name="Zone", type="commercial")
            zone.deleted_at = deleted_at
            uow.session.add(zone)
            await uow.commit()
        return zone_id

    async def group(
        self, type_: str, *, items: Iterable[uuid.UUID] = (), inherits: Iterable[uuid.UUID] = ()
    ) -> uuid.UUID:
        found = IamGroup(tenant_id=self.tenant.id, name=f"{type_} group", type=type_)
        async with self.service.wired.unit_of_work() as uow:
            uow.session.add(found)
            await uow.session.flush()
            self._link(uow.session, found.id, items, inherits)
            await record_change(uow.session, self.tenant.id, group_ids=[found.id])
            await uow.commit()
        return found.id

    def _link(
        self, session: Any, group_id: uuid.UUID, items: Iterable[uuid.UUID], inherits: Iterable[uuid.UUID]
    ) -> None:
        tenant_id = self.tenant.id
        session.add_all(GroupItem(tenant_id=tenant_id, group_id=group_id, item_id=i) for i in items)
        session.add_all(GroupInherit(tenant_id=tenant_id, group_id=group_id, inherit_id=i) for i in inherits)

    async def replace(
        self,
        group_id: uuid.UUID,
        *,
        items: Iterable[uuid.UUID] | None = None,
        inherits: Iterable[uuid.UUID] | None = None,
    ) -> None:
        """A PUT of the group's items and/or inherit ids."""
        async with self.service.wired.unit_of_work() as uow:
            session = uow.session
            if items is not None:
                await session.execute(delete(GroupItem).where(col(GroupItem.group_id) == group_id))
            if inherits is not None:
                await session.execute(delete(GroupInherit).where(col(GroupInherit.group_id) == group_id))
            await session.flush()
            self._link(session, group_id, items or (), inherits or ())
            await record_change(session, self.tenant.id, group_ids=[group_id])
            await uow.commit()

    async def state(self, group_id: uuid.UUID, *, suspended: bool = False, deleted: bool = False) -> None:
        """Suspend, delete, or (both false) restore the group."""
        async with self.service.wired.unit_of_work() as uow:
            found = await uow.session.get(IamGroup, group_id)
            assert found is not None
            now = datetime.now(UTC)
            found.suspended_at = now if suspended else None
            found.deleted_at = now if deleted else None
            found.version += 1
            await record_change(uow.session, self.tenant.id, group_ids=[group_id])
            await uow.commit()


async def outbox_mark(service: Iam) -> int:
    async with service.wired.unit_of_work() as uow:
        found = (await uow.session.execute(select(func.max(col(OutboxMessage.seq))))).scalar_one()
        return int(found or 0)


async def settled(service: Iam, tenant: Tenant) -> None:
    """Once the worker has applied every change of the tenant."""
    for _ in range(400):
        async with service.wired.unit_of_work() as uow:
            query = select(func.count()).where(col(PermissionChange.tenant_id) == tenant.id)
            if (await uow.session.execute(query)).scalar_one() == 0:
                return
        await asyncio.sleep(0.05)
    raise AssertionError("the permission worker never applied the tenant's changes")


async def told_since(service: Iam, tenant: Tenant, mark: int) -> dict[uuid.UUID, dict[str, Any]]:
    """Party -> the last ``iam.permissions.updated`` envelope written for it after ``mark``."""
    await settled(service, tenant)
    async with service.wired.unit_of_work() as uow:
        rows = await uow.session.execute(
            select(col(OutboxMessage.payload))
            .where(col(OutboxMessage.subject) == "iam.permissions.updated", col(OutboxMessage.seq) > mark)
            .order_by(col(OutboxMessage.seq))
        )
        envelopes = [orjson.loads(raw) for raw in rows.scalars()]
    return {uuid.UUID(e["aggregate_id"]): e for e in envelopes if e["tenant_id"] == str(tenant.id)}


def tags_of(envelope: dict[str, Any]) -> dict[str, tuple[list[str], list[str] | None]]:
    """op_group_id -> (permissions, datazone_ids) of one event."""
    return {
        entry["op_group_id"]: (entry["permissions"], entry["datazone_ids"])
        for entry in envelope["data"]["permissions"]
    }
