"""Writing the map's read model from assets' events (``events.point_consumed``): the durable
consumers, shared by the service's replicas, each event applied once, at its version."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from heatmaps.events.point_consumed import point_of, value_of
from heatmaps.repositories import map_points
from heatmaps.repositories.map_points import MapValue
from proximity.events.envelope import Event


async def apply_point_event(session: AsyncSession, event: Event) -> None:
    found = point_of(event)
    if found is not None:
        tenant_id, point = found
        await map_points.store_point(session, tenant_id, point)


async def apply_value_event(session: AsyncSession, event: Event) -> None:
    found = value_of(event)
    if found is None:
        return
    tenant_id, update = found
    if update.field_type != "number" or update.subject_type != "asset":
        return  # only numbers about an asset make a metric
    await map_points.store_value(
        session,
        MapValue(
            tenant_id=tenant_id,
            field_id=update.field_id,
            subject_id=update.subject_id,
            object_id=update.object_id,
            value=update.number(),
            version=event.version,
        ),
    )
