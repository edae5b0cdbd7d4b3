"""Seed 004's ``suspended_at`` / ``deleted_at``: a client sends any non-null time to set the
flag, the server's clock decides the time, and ``null`` clears it."""

from __future__ import annotations

from datetime import datetime


def stamp(current: datetime | None, requested: datetime | None, at: datetime) -> datetime | None:
    """The flag's new value: cleared, kept (setting it again does not move the time), or ``at``."""
    if requested is None:
        return None
    return current if current is not None else at
