"""Login lockout (seed 003): after ``threshold`` failed attempts the account is locked for
``duration``; a success resets the count."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta


@dataclass(frozen=True, slots=True)
class Lockout:
    failed_attempts: int = 0
    locked_until: datetime | None = None

    def is_locked(self, now: datetime) -> bool:
        return self.locked_until is not None and now < self.locked_until

    def after_failure(self, now: datetime, *, threshold: int, duration: timedelta) -> Lockout:
        if self.is_locked(now):
            return self  # attempts during a lock neither extend nor count towards the next one
        attempts = self.failed_attempts + 1
        if attempts >= threshold:
            return Lockout(failed_attempts=0, locked_until=now + duration)
        return Lockout(failed_attempts=attempts, locked_until=None)

    def after_success(self) -> Lockout:
        return Lockout()
