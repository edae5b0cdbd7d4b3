"""iam's replicas of what datazones name from other contexts: assets' entities (with their
industry, for the groups' ``entity_id`` filter and commercial membership) and industries, and
contracts' contracts (``assets.entity.*``, ``assets.industry.*``, ``contracts.contract.*``).
Only what validating an id needs; a deleted one stays as a tombstone (``deleted``), so a late,
older event cannot bring it back (``proximity.events.replica``)."""

from __future__ import annotations

import uuid
from collections.abc import Collection, Mapping
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import Field, SQLModel, col, select

from proximity.events.replica import apply_if_newer


class ReplicaRow(SQLModel):
    id: uuid.UUID = Field(primary_key=True)
    tenant_id: uuid.UUID = Field(index=True)
    deleted: bool = False
    version: int


# Named ``iam_…``: contracts' ``entity_replica`` shares SQLModel's metadata in a process that
# imports both services (the contract fuzzing).
class ReplicatedEntity(ReplicaRow, table=True):
    __tablename__ = "iam_entity_replica"

    industry_id: uuid.UUID | None = Field(default=None, index=True)


class ReplicatedIndustry(ReplicaRow, table=True):
    __tablename__ = "iam_industry_replica"


class ReplicatedContract(ReplicaRow, table=True):
    __tablename__ = "iam_contract_replica"


Row = TypeVar("Row", bound=ReplicaRow)


@dataclass(frozen=True, slots=True)
class Replica(Generic[Row]):
    table: type[Row]

    async def apply(
        self,
        session: AsyncSession,
        *,
        tenant_id: uuid.UUID,
        object_id: uuid.UUID,
        deleted: bool,
        version: int,
        extra: Mapping[str, Any] | None = None,
    ) -> bool:
        return await apply_if_newer(
            session,
            self.table,
            key={"id": object_id},
            version=version,
            values={"tenant_id": tenant_id, "deleted": deleted, **(extra or {})},
        )

    async def missing(
        self, session: AsyncSession, tenant_id: uuid.UUID, ids: Collection[uuid.UUID]
    ) -> set[uuid.UUID]:
        """The ids among ``ids`` that are no live object of the tenant."""
        if not ids:
            return set()
        query = select(col(self.table.id)).where(
            col(self.table.tenant_id) == tenant_id,
            col(self.table.id).in_(list(ids)),
            col(self.table.deleted).is_(False),
        )
        return set(ids) - set((await session.execute(query)).scalars())


entities = Replica(ReplicatedEntity)
industries = Replica(ReplicatedIndustry)
contracts = Replica(ReplicatedContract)
