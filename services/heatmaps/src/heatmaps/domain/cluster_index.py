"""The clustering engine: supercluster's cluster hierarchy over points, built once, queried per bbox.

A port of supercluster 8.0.1 (ISC licence, Copyright (c) 2021, Mapbox;
https://github.com/mapbox/supercluster) with KDBush 4.1.0 (ISC, Copyright (c) 2018, Vladimir
Agafonkin). Points (lng, lat, value, id) are projected to Web-Mercator [0, 1] and rounded to
float32; from `max_zoom` down to `min_zoom` each zoom's clusters are built greedily from the next
finer zoom's (radius / (extent * 2**zoom) in projected units), each placed at the count-weighted
mean of its members and carrying count, sum, min and max of their values. The same visiting and
neighbour orders as supercluster give the same clusters, to the bit on the inputs measured.

Storage per level, in KD order: float32 coordinates for the tree and one float64 table row
(lng, lat, count, sum, min, max, start). Points are laid out depth-first through the hierarchy,
so the points of any cluster at any zoom are `ids[start : start + count]`.
"""

import math
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
from numba import njit  # type: ignore[import-untyped]

from heatmaps.domain import box_query, kdtree
from heatmaps.domain.greedy import cluster_level
from heatmaps.domain.projection import project, unproject

F64 = npt.NDArray[np.float64]
I32 = npt.NDArray[np.int32]
I64 = npt.NDArray[np.int64]


@dataclass(frozen=True, slots=True)
class ClusterOptions:
    """supercluster's options and defaults (the seed's `min_cluster_size`, `radius`, `extent`, `node_size`)."""

    radius: float = 40.0
    extent: float = 512.0
    min_points: int = 2
    node_size: int = 64
    min_zoom: int = 0
    max_zoom: int = 16

    def __post_init__(self) -> None:
        if not 0 <= self.min_zoom <= self.max_zoom:
            raise ValueError("zooms must satisfy 0 <= min_zoom <= max_zoom")
        if self.radius < 0 or self.extent <= 0 or self.min_points < 1 or self.node_size < 1:
            raise ValueError("radius >= 0, extent > 0, min_points >= 1 and node_size >= 1 are required")

    def radius_at(self, zoom: int) -> float:
        return self.radius / (self.extent * math.pow(2, zoom))


class ClusterSet:
    """The answer of one query: one row per cluster or lone point (count 1)."""

    __slots__ = ("_ids", "rows")

    def __init__(self, rows: F64, ids: I64) -> None:
        self.rows = rows
        self._ids = ids

    def __len__(self) -> int:
        return int(self.rows.shape[0])

    @property
    def lng(self) -> F64:
        return self.rows[:, box_query.LNG]

    @property
    def lat(self) -> F64:
        return self.rows[:, box_query.LAT]

    @property
    def count(self) -> I64:
        return self.rows[:, box_query.COUNT].astype(np.int64)

    @property
    def sum(self) -> F64:
        return self.rows[:, box_query.SUM]

    @property
    def min(self) -> F64:
        return self.rows[:, box_query.MIN]

    @property
    def max(self) -> F64:
        return self.rows[:, box_query.MAX]

    def items(self, row: int) -> I64:
        """Ids of the points of one row's cluster (a view; O(1))."""
        start = int(self.rows[row, box_query.START])
        return self._ids[start : start + int(self.rows[row, box_query.COUNT])]

    def items_below(self, size: int) -> list[I64 | None]:
        """Per row, the ids of its points if it holds fewer than `size` (`show_items_below_size`)."""
        return [self.items(i) if self.rows[i, box_query.COUNT] < size else None for i in range(len(self))]


