"""Queries on a tenant's configuration sections."""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import select

from identity.repositories.catalogue_tables import TenantConfig


async def stored_sections(session: AsyncSession, tenant_id: uuid.UUID) -> dict[str, list[dict[str, Any]]]:
    rows = await session.execute(select(TenantConfig).where(TenantConfig.tenant_id == tenant_id))
    return {row.section: list(row.entries) for row in rows.scalars().all()}


async def section_for_update(
    session: AsyncSession, tenant_id: uuid.UUID, section: str
) -> TenantConfig | None:
    return await session.get(TenantConfig, (tenant_id, section), with_for_update=True, populate_existing=True)
