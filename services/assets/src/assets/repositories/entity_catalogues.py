"""A tenant's entity types and entity roles, provisioned from the standard catalogues."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import UniqueConstraint
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import Field, SQLModel, col, select

from assets.domain.asset_types import type_id
from assets.domain.entity_catalogues import STANDARD_ENTITY_ROLES, STANDARD_ENTITY_TYPES
from proximity.db.columns import now, stamp


class EntityType(SQLModel, table=True):
    __tablename__ = "entity_types"
    __table_args__ = (UniqueConstraint("tenant_id", "key", name="uq_entity_types_tenant_key"),)

    id: uuid.UUID = Field(primary_key=True)
    tenant_id: uuid.UUID = Field(index=True)
    key: str = Field(max_length=50)
    name: str = Field(max_length=150)
    description: str | None = Field(default=None, max_length=5000)
    base_type: str = Field(max_length=20)  # client | vendor
    created_at: datetime = stamp(nullable=False)


class EntityRole(SQLModel, table=True):
    __tablename__ = "entity_roles"
    __table_args__ = (UniqueConstraint("tenant_id", "key", name="uq_entity_roles_tenant_key"),)

    id: uuid.UUID = Field(primary_key=True)
    tenant_id: uuid.UUID = Field(index=True)
    key: str = Field(max_length=50)
    name: str = Field(max_length=150)
    description: str | None = Field(default=None, max_length=5000)
    type: str = Field(max_length=20)  # contact | owner
    created_at: datetime = stamp(nullable=False)


async def provision_entity_catalogues(session: AsyncSession, tenant_id: uuid.UUID) -> None:
    """Adds the standard entity types and roles a tenant lacks (none twice)."""
    stamped = now()
    types: list[dict[str, Any]] = [
        {
            "id": type_id(tenant_id, f"entity-type:{t.key}"),
            "tenant_id": tenant_id,
            "key": t.key,
            "name": t.name,
            "description": t.description,
            "base_type": t.base_type,
            "created_at": stamped,
        }
        for t in STANDARD_ENTITY_TYPES
    ]
    roles: list[dict[str, Any]] = [
        {
            "id": type_id(tenant_id, f"entity-role:{r.key}"),
            "tenant_id": tenant_id,
            "key": r.key,
            "name": r.name,
            "description": r.description,
            "type": r.type,
            "created_at": stamped,
        }
        for r in STANDARD_ENTITY_ROLES
    ]
    await session.execute(insert(EntityType).values(types).on_conflict_do_nothing())
    await session.execute(insert(EntityRole).values(roles).on_conflict_do_nothing())


async def entity_types_of(session: AsyncSession, tenant_id: uuid.UUID) -> Sequence[EntityType]:
    query = select(EntityType).where(col(EntityType.tenant_id) == tenant_id).order_by(col(EntityType.name))
    return (await session.execute(query)).scalars().all()


async def entity_roles_of(
    session: AsyncSession, tenant_id: uuid.UUID, role_type: str | None
) -> Sequence[EntityRole]:
    query = select(EntityRole).where(col(EntityRole.tenant_id) == tenant_id)
    if role_type is not None:
        query = query.where(col(EntityRole.type) == role_type)
    return (await session.execute(query.order_by(col(EntityRole.name)))).scalars().all()


async def entity_type_exists(session: AsyncSession, tenant_id: uuid.UUID, entity_type_id: uuid.UUID) -> bool:
    query = select(col(EntityType.id)).where(
        col(EntityType.tenant_id) == tenant_id, col(EntityType.id) == entity_type_id
    )
    return (await session.execute(query)).first() is not None


async def role_ids_of_type(session: AsyncSession, tenant_id: uuid.UUID, role_type: str) -> set[uuid.UUID]:
    query = select(col(EntityRole.id)).where(
        col(EntityRole.tenant_id) == tenant_id, col(EntityRole.type) == role_type
    )
    return set((await session.execute(query)).scalars())
