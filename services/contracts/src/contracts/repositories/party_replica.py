"""The parties identity announces (``identity.party.*``): only what validating a party id
needs. A deleted party stays as a tombstone (``deleted``), so a late, older event cannot
bring it back (``proximity.events.replica``)."""

from __future__ import annotations

import uuid
from collections.abc import Collection

from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import Field, SQLModel, col, select

from proximity.events.replica import apply_if_newer


class ReplicatedParty(SQLModel, table=True):
    __tablename__ = "party_replica"

    party_id: uuid.UUID = Field(primary_key=True)
    tenant_id: uuid.UUID = Field(index=True)
    deleted: bool = False
    version: int


async def apply_party(
    session: AsyncSession, *, tenant_id: uuid.UUID, party_id: uuid.UUID, deleted: bool, version: int
) -> bool:
    return await apply_if_newer(
        session,
        ReplicatedParty,
        key={"party_id": party_id},
        version=version,
        values={"tenant_id": tenant_id, "deleted": deleted},
    )


async def missing_parties(
    session: AsyncSession, tenant_id: uuid.UUID, party_ids: Collection[uuid.UUID]
) -> set[uuid.UUID]:
    """The ids among ``party_ids`` that are no live party of the tenant."""
    if not party_ids:
        return set()
    query = select(col(ReplicatedParty.party_id)).where(
        col(ReplicatedParty.tenant_id) == tenant_id,
        col(ReplicatedParty.party_id).in_(list(party_ids)),
        col(ReplicatedParty.deleted).is_(False),
    )
    known = set((await session.execute(query)).scalars())
    return set(party_ids) - known
