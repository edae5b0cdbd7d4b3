"""Queries on templates (per tenant) and template types (one system catalogue)."""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col, select

from identity.repositories.catalogue_queries import matching, paged
from identity.repositories.catalogue_tables import Template, TemplateType
from proximity.db.tenancy import scoped
from proximity.http.list_query import ListQuery

SORTABLE = ("name", "locations", "status")


async def template_types(session: AsyncSession) -> list[TemplateType]:
    return list(
        (await session.execute(select(TemplateType).order_by(col(TemplateType.name)))).scalars().all()
    )


async def template_type(session: AsyncSession, type_id: uuid.UUID) -> TemplateType | None:
    return await session.get(TemplateType, type_id)


async def list_templates(
    session: AsyncSession, tenant_id: uuid.UUID, listing: ListQuery, *, kind: uuid.UUID | str | None
) -> tuple[list[Template], int]:
    query = scoped(Template, tenant_id)
    if listing.ids:
        query = query.where(col(Template.id).in_(listing.ids))
    else:
        query = query.where(col(Template.deleted_at).is_(None))
    if listing.keywords:
        query = query.where(matching(col(Template.name), listing.keywords))
    if isinstance(kind, uuid.UUID):
        query = query.where(Template.type_id == kind)
    elif kind is not None:
        # ``?type=welcome`` (seed 004's party settings) names the type by its key.
        query = query.where(
            col(Template.type_id).in_(select(TemplateType.id).where(TemplateType.key == kind))
        )
    columns: dict[str, Any] = {
        "name": col(Template.name),
        "locations": col(Template.locations),
        "status": col(Template.status),
    }
    order = [
        columns[s.field].desc() if s.direction == "desc" else columns[s.field].asc() for s in listing.sort
    ]
    return await paged(session, query, listing, [*order, col(Template.id)])
