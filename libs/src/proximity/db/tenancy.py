"""Tenant-scoped query helpers: every read of a tenant-owned table goes through these."""

from __future__ import annotations

import uuid
from typing import Any, TypeVar

from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import SQLModel, select
from sqlmodel.sql.expression import SelectOfScalar

Row = TypeVar("Row", bound=SQLModel)


def scoped(model: type[Row], tenant_id: uuid.UUID) -> SelectOfScalar[Row]:
    """``SELECT model WHERE tenant_id = :tenant_id``; add filters to the result."""
    column: Any = getattr(model, "tenant_id")  # noqa: B009 - every tenant-owned table has it
    return select(model).where(column == tenant_id)


async def get_scoped(
    session: AsyncSession, model: type[Row], tenant_id: uuid.UUID, row_id: uuid.UUID
) -> Row | None:
    """One row by id, only if it belongs to ``tenant_id``: another tenant's row is 'not found'."""
    id_column: Any = getattr(model, "id")  # noqa: B009
    result = await session.execute(scoped(model, tenant_id).where(id_column == row_id))
    row: Row | None = result.scalar_one_or_none()
    return row
