"""The clustering engine against a naive reference of the same greedy algorithm, and its query rules
(world box, antimeridian, empty boxes, zoom bounds, items of a pin)."""

import math
import random

import numpy as np
import pytest
from heatmaps_greedy_reference import levels

from heatmaps.domain.cluster_index import COUNT, LAT, LNG, MAX, MIN, SUM, ClusterIndex, ClusterOptions

WORLD = (-180.0, -85.0, 180.0, 85.0)


def points(n: int, seed: int) -> tuple[list[float], list[float], list[float]]:
    """Clumps (so that every zoom clusters something) plus scattered points, integer values."""
    rnd = random.Random(seed)
    centres = [(rnd.uniform(-170, 170), rnd.uniform(-60, 70), 10 ** rnd.uniform(-2, 0.5)) for _ in range(6)]
    lng, lat, value = [], [], []
    for i in range(n):
        if i % 5 == 0:
            lng.append(rnd.uniform(-180, 180))
            lat.append(rnd.uniform(-85, 85))
        else:
            cx, cy, s = rnd.choice(centres)
            lng.append(min(180.0, max(-180.0, rnd.gauss(cx, s))))
            lat.append(min(85.0, max(-85.0, rnd.gauss(cy, s))))
        value.append(float(rnd.randint(0, 1000)))
    return lng, lat, value


def build(
    lng: list[float], lat: list[float], value: list[float], opts: ClusterOptions | None = None
) -> ClusterIndex:
    return ClusterIndex(np.array(lng), np.array(lat), np.array(value), np.arange(len(lng)) * 10, opts)


def summary(rows: np.ndarray) -> list[tuple[int, float, float, float, float, float]]:
    return sorted(
        (int(r[COUNT]), r[SUM], r[MIN], r[MAX], round(float(r[LNG]), 7), round(float(r[LAT]), 7))
        for r in rows
    )


@pytest.mark.parametrize(
    ("n", "seed", "opts"),
    [
        (400, 1, ClusterOptions()),
        (300, 2, ClusterOptions(radius=60, extent=256, min_points=3, node_size=4, max_zoom=12)),
        (250, 3, ClusterOptions(radius=25, min_points=5, node_size=16, min_zoom=2, max_zoom=9)),
    ],
)
def test_every_zoom_equals_the_naive_reference(n: int, seed: int, opts: ClusterOptions) -> None:
    lng, lat, value = points(n, seed)
    index = build(lng, lat, value, opts)
    expected = levels(lng, lat, value, opts)
    for zoom in range(opts.min_zoom, opts.max_zoom + 2):
        rows = index.clusters(WORLD, zoom)
        want = [
            (
                it.count,
                it.sum,
                it.min,
                it.max,
                round(it.lng if it.count > 1 else lng[it.members[0]], 7),
                round(it.lat if it.count > 1 else lat[it.members[0]], 7),
            )
            for it in expected[zoom]
        ]
        assert summary(rows) == sorted(want), zoom
        # The items of every pin are the points the reference merged into it.
        got_members = sorted(tuple(sorted(index.items(r) // 10)) for r in rows)
        assert got_members == sorted(tuple(sorted(it.members)) for it in expected[zoom])


def test_the_world_box_covers_every_point_and_sums_exactly_at_every_zoom() -> None:
    lng, lat, value = points(2000, 4)
    index = build(lng, lat, value)
    for zoom in range(18):
        rows = index.clusters(WORLD, zoom)
        assert rows[:, COUNT].sum() == 2000
        assert rows[:, SUM].sum() == sum(value)
        assert rows[:, MIN].min() == min(value)
        assert rows[:, MAX].max() == max(value)


def test_a_box_across_the_antimeridian_is_its_eastern_and_western_parts() -> None:
    rnd = random.Random(5)
    lng = [
        rnd.choice([rnd.uniform(170, 180), rnd.uniform(-180, -170), rnd.uniform(-20, 20)]) for _ in range(600)
    ]
    lat = [rnd.uniform(-30, 30) for _ in lng]
    index = build(lng, lat, [1.0] * len(lng))
    for zoom in (0, 3, 8, 17):
        across = index.clusters((170.0, -40.0, -170.0, 40.0), zoom)
        east = index.clusters((170.0, -40.0, 180.0, 40.0), zoom)
        west = index.clusters((-180.0, -40.0, -170.0, 40.0), zoom)
        assert summary(across) == summary(np.vstack([east, west]))
        assert len(across) > 0
    # At the finest level every point is its own row: exactly the points in the two strips.
    assert across[:, COUNT].sum() == sum(1 for a in lng if a >= 170 or a <= -170)
    # Longitudes wrap as in supercluster: 190..200 is -170..-160, and a box 360 wide is the world.
    assert summary(index.clusters((190.0, -40.0, 200.0, 40.0), 17)) == summary(
        index.clusters((-170.0, -40.0, -160.0, 40.0), 17)
    )
    assert index.clusters((-200.0, -90.0, 160.0, 90.0), 5)[:, COUNT].sum() == len(lng)


def test_an_empty_box_and_an_empty_index_answer_no_rows() -> None:
    index = build([10.0, 10.001, 50.0], [10.0, 10.0, 50.0], [1.0, 2.0, 3.0])
    assert index.clusters((-100.0, -50.0, -90.0, -40.0), 5).shape == (0, 7)
    empty = build([], [], [])
    assert all(empty.clusters(WORLD, z).shape == (0, 7) for z in range(18))


def test_zooms_outside_the_levels_are_bounded_as_supercluster_does() -> None:
    lng, lat, value = points(300, 6)
    index = build(lng, lat, value, ClusterOptions(max_zoom=10))
    assert summary(index.clusters(WORLD, -3)) == summary(index.clusters(WORLD, 0))
    assert summary(index.clusters(WORLD, 7.9)) == summary(index.clusters(WORLD, 7))
    # Beyond max_zoom: the points themselves.
    assert len(index.clusters(WORLD, 11)) == 300
    assert summary(index.clusters(WORLD, 40)) == summary(index.clusters(WORLD, 11))
    assert math.isclose(index.clusters(WORLD, 16)[:, SUM].sum(), sum(value))


def test_items_below_lists_the_ids_of_small_pins_only() -> None:
    index = build([0.0, 0.0001, 0.0002, 90.0], [0.0, 0.0, 0.0, 0.0], [1.0, 2.0, 3.0, 4.0])
    rows = index.clusters(WORLD, 3)
    by_count = {int(r[COUNT]): r for r in rows}
    assert sorted(by_count) == [1, 3]
    listed = index.items_below(rows, 3)
    lone = next(i for i, r in enumerate(rows) if r[COUNT] == 1)
    assert [x is None for x in listed] == [r[COUNT] >= 3 for r in rows]
    assert list(listed[lone] or []) == [30]
    assert sorted(index.items(by_count[3])) == [0, 10, 20]


@pytest.mark.parametrize(
    "bad",
    [
        {"min_zoom": 5, "max_zoom": 4},
        {"max_zoom": 31},
        {"radius": -1},
        {"extent": 0},
        {"min_points": 0},
        {"node_size": 0},
    ],
)
def test_options_out_of_range_are_refused(bad: dict[str, float]) -> None:
    with pytest.raises(ValueError, match=r"required|zooms"):
        ClusterOptions(**bad)


def test_inputs_of_different_lengths_are_refused() -> None:
    with pytest.raises(ValueError, match="one length"):
        ClusterIndex(np.zeros(3), np.zeros(2), np.zeros(3), np.arange(3))
