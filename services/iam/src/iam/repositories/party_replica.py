"""iam's replica of identity's parties (``proximity.events.party_replica``), with the party's
``base_type``: owners may be any live party, a user group's items only parties of base type
``user``."""

from __future__ import annotations

import uuid
from collections.abc import Collection

from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import Field, col, select

from proximity.events.party_replica import PartyReplica, PartyRow
from proximity.events.replica import apply_if_newer


class ReplicatedParty(PartyRow, table=True):
    # Not ``party_replica``: contracts' table of that name shares SQLModel's metadata in a
    # process that imports both services (the contract fuzzing).
    __tablename__ = "iam_party_replica"

    base_type: str | None = Field(default=None, max_length=50)


parties = PartyReplica(ReplicatedParty)
missing_parties = parties.missing


async def apply_party(
    session: AsyncSession,
    *,
    tenant_id: uuid.UUID,
    party_id: uuid.UUID,
    base_type: str | None,
    deleted: bool,
    version: int,
) -> bool:
    return await apply_if_newer(
        session,
        ReplicatedParty,
        key={"party_id": party_id},
        version=version,
        values={"tenant_id": tenant_id, "deleted": deleted, "base_type": base_type},
    )


async def missing_users(
    session: AsyncSession, tenant_id: uuid.UUID, party_ids: Collection[uuid.UUID]
) -> set[uuid.UUID]:
    """The ids among ``party_ids`` that are no live party of base type user of the tenant."""
    if not party_ids:
        return set()
    query = select(col(ReplicatedParty.party_id)).where(
        col(ReplicatedParty.tenant_id) == tenant_id,
        col(ReplicatedParty.party_id).in_(list(party_ids)),
        col(ReplicatedParty.deleted).is_(False),
        col(ReplicatedParty.base_type) == "user",
    )
    known = set((await session.execute(query)).scalars())
    return set(party_ids) - known
