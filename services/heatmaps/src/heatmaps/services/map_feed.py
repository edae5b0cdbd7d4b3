"""This process's maps: every tenant's points in memory, loaded from the read model at start-up
and then kept current by tailing it (``repositories.map_points``), every ``poll_seconds``.

Each replica of the service runs its own feed; the durable consumers that write the read model
are shared (docs/decisions.md, "Heatmaps: one read model, a map per replica"). Datazone changes
arrive the same way: the replica table's per-tenant stamp (count and sum of versions) is read
with each pass and a tenant whose stamp moved gets its territory again. A map whose index has
gathered enough changes is compacted in a worker thread; queries go on meanwhile.
"""

from __future__ import annotations

import asyncio
import gc
import logging
import time
import uuid

from sqlalchemy.ext.asyncio import AsyncSession

from heatmaps.domain.live_index import LiveIndex
from heatmaps.domain.map_points import MapPoint
from heatmaps.domain.tenant_map import TenantMap
from heatmaps.repositories import map_points
from heatmaps.repositories.access_replica import access, territory_stamps
from proximity.runtime import Runtime

log = logging.getLogger(__name__)


class MapFeed:
    def __init__(self, runtime: Runtime, *, poll_seconds: float = 0.1, refresh_after: float = 0.0) -> None:
        self._runtime = runtime
        self._poll = poll_seconds
        self._refresh_after = refresh_after
        self._since = "0"
        self._zone_stamps: dict[uuid.UUID, tuple[int, int]] = {}
        self._compacting: set[int] = set()  # ids of the indexes being compacted
        self.maps: dict[uuid.UUID, TenantMap] = {}
        self.loaded = asyncio.Event()
        self.passes = 0

    def map_of(self, tenant_id: uuid.UUID) -> TenantMap:
        found = self.maps.get(tenant_id)
        if found is None:
            found = self.maps[tenant_id] = TenantMap(refresh_after=self._refresh_after)
        return found

    async def run(self) -> None:
        while True:
            try:
                await self.catch_up()
            except asyncio.CancelledError:
                raise
            except Exception:  # the database may be away: the next pass tries again
                log.exception("map feed pass failed")
            await asyncio.sleep(self._poll)

    async def catch_up(self) -> int:
        """One pass: every row written since the last; returns how many changed a map."""
        started = time.perf_counter()
        first = not self.loaded.is_set()
        changed = 0
        async with self._runtime.snapshot() as session:
            since = await map_points.horizon(session)
            async for chunk in map_points.points_since(session, self._since):
                if first:
                    by_tenant: dict[uuid.UUID, list[MapPoint]] = {}
                    for tenant_id, point in chunk:
                        by_tenant.setdefault(tenant_id, []).append(point)
                    for tenant_id, points in by_tenant.items():
                        self.map_of(tenant_id).stage(points)
                    changed += len(chunk)
                    continue
                for tenant_id, point in chunk:
                    if self.map_of(tenant_id).apply(point):
                        changed += 1
            if first:
                for tenant_map in self.maps.values():
                    tenant_map.build()
            async for values in map_points.values_since(session, self._since):
                for value in values:
                    if self.map_of(value.tenant_id).apply_value(
                        value.field_id, value.subject_id, value.object_id, value.value, value.version
                    ):
                        changed += 1
            await self._territories(session)
        self._since = since
        self.passes += 1
        if first:
            # A million points are millions of long-lived objects: moved out of the collector's
            # reach, so its full passes (which would walk them all) stay short.
            gc.collect()
            gc.freeze()
            self.loaded.set()
            log.info(
                "maps loaded",
                extra={
                    "points": changed,
                    "tenants": len(self.maps),
                    "ms": round(1000 * (time.perf_counter() - started)),
                },
            )
        for tenant_id in self.maps:  # every map: the age rule holds for an idle tenant too
            self._compact_if_due(tenant_id)
        return changed

    async def _territories(self, session: AsyncSession) -> None:
        for tenant_id, stamp in (await territory_stamps(session)).items():
            if self._zone_stamps.get(tenant_id) == stamp:
                continue
            self.map_of(tenant_id).set_territory(await access.territory(session, tenant_id))
            self._zone_stamps[tenant_id] = stamp

    def _compact_if_due(self, tenant_id: uuid.UUID) -> None:
        """Each index of the tenant whose changes call for it is compacted in a worker thread,
        one at a time per index; queries and changes go on meanwhile (``LiveIndex.compact``)."""
        for index in self.maps[tenant_id].indexes_due():
            if id(index) in self._compacting:
                continue
            self._compacting.add(id(index))

            async def compact(index: LiveIndex = index) -> None:
                try:
                    await asyncio.to_thread(index.compact)
                finally:
                    self._compacting.discard(id(index))

            task = asyncio.create_task(compact(), name=f"compact-{tenant_id}")
            self._runtime.tasks.append(task)  # cancelled with the runtime's, forgotten when done
            task.add_done_callback(self._runtime.tasks.remove)


def start_map_feed(runtime: Runtime, *, poll_seconds: float, refresh_after: float) -> MapFeed:
    """The app's feed, one of the runtime's background tasks (stopped with it)."""
    feed = MapFeed(runtime, poll_seconds=poll_seconds, refresh_after=refresh_after)
    runtime.tasks.append(asyncio.create_task(feed.run(), name="map-feed"))
    return feed
