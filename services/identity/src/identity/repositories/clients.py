"""Tenant-scoped queries on clients and their credentials."""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col, select

from identity.repositories.catalogue_queries import matching, paged
from identity.repositories.catalogue_tables import ClientSecret
from identity.repositories.tables import Client
from proximity.db.tenancy import scoped
from proximity.http.list_query import ListQuery

SORTABLE = ("name", "created")


async def list_clients(
    session: AsyncSession, tenant_id: uuid.UUID, listing: ListQuery
) -> tuple[list[Client], int]:
    """Revoked clients are hidden unless named in ``ids[]``, as deleted rows are."""
    query = scoped(Client, tenant_id)
    if listing.ids:
        query = query.where(col(Client.id).in_(listing.ids))
    else:
        query = query.where(col(Client.revoked_at).is_(None))
    if listing.keywords:
        query = query.where(matching(col(Client.name), listing.keywords))
    columns: dict[str, Any] = {"name": col(Client.name), "created": col(Client.created_at)}
    order = [
        columns[s.field].desc() if s.direction == "desc" else columns[s.field].asc() for s in listing.sort
    ]
    return await paged(session, query, listing, [*order, col(Client.id)])


async def active_client_for_update(
    session: AsyncSession, tenant_id: uuid.UUID, client_id: uuid.UUID
) -> Client | None:
    query = (
        scoped(Client, tenant_id)
        .where(Client.id == client_id, col(Client.revoked_at).is_(None))
        .with_for_update()
        .execution_options(populate_existing=True)
    )
    return (await session.execute(query)).scalar_one_or_none()


async def active_client_secret(session: AsyncSession, client_id: uuid.UUID) -> tuple[Client, str] | None:
    """An active client and the SHA-256 of its secret, by the client's id (any tenant: the
    credentials are what names the tenant)."""
    query = (
        select(Client, ClientSecret.secret_hash)
        .join(ClientSecret, col(ClientSecret.client_id) == col(Client.id))
        .where(Client.id == client_id, col(Client.revoked_at).is_(None))
    )
    row = (await session.execute(query)).first()
    return (row[0], str(row[1])) if row is not None else None
