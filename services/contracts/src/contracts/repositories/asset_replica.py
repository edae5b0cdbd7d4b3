"""The assets and entities the assets service announces (``assets.asset.*``,
``assets.entity.*``): what validating an id and naming it needs. A deleted one stays as a
tombstone (``deleted_at``), so a late, older event cannot bring it back."""

from __future__ import annotations

import uuid
from collections.abc import Collection
from datetime import datetime
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import Field, SQLModel, col, select

from proximity.db.columns import stamp
from proximity.events.replica import apply_if_newer


class ReplicatedAsset(SQLModel, table=True):
    __tablename__ = "asset_replica"

    asset_id: uuid.UUID = Field(primary_key=True)
    tenant_id: uuid.UUID = Field(index=True)
    name: str = ""
    suspended_at: datetime | None = stamp()
    deleted_at: datetime | None = stamp()
    version: int


class ReplicatedEntity(SQLModel, table=True):
    __tablename__ = "entity_replica"

    entity_id: uuid.UUID = Field(primary_key=True)
    tenant_id: uuid.UUID = Field(index=True)
    name: str = ""
    # What dynamic commercial datazones look at (a contract lies in the zones of its entities'
    # industries); null until assets announces one.
    industry_id: uuid.UUID | None = Field(default=None, index=True)
    suspended_at: datetime | None = stamp()
    deleted_at: datetime | None = stamp()
    version: int


async def apply_asset(
    session: AsyncSession, *, tenant_id: uuid.UUID, asset_id: uuid.UUID, version: int, state: dict[str, Any]
) -> bool:
    """``state``: ``name``, ``suspended_at``, ``deleted_at``."""
    return await apply_if_newer(
        session,
        ReplicatedAsset,
        key={"asset_id": asset_id},
        version=version,
        values={"tenant_id": tenant_id, **state},
    )


async def apply_entity(
    session: AsyncSession, *, tenant_id: uuid.UUID, entity_id: uuid.UUID, version: int, state: dict[str, Any]
) -> bool:
    return await apply_if_newer(
        session,
        ReplicatedEntity,
        key={"entity_id": entity_id},
        version=version,
        values={"tenant_id": tenant_id, **state},
    )


async def missing_assets(
    session: AsyncSession, tenant_id: uuid.UUID, asset_ids: Collection[uuid.UUID]
) -> set[uuid.UUID]:
    """The ids among ``asset_ids`` that are no live asset of the tenant (a suspended one is
    live)."""
    if not asset_ids:
        return set()
    query = select(col(ReplicatedAsset.asset_id)).where(
        col(ReplicatedAsset.tenant_id) == tenant_id,
        col(ReplicatedAsset.asset_id).in_(list(asset_ids)),
        col(ReplicatedAsset.deleted_at).is_(None),
    )
    return set(asset_ids) - set((await session.execute(query)).scalars())


async def missing_entities(
    session: AsyncSession, tenant_id: uuid.UUID, entity_ids: Collection[uuid.UUID]
) -> set[uuid.UUID]:
    if not entity_ids:
        return set()
    query = select(col(ReplicatedEntity.entity_id)).where(
        col(ReplicatedEntity.tenant_id) == tenant_id,
        col(ReplicatedEntity.entity_id).in_(list(entity_ids)),
        col(ReplicatedEntity.deleted_at).is_(None),
    )
    return set(entity_ids) - set((await session.execute(query)).scalars())


async def industry_of(session: AsyncSession, tenant_id: uuid.UUID, entity_id: uuid.UUID) -> uuid.UUID | None:
    """The entity's industry as last announced (None: none, or an entity not known)."""
    query = select(col(ReplicatedEntity.industry_id)).where(
        col(ReplicatedEntity.tenant_id) == tenant_id, col(ReplicatedEntity.entity_id) == entity_id
    )
    found: uuid.UUID | None = (await session.execute(query)).scalar_one_or_none()
    return found


async def industries_of(
    session: AsyncSession, tenant_id: uuid.UUID, entity_ids: Collection[uuid.UUID]
) -> frozenset[uuid.UUID]:
    """The industries of these entities, as assets last announced them."""
    if not entity_ids:
        return frozenset()
    query = select(col(ReplicatedEntity.industry_id)).where(
        col(ReplicatedEntity.tenant_id) == tenant_id,
        col(ReplicatedEntity.entity_id).in_(sorted(entity_ids)),
        col(ReplicatedEntity.industry_id).is_not(None),
    )
    return frozenset(found for found in (await session.execute(query)).scalars() if found is not None)
