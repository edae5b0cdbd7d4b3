"""Requests per client key, and refused client keys per client address: a token bucket
each, in this process's memory.

A bucket holds up to ``burst`` requests (default: one minute's worth) and refills at
``per_minute / 60`` a second. With several gateway replicas each enforces its own share.
"""

from __future__ import annotations

import math
import time
from collections import OrderedDict
from collections.abc import Callable, Hashable
from dataclasses import dataclass


@dataclass(slots=True)
class TokenBucket:
    capacity: float
    per_second: float
    tokens: float
    updated: float

    def take(self, now: float) -> float:
        """Take one token; 0 if there was one, else the seconds until there will be."""
        wait = self.wait(now)
        if wait == 0.0:
            self.tokens -= 1.0
        return wait

    def wait(self, now: float) -> float:
        """0 if a token is there (none taken), else the seconds until there will be one."""
        elapsed = max(now - self.updated, 0.0)
        self.tokens = min(self.capacity, self.tokens + elapsed * self.per_second)
        self.updated = now
        if self.tokens >= 1.0:
            return 0.0
        return (1.0 - self.tokens) / self.per_second


class RateLimiter:
    def __init__(
        self,
        per_minute: int,
        *,
        burst: int | None = None,
        max_keys: int = 100_000,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._per_second = per_minute / 60.0
        self._capacity = float(burst if burst is not None else per_minute)
        self._max_keys = max_keys
        self._clock = clock
        self._buckets: OrderedDict[Hashable, TokenBucket] = OrderedDict()

    @property
    def enabled(self) -> bool:
        return self._per_second > 0 and self._capacity >= 1

    def retry_after(self, key: Hashable) -> int | None:
        """None if the request may pass, else whole seconds to wait (for ``Retry-After``)."""
        if not self.enabled:
            return None
        now = self._clock()
        return _seconds(self._bucket(key, now).take(now))

    def refused_for(self, key: Hashable) -> int | None:
        """Like ``retry_after``, without counting anything: whether ``key``'s allowance is
        used up. For failures counted afterwards with ``count``."""
        if not self.enabled:
            return None
        now = self._clock()
        bucket = self._buckets.get(key)
        return None if bucket is None else _seconds(bucket.wait(now))

    def count(self, key: Hashable) -> None:
        """One more against ``key``'s allowance (a request refused for its client key)."""
        if self.enabled:
            now = self._clock()
            self._bucket(key, now).take(now)

    def _bucket(self, key: Hashable, now: float) -> TokenBucket:
        bucket = self._buckets.get(key)
        if bucket is None:
            bucket = TokenBucket(self._capacity, self._per_second, self._capacity, now)
            self._buckets[key] = bucket
            if len(self._buckets) > self._max_keys:
                self._buckets.popitem(last=False)  # the least recently seen key
        else:
            self._buckets.move_to_end(key)
        return bucket


def _seconds(wait: float) -> int | None:
    return None if wait == 0.0 else max(1, math.ceil(wait))
