"""A static KD-tree over float32 points in flat arrays: a port of KDBush 4.1.0 (ISC licence,
Copyright (c) 2018, Vladimir Agafonkin; https://github.com/mourner/kdbush).

Same sort (Floyd-Rivest selection on alternating axes down to `node_size` leaves) and the same
traversal order for `range` and `within`, so results come back in the order supercluster sees
them: the neighbour order decides the floating-point sums of cluster centres, and with them the
clusters of every coarser zoom. `ids[pos]` is the insertion index of the point stored at `pos`;
`coords` holds x, y interleaved, float32 like KDBush's `Float32Array`.
"""

import math

import numpy as np
import numpy.typing as npt
from numba import njit  # type: ignore[import-untyped]

IdArray = npt.NDArray[np.int32]
CoordArray = npt.NDArray[np.float32]

# Frames of (left, right, axis): the traversal is depth-first, so a stack deeper than the tree
# (log2(n / node_size) + 1 levels) is never needed; 256 covers any array that fits in memory.
STACK_FRAMES = 256


@njit(cache=True, inline="always")  # type: ignore[misc]
def _swap_item(ids: IdArray, coords: CoordArray, i: int, j: int) -> None:
    ids[i], ids[j] = ids[j], ids[i]
    coords[2 * i], coords[2 * j] = coords[2 * j], coords[2 * i]
    coords[2 * i + 1], coords[2 * j + 1] = coords[2 * j + 1], coords[2 * i + 1]


@njit(cache=True)  # type: ignore[misc]
def _select(ids: IdArray, coords: CoordArray, k: int, left: int, right: int, axis: int) -> None:
    while right > left:
        if right - left > 600:
            n = right - left + 1
            m = k - left + 1
            z = math.log(n)
            s = 0.5 * math.exp(2.0 * z / 3.0)
            sign = -1.0 if m - n / 2.0 < 0 else 1.0
            sd = 0.5 * math.sqrt(z * s * (n - s) / n) * sign
            new_left = max(left, int(math.floor(k - m * s / n + sd)))
            new_right = min(right, int(math.floor(k + (n - m) * s / n + sd)))
            _select(ids, coords, k, new_left, new_right, axis)
        t = coords[2 * k + axis]
        i = left
        j = right
        _swap_item(ids, coords, left, k)
        if coords[2 * right + axis] > t:
            _swap_item(ids, coords, left, right)
        while i < j:
            _swap_item(ids, coords, i, j)
            i += 1
            j -= 1
            while coords[2 * i + axis] < t:
                i += 1
            while coords[2 * j + axis] > t:
                j -= 1
        if coords[2 * left + axis] == t:
            _swap_item(ids, coords, left, j)
        else:
            j += 1
            _swap_item(ids, coords, j, right)
        if j <= k:
            left = j + 1
        if k <= j:
            right = j - 1


@njit(cache=True)  # type: ignore[misc]
def build(
    x: npt.NDArray[np.float64], y: npt.NDArray[np.float64], node_size: int
) -> tuple[IdArray, CoordArray]:
    """Sort the points into KD order; returns (ids, coords)."""
    n = x.shape[0]
    ids = np.arange(n).astype(np.int32)
    coords = np.empty(2 * n, np.float32)
    for i in range(n):
        coords[2 * i] = x[i]
        coords[2 * i + 1] = y[i]
    # KDBush's recursive sort; the two halves are disjoint, so any visiting order gives the same array.
    stack = np.empty(3 * STACK_FRAMES, np.int64)
    stack[0], stack[1], stack[2] = 0, n - 1, 0
    top = 3
    while top > 0:
        top -= 3
        left, right, axis = stack[top], stack[top + 1], stack[top + 2]
        if right - left <= node_size:
            continue
        m = (left + right) >> 1
        _select(ids, coords, m, left, right, axis)
        stack[top], stack[top + 1], stack[top + 2] = left, m - 1, 1 - axis
        stack[top + 3], stack[top + 4], stack[top + 5] = m + 1, right, 1 - axis
        top += 6
    return ids, coords


@njit(cache=True)  # type: ignore[misc]
def within(
    coords: CoordArray,
    node_size: int,
    qx: float,
    qy: float,
    r: float,
    out: IdArray,
    stack: npt.NDArray[np.int64],
) -> int:
    """Positions (not ids) of the points within distance r of (qx, qy), in KDBush's order, into `out`."""
    r2 = r * r
    stack[0], stack[1], stack[2] = 0, coords.shape[0] // 2 - 1, 0
    top = 3
    count = 0
    while top > 0:
        top -= 3
        left, right, axis = stack[top], stack[top + 1], stack[top + 2]
        if right - left <= node_size:
            for i in range(left, right + 1):
                dx = np.float64(coords[2 * i]) - qx
                dy = np.float64(coords[2 * i + 1]) - qy
                if dx * dx + dy * dy <= r2:
                    out[count] = i
                    count += 1
            continue
        m = (left + right) >> 1
        x = np.float64(coords[2 * m])
        y = np.float64(coords[2 * m + 1])
        dx = x - qx
        dy = y - qy
        if dx * dx + dy * dy <= r2:
            out[count] = m
            count += 1
        if qx - r <= x if axis == 0 else qy - r <= y:
            stack[top], stack[top + 1], stack[top + 2] = left, m - 1, 1 - axis
            top += 3
        if qx + r >= x if axis == 0 else qy + r >= y:
            stack[top], stack[top + 1], stack[top + 2] = m + 1, right, 1 - axis
            top += 3
    return count


@njit(cache=True)  # type: ignore[misc]
def in_range(
    coords: CoordArray,
    node_size: int,
    min_x: float,
    min_y: float,
    max_x: float,
    max_y: float,
    out: IdArray,
    count: int,
    stack: npt.NDArray[np.int64],
) -> tuple[IdArray, int]:
    """Append to `out` (from `count`, growing it) the positions of the points in the box, in KDBush's order."""
    stack[0], stack[1], stack[2] = 0, coords.shape[0] // 2 - 1, 0
    top = 3
    while top > 0:
        top -= 3
        left, right, axis = stack[top], stack[top + 1], stack[top + 2]
        if right - left <= node_size:
            if count + right - left + 1 > out.shape[0]:
                out = _grow(out, count + right - left + 1)
            for i in range(left, right + 1):
                x = np.float64(coords[2 * i])
                y = np.float64(coords[2 * i + 1])
                if x >= min_x and x <= max_x and y >= min_y and y <= max_y:
                    out[count] = i
                    count += 1
            continue
        m = (left + right) >> 1
        x = np.float64(coords[2 * m])
        y = np.float64(coords[2 * m + 1])
        if x >= min_x and x <= max_x and y >= min_y and y <= max_y:
            if count == out.shape[0]:
                out = _grow(out, count + 1)
            out[count] = m
            count += 1
        if min_x <= x if axis == 0 else min_y <= y:
            stack[top], stack[top + 1], stack[top + 2] = left, m - 1, 1 - axis
            top += 3
        if max_x >= x if axis == 0 else max_y >= y:
            stack[top], stack[top + 1], stack[top + 2] = m + 1, right, 1 - axis
            top += 3
    return out, count


@njit(cache=True)  # type: ignore[misc]
def _grow(out: IdArray, needed: int) -> IdArray:
    bigger = np.empty(max(needed, 2 * out.shape[0]), out.dtype)
    bigger[: out.shape[0]] = out
    return bigger
