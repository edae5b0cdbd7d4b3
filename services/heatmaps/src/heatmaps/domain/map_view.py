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
    lng: float | None
    lat: float | None
    field: str | None
    count: int
    metrics: list[tuple[PinMetric, float | None, int | None]]  # (metric, total, percent)
    items: list[uuid.UUID] | None


@dataclass(frozen=True, slots=True)
class ZonePins:
    datazone_id: uuid.UUID | None
    pins: list[Pin]
