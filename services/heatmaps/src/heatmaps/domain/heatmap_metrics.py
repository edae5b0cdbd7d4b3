"""What a heatmap configuration may hold (seed 004 "Heatmaps"): its type, and metrics that
each say what a pin shows (``ref``), how the values of its points combine (``calc``) and
the bands that grade the result (``ranges``). No I/O: whether a metric's field exists and is
a number is checked against the field replica by the use case."""

from __future__ import annotations

import itertools
import math
from collections.abc import Sequence
from typing import Literal

HeatmapType = Literal["system", "business", "user"]
MetricRef = Literal["number", "size", "color", "shadow"]
MetricCalc = Literal["sum", "count", "avg", "min", "max"]

MAX_METRICS = 20
MAX_RANGES = 100
# How many owner and group ids one heatmap may name (a bound on a write's checks).
MAX_LINKED_IDS = 1000


def ranges_problem(ranges: Sequence[int | float]) -> str | None:
    """Why ``ranges`` cannot grade a metric, or None: the bands' bounds must be finite and
    strictly ascending, and there must be at least one (null, not [], means no bands)."""
    if not ranges:
        return "ranges is null or holds at least one bound"
    if not all(math.isfinite(bound) for bound in ranges):
        return "ranges holds finite numbers only"
    if any(later <= earlier for earlier, later in itertools.pairwise(ranges)):
        return "ranges ascend strictly"
    return None
