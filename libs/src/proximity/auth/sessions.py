"""Sessions identity has revoked, remembered as long as one of their access tokens can live.

An access token lives at most ``ttl`` after it was issued, and none is issued after its
session is revoked, so a revocation matters until ``revoked_at + ttl`` (plus a leeway for
clock skew and late events); after that the entry is dropped.
"""

from __future__ import annotations

import time
import uuid
from collections.abc import Callable
from datetime import datetime

PRUNE_EVERY = 256


class RevokedSessions:
    def __init__(
        self,
        token_ttl: float,
        *,
        leeway: float = 60.0,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self._keep_for = token_ttl + leeway
        self._clock = clock
        self._until: dict[uuid.UUID, float] = {}
        self._writes = 0

    def __len__(self) -> int:
        return len(self._until)

    @property
    def window(self) -> float:
        """How far back a start-up replay has to read revocations."""
        return self._keep_for

    def revoke(self, session_id: uuid.UUID, revoked_at: datetime | None = None) -> None:
        at = revoked_at.timestamp() if revoked_at is not None else self._clock()
        until = at + self._keep_for
        if until <= self._clock():
            return  # every token of that session has expired already
        self._until[session_id] = max(until, self._until.get(session_id, 0.0))
        self._writes += 1
        if self._writes % PRUNE_EVERY == 0:
            self._prune()

    def is_revoked(self, session_id: uuid.UUID) -> bool:
        until = self._until.get(session_id)
        if until is None:
            return False
        if until <= self._clock():
            del self._until[session_id]
            return False
        return True

    def _prune(self) -> None:
        now = self._clock()
        for session_id in [s for s, until in self._until.items() if until <= now]:
            del self._until[session_id]
