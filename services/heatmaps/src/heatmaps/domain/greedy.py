"""One zoom of supercluster's greedy clustering, compiled (a port of supercluster 8.0.1's `_cluster`,
ISC licence, Copyright (c) 2021, Mapbox; https://github.com/mapbox/supercluster).

Items of the finer level are visited in their insertion order; each unvisited item takes every
unvisited neighbour within r (in the KD-tree's order) into one cluster placed at the count-weighted
mean of their positions, if that gives at least `min_points` points; otherwise it (and, when it
already holds several points, its neighbours) is carried over unchanged. Aggregates are
sum / min / max of the point values; the count is the number of points.
"""

import numpy as np
import numpy.typing as npt
from numba import njit  # type: ignore[import-untyped]

from heatmaps.domain import kdtree

F64 = npt.NDArray[np.float64]
I32 = npt.NDArray[np.int32]


@njit(cache=True)  # type: ignore[misc]
def cluster_level(
    x: F64,
    y: F64,
    num: I32,
    vsum: F64,
    vmin: F64,
    vmax: F64,
    ids: I32,
    coords: npt.NDArray[np.float32],
    node_size: int,
    r: float,
    min_points: int,
) -> tuple[F64, F64, I32, F64, F64, F64, I32]:
    """Cluster one level into the next coarser one.

    Returns the coarser level's x, y, num, sum, min, max (in its insertion order) and, for each
    item of this level, the index of the coarser item it went into (`parent`).
    """
    n = x.shape[0]
    out_x = np.empty(n, np.float64)
    out_y = np.empty(n, np.float64)
    out_num = np.empty(n, np.int32)
    out_sum = np.empty(n, np.float64)
    out_min = np.empty(n, np.float64)
    out_max = np.empty(n, np.float64)
    parent = np.empty(n, np.int32)
    visited = np.zeros(n, np.bool_)
    neighbours = np.empty(n, np.int32)
    stack = np.empty(3 * kdtree.STACK_FRAMES, np.int64)
    m = 0
    for i in range(n):
        if visited[i]:
            continue
        visited[i] = True
        found = kdtree.within(coords, node_size, x[i], y[i], r, neighbours, stack)
        for j in range(found):
            neighbours[j] = ids[neighbours[j]]
        num_origin = num[i]
        num_points = num_origin
        for j in range(found):
            k = neighbours[j]
            if not visited[k]:
                num_points += num[k]
        if num_points > num_origin and num_points >= min_points:
            wx = x[i] * num_origin
            wy = y[i] * num_origin
            s = vsum[i]
            lo = vmin[i]
            hi = vmax[i]
            for j in range(found):
                k = neighbours[j]
                if visited[k]:
                    continue
                visited[k] = True
                wx += x[k] * num[k]
                wy += y[k] * num[k]
                s += vsum[k]
                lo = min(lo, vmin[k])
                hi = max(hi, vmax[k])
                parent[k] = m
            parent[i] = m
            out_x[m] = wx / num_points
            out_y[m] = wy / num_points
            out_num[m] = num_points
            out_sum[m] = s
            out_min[m] = lo
            out_max[m] = hi
            m += 1
        else:
            _carry(i, m, x, y, num, vsum, vmin, vmax, out_x, out_y, out_num, out_sum, out_min, out_max)
            parent[i] = m
            m += 1
            if num_points > 1:
                for j in range(found):
                    k = neighbours[j]
                    if visited[k]:
                        continue
                    visited[k] = True
                    _carry(
                        k, m, x, y, num, vsum, vmin, vmax, out_x, out_y, out_num, out_sum, out_min, out_max
                    )
                    parent[k] = m
                    m += 1
    return (
        out_x[:m].copy(),
        out_y[:m].copy(),
        out_num[:m].copy(),
        out_sum[:m].copy(),
        out_min[:m].copy(),
        out_max[:m].copy(),
        parent,
    )


@njit(cache=True, inline="always")  # type: ignore[misc]
def _carry(
    i: int,
    m: int,
    x: F64,
    y: F64,
    num: I32,
    vsum: F64,
    vmin: F64,
    vmax: F64,
    out_x: F64,
    out_y: F64,
    out_num: I32,
    out_sum: F64,
    out_min: F64,
    out_max: F64,
) -> None:
    out_x[m] = x[i]
    out_y[m] = y[i]
    out_num[m] = num[i]
    out_sum[m] = vsum[i]
    out_min[m] = vmin[i]
    out_max[m] = vmax[i]
