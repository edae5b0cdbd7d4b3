"""Tenant-scoped queries on the skillsets parties hold."""

from __future__ import annotations

import uuid
from collections.abc import Collection, Iterable

from sqlalchemy import tuple_
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col, select

from identity.repositories.catalogue_tables import PartySkillSet, SkillSet
from identity.repositories.tables import Party

Pair = tuple[uuid.UUID, uuid.UUID]  # (party_id, skillset_id)


async def live_party_ids(
    session: AsyncSession, tenant_id: uuid.UUID, party_ids: Collection[uuid.UUID]
) -> set[uuid.UUID]:
    query = select(Party.id).where(
        Party.tenant_id == tenant_id, col(Party.id).in_(party_ids), col(Party.deleted_at).is_(None)
    )
    return set((await session.execute(query)).scalars().all())


async def live_skillset_ids(
    session: AsyncSession, tenant_id: uuid.UUID, skillset_ids: Collection[uuid.UUID]
) -> set[uuid.UUID]:
    query = select(SkillSet.id).where(
        SkillSet.tenant_id == tenant_id,
        col(SkillSet.id).in_(skillset_ids),
        col(SkillSet.deleted_at).is_(None),
    )
    return set((await session.execute(query)).scalars().all())


async def held(
    session: AsyncSession,
    tenant_id: uuid.UUID,
    *,
    party_id: uuid.UUID | None,
    skillset_id: uuid.UUID | None,
) -> list[PartySkillSet]:
    """Pairs not deleted, of a party and/or a skillset, neither of them deleted."""
    query = (
        select(PartySkillSet)
        .join(SkillSet, col(SkillSet.id) == col(PartySkillSet.skillset_id))
        .join(Party, col(Party.id) == col(PartySkillSet.party_id))
        .where(
            PartySkillSet.tenant_id == tenant_id,
            col(PartySkillSet.deleted_at).is_(None),
            col(SkillSet.deleted_at).is_(None),
            col(Party.deleted_at).is_(None),
        )
        .order_by(col(PartySkillSet.party_id), col(SkillSet.name), col(PartySkillSet.skillset_id))
    )
    if party_id is not None:
        query = query.where(PartySkillSet.party_id == party_id)
    if skillset_id is not None:
        query = query.where(PartySkillSet.skillset_id == skillset_id)
    return list((await session.execute(query)).scalars().all())


async def insert_missing(session: AsyncSession, rows: Iterable[PartySkillSet]) -> set[Pair]:
    """Insert the pairs that do not exist yet; the ones this call created. ``ON CONFLICT``
    rather than read-then-insert, so two concurrent requests for one new pair cannot clash."""
    values = [
        {
            "party_id": row.party_id,
            "skillset_id": row.skillset_id,
            "tenant_id": row.tenant_id,
            "effective_at": row.effective_at,
            "expires_at": row.expires_at,
            "doc_url": row.doc_url,
            "deleted_at": row.deleted_at,
            "created_at": row.created_at,
        }
        for row in rows
    ]
    statement = (
        insert(PartySkillSet)
        .values(values)
        .on_conflict_do_nothing()
        .returning(col(PartySkillSet.party_id), col(PartySkillSet.skillset_id))
    )
    return {(p, s) for p, s in (await session.execute(statement)).all()}


async def locked(session: AsyncSession, tenant_id: uuid.UUID, pairs: Collection[Pair]) -> list[PartySkillSet]:
    """The pairs' rows, locked for this transaction and read after the lock is granted."""
    query = (
        select(PartySkillSet)
        .where(
            PartySkillSet.tenant_id == tenant_id,
            tuple_(col(PartySkillSet.party_id), col(PartySkillSet.skillset_id)).in_(list(pairs)),
        )
        .with_for_update()
        .execution_options(populate_existing=True)
    )
    return list((await session.execute(query)).scalars().all())
