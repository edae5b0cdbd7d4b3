"""Dynamic field layouts (seed 004 "Layouts"): per object type, a default layout every tenant is
given (editable, never deleted) and layouts for industries; an industry belongs to at most one
layout of an object type (a unique index keeps it so under concurrent saves)."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import Column, Index, Text, delete, text
from sqlalchemy.dialects.postgresql import JSONB, insert
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import Field, SQLModel, col, select

from assets.domain.asset_types import type_id
from assets.domain.field_config import OBJECT_TYPES
from proximity.db.columns import now, stamp


class Layout(SQLModel, table=True):
    __tablename__ = "layouts"
    __table_args__ = (
        Index(
            "ix_layouts_of_object", "tenant_id", "object_type", postgresql_where=text("deleted_at IS NULL")
        ),
    )

    id: uuid.UUID = Field(default_factory=uuid.uuid4, primary_key=True)
    tenant_id: uuid.UUID
    name: str = Field(max_length=150)
    description: str = Field(default="", sa_column=Column(Text, nullable=False, server_default=""))
    subject_type: str = Field(max_length=20)
    object_type: str = Field(max_length=20)
    is_default: bool = False
    cards: list[dict[str, Any]] = Field(default_factory=list, sa_column=Column(JSONB, nullable=False))
    version: int = Field(default=1, sa_column_kwargs={"server_default": text("1")})
    created_at: datetime = stamp(nullable=False)
    updated_at: datetime | None = stamp()
    deleted_at: datetime | None = stamp()


class LayoutIndustry(SQLModel, table=True):
    __tablename__ = "layout_industries"
    __table_args__ = (
        Index("uq_layout_industries_object", "tenant_id", "object_type", "industry_id", unique=True),
    )

    layout_id: uuid.UUID = Field(foreign_key="layouts.id", primary_key=True)
    industry_id: uuid.UUID = Field(foreign_key="industries.id", primary_key=True)
    tenant_id: uuid.UUID
    object_type: str = Field(max_length=20)


async def provision_default_layouts(session: AsyncSession, tenant_id: uuid.UUID) -> None:
    stamped = now()
    rows = [
        {
            "id": type_id(tenant_id, f"layout:{object_type}"),
            "tenant_id": tenant_id,
            "name": f"Default {object_type} layout",
            "description": "",
            "subject_type": "asset",
            "object_type": object_type,
            "is_default": True,
            "cards": [],
            "created_at": stamped,
        }
        for object_type in OBJECT_TYPES
    ]
    await session.execute(insert(Layout).values(rows).on_conflict_do_nothing())


async def layouts_of(
    session: AsyncSession, tenant_id: uuid.UUID, object_type: str, ids: Sequence[uuid.UUID]
) -> Sequence[Layout]:
    query = select(Layout).where(
        col(Layout.tenant_id) == tenant_id,
        col(Layout.object_type) == object_type,
        col(Layout.deleted_at).is_(None),
    )
    if ids:
        query = query.where(col(Layout.id).in_(ids))
    return (
        (await session.execute(query.order_by(col(Layout.is_default).desc(), col(Layout.name))))
        .scalars()
        .all()
    )


async def live_layout(
    session: AsyncSession, tenant_id: uuid.UUID, layout_id: uuid.UUID, *, for_update: bool = False
) -> Layout | None:
    query = select(Layout).where(
        col(Layout.tenant_id) == tenant_id, col(Layout.id) == layout_id, col(Layout.deleted_at).is_(None)
    )
    if for_update:
        query = query.with_for_update().execution_options(populate_existing=True)
    found: Layout | None = (await session.execute(query)).scalar_one_or_none()
    return found


async def industries_of(
    session: AsyncSession, layout_ids: Sequence[uuid.UUID]
) -> dict[uuid.UUID, list[uuid.UUID]]:
    found: dict[uuid.UUID, list[uuid.UUID]] = {layout_id: [] for layout_id in layout_ids}
    if layout_ids:
        rows = await session.execute(
            select(col(LayoutIndustry.layout_id), col(LayoutIndustry.industry_id))
            .where(col(LayoutIndustry.layout_id).in_(layout_ids))
            .order_by(col(LayoutIndustry.industry_id))
        )
        for layout_id, industry_id in rows.all():
            found[layout_id].append(industry_id)
    return found


async def industries_taken(
    session: AsyncSession,
    tenant_id: uuid.UUID,
    object_type: str,
    industry_ids: Sequence[uuid.UUID],
    layout_id: uuid.UUID,
) -> bool:
    """Whether another layout of the object type already holds one of the industries."""
    if not industry_ids:
        return False
    query = select(col(LayoutIndustry.industry_id)).where(
        col(LayoutIndustry.tenant_id) == tenant_id,
        col(LayoutIndustry.object_type) == object_type,
        col(LayoutIndustry.industry_id).in_(industry_ids),
        col(LayoutIndustry.layout_id) != layout_id,
    )
    return (await session.execute(query)).first() is not None


async def replace_industries(session: AsyncSession, found: Layout, industry_ids: Sequence[uuid.UUID]) -> None:
    await session.execute(delete(LayoutIndustry).where(col(LayoutIndustry.layout_id) == found.id))
    session.add_all(
        LayoutIndustry(
            layout_id=found.id, industry_id=i, tenant_id=found.tenant_id, object_type=found.object_type
        )
        for i in industry_ids
    )


async def layout_for_industry(
    session: AsyncSession, tenant_id: uuid.UUID, object_type: str, industry_id: uuid.UUID | None
) -> Layout | None:
    """The live layout of the object type holding the industry, if any."""
    if industry_id is None:
        return None
    query = (
        select(Layout)
        .join(LayoutIndustry, col(LayoutIndustry.layout_id) == col(Layout.id))
        .where(
            col(LayoutIndustry.tenant_id) == tenant_id,
            col(LayoutIndustry.object_type) == object_type,
            col(LayoutIndustry.industry_id) == industry_id,
            col(Layout.deleted_at).is_(None),
        )
    )
    found: Layout | None = (await session.execute(query)).scalars().first()
    return found
