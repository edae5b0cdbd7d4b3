"""The token bucket behind the per-client-key rate limit."""

from __future__ import annotations

from gateway.rate_limit import RateLimiter, TokenBucket


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_bucket_spends_then_refills_at_its_rate() -> None:
    bucket = TokenBucket(capacity=2, per_second=0.5, tokens=2, updated=0.0)
    assert bucket.take(0.0) == 0.0
    assert bucket.take(0.0) == 0.0
    assert bucket.take(0.0) == 2.0  # one token every 2 s
    assert bucket.take(1.0) == 1.0
    assert bucket.take(2.0) == 0.0
    assert bucket.take(100.0) == 0.0  # refilled, but never beyond capacity
    assert bucket.take(100.0) == 0.0
    assert bucket.take(100.0) > 0.0


def test_bucket_ignores_a_clock_going_back() -> None:
    bucket = TokenBucket(capacity=1, per_second=1, tokens=0, updated=10.0)
    assert bucket.take(5.0) == 1.0


def test_limiter_allows_a_minute_of_burst_then_retry_after() -> None:
    clock = Clock()
    limiter = RateLimiter(60, clock=clock)  # one a second, bursts of 60
    assert all(limiter.retry_after("key") is None for _ in range(60))
    assert limiter.retry_after("key") == 1
    clock.now += 1.0
    assert limiter.retry_after("key") is None
    assert limiter.retry_after("key") == 1


def test_limiter_keys_are_independent() -> None:
    clock = Clock()
    limiter = RateLimiter(2, clock=clock)
    assert limiter.retry_after("a") is None
    assert limiter.retry_after("a") is None
    assert limiter.retry_after("a") == 30  # 2 a minute: the next one in 30 s
    assert limiter.retry_after("b") is None


def test_retry_after_is_whole_seconds_rounded_up() -> None:
    clock = Clock()
    limiter = RateLimiter(120, burst=1, clock=clock)
    assert limiter.retry_after("k") is None
    clock.now += 0.1
    assert limiter.retry_after("k") == 1  # 0.4 s, rounded up


def test_zero_disables_the_limit() -> None:
    limiter = RateLimiter(0)
    assert not limiter.enabled
    assert all(limiter.retry_after("k") is None for _ in range(10_000))


def test_idle_keys_are_forgotten_beyond_the_bound() -> None:
    clock = Clock()
    limiter = RateLimiter(1, max_keys=2, clock=clock)
    assert limiter.retry_after("a") is None
    assert limiter.retry_after("b") is None
    assert limiter.retry_after("a") == 60  # a is now the most recently seen
    assert limiter.retry_after("c") is None  # evicts b, the least recently seen
    assert limiter.retry_after("a") == 60
    assert limiter.retry_after("b") is None  # b starts afresh


def test_failures_are_counted_only_when_they_happen() -> None:
    clock = Clock()
    invalid_keys = RateLimiter(3, clock=clock)  # three refused keys a minute per address

    assert invalid_keys.refused_for("10.0.0.1") is None  # looking does not count
    for _ in range(3):
        invalid_keys.count("10.0.0.1")

    assert invalid_keys.refused_for("10.0.0.1") == 20  # one more allowed every 20 s
    assert invalid_keys.refused_for("10.0.0.2") is None
    clock.now += 20
    assert invalid_keys.refused_for("10.0.0.1") is None
    invalid_keys.count("10.0.0.1")
    assert invalid_keys.refused_for("10.0.0.1") == 20


def test_a_disabled_failure_limit_refuses_nobody() -> None:
    invalid_keys = RateLimiter(0)
    for _ in range(100):
        invalid_keys.count("10.0.0.1")
    assert invalid_keys.refused_for("10.0.0.1") is None