class ClusterIndex:
    """Clusters of points at every zoom of `options`; immutable once built."""

    def __init__(
        self, lng: F64, lat: F64, value: F64, ids: I64, options: ClusterOptions | None = None
    ) -> None:
        self.options = options or ClusterOptions()
        lng, lat, value = (np.ascontiguousarray(a, dtype=np.float64) for a in (lng, lat, value))
        ids = np.ascontiguousarray(ids, dtype=np.int64)
        if not lng.shape == lat.shape == value.shape == ids.shape or lng.ndim != 1:
            raise ValueError("lng, lat, value and ids must be 1-d arrays of one length")
        self.size = int(lng.shape[0])
        self._coords: list[npt.NDArray[np.float32]] = []
        self._tables: list[F64] = []
        self._ids = np.empty(0, np.int64)
        self._build(lng, lat, value, ids)

    def clusters(self, bbox: tuple[float, float, float, float], zoom: float) -> ClusterSet:
        """Clusters and lone points whose position lies in bbox (west, south, east, north) at zoom."""
        opts = self.options
        level = max(opts.min_zoom, min(math.floor(zoom), opts.max_zoom + 1)) - opts.min_zoom
        rows = box_query.rows_in_bbox(
            self._coords[level], self._tables[level], opts.node_size, bbox[0], bbox[1], bbox[2], bbox[3]
        )
        return ClusterSet(rows, self._ids)

    def _build(self, lng: F64, lat: F64, value: F64, ids: I64) -> None:
        opts = self.options
        x, y = project(lng, lat)
        num = np.ones(self.size, np.int32)
        level = (x, y, num, value, value, value)
        tree = kdtree.build(x, y, opts.node_size)
        # Finest first: (table, coords, kd ids, parent) per level, parent = index in the coarser level.
        built: list[tuple[F64, npt.NDArray[np.float32], I32, I32 | None]] = []
        for zoom in range(opts.max_zoom, opts.min_zoom - 1, -1):
            *coarser, parent = cluster_level(
                *level, *tree, opts.node_size, opts.radius_at(zoom), opts.min_points
            )
            built.append((_table(*level, tree[0]), tree[1], tree[0], parent))
            level = tuple(coarser)
            tree = kdtree.build(level[0], level[1], opts.node_size)
        built.append((_table(*level, tree[0]), tree[1], tree[0], None))
        built.reverse()
        # Depth-first layout of the points, coarsest level first: a cluster's members take
        # consecutive slices of its own slice.
        start = np.cumsum(level[2], dtype=np.int64) - level[2]
        for i, (table, _coords, kd_ids, _parent) in enumerate(built):
            table[:, box_query.START] = start[kd_ids]
            if i + 1 < len(built):
                finer_parent = built[i + 1][3]
                assert finer_parent is not None
                start = _child_starts(start, finer_parent, built[i + 1][0], built[i + 1][2])
        point_order = np.empty(self.size, np.int64)
        point_order[start] = np.arange(self.size)
        self._ids = ids[point_order]
        self._tables = [b[0] for b in built]
        self._coords = [b[1] for b in built]


def _table(x: F64, y: F64, num: I32, vsum: F64, vmin: F64, vmax: F64, kd_ids: I32) -> F64:
    table = np.empty((x.shape[0], box_query.COLUMNS), np.float64)
    table[:, box_query.LNG], table[:, box_query.LAT] = unproject(x[kd_ids], y[kd_ids])
    table[:, box_query.COUNT] = num[kd_ids]
    table[:, box_query.SUM] = vsum[kd_ids]
    table[:, box_query.MIN] = vmin[kd_ids]
    table[:, box_query.MAX] = vmax[kd_ids]
    return table


def _child_starts(parent_start: I64, parent: I32, finer_table: F64, finer_kd_ids: I32) -> I64:
    counts = np.empty(parent.shape[0], np.int64)
    counts[finer_kd_ids] = finer_table[:, box_query.COUNT].astype(np.int64)
    return _assign_starts(parent_start, parent, counts)  # type: ignore[no-any-return]


@njit(cache=True)  # type: ignore[misc]
def _assign_starts(parent_start: I64, parent: I32, counts: I64) -> I64:
    cursor = parent_start.copy()
    start = np.empty(parent.shape[0], np.int64)
    for i in range(parent.shape[0]):
        p = parent[i]
        start[i] = cursor[p]
        cursor[p] += counts[i]
    return start
