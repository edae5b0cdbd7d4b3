"""A naive reference of supercluster's greedy clustering, for the engine's tests: brute-force
neighbours (every item tested), plain Python floats, the same rules as the engine's docstring."""

import math
from dataclasses import dataclass, field

import numpy as np

from heatmaps.domain.cluster_index import ClusterOptions


@dataclass
class Item:
    x: float
    y: float
    count: int
    sum: float
    min: float
    max: float
    members: list[int] = field(default_factory=list)

    @property
    def lng(self) -> float:
        return (self.x - 0.5) * 360.0

    @property
    def lat(self) -> float:
        return 360.0 * math.atan(math.exp((180.0 - self.y * 360.0) * math.pi / 180.0)) / math.pi - 90.0


def project(lng: float, lat: float) -> tuple[float, float]:
    s = math.sin(lat * math.pi / 180.0)
    y = 0.5 - 0.25 * math.log((1.0 + s) / (1.0 - s)) / math.pi
    return float(np.float32(lng / 360.0 + 0.5)), float(np.float32(min(1.0, max(0.0, y))))


def levels(
    lng: list[float], lat: list[float], value: list[float], opts: ClusterOptions
) -> dict[int, list[Item]]:
    """Items per zoom, from max_zoom + 1 (the points) down to min_zoom."""
    level = [
        Item(*project(a, b), 1, v, v, v, [i]) for i, (a, b, v) in enumerate(zip(lng, lat, value, strict=True))
    ]
    out = {opts.max_zoom + 1: level}
    for zoom in range(opts.max_zoom, opts.min_zoom - 1, -1):
        r2 = opts.radius_at(zoom) ** 2
        f32 = [(float(np.float32(it.x)), float(np.float32(it.y))) for it in level]
        visited = [False] * len(level)
        coarser: list[Item] = []
        for i, it in enumerate(level):
            if visited[i]:
                continue
            visited[i] = True
            near = [
                k
                for k, (fx, fy) in enumerate(f32)
                if not visited[k] and (fx - it.x) * (fx - it.x) + (fy - it.y) * (fy - it.y) <= r2
            ]
            points = it.count + sum(level[k].count for k in near)
            if points > it.count and points >= opts.min_points:
                group = [it] + [level[k] for k in near]
                for k in near:
                    visited[k] = True
                coarser.append(
                    Item(
                        sum(g.x * g.count for g in group) / points,
                        sum(g.y * g.count for g in group) / points,
                        points,
                        sum(g.sum for g in group),
                        min(g.min for g in group),
                        max(g.max for g in group),
                        [m for g in group for m in g.members],
                    )
                )
            else:
                coarser.append(it)
                if points > 1:
                    for k in near:
                        visited[k] = True
                        coarser.append(level[k])
        out[zoom] = level = coarser
    return out
