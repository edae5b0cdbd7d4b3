"""What one heatmap query asks for (``GET /heatmaps/{id}/query``), already validated, and what
it answers: per datazone entry, its pins."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field

from shapely.geometry.base import BaseGeometry

from heatmaps.domain.cluster_index import BBox, ClusterOptions
from heatmaps.domain.map_points import Kind
from heatmaps.domain.pin_metrics import PinMetric
from proximity.access.grants import Reach

# ``query`` + ``type``: which text of a point the mapping query runs on.
QUERY_TARGETS = ("name", "address", "country", "region", "city")


@dataclass(frozen=True, slots=True)
class MapView:
    zoom: int
    bbox: BBox
    # The bound when it is not its own bounding box: pins must lie in it too.
    shape: BaseGeometry | None
    group_type: str  # cluster | region | country | city
    kinds: frozenset[Kind]
    reach: dict[Kind, Reach]  # where the caller may view each kind
    keywords: tuple[str, ...] = ()
    query: tuple[str, str] | None = None  # (text, target)
    datazones: tuple[uuid.UUID, ...] | None = None
    items_below: int = 5
    options: ClusterOptions = field(default_factory=ClusterOptions)
    metrics: tuple[PinMetric, ...] = ()


@dataclass(frozen=True, slots=True)
class Pin:
    """One pin, as a reader thinks of it (``ZonePins.pins``); answers are built from columns."""

    lng: float | None
    lat: float | None
    field: str | None
    count: int
    metrics: list[tuple[PinMetric, float | None, int | None]]  # (metric, total, percent)
    items: list[str] | None  # the points' ids


@dataclass(frozen=True, slots=True)
class MetricColumn:
    metric: PinMetric
    totals: list[float | None]
    percents: list[int | None]


@dataclass(frozen=True, slots=True)
class ZonePins:
    """One ``clusters`` entry: its pins as columns (a pin is index i of each), so a large
    answer is formatted without an object per pin."""

    datazone_id: uuid.UUID | None
    lng: list[float] | None  # None: grouped by an address field
    lat: list[float] | None
    fields: list[str] | None  # None: clustered
    counts: list[int]
    metrics: list[MetricColumn]
    items: list[list[str] | None]  # per pin, its points' ids when it is small

    @property
    def pins(self) -> list[Pin]:
        return [
            Pin(
                lng=None if self.lng is None else self.lng[i],
                lat=None if self.lat is None else self.lat[i],
                field=None if self.fields is None else self.fields[i],
                count=count,
                metrics=[(c.metric, c.totals[i], c.percents[i]) for c in self.metrics],
                items=self.items[i],
            )
            for i, count in enumerate(self.counts)
        ]
