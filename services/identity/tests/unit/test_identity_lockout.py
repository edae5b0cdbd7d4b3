"""Seed 003's lockout: the 4th failure locks for 5 minutes; a success resets the count."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from identity.domain.lockout import Lockout

NOW = datetime(2026, 1, 1, tzinfo=UTC)
FIVE_MINUTES = timedelta(minutes=5)


def fail(state: Lockout, at: datetime = NOW) -> Lockout:
    return state.after_failure(at, threshold=4, duration=FIVE_MINUTES)


def test_three_failures_do_not_lock() -> None:
    state = fail(fail(fail(Lockout())))
    assert state.failed_attempts == 3
    assert not state.is_locked(NOW)


def test_fourth_failure_locks_for_five_minutes() -> None:
    state = fail(fail(fail(fail(Lockout()))))
    assert state.is_locked(NOW)
    assert state.is_locked(NOW + FIVE_MINUTES - timedelta(seconds=1))
    assert not state.is_locked(NOW + FIVE_MINUTES)


def test_failures_during_a_lock_do_not_extend_it() -> None:
    locked = fail(fail(fail(fail(Lockout()))))
    assert fail(locked, NOW + timedelta(minutes=4)) == locked


def test_after_the_lock_the_count_starts_again() -> None:
    locked = fail(fail(fail(fail(Lockout()))))
    later = NOW + FIVE_MINUTES
    state = fail(locked, later)
    assert state.failed_attempts == 1
    assert not state.is_locked(later)


def test_success_resets() -> None:
    assert fail(fail(Lockout())).after_success() == Lockout()
