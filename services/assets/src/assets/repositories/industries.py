"""A tenant's industries (seed 004 "Industries"): a catalogue entities are classed by. A deleted
industry is kept (entities and layouts will name it) but no longer listed or found."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import Index, text
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import Field, SQLModel, col, select

from proximity.db.columns import stamp


class Industry(SQLModel, table=True):
    __tablename__ = "industries"
    __table_args__ = (
        Index("ix_industries_live", "tenant_id", "name", postgresql_where=text("deleted_at IS NULL")),
    )

    id: uuid.UUID = Field(default_factory=uuid.uuid4, primary_key=True)
    tenant_id: uuid.UUID
    name: str = Field(max_length=150)
    version: int = 1
    created_at: datetime = stamp(nullable=False)
    updated_at: datetime | None = stamp()
    archived_at: datetime | None = stamp()
    deleted_at: datetime | None = stamp()


async def industries_of(session: AsyncSession, tenant_id: uuid.UUID) -> Sequence[Industry]:
    query = (
        select(Industry)
        .where(col(Industry.tenant_id) == tenant_id, col(Industry.deleted_at).is_(None))
        .order_by(col(Industry.name), col(Industry.id))
    )
    return (await session.execute(query)).scalars().all()


async def live_industry(
    session: AsyncSession, tenant_id: uuid.UUID, industry_id: uuid.UUID, *, for_update: bool = False
) -> Industry | None:
    query = select(Industry).where(
        col(Industry.tenant_id) == tenant_id,
        col(Industry.id) == industry_id,
        col(Industry.deleted_at).is_(None),
    )
    if for_update:
        query = query.with_for_update().execution_options(populate_existing=True)
    found: Industry | None = (await session.execute(query)).scalar_one_or_none()
    return found
