"""Tenant-scoped queries on skillsets, their types and categories."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from identity.repositories.catalogue_queries import matching, paged
from identity.repositories.catalogue_tables import PartySkillSet, SkillSet, SkillSetCategory, SkillSetType
from proximity.db.tenancy import get_scoped, scoped
from proximity.http.list_query import ListQuery

SORTABLE = ("name", "description", "total_parties", "total_expired", "created", "updated")


def _holders(*, expired: bool) -> Any:
    """How many parties hold each skillset (only those whose hold has expired, if asked)."""
    query = select(func.count()).where(
        col(PartySkillSet.skillset_id) == col(SkillSet.id), col(PartySkillSet.deleted_at).is_(None)
    )
    if expired:
        query = query.where(col(PartySkillSet.expires_at) < datetime.now(UTC))
    return query.scalar_subquery()


def _order(listing: ListQuery) -> list[Any]:
    columns: dict[str, Any] = {
        "name": col(SkillSet.name),
        "description": col(SkillSet.description),
        "total_parties": _holders(expired=False),
        "total_expired": _holders(expired=True),
        "created": col(SkillSet.created_at),
        "updated": col(SkillSet.updated_at),
    }
    order = [
        columns[s.field].desc() if s.direction == "desc" else columns[s.field].asc() for s in listing.sort
    ]
    return [*order, col(SkillSet.id)]  # a stable order across pages


async def list_skillsets(
    session: AsyncSession, tenant_id: uuid.UUID, listing: ListQuery
) -> tuple[list[SkillSet], int]:
    query = scoped(SkillSet, tenant_id)
    if listing.ids:
        query = query.where(col(SkillSet.id).in_(listing.ids))
    else:
        query = query.where(col(SkillSet.deleted_at).is_(None))
    if listing.keywords:
        query = query.where(matching(col(SkillSet.name), listing.keywords))
    return await paged(session, query, listing, _order(listing))


async def live_skillset(
    session: AsyncSession, tenant_id: uuid.UUID, skillset_id: uuid.UUID
) -> SkillSet | None:
    found = await get_scoped(session, SkillSet, tenant_id, skillset_id)
    return found if found is not None and found.deleted_at is None else None


async def skillset_type_exists(session: AsyncSession, tenant_id: uuid.UUID, type_id: uuid.UUID) -> bool:
    return await get_scoped(session, SkillSetType, tenant_id, type_id) is not None


async def skillset_category_exists(
    session: AsyncSession, tenant_id: uuid.UUID, category_id: uuid.UUID
) -> bool:
    return await get_scoped(session, SkillSetCategory, tenant_id, category_id) is not None
