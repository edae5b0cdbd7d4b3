"""What presenting a refresh token means: rotate it, or end the session it belongs to."""

from __future__ import annotations

from datetime import datetime
from enum import Enum


class RefreshVerdict(Enum):
    ROTATE = "rotate"
    REUSED = "reused"  # a rotated token came back: it was stolen or replayed; end the session
    SESSION_OVER = "session_over"


def judge_refresh(
    *,
    token_used_at: datetime | None,
    session_revoked_at: datetime | None,
    session_expires_at: datetime,
    now: datetime,
) -> RefreshVerdict:
    if session_revoked_at is not None or session_expires_at <= now:
        return RefreshVerdict.SESSION_OVER
    if token_used_at is not None:
        return RefreshVerdict.REUSED
    return RefreshVerdict.ROTATE
