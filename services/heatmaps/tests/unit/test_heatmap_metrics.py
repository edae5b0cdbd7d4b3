"""The bands a metric grades by: finite bounds, strictly ascending, at least one."""

from __future__ import annotations

import math

import pytest

from heatmaps.domain.heatmap_metrics import ranges_problem


@pytest.mark.parametrize("ranges", [[0], [0, 24, 50, 75, 100], [-1.5, 0, 0.25], [1e300, 1e301]])
def test_ascending_finite_bounds_grade(ranges: list[float]) -> None:
    assert ranges_problem(ranges) is None


@pytest.mark.parametrize(
    "ranges", [[], [1, 0], [0, 5, 5], [0, math.inf], [math.nan], [0, 10, 5, 20], [-math.inf, 0]]
)
def test_other_bounds_do_not(ranges: list[float]) -> None:
    assert ranges_problem(ranges) is not None
