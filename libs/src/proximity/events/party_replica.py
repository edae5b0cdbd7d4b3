"""A service's replica of identity's parties (``identity.party.*``): only what validating a
party id needs. A deleted party stays as a tombstone (``deleted``), so a late, older event
cannot bring it back (``proximity.events.replica``). Each service declares its own table from
``PartyRow`` (its own name, in its own database) and reads and writes it through
``PartyReplica``."""

from __future__ import annotations

import uuid
from collections.abc import Collection
from dataclasses import dataclass
from typing import Generic, TypeVar

from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import Field, SQLModel, col, select

from proximity.events.replica import apply_if_newer


class PartyRow(SQLModel):
    party_id: uuid.UUID = Field(primary_key=True)
    tenant_id: uuid.UUID = Field(index=True)
    deleted: bool = False
    version: int


Party = TypeVar("Party", bound=PartyRow)


@dataclass(frozen=True, slots=True)
class PartyReplica(Generic[Party]):
    table: type[Party]

    async def apply(
        self, session: AsyncSession, *, tenant_id: uuid.UUID, party_id: uuid.UUID, deleted: bool, version: int
    ) -> bool:
        return await apply_if_newer(
            session,
            self.table,
            key={"party_id": party_id},
            version=version,
            values={"tenant_id": tenant_id, "deleted": deleted},
        )

    async def missing(
        self, session: AsyncSession, tenant_id: uuid.UUID, party_ids: Collection[uuid.UUID]
    ) -> set[uuid.UUID]:
        """The ids among ``party_ids`` that are no live party of the tenant."""
        if not party_ids:
            return set()
        query = select(col(self.table.party_id)).where(
            col(self.table.tenant_id) == tenant_id,
            col(self.table.party_id).in_(list(party_ids)),
            col(self.table.deleted).is_(False),
        )
        known = set((await session.execute(query)).scalars())
        return set(party_ids) - known
