"""Metric totals and percents per pin (heatmaps.domain.pin_metrics)."""

from __future__ import annotations

import math
import uuid

import numpy as np
import pytest

from heatmaps.domain.pin_metrics import PinMetric, largest_total, number_text, percents, totals_of

FIELD = uuid.uuid4()
# Slots 0..5; slot 2 and 5 have no value.
VALUES = {FIELD: np.array([10.0, 20.0, np.nan, 5.0, 1.5, np.nan])}
# Pin 0: slots 0, 1, 2; pin 1: slot 3; pin 2: slots 5 (no value); pin 3: 4, 0.
MEMBERS = np.array([0, 1, 2, 3, 5, 4, 0], dtype=np.int64)
OFFSETS = np.array([0, 3, 4, 5, 7], dtype=np.int64)


def metric(calc: str, ranges: tuple[float, ...] | None = None, field: uuid.UUID | None = FIELD) -> PinMetric:
    return PinMetric(field, "label", "number", calc, ranges)


def totals(calc: str) -> list[float | None]:
    found = totals_of(metric(calc), VALUES, MEMBERS, OFFSETS).totals.tolist()
    return [None if math.isnan(v) else v for v in found]


def test_each_calc_reduces_the_values_a_pin_has() -> None:
    assert totals("sum") == [30.0, 5.0, None, 11.5]
    assert totals("count") == [2.0, 1.0, 0.0, 2.0]
    assert totals("avg") == [15.0, 5.0, None, 5.75]
    assert totals("min") == [10.0, 5.0, None, 1.5]
    assert totals("max") == [20.0, 5.0, None, 10.0]


def test_a_metric_without_a_field_counts_the_points_whatever_its_calc() -> None:
    for calc in ("sum", "max", "avg"):
        found = totals_of(metric(calc, field=None), VALUES, MEMBERS, OFFSETS).totals.tolist()
        assert found == [3.0, 1.0, 1.0, 2.0]


def test_a_field_no_point_has_a_value_for_gives_null_totals() -> None:
    found = totals_of(metric("sum", field=uuid.uuid4()), VALUES, MEMBERS, OFFSETS).totals
    assert np.isnan(found).all()
    assert len(found) == 4


def test_percent_without_ranges_is_against_the_largest_total_of_the_answer() -> None:
    part = totals_of(metric("sum"), VALUES, MEMBERS, OFFSETS)
    other = totals_of(metric("sum"), VALUES, np.array([1, 1, 1], np.int64), np.array([0, 3], np.int64))
    largest = largest_total([part, other])
    assert largest == 60.0
    assert percents(part, largest) == [50, 8, None, 19]  # 30/60, 5/60 = 8.3, 11.5/60 = 19.2
    assert percents(other, largest) == [100]


def test_percent_with_ranges_is_the_place_on_the_scale_clamped() -> None:
    part = totals_of(metric("sum", ranges=(10.0, 20.0, 40.0)), VALUES, MEMBERS, OFFSETS)
    # 30 -> (30-10)/30 = 66.7; 5 -> below the first: 0; 11.5 -> 5
    assert percents(part, largest=1e9) == [67, 0, None, 5]
    above = totals_of(metric("max", ranges=(0.0, 10.0)), VALUES, MEMBERS, OFFSETS)
    assert percents(above, largest=0) == [100, 50, None, 100]


def test_a_single_range_is_a_threshold() -> None:
    part = totals_of(metric("sum", ranges=(11.0,)), VALUES, MEMBERS, OFFSETS)
    assert percents(part, largest=0) == [100, 0, None, 100]


def test_percent_is_zero_when_the_largest_total_is_not_positive() -> None:
    part = totals_of(metric("sum"), {FIELD: np.zeros(6)}, MEMBERS, OFFSETS)
    assert percents(part, largest_total([part])) == [0, 0, 0, 0]


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (2.0, "2"),
        (123151.0, "123151"),
        (-101.3426234234, "-101.342623423"),
        (0.1 + 0.2, "0.3"),
        (1e-12, "0"),
        (-0.0, "0"),
    ],
)
def test_numbers_are_shown_as_the_seed_shows_them(value: float, text: str) -> None:
    assert number_text(value) == text
