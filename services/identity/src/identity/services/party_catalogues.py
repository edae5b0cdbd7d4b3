"""The catalogues parties refer to: party types and job titles (seed 004 catalogue endpoints)."""

from __future__ import annotations

import uuid

from sqlalchemy.ext.asyncio import AsyncSession

from identity.bootstrap import Collaborators
from identity.domain.party_catalogues import DEFAULT_JOB_TITLES, DEFAULT_PARTY_TYPES
from identity.repositories import party_catalogues
from identity.repositories.people_tables import JobTitle, PartyType
from proximity.auth.claims import Claims


async def seed_people_catalogues(session: AsyncSession, tenant_id: uuid.UUID) -> None:
    """Give a new tenant the default party types and job titles (called by ensure_tenant;
    tenants older than these tables got them from migration 0002)."""
    if await party_catalogues.has_party_types(session, tenant_id):
        return
    for name, base_type, description in DEFAULT_PARTY_TYPES:
        session.add(PartyType(tenant_id=tenant_id, name=name, base_type=base_type, description=description))
    for title in DEFAULT_JOB_TITLES:
        session.add(JobTitle(tenant_id=tenant_id, name=title))
    await session.flush()


async def list_party_types(ctx: Collaborators, claims: Claims) -> list[PartyType]:
    """Any signed-in user may read the catalogues: they label what the user is already shown."""
    async with ctx.reading() as session:
        return await party_catalogues.party_types(session, claims.tenant_id)


async def list_job_titles(ctx: Collaborators, claims: Claims) -> list[JobTitle]:
    async with ctx.reading() as session:
        return await party_catalogues.job_titles(session, claims.tenant_id)
