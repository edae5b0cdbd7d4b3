"""A small map whose entries expire after one fixed time, optionally bounded.

One TTL for every entry keeps insertion order equal to expiry order, so trimming from the
front removes the expired entries first and, when full, the oldest ones.
"""

from __future__ import annotations

import time
from collections import OrderedDict
from collections.abc import Callable, Iterator
from typing import Generic, TypeVar

K = TypeVar("K")
V = TypeVar("V")


class ExpiringMap(Generic[K, V]):
    def __init__(
        self,
        ttl: float,
        *,
        max_size: int | None = None,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._ttl = ttl
        self._max_size = max_size
        self._clock = clock
        self._entries: OrderedDict[K, tuple[float, V]] = OrderedDict()

    def __len__(self) -> int:
        return len(self._entries)

    def get(self, key: K) -> V | None:
        entry = self._entries.get(key)
        if entry is None:
            return None
        expires_at, value = entry
        if expires_at <= self._clock():
            del self._entries[key]
            return None
        return value

    def put(self, key: K, value: V) -> None:
        if self._ttl <= 0:
            return
        self._entries.pop(key, None)
        self._entries[key] = (self._clock() + self._ttl, value)
        self._trim()

    def pop(self, key: K) -> V | None:
        entry = self._entries.pop(key, None)
        return entry[1] if entry else None

    def keys_where(self, predicate: Callable[[V], bool]) -> Iterator[K]:
        return iter([key for key, (_, value) in self._entries.items() if predicate(value)])

    def _trim(self) -> None:
        now = self._clock()
        while self._entries:
            key, (expires_at, _) = next(iter(self._entries.items()))
            if expires_at > now and (self._max_size is None or len(self._entries) <= self._max_size):
                break
            del self._entries[key]
