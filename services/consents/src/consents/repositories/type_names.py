"""A tenant's consent type names: one row per tenant; none means the seed's default set."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import select, text
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from consents.repositories.tables import ConsentTypeNamesRow


async def load(
    session: AsyncSession, tenant_id: uuid.UUID, *, for_update: bool = False
) -> tuple[dict[str, Any], int] | None:
    """The stored set and its version, or None while the tenant still has the default set."""
    if for_update:
        # No row to lock yet for a tenant on the defaults: serialise its first PUTs by key.
        await session.execute(text("SELECT pg_advisory_xact_lock(hashtext(:k))"), {"k": f"types|{tenant_id}"})
    query = select(ConsentTypeNamesRow).where(col(ConsentTypeNamesRow.tenant_id) == tenant_id)
    if for_update:
        query = query.with_for_update()
    row = (await session.execute(query)).scalar_one_or_none()
    return (dict(row.names), row.version) if row is not None else None


async def store(session: AsyncSession, tenant_id: uuid.UUID, names: dict[str, Any], version: int) -> None:
    now = datetime.now(UTC)
    statement = insert(ConsentTypeNamesRow).values(
        tenant_id=tenant_id, names=names, version=version, updated_at=now
    )
    await session.execute(
        statement.on_conflict_do_update(
            index_elements=["tenant_id"], set_={"names": names, "version": version, "updated_at": now}
        )
    )
