"""Expiring maps and the set of revoked sessions."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

from proximity.auth.sessions import RevokedSessions
from proximity.expiring import ExpiringMap


class Clock:
    def __init__(self, now: float = 1000.0) -> None:
        self.now = now

    def __call__(self) -> float:
        return self.now


def test_entries_expire_after_the_ttl() -> None:
    clock = Clock()
    cache: ExpiringMap[str, int] = ExpiringMap(5, clock=clock)
    cache.put("a", 1)
    clock.now += 4.9
    assert cache.get("a") == 1
    clock.now += 0.1
    assert cache.get("a") is None
    assert len(cache) == 0


def test_a_bounded_map_drops_its_oldest_entries() -> None:
    cache: ExpiringMap[int, int] = ExpiringMap(60, max_size=3, clock=Clock())
    for i in range(10):
        cache.put(i, i)
    assert len(cache) == 3
    assert [cache.get(i) for i in (6, 7, 8, 9)] == [None, 7, 8, 9]


def test_zero_ttl_caches_nothing() -> None:
    cache: ExpiringMap[str, int] = ExpiringMap(0, clock=Clock())
    cache.put("a", 1)
    assert cache.get("a") is None


def test_pop_and_search() -> None:
    cache: ExpiringMap[str, int] = ExpiringMap(60, clock=Clock())
    cache.put("a", 1)
    cache.put("b", 2)
    assert list(cache.keys_where(lambda v: v > 1)) == ["b"]
    assert cache.pop("a") == 1
    assert cache.pop("a") is None


def test_a_revoked_session_is_remembered_as_long_as_its_tokens_live() -> None:
    clock = Clock()
    sessions = RevokedSessions(900, leeway=60, clock=clock)
    session = uuid.uuid4()
    sessions.revoke(session)
    assert sessions.is_revoked(session)
    assert not sessions.is_revoked(uuid.uuid4())
    clock.now += 959
    assert sessions.is_revoked(session)
    clock.now += 1
    assert not sessions.is_revoked(session)
    assert len(sessions) == 0


def test_a_replayed_revocation_counts_from_when_it_happened() -> None:
    clock = Clock(now=datetime(2030, 1, 1, 12, 0, tzinfo=UTC).timestamp())
    sessions = RevokedSessions(900, leeway=60, clock=clock)
    recent, old = uuid.uuid4(), uuid.uuid4()
    sessions.revoke(recent, datetime(2030, 1, 1, 11, 50, tzinfo=UTC))  # 10 min ago
    sessions.revoke(old, datetime(2030, 1, 1, 11, 0, tzinfo=UTC))  # its tokens are long gone
    assert sessions.is_revoked(recent)
    assert not sessions.is_revoked(old)
    assert len(sessions) == 1
    clock.now += 6 * 60
    assert not sessions.is_revoked(recent)


def test_expired_revocations_are_pruned_as_new_ones_arrive() -> None:
    clock = Clock()
    sessions = RevokedSessions(10, leeway=0, clock=clock)
    for _ in range(300):
        sessions.revoke(uuid.uuid4())
    clock.now += 11
    for _ in range(300):
        sessions.revoke(uuid.uuid4())
    assert len(sessions) < 600
