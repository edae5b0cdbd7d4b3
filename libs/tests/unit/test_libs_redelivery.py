"""The redelivery schedule: doubling delays up to a maximum, and a bounded number of tries."""

from __future__ import annotations

import pytest

from proximity.events.redelivery import Redelivery
from proximity.settings import ServiceSettings


def test_delays_double_from_the_first_up_to_the_maximum() -> None:
    schedule = Redelivery(max_deliveries=8, initial_delay_seconds=1, max_delay_seconds=20)

    assert [schedule.delay(n) for n in range(1, 8)] == [1, 2, 4, 8, 16, 20, 20]


def test_the_delivery_that_reaches_the_bound_is_the_last() -> None:
    schedule = Redelivery(max_deliveries=3)

    assert [schedule.gives_up(n) for n in (1, 2, 3, 4)] == [False, False, True, True]


def test_a_huge_delivery_count_stays_at_the_maximum() -> None:
    assert Redelivery(max_delay_seconds=60).delay(10_000) == 60


def test_defaults_give_up_within_minutes_not_never() -> None:
    schedule = Redelivery()

    waited = sum(schedule.delay(n) for n in range(1, schedule.max_deliveries))

    assert schedule.max_deliveries == 8
    assert 60 < waited < 600


def test_read_from_settings() -> None:
    settings = ServiceSettings(
        events_max_deliveries=4,
        events_redelivery_initial_delay_seconds=0.5,
        events_redelivery_max_delay_seconds=5,
        events_max_ack_pending=50,
    )

    assert Redelivery.from_settings(settings) == Redelivery(4, 0.5, 5, 50)


@pytest.mark.parametrize(
    "arguments",
    [
        {"max_deliveries": 0},
        {"initial_delay_seconds": 0},
        {"initial_delay_seconds": 9, "max_delay_seconds": 1},
    ],
)
def test_nonsense_is_refused(arguments: dict[str, float]) -> None:
    with pytest.raises(ValueError, match="must be"):
        Redelivery(**arguments)  # type: ignore[arg-type]
