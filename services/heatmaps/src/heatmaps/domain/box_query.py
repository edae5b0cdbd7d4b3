"""The compiled half of `clusters(bbox, zoom)`: supercluster's `getClusters` on one level.

The bbox is normalised as supercluster does (longitudes wrapped into [-180, 180), latitudes
clamped; a box at least 360 degrees wide is the whole world; a box whose west edge lies east of
its east edge crosses the antimeridian and is queried as its eastern then its western part), then
the level's KD-tree is searched with the projected box and the matching rows of the level's
table are copied out, one allocation per answer.
"""

import numpy as np
import numpy.typing as npt
from numba import njit  # type: ignore[import-untyped]

from heatmaps.domain import kdtree
from heatmaps.domain.projection import lat_y, lng_x

# Columns of a level's table (float64: counts and offsets are exact up to 2**53).
LNG, LAT, COUNT, SUM, MIN, MAX, START = range(7)
COLUMNS = 7


@njit(cache=True, inline="always")  # type: ignore[misc]
def _wrap(lng: float) -> float:
    # JavaScript's % is C's fmod (sign of the dividend), not Python's modulo.
    return np.fmod(np.fmod(lng + 180.0, 360.0) + 360.0, 360.0) - 180.0


@njit(cache=True, inline="always")  # type: ignore[misc]
def _normalise(west: float, south: float, east: float, north: float) -> tuple[float, float, float, float]:
    min_lng = _wrap(west)
    max_lng = 180.0 if east == 180.0 else _wrap(east)
    if east - west >= 360.0:
        min_lng = -180.0
        max_lng = 180.0
    return min_lng, max(-90.0, min(90.0, south)), max_lng, max(-90.0, min(90.0, north))


@njit(cache=True)  # type: ignore[misc]
def _search(
    coords: npt.NDArray[np.float32],
    node_size: int,
    west: float,
    south: float,
    east: float,
    north: float,
    stack: npt.NDArray[np.int64],
) -> tuple[npt.NDArray[np.int32], int]:
    out = np.empty(64, np.int32)
    min_lng, min_lat, max_lng, max_lat = _normalise(west, south, east, north)
    if min_lng > max_lng:
        # Across the antimeridian: supercluster queries (and normalises again) both halves.
        parts = (_normalise(min_lng, min_lat, 180.0, max_lat), _normalise(-180.0, min_lat, max_lng, max_lat))
    else:
        parts = ((min_lng, min_lat, max_lng, max_lat), (1.0, 0.0, 0.0, 0.0))  # the second one is empty
    count = 0
    for w, s, e, n in parts:
        if w <= e:
            out, count = kdtree.in_range(
                coords, node_size, lng_x(w), lat_y(n), lng_x(e), lat_y(s), out, count, stack
            )
    return out, count


@njit(cache=True)  # type: ignore[misc]
def rows_in_bbox(
    coords: npt.NDArray[np.float32],
    table: npt.NDArray[np.float64],
    node_size: int,
    west: float,
    south: float,
    east: float,
    north: float,
) -> npt.NDArray[np.float64]:
    """The table rows of the items whose (float32) position lies in the box, in KDBush's order."""
    stack = np.empty(3 * kdtree.STACK_FRAMES, np.int64)
    found, count = _search(coords, node_size, west, south, east, north, stack)
    rows = np.empty((count, COLUMNS), np.float64)
    for j in range(count):
        rows[j, :] = table[found[j], :]
    return rows
