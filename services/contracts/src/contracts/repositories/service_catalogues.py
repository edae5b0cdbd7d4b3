"""A tenant's service types and service categories, provisioned from the standard catalogues
(``contracts.domain.service_catalogues``); read whole by ``/services/~/types`` and
``/services/~/categories``."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import UniqueConstraint
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import Field, SQLModel, col, select

from contracts.domain.service_catalogues import (
    STANDARD_SERVICE_CATEGORIES,
    STANDARD_SERVICE_TYPES,
    CatalogueKind,
    CatalogueTemplate,
    catalogue_id,
)
from proximity.db.columns import now, stamp


class ServiceType(SQLModel, table=True):
    __tablename__ = "service_types"
    __table_args__ = (UniqueConstraint("tenant_id", "key", name="uq_service_types_tenant_key"),)

    id: uuid.UUID = Field(primary_key=True)
    tenant_id: uuid.UUID = Field(index=True)
    key: str = Field(max_length=50)
    name: str = Field(max_length=150)
    created_at: datetime = stamp(nullable=False)


class ServiceCategory(SQLModel, table=True):
    __tablename__ = "service_categories"
    __table_args__ = (UniqueConstraint("tenant_id", "key", name="uq_service_categories_tenant_key"),)

    id: uuid.UUID = Field(primary_key=True)
    tenant_id: uuid.UUID = Field(index=True)
    key: str = Field(max_length=50)
    name: str = Field(max_length=150)
    created_at: datetime = stamp(nullable=False)


def _rows(
    tenant_id: uuid.UUID, kind: CatalogueKind, templates: Sequence[CatalogueTemplate], stamped: datetime
) -> list[dict[str, Any]]:
    return [
        {
            "id": catalogue_id(tenant_id, kind, t.key),
            "tenant_id": tenant_id,
            "key": t.key,
            "name": t.name,
            "created_at": stamped,
        }
        for t in templates
    ]


async def provision_service_catalogues(session: AsyncSession, tenant_id: uuid.UUID) -> None:
    """Adds the standard service types and categories a tenant lacks (none twice)."""
    stamped = now()
    types = _rows(tenant_id, "service-type", STANDARD_SERVICE_TYPES, stamped)
    categories = _rows(tenant_id, "service-category", STANDARD_SERVICE_CATEGORIES, stamped)
    await session.execute(insert(ServiceType).values(types).on_conflict_do_nothing())
    await session.execute(insert(ServiceCategory).values(categories).on_conflict_do_nothing())


async def service_types_of(session: AsyncSession, tenant_id: uuid.UUID) -> Sequence[ServiceType]:
    query = (
        select(ServiceType)
        .where(col(ServiceType.tenant_id) == tenant_id)
        .order_by(col(ServiceType.name), col(ServiceType.id))
    )
    return (await session.execute(query)).scalars().all()


async def service_categories_of(session: AsyncSession, tenant_id: uuid.UUID) -> Sequence[ServiceCategory]:
    query = (
        select(ServiceCategory)
        .where(col(ServiceCategory.tenant_id) == tenant_id)
        .order_by(col(ServiceCategory.name), col(ServiceCategory.id))
    )
    return (await session.execute(query)).scalars().all()


async def service_type(session: AsyncSession, tenant_id: uuid.UUID, type_id: uuid.UUID) -> ServiceType | None:
    query = select(ServiceType).where(col(ServiceType.tenant_id) == tenant_id, col(ServiceType.id) == type_id)
    found: ServiceType | None = (await session.execute(query)).scalar_one_or_none()
    return found


async def service_category_exists(
    session: AsyncSession, tenant_id: uuid.UUID, category_id: uuid.UUID
) -> bool:
    query = select(col(ServiceCategory.id)).where(
        col(ServiceCategory.tenant_id) == tenant_id, col(ServiceCategory.id) == category_id
    )
    return (await session.execute(query)).first() is not None


async def type_keys(session: AsyncSession, type_ids: set[uuid.UUID]) -> dict[uuid.UUID, str]:
    """The key of each type (what ``contracts.service.*`` names as ``type``)."""
    if not type_ids:
        return {}
    query = select(col(ServiceType.id), col(ServiceType.key)).where(col(ServiceType.id).in_(type_ids))
    return {row[0]: row[1] for row in (await session.execute(query)).all()}
