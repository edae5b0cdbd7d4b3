"""The clustering engine: supercluster's cluster hierarchy over points, built once, queried per bbox.

A port of supercluster 8.0.1 (ISC licence, Copyright (c) 2021, Mapbox;
https://github.com/mapbox/supercluster) with KDBush 4.1.0 (ISC, Copyright (c) 2018, Vladimir
Agafonkin); the loops are C (`_kernels.c`, which carries the licence text). Points (lng, lat,
value, id) are projected to Web-Mercator [0, 1] and rounded to float32; from `max_zoom` down to
`min_zoom` each zoom's clusters are built greedily from the next finer zoom's (radius
`radius / (extent * 2**zoom)` in projected units), each placed at the count-weighted mean of its
members and carrying count, sum, min and max of their values. Visiting and neighbour orders are
supercluster's, so the clusters are too (equal checksums on the anchor's inputs).

Storage per level, in KD order: float32 coordinates for the tree and one float64 row (lng, lat,
count, sum, min, max, start). A query copies the matching rows into one array: that array is the
answer (a lone point is a row of count 1, at its own coordinates). Points are laid out
depth-first through the hierarchy, so the points of any cluster at any zoom are
`ids[start : start + count]`: listing the items of a small pin (`show_items_below_size`) is a slice.
"""

import math
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from heatmaps.domain import _kernels

F64 = npt.NDArray[np.float64]
F32 = npt.NDArray[np.float32]
I32 = npt.NDArray[np.int32]
I64 = npt.NDArray[np.int64]

# Columns of a row of an answer (avg = SUM / COUNT).
LNG, LAT, COUNT, SUM, MIN, MAX, START = range(7)
assert _kernels.COLUMNS == 7

BBox = tuple[float, float, float, float]


@dataclass(frozen=True, slots=True)
class ClusterOptions:
    """supercluster's options and defaults (the seed's `min_cluster_size`, `radius`, `extent`,
    `node_size`)."""

    radius: float = 40.0
    extent: float = 512.0
    min_points: int = 2
    node_size: int = 64
    min_zoom: int = 0
    max_zoom: int = 16

    def __post_init__(self) -> None:
        if not 0 <= self.min_zoom <= self.max_zoom <= 30:
            raise ValueError("zooms must satisfy 0 <= min_zoom <= max_zoom <= 30")
        if not (self.radius >= 0 and self.extent > 0 and self.min_points >= 1 and self.node_size >= 1):
            raise ValueError("radius >= 0, extent > 0, min_points >= 1 and node_size >= 1 are required")

    def radius_at(self, zoom: int) -> float:
        return self.radius / (self.extent * math.pow(2, zoom))


class ClusterIndex:
    """Clusters of points at every zoom of `options`; immutable once built."""

    def __init__(
        self, lng: F64, lat: F64, value: F64, ids: I64, options: ClusterOptions | None = None
    ) -> None:
        self.options = opts = options or ClusterOptions()
        lng, lat, value = (np.ascontiguousarray(a, dtype=np.float64) for a in (lng, lat, value))
        ids = np.ascontiguousarray(ids, dtype=np.int64)
        if not lng.shape == lat.shape == value.shape == ids.shape or lng.ndim != 1:
            raise ValueError("lng, lat, value and ids must be 1-d arrays of one length")
        if lng.shape[0] >= 2**31:
            raise ValueError("at most 2**31 - 1 points")
        self.size = int(lng.shape[0])
        coords, tables, ids_in_order = _build(lng, lat, value, ids, opts)
        self._ids = ids_in_order
        self._node_size = opts.node_size
        # Per integer zoom its level, as supercluster's _limitZoom picks it (max_zoom + 1: the points).
        self._levels: dict[float, tuple[F32, F64]] = {
            z: (coords[z - opts.min_zoom], tables[z - opts.min_zoom])
            for z in range(opts.min_zoom, opts.max_zoom + 2)
        }

    def clusters(self, bbox: BBox, zoom: float) -> F64:
        """Rows (see LNG ... START) of the clusters and lone points whose position lies in bbox
        (west, south, east, north, degrees; across the antimeridian when west > east) at zoom."""
        level = self._levels.get(zoom)
        if level is None:
            opts = self.options
            level = self._levels[max(opts.min_zoom, min(math.floor(zoom), opts.max_zoom + 1))]
        return _kernels.rows_in_bbox(level[0], level[1], self._node_size, bbox)

    @property
    def ids(self) -> I64:
        """All ids in depth-first order: a row's items are `ids[start : start + count]` (read-only)."""
        view = self._ids.view()
        view.flags.writeable = False
        return view

    def items(self, row: F64) -> I64:
        """Ids of the points of one row of an answer (a view, O(1))."""
        start = int(row[START])
        return self._ids[start : start + int(row[COUNT])]

    def items_below(self, rows: F64, size: int) -> list[I64 | None]:
        """Per row, the ids of its points if it holds fewer than `size` (`show_items_below_size`)."""
        return [self.items(row) if row[COUNT] < size else None for row in rows]


def _build(
    lng: F64, lat: F64, value: F64, ids: I64, opts: ClusterOptions
) -> tuple[list[F32], list[F64], I64]:
    rows = _kernels.point_rows(lng, lat, value)
    tree = _kernels.kd_build(rows, opts.node_size)
    # Finest first, per level: its KD ids, coordinates and rows, and each item's parent in the
    # next coarser level.
    built: list[tuple[I32, F32, F64, I32 | None]] = []
    for zoom in range(opts.max_zoom, opts.min_zoom - 1, -1):
        coarser, parent = _kernels.cluster_level(
            rows, *tree, opts.node_size, opts.radius_at(zoom), opts.min_points
        )
        built.append((tree[0], tree[1], _kernels.level_table(rows, tree[0]), parent))
        rows = coarser
        tree = _kernels.kd_build(rows, opts.node_size)
    built.append((tree[0], tree[1], _kernels.level_table(rows, tree[0]), None))
    built.reverse()
    # Depth-first layout, coarsest level first: each item takes the next slice of its parent's.
    counts = rows[:, COUNT].astype(np.int64)
    start = np.cumsum(counts) - counts
    coarsest = built[0]
    coarsest[2][:, START] = start[coarsest[0]]
    for kd_ids, _coords, table, parent_of in built[1:]:
        assert parent_of is not None
        start = _kernels.child_starts(start, parent_of, table, kd_ids)
    order = np.empty(lng.shape[0], np.int64)
    order[start] = np.arange(lng.shape[0])
    lng_in_order, lat_in_order = lng[order], lat[order]
    for level in built:
        _kernels.finish_rows(level[2], lng_in_order, lat_in_order)
    return [b[1] for b in built], [b[2] for b in built], ids[order]
