"""heatmaps' replica of iam's groups (``iam.group.*``): a heatmap's ``group_ids`` must be live
groups of the tenant, and its ``stats`` count them by type. A deleted group stays as a
tombstone, so a late, older event cannot bring it back (``proximity.events.replica``)."""

from __future__ import annotations

import uuid
from collections.abc import Collection
from typing import Any

from sqlalchemy import ColumnElement, and_, func, select
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import Field, SQLModel, col

from proximity.events.replica import apply_if_newer


class HeatmapsGroup(SQLModel, table=True):
    __tablename__ = "heatmaps_group_replica"

    group_id: uuid.UUID = Field(primary_key=True)
    tenant_id: uuid.UUID = Field(index=True)
    type: str = Field(max_length=20)
    deleted: bool = False
    version: int


async def apply_group(
    session: AsyncSession,
    *,
    tenant_id: uuid.UUID,
    group_id: uuid.UUID,
    type_: str,
    deleted: bool,
    version: int,
) -> bool:
    return await apply_if_newer(
        session,
        HeatmapsGroup,
        key={"group_id": group_id},
        version=version,
        values={"tenant_id": tenant_id, "type": type_, "deleted": deleted},
    )


async def missing_groups(
    session: AsyncSession, tenant_id: uuid.UUID, group_ids: Collection[uuid.UUID]
) -> set[uuid.UUID]:
    """The ids among ``group_ids`` that are no live group of the tenant."""
    if not group_ids:
        return set()
    query = select(col(HeatmapsGroup.group_id)).where(
        col(HeatmapsGroup.tenant_id) == tenant_id,
        col(HeatmapsGroup.group_id).in_(list(group_ids)),
        col(HeatmapsGroup.deleted).is_(False),
    )
    return set(group_ids) - set((await session.execute(query)).scalars())


def live_groups_of_type(
    tenant_id: ColumnElement[Any], group_ids: ColumnElement[Any], type_: str
) -> ColumnElement[int]:
    """How many of ``group_ids`` (a uuid[] column of the row being read) are live groups of
    ``type_``: a correlated count, for a list's sort keys and its stats alike."""
    groups = HeatmapsGroup.__table__.c  # type: ignore[attr-defined]  # typed Core columns
    any_of: Any = func.any(group_ids.cast(ARRAY(groups.group_id.type)))
    return (
        select(func.count())
        .where(
            and_(
                groups.tenant_id == tenant_id,
                groups.group_id == any_of,
                groups.type == type_,
                groups.deleted.is_(False),
            )
        )
        .scalar_subquery()
    )
