"""Running a heatmap query: the configuration's metrics over the points the caller may view,
clustered (or grouped by address) in the bound, per datazone asked for."""

from __future__ import annotations

import asyncio
import uuid
from typing import Any

from heatmaps.bootstrap import Collaborators
from heatmaps.domain.map_view import MapView, ZonePins
from heatmaps.domain.pin_metrics import PinMetric
from heatmaps.errors import DatazoneNotFound, HeatmapNotFound
from heatmaps.repositories import heatmap_records
from heatmaps.repositories.access_replica import HeatmapsGrant, missing_datazones
from heatmaps.schemas.map_query import MapRequest
from proximity.access.caller import caller_access
from proximity.auth.claims import Claims

# A query that arrives while the maps are still loading waits this long for them.
LOAD_WAIT_SECONDS = 60.0


def metrics_of(stored: list[dict[str, Any]]) -> tuple[PinMetric, ...]:
    return tuple(
        PinMetric(
            field_id=uuid.UUID(str(m["field_id"])) if m.get("field_id") else None,
            label=m.get("label"),
            ref=str(m.get("ref") or "number"),
            calc=str(m.get("calc") or "count"),
            ranges=tuple(float(r) for r in m["ranges"]) if m.get("ranges") else None,
        )
        for m in stored
    )


async def query_heatmap(
    ctx: Collaborators, claims: Claims, heatmap_id: uuid.UUID, request: MapRequest
) -> list[ZonePins]:
    async with ctx.reading() as session:
        grants = await caller_access(claims, session, HeatmapsGrant)
        grants.require_granted("heatmaps.view")
        found = await heatmap_records.heatmap(session, claims.tenant_id, heatmap_id)
        if found is None or found.deleted_at is not None:
            raise HeatmapNotFound()
        if request.datazones:
            missing = await missing_datazones(session, claims.tenant_id, request.datazones)
            if missing:
                raise DatazoneNotFound(f"Datazone {missing[0]} could not be found.")
    feed = ctx.feed
    if not feed.loaded.is_set():
        await asyncio.wait_for(feed.loaded.wait(), LOAD_WAIT_SECONDS)
    view = MapView(
        zoom=request.zoom,
        bbox=request.bbox,
        shape=request.shape,
        group_type=request.group_type,
        kinds=request.kinds,
        reach={"asset": grants.reach("assets.view"), "entity": grants.reach("entities.view")},
        keywords=request.keywords,
        query=request.query,
        datazones=request.datazones,
        items_below=request.items_below,
        options=request.options,
        metrics=metrics_of(found.metrics),
    )
    tenant_map = feed.map_of(claims.tenant_id)
    # A subset's first build can take seconds at a million points: off the event loop, so
    # every other request goes on meanwhile (changes during it are replayed when adopted).
    builds = tenant_map.builds_for(view)
    for build in builds:
        await asyncio.to_thread(build.run)
    tenant_map.adopt(builds)
    return tenant_map.query(view)
