"""Counting failed logins (seed 003: 4 failures → locked for 5 minutes). Wrong passwords and
wrong second-factor codes count towards the same lock, so a code cannot be guessed faster
than a password."""

from __future__ import annotations

from datetime import datetime, timedelta

from identity.config import IdentitySettings
from identity.domain.lockout import Lockout
from identity.events import published
from identity.repositories.tables import PasswordCredential
from proximity.db.unit_of_work import UnitOfWork


def lockout_of(credential: PasswordCredential | None) -> Lockout:
    return Lockout(credential.failed_attempts, credential.locked_until) if credential else Lockout()


def record_failure(
    settings: IdentitySettings, uow: UnitOfWork, credential: PasswordCredential, now: datetime
) -> bool:
    """One more failure on the (row-locked) credential; True when the account is now locked."""
    before = lockout_of(credential)
    after = before.after_failure(
        now, threshold=settings.lockout_threshold, duration=timedelta(seconds=settings.lockout_seconds)
    )
    credential.failed_attempts, credential.locked_until = after.failed_attempts, after.locked_until
    if after.is_locked(now) and not before.is_locked(now):
        uow.publish(published.user_locked(credential.user_id, credential.tenant_id, after.locked_until))
    return after.is_locked(now)


def record_success(credential: PasswordCredential) -> None:
    credential.failed_attempts, credential.locked_until = 0, None
