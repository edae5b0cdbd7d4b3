"""Tenant-scoped reads of the catalogues parties refer to: party types and job titles."""

from __future__ import annotations

import uuid

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from identity.repositories.people_tables import JobTitle, PartyType
from proximity.db.tenancy import get_scoped, scoped


async def party_types(session: AsyncSession, tenant_id: uuid.UUID) -> list[PartyType]:
    query = scoped(PartyType, tenant_id).order_by(func.lower(col(PartyType.name)), col(PartyType.id))
    return list((await session.execute(query)).scalars())


async def job_titles(session: AsyncSession, tenant_id: uuid.UUID) -> list[JobTitle]:
    query = scoped(JobTitle, tenant_id).order_by(func.lower(col(JobTitle.name)), col(JobTitle.id))
    return list((await session.execute(query)).scalars())


async def party_type(session: AsyncSession, tenant_id: uuid.UUID, type_id: uuid.UUID) -> PartyType | None:
    return await get_scoped(session, PartyType, tenant_id, type_id)


async def job_title(session: AsyncSession, tenant_id: uuid.UUID, title_id: uuid.UUID) -> JobTitle | None:
    return await get_scoped(session, JobTitle, tenant_id, title_id)


async def has_party_types(session: AsyncSession, tenant_id: uuid.UUID) -> bool:
    query = select(func.count()).select_from(PartyType).where(col(PartyType.tenant_id) == tenant_id)
    return bool((await session.execute(query)).scalar_one())
