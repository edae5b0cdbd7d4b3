"""A heatmap configuration's metrics, computed per pin (seed 004 "Heatmap Metric").

A metric with ``field_id`` null counts the pin's points whatever its ``calc`` says. A metric
on a dynamic number field takes, per point, that field's value (the sum of the values whose
subject is the point; a point without one is left out) and reduces a pin's values by ``calc``:
``sum``, ``count`` (points with a value), ``avg``, ``min`` or ``max``; a pin with no value has
``total`` null.

``percent`` places the pin's total on a scale, an integer 0..100:
- with ``ranges`` (ascending numbers), against the scale from the first to the last:
  ``100 * (total - first) / (last - first)``, clamped to 0..100 (one range, or first == last:
  100 at or above it, else 0), so a colour or size scale reads the same in every viewport;
- without, against the largest total of that metric in the same answer (every datazone's
  pins): ``100 * total / largest``, 0 when the largest is not above 0.
Both rounded half away from zero; null when ``total`` is null.
"""

from __future__ import annotations

import math
import re
import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

F64 = npt.NDArray[np.float64]
_TRAILING_ZEROS = re.compile(r"0+(?=\n)")
_BARE_POINT = re.compile(r"\.(?=\n)")
I64 = npt.NDArray[np.int64]


@dataclass(frozen=True, slots=True)
class PinMetric:
    field_id: uuid.UUID | None
    label: str | None
    ref: str
    calc: str
    ranges: tuple[float, ...] | None


@dataclass(frozen=True, slots=True)
class MetricTotals:
    """One metric over an answer's pins: ``totals[i]`` (NaN: null) for pin i."""

    metric: PinMetric
    totals: F64


def totals_of(metric: PinMetric, values: Mapping[uuid.UUID, F64], members: I64, offsets: I64) -> MetricTotals:
    """Totals of ``metric`` for pins whose members (slots) are ``members[offsets[i]:offsets[i+1]]``;
    ``values[field_id][slot]`` is a point's value (NaN: none). Every pin has a member."""
    pins = len(offsets) - 1
    counts = np.diff(offsets).astype(np.float64)
    if metric.field_id is None or pins == 0:
        return MetricTotals(metric, counts)
    by_slot = values.get(metric.field_id)
    if by_slot is None:
        return MetricTotals(metric, np.full(pins, np.nan))
    picked = by_slot[members]
    present = ~np.isnan(picked)
    starts = offsets[:-1]
    have = np.add.reduceat(present.astype(np.float64), starts)
    if metric.calc == "count":
        return MetricTotals(metric, have)
    if metric.calc in ("sum", "avg"):
        sums = np.add.reduceat(np.where(present, picked, 0.0), starts)
        totals = sums if metric.calc == "sum" else sums / np.where(have > 0, have, 1.0)
    elif metric.calc == "min":
        totals = np.minimum.reduceat(np.where(present, picked, np.inf), starts)
    else:
        totals = np.maximum.reduceat(np.where(present, picked, -np.inf), starts)
    return MetricTotals(metric, np.where(have > 0, totals, np.nan))


def percents(totals: MetricTotals, largest: float) -> list[int | None]:
    """Per pin, its ``percent`` (see the module); ``largest``: the metric's largest total in
    the whole answer (``largest_total``)."""
    values = totals.totals
    ranges = totals.metric.ranges
    if ranges:
        first, last = ranges[0], ranges[-1]
        if last == first:
            share = np.where(values >= first, 100.0, 0.0)
        else:
            share = 100 * np.clip((values - first) / (last - first), 0.0, 1.0)
    elif largest > 0:
        share = 100 * values / largest
    else:
        share = np.zeros_like(values)
    rounded = np.sign(share) * np.floor(np.abs(share) + 0.5)  # half away from zero
    return [None if v != v else int(v) for v in np.where(np.isnan(values), np.nan, rounded).tolist()]


def largest_total(parts: Sequence[MetricTotals]) -> float:
    """The largest non-null total across parts of one answer (NaN-free; -inf when none)."""
    found = -math.inf
    for part in parts:
        if part.totals.size and not np.all(np.isnan(part.totals)):
            found = max(found, float(np.nanmax(part.totals)))
    return found


def number_text(value: float) -> str:
    """Seed 004 shows the numbers of a query as strings: an integral value without a decimal
    point, another with up to 9 decimals, trailing zeros dropped, never an exponent."""
    return number_texts([value])[0] or "0"


def number_texts(values: Sequence[float | None]) -> list[str | None]:
    """``number_text`` of each value (None and NaN give None), in one formatting pass: a large
    answer has thousands of coordinates and totals."""
    floats = np.asarray(values, dtype=np.float64)  # None becomes NaN
    if not floats.size:
        return []
    text = ("%.9f\n" * floats.size) % tuple(floats.tolist())
    # Every number has a point: strip the zeros that end its fraction, then a bare point.
    text = _BARE_POINT.sub("", _TRAILING_ZEROS.sub("", text))
    return [None if t == "nan" else ("0" if t == "-0" else t) for t in text.split("\n")[:-1]]
