"""The one place that wires the heatmaps service's concrete parts together for the use cases."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.ext.asyncio import AsyncSession

from heatmaps.config import HeatmapsSettings
from heatmaps.services.map_feed import MapFeed
from proximity.db.unit_of_work import UnitOfWork
from proximity.runtime import Runtime


@dataclass(frozen=True)
class Collaborators:
    settings: HeatmapsSettings
    runtime: Runtime
    feed: MapFeed  # this replica's maps

    def unit_of_work(self) -> UnitOfWork:
        return self.runtime.unit_of_work()

    def reading(self) -> AsyncSession:
        return self.runtime.reading()

    def snapshot(self) -> AsyncSession:
        return self.runtime.snapshot()
