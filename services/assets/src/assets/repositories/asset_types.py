"""A tenant's asset types (seed 004 "Type: Asset Type"), provisioned from the standard catalogue."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import Column, UniqueConstraint, Uuid
from sqlalchemy.dialects.postgresql import ARRAY, insert
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import Field, SQLModel, col, select

from assets.domain.asset_types import STANDARD_TYPES, TypeRules, provisioned
from proximity.db.columns import now, stamp


class AssetType(SQLModel, table=True):
    __tablename__ = "asset_types"
    __table_args__ = (UniqueConstraint("tenant_id", "key", name="uq_asset_types_tenant_key"),)

    id: uuid.UUID = Field(primary_key=True)
    tenant_id: uuid.UUID = Field(index=True)
    key: str = Field(max_length=50)
    name: str = Field(max_length=150)
    allow_parents: list[uuid.UUID] = Field(
        default_factory=list, sa_column=Column(ARRAY(Uuid()), nullable=False)
    )
    require_parent: bool = False
    can_inherit: bool = False
    permit_address: bool = False
    permit_geo: bool = False
    geo_update_freq: int | None = None
    is_container: bool = False
    is_system: bool = True
    created_at: datetime = stamp(nullable=False)
    updated_at: datetime | None = stamp()
    deleted_at: datetime | None = stamp()

    def rules(self) -> TypeRules:
        return TypeRules(
            id=self.id,
            allow_parents=tuple(self.allow_parents),
            require_parent=self.require_parent,
            permit_address=self.permit_address,
            permit_geo=self.permit_geo,
            is_container=self.is_container,
        )


async def provision_standard_types(session: AsyncSession, tenant_id: uuid.UUID) -> int:
    """Adds the standard types a tenant lacks (none twice); returns how many were added."""
    rows = []
    stamped = now()
    for template in STANDARD_TYPES:
        rules = provisioned(tenant_id, template)
        rows.append(
            {
                "id": rules.id,
                "tenant_id": tenant_id,
                "key": template.key,
                "name": template.name,
                "allow_parents": list(rules.allow_parents),
                "require_parent": template.require_parent,
                "can_inherit": template.can_inherit,
                "permit_address": template.permit_address,
                "permit_geo": template.permit_geo,
                "geo_update_freq": None,
                "is_container": template.is_container,
                "is_system": True,
                "created_at": stamped,
            }
        )
    statement = insert(AssetType).values(rows).on_conflict_do_nothing().returning(col(AssetType.id))
    return len((await session.execute(statement)).all())


async def types_of(session: AsyncSession, tenant_id: uuid.UUID) -> Sequence[AssetType]:
    query = (
        select(AssetType)
        .where(col(AssetType.tenant_id) == tenant_id, col(AssetType.deleted_at).is_(None))
        .order_by(col(AssetType.name), col(AssetType.id))
    )
    return (await session.execute(query)).scalars().all()


async def rules_of(session: AsyncSession, tenant_id: uuid.UUID) -> dict[uuid.UUID, TypeRules]:
    return {found.id: found.rules() for found in await types_of(session, tenant_id)}
