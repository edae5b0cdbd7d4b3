"""heatmaps' replicas of iam's grants and datazones (``proximity.access.replica``): who may see
and change heatmaps, decided here without calling iam; the datazones are kept for the points a
query will place in them. The tables are named for heatmaps: every service's tables share
SQLModel's one metadata in a process that imports several."""

from __future__ import annotations

import uuid
from collections.abc import Sequence

from sqlalchemy import func
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col, select

from proximity.access.replica import AccessReplica, DatazoneRow, GrantRow


class HeatmapsGrant(GrantRow, table=True):
    __tablename__ = "heatmaps_grant_replica"


class HeatmapsDatazone(DatazoneRow, table=True):
    __tablename__ = "heatmaps_datazone_replica"


access = AccessReplica(HeatmapsGrant, HeatmapsDatazone)


async def missing_datazones(
    session: AsyncSession, tenant_id: uuid.UUID, zone_ids: Sequence[uuid.UUID]
) -> list[uuid.UUID]:
    """The ids of ``zone_ids`` that are no live datazone of the tenant, in the order given."""
    live = select(col(HeatmapsDatazone.id)).where(
        col(HeatmapsDatazone.tenant_id) == tenant_id,
        col(HeatmapsDatazone.id).in_(zone_ids),
        col(HeatmapsDatazone.deleted).is_(False),
    )
    known = set((await session.execute(live)).scalars().all())
    return [zone for zone in zone_ids if zone not in known]


async def territory_stamps(session: AsyncSession) -> dict[uuid.UUID, tuple[int, int]]:
    """Per tenant, the count and the sum of versions of its replicated datazones: a stamp that
    moves whenever one of them changes (every applied change raises one row's version)."""
    stamps = select(
        col(HeatmapsDatazone.tenant_id),
        func.count(),
        func.coalesce(func.sum(col(HeatmapsDatazone.version)), 0),
    ).group_by(col(HeatmapsDatazone.tenant_id))
    return {
        tenant: (int(count), int(total)) for tenant, count, total in (await session.execute(stamps)).all()
    }
