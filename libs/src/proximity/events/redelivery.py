"""How often, and how soon, a consumer gets a message again whose handler failed.

A failure that passes (the database blinked) is retried soon; one that does not is retried
less and less often, and given up on (parked) at a bounded number of deliveries instead of
being retried every second forever. ``max_ack_pending`` bounds how many messages may wait
for their next try at once: with the default far above any burst of failing messages, the
broker keeps delivering the healthy ones meanwhile.
"""

from __future__ import annotations

from dataclasses import dataclass

from proximity.settings import ServiceSettings


@dataclass(frozen=True, slots=True)
class Redelivery:
    max_deliveries: int = 8
    initial_delay_seconds: float = 1.0
    max_delay_seconds: float = 60.0
    max_ack_pending: int = 10_000

    def __post_init__(self) -> None:
        if self.max_deliveries < 1 or self.max_ack_pending < 1:
            raise ValueError("max_deliveries and max_ack_pending must be at least 1")
        if not 0 < self.initial_delay_seconds <= self.max_delay_seconds:
            raise ValueError("delays must be positive, the initial one at most the maximum")

    @classmethod
    def from_settings(cls, settings: ServiceSettings) -> Redelivery:
        return cls(
            max_deliveries=settings.events_max_deliveries,
            initial_delay_seconds=settings.events_redelivery_initial_delay_seconds,
            max_delay_seconds=settings.events_redelivery_max_delay_seconds,
            max_ack_pending=settings.events_max_ack_pending,
        )

    def gives_up(self, delivered: int) -> bool:
        """Whether the ``delivered``-th delivery (1 = the first), having failed, is the last."""
        return delivered >= self.max_deliveries

    def delay(self, delivered: int) -> float:
        """Seconds before the next delivery after the ``delivered``-th failed: doubling."""
        exponent = min(max(delivered, 1) - 1, 62)  # 2**62 s is past any maximum
        return float(min(self.max_delay_seconds, self.initial_delay_seconds * 2.0**exponent))
