"""What a heatmap's body names must exist in its tenant, as heatmaps' replicas know it:
owners (parties), groups and the dynamic fields its metrics read."""

from __future__ import annotations

import uuid

from sqlalchemy.ext.asyncio import AsyncSession

from heatmaps.errors import GroupNotFound, InvalidMetricField, OwnerNotFound
from heatmaps.repositories.field_replica import unusable_metric_fields
from heatmaps.repositories.group_replica import missing_groups
from heatmaps.repositories.party_replica import missing_parties
from heatmaps.schemas.heatmaps import HeatmapIn


def _named(ids: set[uuid.UUID]) -> str:
    return ", ".join(sorted(str(found) for found in ids))


async def check_links(session: AsyncSession, tenant_id: uuid.UUID, fields: HeatmapIn) -> None:
    missing = await missing_parties(session, tenant_id, fields.owner_ids)
    if missing:
        raise OwnerNotFound(f"{OwnerNotFound.message} Not found: {_named(missing)}.")
    missing = await missing_groups(session, tenant_id, fields.group_ids)
    if missing:
        raise GroupNotFound(f"{GroupNotFound.message} Not found: {_named(missing)}.")
    metric_fields = {metric.field_id for metric in fields.metrics if metric.field_id is not None}
    unusable = await unusable_metric_fields(session, tenant_id, metric_fields)
    if unusable:
        raise InvalidMetricField(
            f"Metric fields must be live number fields of the tenant; not: {_named(unusable)}."
        )
