"""heatmaps' replica of assets' dynamic fields (``assets.field.*``): a metric's ``field_id``
must be a live, unarchived ``number`` field of the tenant; ``scalefactor`` (the number's
``config``) is what a query will scale its values by. A deleted field stays as a tombstone, so
a late, older event cannot bring it back (``proximity.events.replica``)."""

from __future__ import annotations

import uuid
from collections.abc import Collection
from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import Field, SQLModel, col, select

from proximity.db.columns import stamp
from proximity.events.replica import apply_if_newer

METRIC_FIELD_TYPE = "number"


class HeatmapsField(SQLModel, table=True):
    __tablename__ = "heatmaps_field_replica"

    field_id: uuid.UUID = Field(primary_key=True)
    tenant_id: uuid.UUID = Field(index=True)
    object_type: str = Field(max_length=40)
    field_type: str = Field(max_length=40)
    scalefactor: float | None = None
    archived_at: datetime | None = stamp()
    deleted_at: datetime | None = stamp()
    version: int


async def apply_field(
    session: AsyncSession,
    *,
    tenant_id: uuid.UUID,
    field_id: uuid.UUID,
    object_type: str,
    field_type: str,
    scalefactor: float | None,
    archived_at: datetime | None,
    deleted_at: datetime | None,
    version: int,
) -> bool:
    return await apply_if_newer(
        session,
        HeatmapsField,
        key={"field_id": field_id},
        version=version,
        values={
            "tenant_id": tenant_id,
            "object_type": object_type,
            "field_type": field_type,
            "scalefactor": scalefactor,
            "archived_at": archived_at,
            "deleted_at": deleted_at,
        },
    )


async def unusable_metric_fields(
    session: AsyncSession, tenant_id: uuid.UUID, field_ids: Collection[uuid.UUID]
) -> set[uuid.UUID]:
    """The ids among ``field_ids`` that no metric may name: unknown, another tenant's,
    archived, deleted, or not a number."""
    if not field_ids:
        return set()
    query = select(col(HeatmapsField.field_id)).where(
        col(HeatmapsField.tenant_id) == tenant_id,
        col(HeatmapsField.field_id).in_(list(field_ids)),
        col(HeatmapsField.field_type) == METRIC_FIELD_TYPE,
        col(HeatmapsField.archived_at).is_(None),
        col(HeatmapsField.deleted_at).is_(None),
    )
    return set(field_ids) - set((await session.execute(query)).scalars())
